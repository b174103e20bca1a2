//===- FloatConversionTest.cpp - Bulk conversions equal the scalar ones ---===//
//
// The bulk conversions take a vector path on CPUs with AVX2 and F16C; it
// must give exactly the scalar path's bits for every input, NaN payloads,
// infinities, subnormals and rounding ties included.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Support/FloatConversion.h"
#include "../../lib/Support/FloatConversionSIMD.h"
#include "gtest/gtest.h"
#include <cstring>
#include <random>
#include <vector>

using namespace ggufc;

namespace {

uint32_t bitsOf(float F) {
  uint32_t U;
  std::memcpy(&U, &F, 4);
  return U;
}
float floatOf(uint32_t U) {
  float F;
  std::memcpy(&F, &U, 4);
  return F;
}

std::vector<uint16_t> all16BitPatterns() {
  std::vector<uint16_t> All(65536);
  for (uint32_t I = 0; I < 65536; ++I)
    All[I] = uint16_t(I);
  return All;
}

/// float32 inputs where narrowing can go wrong: every f16 and bf16 value
/// and the midpoints between neighbours (ties) with one ulp either side,
/// special values, then random bit patterns.
std::vector<float> hardFloats() {
  std::vector<uint32_t> Bits = {
      0x00000000, 0x80000000, 0x7f800000, 0xff800000, // zeros, infinities
      0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, // quiet, signalling NaN
      0x7fbfffff, 0x7fffffff, 0x7f802000, 0x7fc01234, // NaN payloads
      0x00000001, 0x807fffff, 0x00400000,             // f32 subnormals
      0x477fe000, 0x477fefff, 0x477ff000, 0x477fffff, // around f16 max/65520
      0x7f7fffff, 0xff7fffff, 0x7f7f8000,             // f32 max, bf16 overflow
      0x33000000, 0x33000001, 0x337fffff, 0x33800000, // half the smallest f16
      0x387fc000, 0x387fe000, 0x38800000,             // f16 subnormal/normal
  };
  for (uint32_t H = 0; H < 65536; ++H) {
    for (uint32_t Base : {bitsOf(halfToFloat(uint16_t(H))), H << 16}) {
      for (uint32_t Half : {0x1000u, 0x8000u}) { // f16 / bf16 midpoints
        uint32_t Mid = Base + Half;
        Bits.insert(Bits.end(), {Base, Mid - 1, Mid, Mid + 1});
      }
    }
  }
  std::mt19937 Random(12345);
  for (int I = 0; I < 1 << 20; ++I)
    Bits.push_back(uint32_t(Random()));
  std::vector<float> Floats;
  for (uint32_t B : Bits)
    Floats.push_back(floatOf(B));
  return Floats;
}

// Odd sizes and offsets so both the vector body and the scalar tail run.
constexpr size_t Offset = 3;

TEST(FloatConversionTest, HalfToFloatAll16BitPatterns) {
  std::vector<uint16_t> In = all16BitPatterns();
  std::vector<float> Out(In.size());
  halfToFloat(In.data() + Offset, Out.data(), In.size() - Offset);
  for (size_t I = Offset; I < In.size(); ++I)
    ASSERT_EQ(bitsOf(Out[I - Offset]), bitsOf(halfToFloat(In[I])))
        << "f16 bits " << std::hex << In[I];
}

TEST(FloatConversionTest, BF16ToFloatAll16BitPatterns) {
  std::vector<uint16_t> In = all16BitPatterns();
  std::vector<float> Out(In.size());
  bf16ToFloat(In.data() + Offset, Out.data(), In.size() - Offset);
  for (size_t I = Offset; I < In.size(); ++I)
    ASSERT_EQ(bitsOf(Out[I - Offset]), uint32_t(In[I]) << 16)
        << "bf16 bits " << std::hex << In[I];
}

TEST(FloatConversionTest, FloatToHalfHardValues) {
  std::vector<float> In = hardFloats();
  std::vector<uint16_t> Out(In.size());
  floatToHalf(In.data() + Offset, Out.data(), In.size() - Offset);
  for (size_t I = Offset; I < In.size(); ++I)
    ASSERT_EQ(Out[I - Offset], floatToHalf(In[I]))
        << "f32 bits " << std::hex << bitsOf(In[I]);
}

TEST(FloatConversionTest, FloatToBF16HardValues) {
  std::vector<float> In = hardFloats();
  std::vector<uint16_t> Out(In.size());
  floatToBF16(In.data() + Offset, Out.data(), In.size() - Offset);
  for (size_t I = Offset; I < In.size(); ++I)
    ASSERT_EQ(Out[I - Offset], floatToBF16(In[I]))
        << "f32 bits " << std::hex << bitsOf(In[I]);
}

// The scalar reference itself, on values worked out by hand.
TEST(FloatConversionTest, ScalarValuesByHand) {
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(floatOf(0x3f801000)), 0x3c00); // 1 + 2^-11: tie, even
  EXPECT_EQ(floatToHalf(floatOf(0x3f803000)), 0x3c02); // 1 + 3*2^-11: tie, up
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);            // rounds to infinity
  EXPECT_EQ(floatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(floatOf(0x33000000)), 0x0000); // 2^-25: tie to 0
  EXPECT_EQ(floatToHalf(floatOf(0x33400000)), 0x0001); // 1.5 * 2^-25
  EXPECT_EQ(floatToHalf(floatOf(0xff800001)), 0xfe00); // NaN stays NaN
  EXPECT_EQ(bitsOf(halfToFloat(0x0001)), 0x33800000u); // 2^-24
  EXPECT_EQ(bitsOf(halfToFloat(0x7c01)), 0x7f802000u); // payload kept
  EXPECT_EQ(floatToBF16(floatOf(0x3f808000)), 0x3f80); // tie, even
  EXPECT_EQ(floatToBF16(floatOf(0x3f818000)), 0x3f82); // tie, up
  EXPECT_EQ(floatToBF16(floatOf(0x7f7fffff)), 0x7f80); // overflows to inf
  EXPECT_EQ(floatToBF16(floatOf(0x7f800001)), 0x7fc0); // quieted NaN
}

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
// Otherwise the tests above would only compare the scalar path with itself.
TEST(FloatConversionTest, VectorPathRunsWhereSupported) {
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("f16c"))
    GTEST_SKIP() << "CPU without AVX2/F16C";
  EXPECT_TRUE(simd::hasFloatConversions());
  std::vector<uint16_t> In(21, 0x3c00);
  std::vector<float> Out(21);
  EXPECT_EQ(simd::halfToFloat(In.data(), Out.data(), 21), 16u);
}
#endif

} // namespace
