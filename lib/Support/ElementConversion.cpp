//===- ElementConversion.cpp - Converting element buffers between dtypes --===//
#include "ggufc/Support/ElementConversion.h"
#include "ggufc/Support/FloatConversion.h"
#include <algorithm>
#include <cstring>

namespace ggufc {

/// Elements converted per step; the aligned scratch buffers live on the
/// stack, so unaligned sources cost one extra memcpy per chunk.
static constexpr size_t Chunk = 2048;

static void toFloat(const uint8_t *Src, DType From, float *Dst, size_t N) {
  if (From == DType::F32) {
    std::memcpy(Dst, Src, N * 4);
    return;
  }
  uint16_t Bits[Chunk];
  std::memcpy(Bits, Src, N * 2);
  if (From == DType::F16)
    halfToFloat(Bits, Dst, N);
  else
    bf16ToFloat(Bits, Dst, N);
}

static void fromFloat(const float *Src, uint8_t *Dst, DType To, size_t N) {
  if (To == DType::F32) {
    std::memcpy(Dst, Src, N * 4);
    return;
  }
  uint16_t Bits[Chunk];
  if (To == DType::F16)
    floatToHalf(Src, Bits, N);
  else
    floatToBF16(Src, Bits, N);
  std::memcpy(Dst, Bits, N * 2);
}

void convertElements(const uint8_t *Src, DType From, uint8_t *Dst, DType To,
                     size_t N) {
  if (N == 0)
    return;
  if (From == To) {
    std::memcpy(Dst, Src, N * dtypeSize(From));
    return;
  }
  const unsigned InSize = dtypeSize(From), OutSize = dtypeSize(To);
  float Floats[Chunk];
  for (size_t I = 0; I < N; I += Chunk) {
    size_t M = std::min(Chunk, N - I);
    toFloat(Src + I * InSize, From, Floats, M);
    fromFloat(Floats, Dst + I * OutSize, To, M);
  }
}

} // namespace ggufc
