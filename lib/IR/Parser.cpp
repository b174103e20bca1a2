//===- Parser.cpp - Textual IR input ------------------------------------------===//
//
// Recursive-descent parser for the syntax of docs/LangRef.md. Values are
// created through IRBuilder::insert, so a declared type is checked by the
// same rules the verifier uses. The first error stops parsing.
//
//===----------------------------------------------------------------------===//
#include "ggufc/IR/Parser.h"
#include "IRLexer.h"
#include "ggufc/IR/IRBuilder.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"
#include <charconv>
#include <limits>

using namespace llvm;

namespace ggufc {

namespace {

/// Parses Text completely as T (integer or floating point) with
/// std::from_chars; false if it is not one T or out of range.
template <typename T> bool parseExact(StringRef Text, T &Out) {
  auto R = std::from_chars(Text.begin(), Text.end(), Out);
  return R.ec == std::errc() && R.ptr == Text.end();
}

/// The largest value of each integer metadata type.
uint64_t unsignedMax(MetaType T) {
  switch (T) {
  case MetaType::U8: return std::numeric_limits<uint8_t>::max();
  case MetaType::U16: return std::numeric_limits<uint16_t>::max();
  case MetaType::U32: return std::numeric_limits<uint32_t>::max();
  case MetaType::Bool: return 1;
  default: return std::numeric_limits<uint64_t>::max();
  }
}
int64_t signedMax(MetaType T) {
  switch (T) {
  case MetaType::I8: return std::numeric_limits<int8_t>::max();
  case MetaType::I16: return std::numeric_limits<int16_t>::max();
  case MetaType::I32: return std::numeric_limits<int32_t>::max();
  default: return std::numeric_limits<int64_t>::max();
  }
}

/// Elements of one metadata value while it is parsed, in the storage
/// family of its element type.
struct MetaElements {
  std::vector<uint64_t> Unsigned;
  std::vector<int64_t> Signed;
  std::vector<double> Floats;
  std::vector<std::string> Strs;

  size_t size() const {
    return Unsigned.size() + Signed.size() + Floats.size() + Strs.size();
  }
  MetaValue toArray(MetaType T) && {
    if (isUnsignedMetaType(T))
      return MetaValue::unsignedArray(T, std::move(Unsigned));
    if (isSignedMetaType(T))
      return MetaValue::signedArray(T, std::move(Signed));
    if (isFloatMetaType(T))
      return MetaValue::floatArray(T, std::move(Floats));
    return MetaValue::strArray(std::move(Strs));
  }
  MetaValue toScalar(MetaType T) && {
    switch (T) {
    case MetaType::U8: return MetaValue::u8(uint8_t(Unsigned[0]));
    case MetaType::U16: return MetaValue::u16(uint16_t(Unsigned[0]));
    case MetaType::U32: return MetaValue::u32(uint32_t(Unsigned[0]));
    case MetaType::U64: return MetaValue::u64(Unsigned[0]);
    case MetaType::Bool: return MetaValue::boolean(Unsigned[0] != 0);
    case MetaType::I8: return MetaValue::i8(int8_t(Signed[0]));
    case MetaType::I16: return MetaValue::i16(int16_t(Signed[0]));
    case MetaType::I32: return MetaValue::i32(int32_t(Signed[0]));
    case MetaType::I64: return MetaValue::i64(Signed[0]);
    case MetaType::F32: return MetaValue::f32(Floats[0]);
    case MetaType::F64: return MetaValue::f64(Floats[0]);
    default: return MetaValue::str(std::move(Strs[0]));
    }
  }
};

class Parser {
public:
  Parser(StringRef Text, StringRef BufferName)
      : Lex(Text), BufferName(BufferName), M(std::make_unique<Module>()),
        Builder(*M) {
    consume();
  }

  Expected<std::unique_ptr<Module>> run() {
    if (parseModule())
      return createStringError(inconvertibleErrorCode(), ErrorMessage);
    return std::move(M);
  }

private:
  //===--- Token helpers; every failing helper returns true. ---===//

  void consume(bool SemicolonIsToken = false) {
    Tok = Lex.lex(SemicolonIsToken);
  }

  bool error(const char *Loc, const Twine &Message) {
    auto [Line, Col] = Lex.lineAndColumn(Loc);
    ErrorMessage = (BufferName + ":" + Twine(Line) + ":" + Twine(Col) + ": " +
                    Message).str();
    return true;
  }
  bool errorHere(const Twine &Message) { return error(Tok.Text.data(), Message); }

  /// "expected X, found Y", or the lexer's own message for a bad token.
  bool expected(const Twine &What) {
    if (Tok.Kind == TokKind::Error)
      return errorHere(Tok.Value);
    std::string Found = Tok.Kind == TokKind::Eof ? "end of file"
                                                  : "'" + Tok.Text.str() + "'";
    return errorHere("expected " + What + ", found " + Found);
  }

  bool isKeyword(StringRef Word) const {
    return Tok.Kind == TokKind::Ident && Tok.Text == Word;
  }

  bool expect(TokKind Kind, StringRef Spelling) {
    if (Tok.Kind != Kind)
      return expected("'" + Spelling + "'");
    consume();
    return false;
  }

  bool expectKeyword(StringRef Word) {
    if (!isKeyword(Word))
      return expected("'" + Word + "'");
    consume();
    return false;
  }

  bool parseString(std::string &Out) {
    if (Tok.Kind != TokKind::String)
      return expected("a string");
    Out = std::move(Tok.Value);
    consume();
    return false;
  }

  bool parseInt(int64_t &Out) {
    if (Tok.Kind != TokKind::Number)
      return expected("an integer");
    if (!parseExact(Tok.Text, Out))
      return errorHere("'" + Tok.Text + "' is not a 64-bit integer");
    consume();
    return false;
  }

  /// A float-valued operand or element, or (F64) a double.
  template <typename FloatT> bool parseFloat(FloatT &Out) {
    if (Tok.Kind != TokKind::Number)
      return expected("a number");
    if (!parseExact(Tok.Text, Out))
      return errorHere("'" + Tok.Text + "' is out of range for " +
                       (sizeof(FloatT) == 4 ? "f32" : "f64"));
    consume();
    return false;
  }

  /// "[" [Element ("," Element)*] "]", calling ParseElement for each.
  template <typename ParseFn> bool parseBracketList(ParseFn ParseElement) {
    if (expect(TokKind::LBracket, "["))
      return true;
    if (Tok.Kind == TokKind::RBracket) {
      consume();
      return false;
    }
    while (true) {
      if (ParseElement())
        return true;
      if (Tok.Kind == TokKind::RBracket) {
        consume();
        return false;
      }
      if (Tok.Kind != TokKind::Comma)
        return expected("',' or ']'");
      consume();
    }
  }

  /// "[1, 2]", "[]".
  bool parseIntList(std::vector<int64_t> &Out) {
    return parseBracketList([&] {
      Out.emplace_back();
      return parseInt(Out.back());
    });
  }

  //===--- Module structure ---===//

  bool parseModule() {
    if (expectKeyword("module") || parseString(M->Name))
      return true;
    if (isKeyword("source")) {
      consume();
      if (parseString(M->SourceDir))
        return true;
    }
    if (expect(TokKind::LBrace, "{"))
      return true;
    while (Tok.Kind != TokKind::RBrace) {
      if (parseItem())
        return true;
    }
    consume();
    if (Tok.Kind != TokKind::Eof)
      return expected("end of file after the module");
    return false;
  }

  bool parseItem() {
    if (isKeyword("meta"))
      return parseMeta();
    if (isKeyword("output"))
      return parseOutput();
    if (Tok.Kind == TokKind::ValueName)
      return parseValueDef();
    return expected("'meta', 'output', a value definition or '}'");
  }

  //===--- Metadata ---===//

  /// A scalar metadata type name. SemicolonNext: the `;` of `[T; N]`
  /// follows, so it must be lexed as a token rather than a comment.
  bool parseMetaElemType(MetaType &Out, bool SemicolonNext) {
    if (Tok.Kind == TokKind::Ident)
      if (Optional<MetaType> T = ggufc::parseMetaType(Tok.Text)) {
        Out = *T;
        consume(SemicolonNext);
        return false;
      }
    return expected("a metadata type (u8 i8 u16 i16 u32 i32 u64 i64 f32 "
                    "f64 bool str)");
  }

  bool parseMetaElement(MetaType T, MetaElements &Out) {
    if (T == MetaType::Bool) {
      if (!isKeyword("true") && !isKeyword("false"))
        return expected("'true' or 'false'");
      Out.Unsigned.push_back(Tok.Text == "true");
      consume();
      return false;
    }
    if (T == MetaType::Str) {
      Out.Strs.emplace_back();
      return parseString(Out.Strs.back());
    }
    if (isFloatMetaType(T)) {
      // f32 text is parsed as float: it was printed as the shortest float.
      double D;
      if (T == MetaType::F32) {
        float F;
        if (parseFloat(F))
          return true;
        D = F;
      } else if (parseFloat(D)) {
        return true;
      }
      Out.Floats.push_back(D);
      return false;
    }
    if (Tok.Kind != TokKind::Number)
      return expected("an integer");
    bool InRange;
    if (isUnsignedMetaType(T)) {
      uint64_t U = 0;
      InRange = parseExact(Tok.Text, U) && U <= unsignedMax(T);
      Out.Unsigned.push_back(U);
    } else {
      int64_t S = 0;
      int64_t Max = signedMax(T);
      InRange = parseExact(Tok.Text, S) && S <= Max && S >= -Max - 1;
      Out.Signed.push_back(S);
    }
    if (!InRange)
      return errorHere("'" + Tok.Text + "' is not a valid " +
                       metaTypeName(T) + " value");
    consume();
    return false;
  }

  bool parseMeta() {
    consume(); // meta
    const char *KeyLoc = Tok.Text.data();
    std::string Key;
    if (parseString(Key))
      return true;
    if (M->Meta.contains(Key))
      return error(KeyLoc, "metadata key '" + Key + "' is defined twice");
    if (expect(TokKind::Colon, ":"))
      return true;

    MetaType T = MetaType::U8;
    bool IsArray = Tok.Kind == TokKind::LBracket;
    uint64_t Length = 0;
    if (IsArray) {
      consume();
      if (parseMetaElemType(T, /*SemicolonNext=*/true) ||
          expect(TokKind::Semicolon, ";"))
        return true;
      if (Tok.Kind != TokKind::Number || !parseExact(Tok.Text, Length))
        return expected("an array length");
      consume();
      if (expect(TokKind::RBracket, "]"))
        return true;
    } else if (parseMetaElemType(T, /*SemicolonNext=*/false)) {
      return true;
    }
    if (expect(TokKind::Equal, "="))
      return true;

    MetaElements Elems;
    if (!IsArray) {
      if (parseMetaElement(T, Elems))
        return true;
      M->Meta.set(Key, std::move(Elems).toScalar(T));
      return false;
    }
    if (Tok.Kind == TokKind::Elided) {
      consume();
      M->Meta.set(Key, MetaValue::elidedArray(T, Length));
      return false;
    }
    const char *ListLoc = Tok.Text.data();
    if (parseBracketList([&] { return parseMetaElement(T, Elems); }))
      return true;
    if (Elems.size() != Length)
      return error(ListLoc, "array has " + Twine(Elems.size()) +
                                " elements, but its type says " +
                                Twine(Length));
    M->Meta.set(Key, std::move(Elems).toArray(T));
    return false;
  }

  //===--- Values ---===//

  bool parseOperand(std::vector<Value *> &Operands) {
    if (Tok.Kind != TokKind::ValueName)
      return expected("a value (%name)");
    auto It = Names.find(Tok.Value);
    if (It == Names.end())
      return errorHere("use of undefined value %" + Tok.Value);
    Operands.push_back(It->second);
    consume();
    return false;
  }

  /// ", <number>" after the operand of add, scale and clamp.
  bool parseScalarOperand(double &Out) {
    float F;
    if (expect(TokKind::Comma, ",") || parseFloat(F))
      return true;
    Out = F;
    return false;
  }

  bool parseAxis(Value &V) {
    return expectKeyword("axis") || parseInt(V.Axis);
  }

  bool parseConstData(Value &V) {
    if (Tok.Kind == TokKind::Elided) {
      V.DataElided = true;
      consume();
      return false;
    }
    return parseBracketList([&] {
      float F;
      if (parseFloat(F))
        return true;
      V.Data.push_back(F);
      return false;
    });
  }

  /// Everything between the opcode and the ':' of the result type.
  bool parseOperation(Value &V) {
    switch (V.Op) {
    case Opcode::Load:
      return parseString(V.File) || parseString(V.Key);
    case Opcode::Const:
      return parseConstData(V);
    case Opcode::AddScalar:
    case Opcode::Scale:
      return parseOperand(V.Operands) || parseScalarOperand(V.A);
    case Opcode::Clamp:
      return parseOperand(V.Operands) || parseScalarOperand(V.A) ||
             parseScalarOperand(V.B);
    case Opcode::Tanh:
    case Opcode::OneMinus:
    case Opcode::NegExp:
    case Opcode::Cast:
    case Opcode::Reshape:
      return parseOperand(V.Operands);
    case Opcode::Transpose:
      return parseOperand(V.Operands) || parseIntList(V.Perm);
    case Opcode::Slice:
      return parseOperand(V.Operands) || parseAxis(V) ||
             expect(TokKind::LBracket, "[") || parseInt(V.Start) ||
             expect(TokKind::Colon, ":") || parseInt(V.End) ||
             expect(TokKind::RBracket, "]");
    case Opcode::Concat:
    case Opcode::Stack:
      if (parseOperand(V.Operands))
        return true;
      while (Tok.Kind == TokKind::Comma) {
        consume();
        if (parseOperand(V.Operands))
          return true;
      }
      return parseAxis(V);
    case Opcode::Squeeze:
      return parseOperand(V.Operands) || parseAxis(V);
    }
    return errorHere("unsupported operation");
  }

  bool parseDType(DType &Out) {
    if (Tok.Kind == TokKind::Ident)
      if (Optional<DType> T = ggufc::parseDType(Tok.Text)) {
        Out = *T;
        consume();
        return false;
      }
    return expected("an element type (f32, f16 or bf16)");
  }

  bool parseTensorType(TensorType &Out) {
    return parseDType(Out.Elem) || parseIntList(Out.Dims);
  }

  bool parseOpcode(Opcode &Out) {
    if (Tok.Kind == TokKind::Ident)
      for (unsigned I = 0; I <= unsigned(Opcode::Squeeze); ++I)
        if (Tok.Text == opcodeName(Opcode(I))) {
          Out = Opcode(I);
          consume();
          return false;
        }
    return expected("an operation");
  }

  bool parseValueDef() {
    std::string Name = Tok.Value;
    if (Names.count(Name))
      return errorHere("value %" + Name + " is defined twice");
    consume();
    if (expect(TokKind::Equal, "="))
      return true;
    const char *OpLoc = Tok.Text.data();
    Opcode Op = Opcode::Load;
    if (parseOpcode(Op))
      return true;
    auto V = std::make_unique<Value>(Op);
    if (parseOperation(*V) || expect(TokKind::Colon, ":") ||
        parseTensorType(V->Type))
      return true;
    Value *Created = Builder.insert(std::move(V), /*CheckDeclaredType=*/true);
    if (!Created)
      return error(OpLoc, toString(Builder.takeError()));
    Names[Name] = Created;
    return false;
  }

  bool parseOutput() {
    consume(); // output
    std::string Name;
    std::vector<Value *> Def;
    if (parseString(Name) || expect(TokKind::Equal, "=") ||
        parseOperand(Def))
      return true;
    Output &O = M->addOutput(std::move(Name), Def.front());
    if (Tok.Kind == TokKind::Colon) {
      consume();
      if (Tok.Kind != TokKind::Ident || !ggufc::parseStorageType(Tok.Text))
        return expected("a storage type (f32, f16, bf16, q8_0, q4_k, ...)");
      O.Type = ggufc::parseStorageType(Tok.Text);
      consume();
    }
    return false;
  }

  IRLexer Lex;
  Token Tok;
  StringRef BufferName;
  std::unique_ptr<Module> M;
  IRBuilder Builder;
  StringMap<Value *> Names;
  std::string ErrorMessage;
};

} // namespace

Expected<std::unique_ptr<Module>> parseModule(StringRef Text,
                                              StringRef BufferName) {
  return Parser(Text, BufferName).run();
}

} // namespace ggufc
