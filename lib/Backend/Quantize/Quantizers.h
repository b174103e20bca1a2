//===- Quantizers.h - One function per block format --------------------------===//
//
// Each quantizes NumBlocks consecutive blocks of floats at Src into the
// block format's bytes at Dst. Shared by the block families' files and the
// dispatch in Quantize.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_BACKEND_QUANTIZE_QUANTIZERS_H
#define GGUFC_LIB_BACKEND_QUANTIZE_QUANTIZERS_H

#include "ggufc/Support/FloatConversion.h"
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ggufc {
namespace quant {

// 32-value blocks with one scale (BlockQuants.cpp).
void quantizeQ4_0(const float *Src, uint8_t *Dst, size_t NumBlocks);
void quantizeQ5_0(const float *Src, uint8_t *Dst, size_t NumBlocks);
void quantizeQ5_1(const float *Src, uint8_t *Dst, size_t NumBlocks);
void quantizeQ8_0(const float *Src, uint8_t *Dst, size_t NumBlocks);
// The same bytes with AVX2 (BlockQuantsAVX2.cpp), for CPUs that have it.
void quantizeQ4_0AVX2(const float *Src, uint8_t *Dst, size_t NumBlocks);
void quantizeQ8_0AVX2(const float *Src, uint8_t *Dst, size_t NumBlocks);

// 256-value super-blocks of sub-blocks with quantized scales (KQuants.cpp).
void quantizeQ4_K(const float *Src, uint8_t *Dst, size_t NumBlocks);
void quantizeQ5_K(const float *Src, uint8_t *Dst, size_t NumBlocks);
void quantizeQ6_K(const float *Src, uint8_t *Dst, size_t NumBlocks);

/// Stores F as an IEEE half (little-endian) at P; ggml's block scales.
inline void putHalf(uint8_t *P, float F) {
  uint16_t H = floatToHalf(F);
  std::memcpy(P, &H, 2);
}

inline float getHalf(const uint8_t *P) {
  uint16_t H;
  std::memcpy(&H, P, 2);
  return halfToFloat(H);
}

} // namespace quant
} // namespace ggufc

#endif
