//===- PrinterTest.cpp - Textual form of metadata, constants, filters --------===//
//
// Expected texts are written by hand from docs/LangRef.md, not copied from
// the printer's output.
//
//===----------------------------------------------------------------------===//
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/IR/Printer.h"
#include "gtest/gtest.h"
#include <cmath>
#include <limits>

using namespace ggufc;

namespace {

std::string print(const Module &M, const PrintOptions &Opts = PrintOptions()) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printModule(M, OS, Opts);
  return OS.str();
}

/// The line printed for one metadata entry, without indentation and newline.
std::string metaLine(const MetaValue &V) {
  Module M;
  M.Meta.set("k", V);
  std::string S = print(M);
  size_t Begin = S.find("meta ");
  return S.substr(Begin, S.find('\n', Begin) - Begin);
}

TEST(PrinterTest, EmptyModule) {
  Module M("gemma");
  EXPECT_EQ(print(M), "module \"gemma\" {\n}\n");
  M.SourceDir = "/models/gemma-2b";
  EXPECT_EQ(print(M), "module \"gemma\" source \"/models/gemma-2b\" {\n}\n");
}

TEST(PrinterTest, IntegerScalarsOfEveryWidth) {
  EXPECT_EQ(metaLine(MetaValue::u8(255)), "meta \"k\" : u8 = 255");
  EXPECT_EQ(metaLine(MetaValue::i8(-128)), "meta \"k\" : i8 = -128");
  EXPECT_EQ(metaLine(MetaValue::u16(65535)), "meta \"k\" : u16 = 65535");
  EXPECT_EQ(metaLine(MetaValue::i16(-32768)), "meta \"k\" : i16 = -32768");
  EXPECT_EQ(metaLine(MetaValue::u32(4294967295u)),
            "meta \"k\" : u32 = 4294967295");
  EXPECT_EQ(metaLine(MetaValue::i32(-2147483647 - 1)),
            "meta \"k\" : i32 = -2147483648");
  EXPECT_EQ(metaLine(MetaValue::u64(18446744073709551615ull)),
            "meta \"k\" : u64 = 18446744073709551615");
  EXPECT_EQ(metaLine(MetaValue::i64(std::numeric_limits<int64_t>::min())),
            "meta \"k\" : i64 = -9223372036854775808");
  EXPECT_EQ(metaLine(MetaValue::boolean(true)), "meta \"k\" : bool = true");
  EXPECT_EQ(metaLine(MetaValue::boolean(false)), "meta \"k\" : bool = false");
}

TEST(PrinterTest, FloatScalarsUseTheShortestRoundTrippingForm) {
  EXPECT_EQ(metaLine(MetaValue::f32(1e-6)), "meta \"k\" : f32 = 1e-06");
  // 0.1 rounded to float32 is 0.100000001490116...; "0.1" reads back to it.
  EXPECT_EQ(metaLine(MetaValue::f32(0.1)), "meta \"k\" : f32 = 0.1");
  EXPECT_EQ(metaLine(MetaValue::f32(1000000)), "meta \"k\" : f32 = 1e+06");
  EXPECT_EQ(metaLine(MetaValue::f32(10000)), "meta \"k\" : f32 = 10000");
  EXPECT_EQ(metaLine(MetaValue::f32(-2.5)), "meta \"k\" : f32 = -2.5");
  EXPECT_EQ(metaLine(MetaValue::f32(1)), "meta \"k\" : f32 = 1");
  EXPECT_EQ(metaLine(MetaValue::f32(INFINITY)), "meta \"k\" : f32 = inf");
  EXPECT_EQ(metaLine(MetaValue::f32(-INFINITY)), "meta \"k\" : f32 = -inf");
  EXPECT_EQ(metaLine(MetaValue::f32(-NAN)), "meta \"k\" : f32 = nan");
  // f64 keeps double precision: 0.1 is the shortest double form.
  EXPECT_EQ(metaLine(MetaValue::f64(0.1)), "meta \"k\" : f64 = 0.1");
  EXPECT_EQ(metaLine(MetaValue::f64(1.0 / 3)),
            "meta \"k\" : f64 = 0.3333333333333333");
  EXPECT_EQ(metaLine(MetaValue::f64(1e300)), "meta \"k\" : f64 = 1e+300");
}

TEST(PrinterTest, StringEscapes) {
  EXPECT_EQ(metaLine(MetaValue::str("qwen3")), "meta \"k\" : str = \"qwen3\"");
  EXPECT_EQ(metaLine(MetaValue::str("a\"b\\c\nd\te")),
            "meta \"k\" : str = \"a\\\"b\\\\c\\nd\\te\"");
  EXPECT_EQ(metaLine(MetaValue::str(std::string("\x01\x1f\x7f", 3))),
            "meta \"k\" : str = \"\\x01\\x1F\\x7F\"");
  EXPECT_EQ(metaLine(MetaValue::str(std::string("nul\0", 4))),
            "meta \"k\" : str = \"nul\\x00\"");
  // UTF-8 bytes print as they are.
  EXPECT_EQ(metaLine(MetaValue::str("\xc4\xa0the")),
            "meta \"k\" : str = \"\xc4\xa0the\"");
}

TEST(PrinterTest, ArraysOfEveryElementType) {
  EXPECT_EQ(metaLine(MetaValue::unsignedArray(MetaType::U8, {0, 255})),
            "meta \"k\" : [u8; 2] = [0, 255]");
  EXPECT_EQ(metaLine(MetaValue::signedArray(MetaType::I8, {-1, 1})),
            "meta \"k\" : [i8; 2] = [-1, 1]");
  EXPECT_EQ(metaLine(MetaValue::unsignedArray(MetaType::U16, {7})),
            "meta \"k\" : [u16; 1] = [7]");
  EXPECT_EQ(metaLine(MetaValue::signedArray(MetaType::I16, {-7})),
            "meta \"k\" : [i16; 1] = [-7]");
  EXPECT_EQ(metaLine(MetaValue::unsignedArray(MetaType::U32, {1, 2, 3})),
            "meta \"k\" : [u32; 3] = [1, 2, 3]");
  EXPECT_EQ(metaLine(MetaValue::signedArray(MetaType::I32, {1, 1, 3})),
            "meta \"k\" : [i32; 3] = [1, 1, 3]");
  EXPECT_EQ(metaLine(MetaValue::unsignedArray(MetaType::U64, {1ull << 40})),
            "meta \"k\" : [u64; 1] = [1099511627776]");
  EXPECT_EQ(metaLine(MetaValue::signedArray(MetaType::I64, {-(1ll << 40)})),
            "meta \"k\" : [i64; 1] = [-1099511627776]");
  EXPECT_EQ(metaLine(MetaValue::floatArray(MetaType::F32, {0.5, -1e-6})),
            "meta \"k\" : [f32; 2] = [0.5, -1e-06]");
  EXPECT_EQ(metaLine(MetaValue::floatArray(MetaType::F64, {0.1, 2})),
            "meta \"k\" : [f64; 2] = [0.1, 2]");
  EXPECT_EQ(metaLine(MetaValue::unsignedArray(MetaType::Bool, {1, 0})),
            "meta \"k\" : [bool; 2] = [true, false]");
  EXPECT_EQ(metaLine(MetaValue::strArray({"a", "b c"})),
            "meta \"k\" : [str; 2] = [\"a\", \"b c\"]");
  EXPECT_EQ(metaLine(MetaValue::strArray({})), "meta \"k\" : [str; 0] = []");
}

TEST(PrinterTest, LongArraysAreElidedUnlessFull) {
  std::vector<int64_t> Sixteen(16, 2), Seventeen(17, 2);
  EXPECT_EQ(metaLine(MetaValue::signedArray(MetaType::I32, Sixteen)),
            "meta \"k\" : [i32; 16] = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, "
            "2, 2, 2]");
  EXPECT_EQ(metaLine(MetaValue::signedArray(MetaType::I32, Seventeen)),
            "meta \"k\" : [i32; 17] = <elided>");
  Module M;
  M.Meta.set("k", MetaValue::signedArray(MetaType::I32, Seventeen));
  PrintOptions Full;
  Full.Full = true;
  EXPECT_NE(print(M, Full).find("[i32; 17] = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, "
                                "2, 2, 2, 2, 2, 2, 2]"),
            std::string::npos);
  // An array that is already elided prints elided even with Full.
  M.Meta.set("k", MetaValue::elidedArray(MetaType::Str, 3));
  EXPECT_NE(print(M, Full).find("[str; 3] = <elided>"), std::string::npos);
}

TEST(PrinterTest, ConstantsAndTheirElision) {
  Module M;
  IRBuilder B(M);
  B.constant({DType::F32, {2, 2}}, {0.1f, -0.0f, 1e-45f, 3.4028235e38f});
  std::vector<float> Big(17, 1.5f);
  B.constant({DType::F16, {17}}, Big);
  B.constant({DType::F32, {}}, {3});
  ASSERT_FALSE(B.hasError());
  std::string Expected = "module \"\" {\n"
                         "  %0 = const [0.1, -0, 1e-45, 3.4028235e+38] : f32[2, 2]\n"
                         "  %1 = const <elided> : f16[17]\n"
                         "  %2 = const [3] : f32[]\n"
                         "}\n";
  EXPECT_EQ(print(M), Expected);
  PrintOptions Full;
  Full.Full = true;
  EXPECT_NE(print(M, Full).find("%1 = const [1.5, 1.5, 1.5, 1.5, 1.5, 1.5, "
                                "1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, "
                                "1.5, 1.5] : f16[17]"),
            std::string::npos);
  PrintOptions Short;
  Short.ElideAbove = 3;
  EXPECT_NE(print(M, Short).find("%0 = const <elided> : f32[2, 2]"),
            std::string::npos);
}

TEST(PrinterTest, OutputsWithAndWithoutStorageType) {
  Module M;
  IRBuilder B(M);
  Value *X = B.load("model.safetensors", "w", {DType::BF16, {2}});
  M.addOutput("token_embd.weight", X).Type = StorageType::F16;
  M.addOutput("output.weight", X);
  EXPECT_EQ(print(M),
            "module \"\" {\n"
            "  %0 = load \"model.safetensors\" \"w\" : bf16[2]\n"
            "  output \"token_embd.weight\" = %0 : f16\n"
            "  output \"output.weight\" = %0\n"
            "}\n");
}

TEST(PrinterTest, TensorFilterShowsMatchingOutputsAndWhatTheyUse) {
  Module M;
  M.Meta.set("general.architecture", MetaValue::str("qwen3"));
  IRBuilder B(M);
  Value *Q = B.load("m.safetensors", "q", {DType::F32, {2, 2}});
  Value *K = B.load("m.safetensors", "k", {DType::F32, {2, 2}});
  Value *QT = B.transpose(Q, {1, 0});
  Value *KS = B.scale(K, 2);
  M.addOutput("blk.0.attn_q.weight", QT);
  M.addOutput("blk.0.attn_k.weight", KS);
  ASSERT_FALSE(B.hasError());
  llvm::Regex Filter("attn_q");
  PrintOptions Opts;
  Opts.TensorFilter = &Filter;
  EXPECT_EQ(print(M, Opts),
            "module \"\" {\n"
            "  meta \"general.architecture\" : str = \"qwen3\"\n"
            "  %0 = load \"m.safetensors\" \"q\" : f32[2, 2]\n"
            "  %2 = transpose %0 [1, 0] : f32[2, 2]\n"
            "  output \"blk.0.attn_q.weight\" = %2\n"
            "}\n");
  llvm::Regex None("^nothing$");
  Opts.TensorFilter = &None;
  EXPECT_EQ(print(M, Opts), "module \"\" {\n"
                            "  meta \"general.architecture\" : str = \"qwen3\"\n"
                            "}\n");
}

TEST(PrinterTest, FormatType) {
  EXPECT_EQ(formatType({DType::BF16, {}}), "bf16[]");
  EXPECT_EQ(formatType({DType::F16, {3, 1, 2}}), "f16[3, 1, 2]");
}

} // namespace
