//===- KQuantsVectorTest.cpp - The k-quants' vector path equals the portable one ===//
//
// On CPUs with AVX2 the k-quant fits run eight sub-blocks in the lanes of a
// vector. Their bytes must equal the portable path's (which
// test/Runtime/quant-bit-exact.test checks against ggml) for any input:
// zero, flat, huge, tiny and subnormal sub-blocks, flat ones next to others
// (lanes that leave the fit early), overflowing squares, signed zeros.
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
// together and one it fits alone.
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

class KQuantsVectorTest : public ::testing::TestWithParam<StorageType> {};

TEST_P(KQuantsVectorTest, SameBytesAsPortablePath) {
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
    size_t Block = storageBytes(T, 256);
    for (size_t I = 0; I < Vector.size(); ++I)
      ASSERT_EQ(Vector[I], Portable[I])
          << storageTypeName(T) << " " << C.Name << ": super-block "
          << I / Block << ", byte " << I % Block;
  }
}

INSTANTIATE_TEST_SUITE_P(
    KQuants, KQuantsVectorTest,
    ::testing::Values(StorageType::Q4_K, StorageType::Q5_K, StorageType::Q6_K),
    [](const ::testing::TestParamInfo<StorageType> &Info) {
      return storageTypeName(Info.param);
    });

TEST(KQuantsVectorSwitchTest, PortablePathWhenDisabled) {
  PathGuard Guard;
  setQuantizeVectorized(false);
  EXPECT_FALSE(quantizeIsVectorized());
}

#if defined(__x86_64__) && defined(__GNUC__)
// Otherwise the comparison above would skip on every machine unnoticed.
TEST(KQuantsVectorSwitchTest, VectorPathWhereSupported) {
  if (!__builtin_cpu_supports("avx2"))
    GTEST_SKIP() << "CPU without AVX2";
  EXPECT_TRUE(quantizeIsVectorized());
}
#endif

} // namespace
