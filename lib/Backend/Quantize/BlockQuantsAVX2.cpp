//===- BlockQuantsAVX2.cpp - Q4_0 and Q8_0 with AVX2 --------------------------===//
//
// BlockQuants.cpp's Q4_0 and Q8_0 with a block's 32 values in four AVX2
// vectors. The bytes must equal the portable ones (and so ggml's): the
// largest magnitude is found with exact max operations, the scale and its
// inverse are computed by the same scalar code (BlockScales.h), each
// product is rounded on its own (-ffp-contract=off), and the conversions
// to integers and bytes behave as the portable code's C casts on x86,
// out-of-range values included.
//
// The file is compiled for the baseline target with AVX2 enabled only in
// the region below; Quantize.cpp calls into it after cpuHasAVX2().
//
//===----------------------------------------------------------------------===//
#include "BlockScales.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

namespace ggufc {
namespace quant {

#pragma GCC push_options
#pragma GCC target("avx2")

namespace {

constexpr int Vectors = BlockSize / 8;

struct Block {
  __m256 V[Vectors];
};

Block load(const float *X) {
  Block B;
  for (int I = 0; I < Vectors; ++I)
    B.V[I] = _mm256_loadu_ps(X + 8 * I);
  return B;
}

__m256 absOf(__m256 V) { return _mm256_andnot_ps(_mm256_set1_ps(-0.f), V); }

/// The largest |x| of the block, or 0. max_ps returns its second operand
/// when one is NaN, so a NaN value leaves the maximum as it is, as in the
/// portable code's comparisons.
float absMax(const Block &B) {
  __m256 M = _mm256_setzero_ps();
  for (__m256 V : B.V)
    M = _mm256_max_ps(absOf(V), M);
  __m128 H = _mm_max_ps(_mm256_castps256_ps128(M), _mm256_extractf128_ps(M, 1));
  H = _mm_max_ps(H, _mm_movehl_ps(H, H));
  H = _mm_max_ss(H, _mm_shuffle_ps(H, H, 1));
  return _mm_cvtss_f32(H);
}

/// The value of largest magnitude, the first one on ties, or +0 when all
/// are zero (the portable signedAbsMax).
float signedAbsMax(const float *X, const Block &B) {
  const float AbsMax = absMax(B);
  if (AbsMax == 0)
    return 0;
  const __m256 Target = _mm256_set1_ps(AbsMax);
  uint32_t Hits = 0;
  for (int I = 0; I < Vectors; ++I)
    Hits |= uint32_t(_mm256_movemask_ps(
                _mm256_cmp_ps(absOf(B.V[I]), Target, _CMP_EQ_OQ)))
            << (8 * I);
  return X[__builtin_ctz(Hits)];
}

/// truncateToInt: cvttps gives INT_MIN for NaN and values outside
/// [-2^31, 2^31), exactly the portable code's out-of-range result.
__m256i truncateToInt(__m256 V) { return _mm256_cvttps_epi32(V); }

/// truncateToInt(roundf(V)), halves away from zero. Adding the float just
/// below 1/2 with V's sign rounds up exactly the values whose fraction is
/// at least 1/2 (a fraction of 1/2 lands halfway between two floats and
/// rounds to the even one, the integer above); from 2^23 on, where all
/// floats are integers, the sum rounds back to V.
__m256i roundToInt(__m256 V) {
  const __m256 Sign = _mm256_and_ps(V, _mm256_set1_ps(-0.f));
  const __m256 BelowHalf = _mm256_or_ps(Sign, _mm256_set1_ps(0.49999997f));
  return truncateToInt(_mm256_add_ps(V, BelowHalf));
}

/// The low bytes of A, B, C, D's 32 ints, in that order: the portable
/// code's casts to (u)int8_t. Masking first keeps the packs from
/// saturating (INT_MIN's low byte is 0, not -128).
__m256i lowBytes(__m256i A, __m256i B, __m256i C, __m256i D) {
  const __m256i Byte = _mm256_set1_epi32(0xFF);
  auto Low = [&](__m256i V) { return _mm256_and_si256(V, Byte); };
  // The packs work within 128-bit halves: A0-3 B0-3 C0-3 D0-3 | A4-7 ...
  __m256i Packed = _mm256_packus_epi16(_mm256_packus_epi32(Low(A), Low(B)),
                                       _mm256_packus_epi32(Low(C), Low(D)));
  return _mm256_permutevar8x32_epi32(Packed,
                                     _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

/// The Q4_0 quant of each lane of V (scaled, offset by 8.5), as
/// symmetricQuants forms it, capped at 15. The truncated values are in
/// [0, 17) (|x| <= |max| and a normal d is exact) or INT_MIN, so capping
/// the int equals capping its low byte as int8_t (INT_MIN's is 0).
__m256i q4Quants(__m256 V) {
  return _mm256_min_epi32(truncateToInt(V), _mm256_set1_epi32(15));
}

} // namespace

void quantizeQ4_0AVX2(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  constexpr int Half = 8;
  for (size_t N = 0; N < NumBlocks; ++N, Src += BlockSize, Dst += 18) {
    const Block B = load(Src);
    const __m256 ID =
        _mm256_set1_ps(putSymmetricScale(signedAbsMax(Src, B), Half, Dst));
    const __m256 Offset = _mm256_set1_ps(float(Half) + 0.5f);
    __m256i Q[Vectors];
    for (int I = 0; I < Vectors; ++I)
      Q[I] = q4Quants(_mm256_add_ps(_mm256_mul_ps(B.V[I], ID), Offset));
    // Byte J holds value J in its low nibble and value J + 16 in its high.
    const __m256i Lo = _mm256_or_si256(Q[0], _mm256_slli_epi32(Q[2], 4));
    const __m256i Hi = _mm256_or_si256(Q[1], _mm256_slli_epi32(Q[3], 4));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(Dst + 2),
                     _mm256_castsi256_si128(lowBytes(Lo, Hi, Lo, Hi)));
  }
}

void quantizeQ8_0AVX2(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  for (size_t N = 0; N < NumBlocks; ++N, Src += BlockSize, Dst += 34) {
    const Block B = load(Src);
    const __m256 ID = _mm256_set1_ps(putQ8Scale(absMax(B), Dst));
    __m256i Q[Vectors];
    for (int I = 0; I < Vectors; ++I)
      Q[I] = roundToInt(_mm256_mul_ps(B.V[I], ID));
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(Dst + 2),
                        lowBytes(Q[0], Q[1], Q[2], Q[3]));
  }
}

#pragma GCC pop_options

} // namespace quant
} // namespace ggufc

#else // Portable build: the blocks stay scalar.

namespace ggufc {
namespace quant {
void quantizeQ4_0AVX2(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  quantizeQ4_0(Src, Dst, NumBlocks);
}
void quantizeQ8_0AVX2(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  quantizeQ8_0(Src, Dst, NumBlocks);
}
} // namespace quant
} // namespace ggufc

#endif
