//===- IRLexer.cpp - Tokens of the textual IR --------------------------------===//
#include "IRLexer.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace ggufc {

static bool isIdentStart(char C) { return isAlpha(C) || C == '_'; }
static bool isIdentChar(char C) { return isAlnum(C) || C == '_'; }
static bool isValueNameChar(char C) { return isIdentChar(C) || C == '.'; }

std::pair<unsigned, unsigned> IRLexer::lineAndColumn(const char *Loc) const {
  StringRef Before = Buffer.take_front(Loc - Buffer.begin());
  unsigned Line = 1 + Before.count('\n');
  size_t LastNL = Before.rfind('\n');
  unsigned Col = LastNL == StringRef::npos ? Before.size() + 1
                                           : Before.size() - LastNL;
  return {Line, Col};
}

Token IRLexer::make(TokKind Kind, const char *Start) {
  Token T;
  T.Kind = Kind;
  T.Text = StringRef(Start, Cur - Start);
  return T;
}

Token IRLexer::error(const char *Loc, const std::string &Message) {
  Token T;
  T.Kind = TokKind::Error;
  T.Text = StringRef(Loc, Loc < Buffer.end() ? 1 : 0);
  T.Value = Message;
  Cur = Buffer.end(); // nothing after a lexical error is meaningful
  return T;
}

void IRLexer::skipSpaceAndComments(bool SemicolonIsToken) {
  const char *End = Buffer.end();
  while (Cur < End) {
    if (isSpace(*Cur)) {
      ++Cur;
    } else if (*Cur == ';' && !SemicolonIsToken) {
      while (Cur < End && *Cur != '\n')
        ++Cur;
    } else {
      return;
    }
  }
}

Token IRLexer::lex(bool SemicolonIsToken) {
  skipSpaceAndComments(SemicolonIsToken);
  const char *Start = Cur;
  if (Cur == Buffer.end())
    return make(TokKind::Eof, Start);
  char C = *Cur;
  switch (C) {
  case '{': ++Cur; return make(TokKind::LBrace, Start);
  case '}': ++Cur; return make(TokKind::RBrace, Start);
  case '[': ++Cur; return make(TokKind::LBracket, Start);
  case ']': ++Cur; return make(TokKind::RBracket, Start);
  case ',': ++Cur; return make(TokKind::Comma, Start);
  case ':': ++Cur; return make(TokKind::Colon, Start);
  case ';': ++Cur; return make(TokKind::Semicolon, Start);
  case '=': ++Cur; return make(TokKind::Equal, Start);
  case '"': return lexString(Start);
  case '%': return lexValueName(Start);
  case '<': {
    StringRef Word = "<elided>";
    if (StringRef(Cur, Buffer.end() - Cur).startswith(Word)) {
      Cur += Word.size();
      return make(TokKind::Elided, Start);
    }
    return error(Start, "expected '<elided>'");
  }
  default:
    break;
  }
  if (C == '-' || isDigit(C))
    return lexNumber(Start);
  if (isIdentStart(C))
    return lexWord(Start);
  if (isPrint(C))
    return error(Start, std::string("unexpected character '") + C + "'");
  return error(Start, "unexpected byte 0x" + utohexstr(uint8_t(C)));
}

Token IRLexer::lexWord(const char *Start) {
  while (Cur < Buffer.end() && isIdentChar(*Cur))
    ++Cur;
  Token T = make(TokKind::Ident, Start);
  if (T.Text == "inf" || T.Text == "nan")
    T.Kind = TokKind::Number;
  return T;
}

Token IRLexer::lexValueName(const char *Start) {
  ++Cur; // '%'
  while (Cur < Buffer.end() && isValueNameChar(*Cur))
    ++Cur;
  if (Cur == Start + 1)
    return error(Start, "expected a value name after '%'");
  Token T = make(TokKind::ValueName, Start);
  T.Value = T.Text.drop_front().str();
  return T;
}

Token IRLexer::lexNumber(const char *Start) {
  const char *End = Buffer.end();
  auto Digits = [&] {
    const char *From = Cur;
    while (Cur < End && isDigit(*Cur))
      ++Cur;
    return Cur != From;
  };
  if (*Cur == '-')
    ++Cur;
  StringRef Rest(Cur, End - Cur);
  for (StringRef Special : {"inf", "nan"})
    if (Rest.startswith(Special) &&
        (Rest.size() == 3 || !isIdentChar(Rest[3]))) {
      Cur += 3;
      return make(TokKind::Number, Start);
    }
  if (!Digits())
    return error(Start, "expected a number after '-'");
  if (Cur < End && *Cur == '.') {
    ++Cur;
    Digits();
  }
  if (Cur < End && (*Cur == 'e' || *Cur == 'E')) {
    ++Cur;
    if (Cur < End && (*Cur == '+' || *Cur == '-'))
      ++Cur;
    if (!Digits())
      return error(Start, "expected digits in the exponent of a number");
  }
  if (Cur < End && isIdentChar(*Cur))
    return error(Start, "invalid number");
  return make(TokKind::Number, Start);
}

Token IRLexer::lexString(const char *Start) {
  const char *End = Buffer.end();
  std::string Value;
  ++Cur; // opening quote
  while (true) {
    if (Cur == End || *Cur == '\n')
      return error(Start, "unterminated string");
    char C = *Cur;
    if (C == '"')
      break;
    if (C != '\\') {
      Value += C;
      ++Cur;
      continue;
    }
    const char *Escape = Cur;
    if (Escape + 1 == End)
      return error(Start, "unterminated string");
    char Next = Escape[1];
    Cur += 2;
    if (Next == '"' || Next == '\\') {
      Value += Next;
    } else if (Next == 'n') {
      Value += '\n';
    } else if (Next == 't') {
      Value += '\t';
    } else if (Next == 'x' && End - Cur >= 2 && isHexDigit(Cur[0]) &&
               isHexDigit(Cur[1])) {
      Value += char(hexFromNibbles(Cur[0], Cur[1]));
      Cur += 2;
    } else {
      return error(Escape, "invalid escape in string (use \\\" \\\\ \\n \\t "
                           "or \\xHH)");
    }
  }
  ++Cur; // closing quote
  Token T = make(TokKind::String, Start);
  T.Value = std::move(Value);
  return T;
}

} // namespace ggufc
