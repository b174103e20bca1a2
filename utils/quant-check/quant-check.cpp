//===- quant-check.cpp - ggufc's quantizers against the real ggml -----------===//
//
// Quantizes the same float32 rows with ggufc (ggufc::quantize) and with
// ggml_quantize_chunk from the libggml-base.so that llama.cpp uses (no
// importance matrix, so ggml runs its reference quantizers) and compares
// the bytes, for every type ggufc writes and a set of value patterns chosen
// to reach every branch: zeros, constants, huge and tiny magnitudes, a lone
// outlier, all-positive data and random data. Prints which path ggufc
// quantizes with (vector or portable; --portable forces the latter), then
// one line per type and pattern; exits 1 if any byte differs.
//
//===----------------------------------------------------------------------===//
#include "ggml.h"
#include "ggufc/Backend/Quantize.h"
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace ggufc;

namespace {

// Three super-blocks, 24 small blocks: the vector k-quant fits take two
// super-blocks at a time, so each row also has one fitted alone.
constexpr size_t RowLength = 768;
constexpr size_t Rows = 64;

struct Pattern {
  const char *Name;
  std::function<float(size_t Row, size_t Col, std::mt19937 &Rng)> Value;
};

float normal(std::mt19937 &Rng) {
  return std::normal_distribution<float>(0.f, 1.f)(Rng);
}

const Pattern Patterns[] = {
    {"zeros", [](size_t, size_t, std::mt19937 &) { return 0.f; }},
    {"constant", [](size_t R, size_t, std::mt19937 &) {
       return R % 2 ? 0.75f : -3.0f; }},
    {"random", [](size_t, size_t, std::mt19937 &Rng) {
       return 0.02f * normal(Rng); }},
    {"positive", [](size_t, size_t, std::mt19937 &Rng) {
       return std::fabs(normal(Rng)) + 0.5f; }},
    {"huge", [](size_t, size_t, std::mt19937 &Rng) {
       return 1e30f * normal(Rng); }},
    {"tiny", [](size_t, size_t, std::mt19937 &Rng) {
       return 1e-20f * normal(Rng); }},
    {"subnormal", [](size_t, size_t, std::mt19937 &Rng) {
       return 1e-39f * normal(Rng); }},
    {"fp16-range", [](size_t, size_t, std::mt19937 &Rng) {
       return 6e4f * normal(Rng); }},
    {"outlier", [](size_t, size_t C, std::mt19937 &Rng) {
       return C % 97 == 5 ? 40.f : 0.01f * normal(Rng); }},
    {"mixed-scales", [](size_t R, size_t C, std::mt19937 &Rng) {
       // Each row and each 16-value group at another magnitude.
       return std::ldexp(normal(Rng), int((R * 7 + C / 16) % 40) - 20); }},
    {"sparse", [](size_t, size_t C, std::mt19937 &Rng) {
       return C % 5 ? 0.f : normal(Rng); }},
    {"integers", [](size_t, size_t C, std::mt19937 &) {
       return float(int(C % 33) - 16); }},
    {"flat-groups", [](size_t R, size_t C, std::mt19937 &Rng) {
       // Sub-blocks of zeros, of one negative or one positive value and of
       // random data side by side, in another order on every row.
       switch ((R + C / 32) % 4) {
       case 0: return 0.f;
       case 1: return -2.5f;
       case 2: return 1.25f;
       default: return normal(Rng);
       } }},
};

struct TypeUnderTest {
  StorageType Ours;
  ggml_type Theirs;
};

const TypeUnderTest Types[] = {
    {StorageType::Q4_0, GGML_TYPE_Q4_0}, {StorageType::Q5_0, GGML_TYPE_Q5_0},
    {StorageType::Q5_1, GGML_TYPE_Q5_1}, {StorageType::Q8_0, GGML_TYPE_Q8_0},
    {StorageType::Q4_K, GGML_TYPE_Q4_K}, {StorageType::Q5_K, GGML_TYPE_Q5_K},
    {StorageType::Q6_K, GGML_TYPE_Q6_K},
};

} // namespace

int main(int Argc, char **Argv) {
  for (int I = 1; I < Argc; ++I) {
    if (std::strcmp(Argv[I], "--portable") != 0) {
      std::fprintf(stderr, "usage: quant-check [--portable]\n");
      return 2;
    }
    setQuantizeVectorized(false);
  }
  std::printf("quantizers: %s\n", quantizeIsVectorized() ? "vector" : "portable");
  int Failures = 0;
  for (const TypeUnderTest &T : Types) {
    std::string Name = storageTypeName(T.Ours);
    if (!canQuantize(T.Ours) ||
        storageBytes(T.Ours, RowLength) != ggml_row_size(T.Theirs, RowLength)) {
      std::printf("%s: ggufc cannot quantize it or sizes it differently\n",
                  Name.c_str());
      ++Failures;
      continue;
    }
    for (const Pattern &P : Patterns) {
      std::mt19937 Rng(12345);
      std::vector<float> Data(Rows * RowLength);
      for (size_t R = 0; R < Rows; ++R)
        for (size_t C = 0; C < RowLength; ++C)
          Data[R * RowLength + C] = P.Value(R, C, Rng);
      const size_t Bytes = storageBytes(T.Ours, Data.size());
      std::vector<uint8_t> Ours(Bytes, 0xAA), Theirs(Bytes, 0x55);
      const size_t RowBytes = storageBytes(T.Ours, RowLength);
      for (size_t R = 0; R < Rows; ++R)
        quantize(T.Ours, Data.data() + R * RowLength,
                 Ours.data() + R * RowBytes, RowLength);
      size_t Written = ggml_quantize_chunk(T.Theirs, Data.data(), Theirs.data(),
                                           0, Rows, RowLength, nullptr);
      size_t Diff = 0, First = Bytes;
      for (size_t I = 0; I < Bytes; ++I)
        if (Ours[I] != Theirs[I]) {
          ++Diff;
          First = std::min(First, I);
        }
      if (Written == Bytes && Diff == 0) {
        std::printf("%s %s: %zu bytes identical\n", Name.c_str(), P.Name,
                    Bytes);
        continue;
      }
      ++Failures;
      std::printf("%s %s: MISMATCH, %zu of %zu bytes differ (ggml wrote %zu)",
                  Name.c_str(), P.Name, Diff, Bytes, Written);
      if (First < Bytes)
        std::printf(", first at byte %zu: ggufc %02x, ggml %02x", First,
                    Ours[First], Theirs[First]);
      std::printf("\n");
    }
  }
  return Failures ? 1 : 0;
}
