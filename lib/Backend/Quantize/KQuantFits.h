//===- KQuantFits.h - The sub-block fits of the k-quants --------------------===//
//
// Fitting each sub-block's scale (and min) is nearly all of a k-quant's
// work. It has two implementations that give the same bits: the portable
// one in KQuants.cpp, one sub-block after another, and the AVX2 one in
// KQuantsAVX2.cpp, one sub-block per lane of AVX2 vectors.
// KQuants.cpp picks one per call and does the rest (scale packing,
// requantization, bit packing) the same way for both.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_BACKEND_QUANTIZE_KQUANTFITS_H
#define GGUFC_LIB_BACKEND_QUANTIZE_KQUANTFITS_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ggufc {
namespace quant {

constexpr int SuperBlock = 256;
/// Q4_K/Q5_K: 8 sub-blocks of 32; Q6_K: 16 sub-blocks of 16.
constexpr int MinsSubBlock = 32;
constexpr int SymmetricSubBlock = 16;
/// Q6_K's quants are L - SymmetricNMax with L in [0, 2*SymmetricNMax).
constexpr int SymmetricNMax = 32;
/// Groups whose largest magnitude is below this are all zero.
constexpr float GroupMaxEps = 1e-15f;

/// The candidate scales a Q4_K/Q5_K sub-block fit tries: NMax + RMin +
/// RDelta*Step over the value range, for Step in [0, NStep].
struct MinsSearch {
  int NMax;
  float RMin;
  float RDelta;
  int NStep;
};
constexpr MinsSearch Q4Search = {15, -1.f, 0.1f, 20};
constexpr MinsSearch Q5Search = {31, -0.5f, 0.1f, 15};

/// The numerator of candidate Step's inverse scale, in ggml's order of
/// operations (the divisor is the range).
inline float minsCandidate(const MinsSearch &S, int Step) {
  return S.RMin + S.RDelta * Step + S.NMax;
}

/// The numerator of Q6_K's candidate Step (Step in [-9, 9]), over the
/// value of largest magnitude.
inline float symmetricCandidate(int Step) {
  return -(SymmetricNMax + 0.1f * Step);
}

/// Rounds to nearest (ties to even) through the float's mantissa, valid for
/// |F| < 2^22, exactly as ggml does (its results for larger F are kept).
inline int nearestInt(float F) {
  float Shifted = F + 12582912.f; // 1.5 * 2^23
  int32_t Bits;
  std::memcpy(&Bits, &Shifted, 4);
  return (Bits & 0x007fffff) - 0x00400000;
}

inline int clampInt(int V, int Lo, int Hi) {
  return std::max(Lo, std::min(Hi, V));
}

/// Fits x ~ d*q - m to each sub-block of 32 values of the NumBlocks
/// super-blocks at X: the scales d into Scales[8*NumBlocks], the mins m
/// (>= 0) into NegMins[8*NumBlocks], the quants (0..S.NMax) into
/// L[256*NumBlocks]. (The AVX2 path fits two super-blocks at once.)
void fitMinsPortable(const float *X, size_t NumBlocks, const MinsSearch &S,
                     float *Scales, float *NegMins, uint8_t *L);
void fitMinsAVX2(const float *X, size_t NumBlocks, const MinsSearch &S,
                 float *Scales, float *NegMins, uint8_t *L);

/// Fits x ~ d*(q - 32) to each of the 16 sub-blocks of 16 values at X: the
/// scales into Scales[16], q (0..63) into L[256].
void fitSymmetricPortable(const float *X, float *Scales, int8_t *L);
void fitSymmetricAVX2(const float *X, float *Scales, int8_t *L);

} // namespace quant
} // namespace ggufc

#endif
