//===- IRLexer.h - Tokens of the textual IR (private to lib/IR) ------------===//
//
// Splits IR text into tokens for Parser.cpp. `;` starts a comment to the end
// of the line, except inside an array type `[T; N]`, where the parser asks
// for it as a token.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_IR_IRLEXER_H
#define GGUFC_LIB_IR_IRLEXER_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <utility>

namespace ggufc {

enum class TokKind {
  Eof,
  Error,     // Value holds the message
  Ident,     // [A-Za-z_][A-Za-z0-9_]*: keywords, opcodes, types
  ValueName, // %name; Value holds the name without '%'
  String,    // "..."; Value holds the decoded bytes
  Number,    // -?digits[.digits][e[+-]digits], inf, -inf, nan
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Semicolon,
  Equal,
  Elided, // <elided>
};

struct Token {
  TokKind Kind = TokKind::Eof;
  llvm::StringRef Text; // spelling in the buffer; Text.data() is the location
  std::string Value;
};

class IRLexer {
public:
  explicit IRLexer(llvm::StringRef Buffer)
      : Buffer(Buffer), Cur(Buffer.begin()) {}

  /// The next token. With SemicolonIsToken, a `;` is returned as a token
  /// instead of starting a comment.
  Token lex(bool SemicolonIsToken = false);

  /// 1-based line and byte column of Loc, a pointer into the buffer.
  std::pair<unsigned, unsigned> lineAndColumn(const char *Loc) const;

private:
  void skipSpaceAndComments(bool SemicolonIsToken);
  Token make(TokKind Kind, const char *Start);
  Token error(const char *Loc, const std::string &Message);
  Token lexString(const char *Start);
  Token lexNumber(const char *Start);
  Token lexWord(const char *Start);
  Token lexValueName(const char *Start);

  llvm::StringRef Buffer;
  const char *Cur;
};

} // namespace ggufc

#endif
