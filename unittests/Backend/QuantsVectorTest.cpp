//===- QuantsVectorTest.cpp - The quantizers' vector path equals the portable one ===//
//
// On CPUs with AVX2 the k-quant fits run eight sub-blocks in the lanes of a
// vector, and Q4_0/Q8_0 a block's 32 values in four vectors. Their bytes
// must equal the portable path's (which test/Runtime/quant-bit-exact.test
// checks against ggml) for any input: zero, flat, huge, tiny and subnormal
// sub-blocks, flat ones next to others (lanes that leave the fit early),
// overflowing squares, signed zeros, quants that fall on halves, scales
// whose inverse is infinite, infinities.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Backend/Quantize.h"
#include "gtest/gtest.h"
#include <cfloat>
#include <cmath>
#include <functional>
#include <random>
#include <vector>

using namespace ggufc;

namespace {

// Quantized row by row: a pair of super-blocks that the vector path fits
// together and one it fits alone (24 blocks of 32).
constexpr size_t RowLength = 768;
constexpr size_t Rows = 48;

using ValueAt = std::function<float(size_t Row, size_t Col, std::mt19937 &)>;

struct Case {
  const char *Name;
  ValueAt Value;
};

float normal(std::mt19937 &Rng) {
  return std::normal_distribution<float>(0.f, 1.f)(Rng);
}

/// One of a few kinds of 16-value group, chosen by group and row, so that
/// the lanes of one vector take different paths through the fit.
float mixedGroup(size_t Row, size_t Col, std::mt19937 &Rng) {
  switch ((Col / 16 * 7 + Row) % 6) {
  case 0: return 0.f;
  case 1: return -1.5f;
  case 2: return 3.f;
  case 3: return Col % 2 ? -0.f : 0.f;
  case 4: return 1e-20f * normal(Rng);
  default: return normal(Rng);
  }
}

const Case Cases[] = {
    {"zeros", [](size_t, size_t, std::mt19937 &) { return 0.f; }},
    {"negative-zeros", [](size_t, size_t C, std::mt19937 &) {
       return C % 3 ? -0.f : 0.f; }},
    {"constant-per-row", [](size_t R, size_t, std::mt19937 &) {
       return float(int(R) - 20) * 0.25f; }},
    {"random", [](size_t, size_t, std::mt19937 &Rng) {
       return 0.05f * normal(Rng); }},
    {"random-large", [](size_t, size_t, std::mt19937 &Rng) {
       return 300.f * normal(Rng); }},
    {"huge", [](size_t, size_t, std::mt19937 &Rng) {
       return 1e30f * normal(Rng); }},
    {"near-float-max", [](size_t, size_t, std::mt19937 &Rng) {
       return FLT_MAX * std::tanh(normal(Rng)); }},
    {"tiny", [](size_t, size_t, std::mt19937 &Rng) {
       return 1e-20f * normal(Rng); }},
    {"subnormal", [](size_t, size_t, std::mt19937 &Rng) {
       return 1e-40f * normal(Rng); }},
    {"all-positive", [](size_t, size_t, std::mt19937 &Rng) {
       return std::fabs(normal(Rng)) + 0.1f; }},
    {"all-negative", [](size_t, size_t, std::mt19937 &Rng) {
       return -std::fabs(normal(Rng)) - 2.f; }},
    {"one-flat-sub-block", [](size_t R, size_t C, std::mt19937 &Rng) {
       return C / 32 % 8 == R % 8 ? 0.5f : normal(Rng); }},
    {"mixed-groups", mixedGroup},
    {"magnitudes-per-value", [](size_t, size_t, std::mt19937 &Rng) {
       int Exponent = std::uniform_int_distribution<int>(-140, 120)(Rng);
       return std::ldexp(normal(Rng), Exponent); }},
    {"small-integers", [](size_t R, size_t C, std::mt19937 &) {
       return float(int((C * 7 + R) % 64) - 32); }},
    {"outliers", [](size_t R, size_t C, std::mt19937 &Rng) {
       return (C + R) % 61 == 0 ? 1e4f : 0.01f * normal(Rng); }},
    // Blocks of 32 whose largest magnitude is 127: Q8_0's scale is 1 and
    // its quants round these halves away from zero, the floats just
    // below them towards it.
    {"halves", [](size_t R, size_t C, std::mt19937 &) {
       if (C % 32 == R % 32)
         return R % 2 ? 127.f : -127.f;
       float Half = float(int((C * 5 + R) % 253) - 126) + 0.5f;
       return C % 3 ? Half : std::nextafter(Half, 0.f); }},
    {"nans", [](size_t R, size_t C, std::mt19937 &Rng) {
       return (C * 3 + R) % 17 == 0 ? NAN : normal(Rng); }},
    // Q8_0's scale max/127 is subnormal and its inverse infinite: the
    // quants are infinite, or NaN for zeros.
    {"infinite-inverse", [](size_t, size_t C, std::mt19937 &Rng) {
       return C % 4 ? 1e-39f * normal(Rng) : 0.f; }},
    {"infinities", [](size_t R, size_t C, std::mt19937 &Rng) {
       if ((C + R) % 29 == 0)
         return C % 2 ? INFINITY : -INFINITY;
       return normal(Rng); }},
    // The same largest magnitude with both signs: Q4_0 takes the first.
    {"opposite-extremes", [](size_t R, size_t C, std::mt19937 &Rng) {
       if ((C * 3 + R) % 7 == 0)
         return (C + R) % 2 ? 5.f : -5.f;
       return 0.1f * normal(Rng); }},
};

/// Restores the default path when a test ends.
struct PathGuard {
  ~PathGuard() { setQuantizeVectorized(true); }
};

std::vector<uint8_t> quantizeWith(bool Vectorized, StorageType T,
                                  const std::vector<float> &Data) {
  setQuantizeVectorized(Vectorized);
  std::vector<uint8_t> Out(storageBytes(T, Data.size()), 0xAA);
  const size_t RowBytes = storageBytes(T, RowLength);
  for (size_t R = 0; R < Rows; ++R)
    quantize(T, Data.data() + R * RowLength, Out.data() + R * RowBytes,
             RowLength);
  return Out;
}

class QuantsVectorTest : public ::testing::TestWithParam<StorageType> {};

TEST_P(QuantsVectorTest, SameBytesAsPortablePath) {
  PathGuard Guard;
  if (!quantizeIsVectorized())
    GTEST_SKIP() << "no vector path on this CPU";
  const StorageType T = GetParam();
  for (const Case &C : Cases) {
    std::mt19937 Rng(2024);
    std::vector<float> Data(Rows * RowLength);
    for (size_t R = 0; R < Rows; ++R)
      for (size_t Col = 0; Col < RowLength; ++Col)
        Data[R * RowLength + Col] = C.Value(R, Col, Rng);
    std::vector<uint8_t> Vector = quantizeWith(true, T, Data);
    std::vector<uint8_t> Portable = quantizeWith(false, T, Data);
    size_t Block = storageBytes(T, storageTypeTraits(T).BlockSize);
    for (size_t I = 0; I < Vector.size(); ++I)
      ASSERT_EQ(Vector[I], Portable[I])
          << storageTypeName(T) << " " << C.Name << ": block " << I / Block
          << ", byte " << I % Block;
  }
}

INSTANTIATE_TEST_SUITE_P(
    VectorizedTypes, QuantsVectorTest,
    ::testing::Values(StorageType::Q4_0, StorageType::Q8_0, StorageType::Q4_K,
                      StorageType::Q5_K, StorageType::Q6_K),
    [](const ::testing::TestParamInfo<StorageType> &Info) {
      return storageTypeName(Info.param);
    });

TEST(QuantsVectorSwitchTest, PortablePathWhenDisabled) {
  PathGuard Guard;
  setQuantizeVectorized(false);
  EXPECT_FALSE(quantizeIsVectorized());
}

#if defined(__x86_64__) && defined(__GNUC__)
// Otherwise the comparison above would skip on every machine unnoticed.
TEST(QuantsVectorSwitchTest, VectorPathWhereSupported) {
  if (!__builtin_cpu_supports("avx2"))
    GTEST_SKIP() << "CPU without AVX2";
  EXPECT_TRUE(quantizeIsVectorized());
}
#endif

} // namespace
