//===- ParserTest.cpp - Parsing, round trips, errors and fuzzing -------------===//
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/IR/Parser.h"
#include "ggufc/IR/Printer.h"
#include "gtest/gtest.h"
#include <cmath>
#include <random>

using namespace ggufc;

namespace {

std::string print(const Module &M, bool Full = false) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  PrintOptions Opts;
  Opts.Full = Full;
  printModule(M, OS, Opts);
  return OS.str();
}

std::unique_ptr<Module> parseOK(llvm::StringRef Text) {
  auto M = parseModule(Text, "t.ir");
  if (!M) {
    ADD_FAILURE() << llvm::toString(M.takeError());
    return nullptr;
  }
  return std::move(*M);
}

std::string parseError(llvm::StringRef Text) {
  auto M = parseModule(Text, "t.ir");
  if (M)
    return "(parsed)";
  return llvm::toString(M.takeError());
}

/// A module that uses every operation and every metadata type.
std::unique_ptr<Module> everything() {
  auto M = std::make_unique<Module>("qwen3");
  M->SourceDir = "dir with \"quotes\"";
  Metadata &Meta = M->Meta;
  Meta.set("u8", MetaValue::u8(200));
  Meta.set("i8", MetaValue::i8(-100));
  Meta.set("u16", MetaValue::u16(60000));
  Meta.set("i16", MetaValue::i16(-30000));
  Meta.set("u32", MetaValue::u32(4000000000u));
  Meta.set("i32", MetaValue::i32(-2000000000));
  Meta.set("u64", MetaValue::u64(~0ull));
  Meta.set("i64", MetaValue::i64(-(1ll << 62)));
  Meta.set("f32", MetaValue::f32(1.0 / 3));
  Meta.set("f64", MetaValue::f64(1.0 / 3));
  Meta.set("bool", MetaValue::boolean(true));
  Meta.set("str", MetaValue::str("tab\there \xe2\x96\x81 \x02"));
  Meta.set("arr.u8", MetaValue::unsignedArray(MetaType::U8, {1, 2}));
  Meta.set("arr.i64", MetaValue::signedArray(MetaType::I64, {-5}));
  Meta.set("arr.f32", MetaValue::floatArray(MetaType::F32, {INFINITY, 0.25}));
  Meta.set("arr.f64", MetaValue::floatArray(MetaType::F64, {-INFINITY, 1e-300}));
  Meta.set("arr.bool", MetaValue::unsignedArray(MetaType::Bool, {0, 1, 1}));
  Meta.set("arr.str", MetaValue::strArray({"", "x;y", "]"}));
  Meta.set("arr.empty", MetaValue::signedArray(MetaType::I32, {}));
  Meta.set("arr.long", MetaValue::unsignedArray(MetaType::U32,
                                                std::vector<uint64_t>(40, 9)));
  Meta.set("arr.elided", MetaValue::elidedArray(MetaType::Str, 151936));
  IRBuilder B(*M);
  Value *L = B.load("model-00001-of-00002.safetensors", "model.w",
                    {DType::BF16, {4, 6}});
  Value *C = B.constant({DType::F32, {2, 3}}, {1, -2.5f, 1e-7f, 3e38f, 0, 7});
  Value *Big = B.constant({DType::F32, {5, 5}}, std::vector<float>(25, 0.1f));
  Value *A = B.addScalar(C, 1);
  Value *S = B.scale(A, -0.125);
  Value *T = B.tanh(S);
  Value *O = B.oneMinus(T);
  Value *N = B.negExp(O);
  Value *Cl = B.clamp(N, -1e30, 2.5);
  Value *Ca = B.cast(Cl, DType::F16);
  Value *R = B.reshape(L, {2, 2, 6});
  Value *Tr = B.transpose(R, {2, 0, 1});
  std::vector<Value *> Parts = B.split(L, 1, {2, 4});
  Value *Cc = B.concat({Parts[1], Parts[0]}, 1);
  Value *St = B.stack({Cc, L, L}, 1);
  Value *Sl = B.slice(St, 1, 0, 1);
  Value *Sq = B.squeeze(Sl, 1);
  M->addOutput("token_embd.weight", Sq).Type = StorageType::F16;
  M->addOutput("a", Ca);
  M->addOutput("b", Tr).Type = StorageType::BF16;
  M->addOutput("c", Big).Type = StorageType::F32;
  EXPECT_FALSE(B.hasError()) << llvm::toString(B.takeError());
  return M;
}

TEST(ParserTest, PrintParsePrintIsIdentical) {
  std::unique_ptr<Module> M = everything();
  for (bool Full : {false, true}) {
    std::string Text = print(*M, Full);
    std::unique_ptr<Module> Back = parseOK(Text);
    ASSERT_TRUE(Back);
    EXPECT_EQ(print(*Back, Full), Text);
  }
}

TEST(ParserTest, FullPrintingRoundTripsTheModuleExactly) {
  std::unique_ptr<Module> M = everything();
  std::unique_ptr<Module> Back = parseOK(print(*M, /*Full=*/true));
  ASSERT_TRUE(Back);
  EXPECT_EQ(Back->Name, M->Name);
  EXPECT_EQ(Back->SourceDir, M->SourceDir);
  EXPECT_TRUE(Back->Meta == M->Meta);
  ASSERT_EQ(Back->values().size(), M->values().size());
  for (size_t I = 0; I < M->values().size(); ++I) {
    const Value &A = *M->values()[I], &B = *Back->values()[I];
    EXPECT_EQ(A.Op, B.Op);
    EXPECT_EQ(A.Type, B.Type);
    EXPECT_EQ(A.Data, B.Data);
    EXPECT_EQ(A.A, B.A);
    EXPECT_EQ(A.B, B.B);
    EXPECT_EQ(A.Perm, B.Perm);
    EXPECT_EQ(A.Axis, B.Axis);
    EXPECT_EQ(A.Start, B.Start);
    EXPECT_EQ(A.End, B.End);
    EXPECT_EQ(A.File, B.File);
    EXPECT_EQ(A.Key, B.Key);
    ASSERT_EQ(A.Operands.size(), B.Operands.size());
    for (size_t J = 0; J < A.Operands.size(); ++J)
      EXPECT_EQ(A.Operands[J]->Id, B.Operands[J]->Id);
  }
  ASSERT_EQ(Back->outputs().size(), M->outputs().size());
  for (size_t I = 0; I < M->outputs().size(); ++I) {
    EXPECT_EQ(Back->outputs()[I].Name, M->outputs()[I].Name);
    EXPECT_EQ(Back->outputs()[I].Def->Id, M->outputs()[I].Def->Id);
    EXPECT_EQ(Back->outputs()[I].Type, M->outputs()[I].Type);
  }
}

TEST(ParserTest, ElidedValuesParseBackElided) {
  std::unique_ptr<Module> Back = parseOK(print(*everything()));
  ASSERT_TRUE(Back);
  const MetaValue *Long = Back->Meta.get("arr.long");
  ASSERT_TRUE(Long);
  EXPECT_TRUE(Long->isElided());
  EXPECT_EQ(Long->size(), 40u);
  EXPECT_EQ(Long->elemType(), MetaType::U32);
  const Value &Big = *Back->values()[2];
  EXPECT_EQ(Big.Op, Opcode::Const);
  EXPECT_TRUE(Big.DataElided);
  EXPECT_TRUE(Big.Data.empty());
}

TEST(ParserTest, NamesAreArbitraryAndPrintAsPositions) {
  std::unique_ptr<Module> M = parseOK(R"(
; a comment before the module
module "m" {   ; and after the brace
  %w.q_proj = load "f.safetensors" "q" : f32[2, 4]
  %t = transpose %w.q_proj [1, 0] : f32[4, 2]  ; trailing comment
  output "blk.0.attn_q.weight" = %t
})");
  ASSERT_TRUE(M);
  EXPECT_EQ(print(*M), "module \"m\" {\n"
                       "  %0 = load \"f.safetensors\" \"q\" : f32[2, 4]\n"
                       "  %1 = transpose %0 [1, 0] : f32[4, 2]\n"
                       "  output \"blk.0.attn_q.weight\" = %1\n"
                       "}\n");
}

TEST(ParserTest, ArrayTypeSemicolonIsNotAComment) {
  std::unique_ptr<Module> M =
      parseOK("module \"m\" {\n meta \"k\" : [i32 ;2] = [3, -4] ; c\n}");
  ASSERT_TRUE(M);
  const MetaValue *V = M->Meta.get("k");
  ASSERT_TRUE(V);
  EXPECT_EQ(V->signedValues(), (std::vector<int64_t>{3, -4}));
}

TEST(ParserTest, StringEscapesDecode) {
  std::unique_ptr<Module> M = parseOK(
      R"(module "m" { meta "k" : str = "q\"b\\s\nn\tt\x41\xc3\xa9" })");
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Meta.get("k")->getStr(), "q\"b\\s\nn\ttA\xc3\xa9");
}

TEST(ParserTest, NumbersAndSpecialFloats) {
  std::unique_ptr<Module> M = parseOK(
      "module \"m\" {\n"
      "  meta \"a\" : f32 = 0.1\n"
      "  meta \"b\" : f64 = 0.1\n"
      "  meta \"c\" : [f32; 3] = [inf, -inf, nan]\n"
      "  meta \"d\" : f32 = 2\n"
      "  meta \"e\" : f64 = 1.5E+3\n"
      "}");
  ASSERT_TRUE(M);
  EXPECT_EQ(M->Meta.get("a")->getFloat(), double(0.1f));
  EXPECT_EQ(M->Meta.get("b")->getFloat(), 0.1);
  const std::vector<double> &C = M->Meta.get("c")->floatValues();
  EXPECT_EQ(C[0], INFINITY);
  EXPECT_EQ(C[1], -INFINITY);
  EXPECT_TRUE(std::isnan(C[2]));
  EXPECT_EQ(M->Meta.get("d")->getFloat(), 2.0);
  EXPECT_EQ(M->Meta.get("e")->getFloat(), 1500.0);
}

TEST(ParserTest, ErrorsGiveLineColumnAndMessage) {
  EXPECT_EQ(parseError(""), "t.ir:1:1: expected 'module', found end of file");
  EXPECT_EQ(parseError("module \"m\" {\n  %0 = frob %1 : f32[]\n}"),
            "t.ir:2:8: expected an operation, found 'frob'");
  EXPECT_EQ(parseError("module \"m\" {\n  %0 = tanh %1 : f32[]\n}"),
            "t.ir:2:13: use of undefined value %1");
  EXPECT_EQ(parseError("module \"m\" {\n"
                       "  %0 = load \"f\" \"k\" : f32[2, 2]\n"
                       "  %0 = tanh %0 : f32[2, 2]\n}"),
            "t.ir:3:3: value %0 is defined twice");
  EXPECT_EQ(parseError("module \"m\" {\n"
                       "  %0 = load \"f\" \"k\" : f32[2, 2]\n"
                       "  %1 = transpose %0 [0, 0] : f32[2, 2]\n}"),
            "t.ir:3:8: transpose: [0, 0] is not a permutation of 2 axes");
  EXPECT_EQ(parseError("module \"m\" {\n"
                       "  %0 = load \"f\" \"k\" : f32[2, 2]\n"
                       "  %1 = tanh %0 : bf16[2, 2]\n}"),
            "t.ir:3:8: tanh: declared type bf16[2, 2] does not match the "
            "inferred type f32[2, 2]");
  EXPECT_EQ(parseError("module \"m\" {\n meta \"k\" : u8 = 256\n}"),
            "t.ir:2:18: '256' is not a valid u8 value");
  EXPECT_EQ(parseError("module \"m\" {\n meta \"k\" : i8 = -129\n}"),
            "t.ir:2:18: '-129' is not a valid i8 value");
  EXPECT_EQ(parseError("module \"m\" {\n meta \"k\" : u32 = -1\n}"),
            "t.ir:2:19: '-1' is not a valid u32 value");
  EXPECT_EQ(parseError("module \"m\" {\n meta \"k\" : [u8; 3] = [1, 2]\n}"),
            "t.ir:2:23: array has 2 elements, but its type says 3");
  EXPECT_EQ(parseError("module \"m\" {\n meta \"k\" : u8 = 1\n"
                       " meta \"k\" : u8 = 2\n}"),
            "t.ir:3:7: metadata key 'k' is defined twice");
  EXPECT_EQ(parseError("module \"m\" {\n meta \"k\" : int = 1\n}"),
            "t.ir:2:13: expected a metadata type (u8 i8 u16 i16 u32 i32 u64 "
            "i64 f32 f64 bool str), found 'int'");
  EXPECT_EQ(parseError("module \"m\" {\n meta \"k\" : str = \"abc\n}"),
            "t.ir:2:19: unterminated string");
  EXPECT_EQ(parseError("module \"m\" {\n meta \"k\" : str = \"a\\qb\"\n}"),
            "t.ir:2:21: invalid escape in string (use \\\" \\\\ \\n \\t or "
            "\\xHH)");
  EXPECT_EQ(parseError("module \"m\" {\n  %0 = const [1, 2x] : f32[2]\n}"),
            "t.ir:2:18: invalid number");
  EXPECT_EQ(parseError("module \"m\" {\n  %0 = const [1e99] : f32[1]\n}"),
            "t.ir:2:15: '1e99' is out of range for f32");
  EXPECT_EQ(parseError("module \"m\" {\n  %0 = const [1, 2] : f32[3]\n}"),
            "t.ir:2:8: const: 2 elements given for f32[3], which has 3");
  EXPECT_EQ(parseError("module \"m\" {\n  output \"x\" = %9\n}"),
            "t.ir:2:16: use of undefined value %9");
  EXPECT_EQ(parseError("module \"m\" {\n  %0 = load \"f\" \"k\" : f64[1]\n}"),
            "t.ir:2:23: expected an element type (f32, f16 or bf16), found "
            "'f64'");
  EXPECT_EQ(parseError("module \"m\" {\n  @\n}"),
            "t.ir:2:3: unexpected character '@'");
  EXPECT_EQ(parseError("module \"m\" {\n  <oops>\n}"),
            "t.ir:2:3: expected '<elided>'");
  EXPECT_EQ(parseError("module \"m\" {\n}\nmodule"),
            "t.ir:3:1: expected end of file after the module, found 'module'");
  EXPECT_EQ(parseError("module \"m\" {\n  %0 = load \"f\" \"k\" : f32[2"),
            "t.ir:2:28: expected ',' or ']', found end of file");
}

TEST(ParserTest, UnusualBytesAreErrorsNotCrashes) {
  EXPECT_EQ(parseError(llvm::StringRef("module \"m\" {\0}", 14)),
            "t.ir:1:13: unexpected byte 0x0");
  EXPECT_EQ(parseError("module \"m\" {\n  %\n}"),
            "t.ir:2:3: expected a value name after '%'");
  EXPECT_EQ(parseError("module \"\\"), "t.ir:1:8: unterminated string");
}

/// Parses random mutations of a valid module. Nothing may crash, and
/// whatever parses must print and parse back to the same text.
TEST(ParserTest, FuzzedInputNeverCrashes) {
  const std::string Seed = print(*everything(), /*Full=*/true);
  const std::string Alphabet = "%[]{}(),:;=<>\"\\-.0123456789eaxinf \n\t\x80";
  std::mt19937 Rng(12345);
  unsigned Parsed = 0;
  for (int Iter = 0; Iter < 3000; ++Iter) {
    std::string Text = Seed;
    int Edits = 1 + Rng() % 4;
    for (int E = 0; E < Edits && !Text.empty(); ++E) {
      size_t Pos = Rng() % Text.size();
      switch (Rng() % 4) {
      case 0: Text.erase(Pos, 1 + Rng() % 8); break;
      case 1: Text.insert(Pos, 1, Alphabet[Rng() % Alphabet.size()]); break;
      case 2: Text[Pos] = char(Rng() % 256); break;
      case 3: Text.resize(Pos); break;
      }
    }
    auto M = parseModule(Text, "fuzz.ir");
    if (!M) {
      llvm::consumeError(M.takeError());
      continue;
    }
    ++Parsed;
    std::string Once = print(**M, true);
    auto Again = parseModule(Once, "again.ir");
    ASSERT_TRUE(bool(Again)) << llvm::toString(Again.takeError()) << "\n"
                             << Once;
    EXPECT_EQ(print(**Again, true), Once);
  }
  // Some mutations (inside strings and numbers) stay valid.
  EXPECT_GT(Parsed, 10u);
}

} // namespace
