//===- FloatConversionSIMD.h - Vector paths of the bulk conversions -------===//
//
// Each function converts the longest prefix of the N elements it can with
// vector instructions (AVX2 + F16C, chosen at run time) and returns how many
// it converted; the caller finishes the rest with the scalar conversion.
// The results are bit-identical to the scalar functions, NaN payloads
// included. On other CPUs they convert nothing and return 0.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_SUPPORT_FLOATCONVERSIONSIMD_H
#define GGUFC_LIB_SUPPORT_FLOATCONVERSIONSIMD_H

#include <cstddef>
#include <cstdint>

namespace ggufc {
namespace simd {

/// Whether this CPU runs the vector paths (false: they return 0).
bool hasFloatConversions();

size_t halfToFloat(const uint16_t *Src, float *Dst, size_t N);
size_t floatToHalf(const float *Src, uint16_t *Dst, size_t N);
size_t bf16ToFloat(const uint16_t *Src, float *Dst, size_t N);
size_t floatToBF16(const float *Src, uint16_t *Dst, size_t N);

} // namespace simd
} // namespace ggufc

#endif
