//===- FloatConversion.h - f16 / bf16 <-> f32 ------------------------------===//
//
// Scalar and bulk conversions between float32 and the 16-bit formats. All
// narrowing conversions round to nearest, ties to even, like ggml and
// PyTorch; NaN stays NaN (quiet), overflow becomes infinity.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_SUPPORT_FLOATCONVERSION_H
#define GGUFC_SUPPORT_FLOATCONVERSION_H

#include <cstddef>
#include <cstdint>

namespace ggufc {

float halfToFloat(uint16_t H);
uint16_t floatToHalf(float F);
float bf16ToFloat(uint16_t B);
uint16_t floatToBF16(float F);

// Bulk forms over N elements; the source and destination may not overlap.
void halfToFloat(const uint16_t *Src, float *Dst, size_t N);
void floatToHalf(const float *Src, uint16_t *Dst, size_t N);
void bf16ToFloat(const uint16_t *Src, float *Dst, size_t N);
void floatToBF16(const float *Src, uint16_t *Dst, size_t N);

} // namespace ggufc

#endif
