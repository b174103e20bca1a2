//===- FormatTest.cpp - Text forms of numbers, strings, metadata ----------===//
#include "ggufc/Support/Format.h"
#include "ggufc/IR/MetadataFormat.h"
#include "gtest/gtest.h"
#include <cmath>

using namespace ggufc;

namespace {

template <typename F> std::string text(F Print) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  Print(OS);
  return OS.str();
}

std::string f32(float V) {
  return text([&](llvm::raw_ostream &OS) { printFloat(OS, V); });
}
std::string f64(double V) {
  return text([&](llvm::raw_ostream &OS) { printDouble(OS, V); });
}

TEST(Format, ShortestRoundTripFloats) {
  EXPECT_EQ(f32(1), "1");
  EXPECT_EQ(f32(0.5f), "0.5");
  EXPECT_EQ(f32(1e-6f), "1e-06");
  EXPECT_EQ(f32(0.1f), "0.1"); // not 0.100000001
  EXPECT_EQ(f32(16777216.f), "16777216");
  EXPECT_EQ(f32(-0.0f), "-0");
  EXPECT_EQ(f32(INFINITY), "inf");
  EXPECT_EQ(f32(-INFINITY), "-inf");
  EXPECT_EQ(f32(-NAN), "nan");
  EXPECT_EQ(f64(0.1), "0.1");
  EXPECT_EQ(f64(double(0.1f)), "0.10000000149011612");
}

TEST(Format, QuotedStrings) {
  auto Q = [](llvm::StringRef S) {
    return text([&](llvm::raw_ostream &OS) { printQuoted(OS, S); });
  };
  EXPECT_EQ(Q("plain"), "\"plain\"");
  EXPECT_EQ(Q("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Q("\n\t"), "\"\\n\\t\"");
  EXPECT_EQ(Q(llvm::StringRef("\0\x1f\x7f", 3)), "\"\\x00\\x1F\\x7F\"");
  EXPECT_EQ(Q("\xc3\xa9"), "\"\xc3\xa9\""); // UTF-8 as is
}

TEST(Format, MetadataTypesAndValues) {
  auto Both = [](const MetaValue &V, bool Full = false) {
    return text([&](llvm::raw_ostream &OS) {
      printMetaType(OS, V);
      OS << " = ";
      printMetaValue(OS, V, Full);
    });
  };
  EXPECT_EQ(Both(MetaValue::u32(28)), "u32 = 28");
  EXPECT_EQ(Both(MetaValue::i8(-5)), "i8 = -5");
  EXPECT_EQ(Both(MetaValue::boolean(false)), "bool = false");
  EXPECT_EQ(Both(MetaValue::f32(1e-6)), "f32 = 1e-06");
  EXPECT_EQ(Both(MetaValue::f64(1e-6)), "f64 = 1e-06");
  EXPECT_EQ(Both(MetaValue::str("q\"")), "str = \"q\\\"\"");
  EXPECT_EQ(Both(MetaValue::signedArray(MetaType::I32, {1, 1, 3})),
            "[i32; 3] = [1, 1, 3]");
  EXPECT_EQ(Both(MetaValue::strArray({"a", ""})), "[str; 2] = [\"a\", \"\"]");
  EXPECT_EQ(Both(MetaValue::unsignedArray(MetaType::U8, {})), "[u8; 0] = []");
  std::vector<uint64_t> Long(17, 1);
  EXPECT_EQ(Both(MetaValue::unsignedArray(MetaType::U32, Long)),
            "[u32; 17] = <elided>");
  EXPECT_EQ(Both(MetaValue::unsignedArray(MetaType::U32, Long), true),
            "[u32; 17] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]");
  EXPECT_EQ(Both(MetaValue::elidedArray(MetaType::Str, 5), true),
            "[str; 5] = <elided>");
}

} // namespace
