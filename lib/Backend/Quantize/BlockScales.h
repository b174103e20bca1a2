//===- BlockScales.h - The scales of the 32-value block formats -----------===//
//
// What the portable quantizers in BlockQuants.cpp and the AVX2 ones in
// BlockQuantsAVX2.cpp share: the scale of a block from its extreme value,
// stored as a half, and the factor the quants are formed with. Both paths
// compute them with these scalar float operations, so the scales and
// factors are the same bits.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_BACKEND_QUANTIZE_BLOCKSCALES_H
#define GGUFC_LIB_BACKEND_QUANTIZE_BLOCKSCALES_H

#include "Quantizers.h"

namespace ggufc {
namespace quant {

constexpr int BlockSize = 32;

inline float inverse(float D) { return D != 0 ? 1.0f / D : 0.0f; }

/// Q4_0/Q5_0: stores d = Max / -Half (Max the value of largest magnitude)
/// at Dst and returns 1/d (0 for d = 0), as the unrounded float.
inline float putSymmetricScale(float Max, int Half, uint8_t *Dst) {
  const float D = Max / float(-Half);
  putHalf(Dst, D);
  return inverse(D);
}

/// Q8_0: stores d = AbsMax / 127 at Dst and returns 1/d (0 for d = 0).
inline float putQ8Scale(float AbsMax, uint8_t *Dst) {
  const float D = AbsMax / 127;
  putHalf(Dst, D);
  return inverse(D);
}

} // namespace quant
} // namespace ggufc

#endif
