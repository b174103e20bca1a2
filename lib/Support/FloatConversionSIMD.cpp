//===- FloatConversionSIMD.cpp - AVX2/F16C bulk conversions ---------------===//
//
// Compiled for the baseline target; only the functions marked with the
// target attribute use AVX2/F16C, and they run only after the CPU check, so
// the binary still runs on older x86-64 CPUs.
//
//===----------------------------------------------------------------------===//
#include "FloatConversionSIMD.h"
#include "ggufc/Support/CPUFeatures.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>

namespace ggufc {
namespace simd {

bool hasFloatConversions() { return cpuHasAVX2() && cpuHasF16C(); }

#define GGUFC_AVX2 __attribute__((target("avx2,f16c")))

static GGUFC_AVX2 __m256i splat(uint32_t V) {
  return _mm256_set1_epi32(int32_t(V));
}

GGUFC_AVX2 static size_t halfToFloatAVX2(const uint16_t *Src, float *Dst,
                                         size_t N) {
  size_t I = 0;
  for (; I + 8 <= N; I += 8) {
    __m128i Half = _mm_loadu_si128(reinterpret_cast<const __m128i *>(Src + I));
    __m256i Converted = _mm256_castps_si256(_mm256_cvtph_ps(Half));
    // vcvtph2ps quiets signalling NaNs; the scalar path keeps the payload
    // as it is, so NaN lanes are rebuilt from the bits.
    __m256i Wide = _mm256_cvtepu16_epi32(Half);
    __m256i IsNaN = _mm256_cmpgt_epi32(_mm256_and_si256(Wide, splat(0x7fff)),
                                       splat(0x7c00));
    __m256i NaN = _mm256_or_si256(
        _mm256_slli_epi32(_mm256_and_si256(Wide, splat(0x8000)), 16),
        _mm256_or_si256(splat(0x7f800000),
                        _mm256_slli_epi32(_mm256_and_si256(Wide, splat(0x3ff)),
                                          13)));
    __m256i Result = _mm256_blendv_epi8(Converted, NaN, IsNaN);
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(Dst + I), Result);
  }
  return I;
}

GGUFC_AVX2 static size_t floatToHalfAVX2(const float *Src, uint16_t *Dst,
                                         size_t N) {
  size_t I = 0;
  for (; I + 8 <= N; I += 8) {
    // Rounding to nearest even, as the scalar path; NaNs come out quiet
    // with the top 10 payload bits, as there too.
    __m128i Half = _mm256_cvtps_ph(_mm256_loadu_ps(Src + I),
                                   _MM_FROUND_TO_NEAREST_INT);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(Dst + I), Half);
  }
  return I;
}

GGUFC_AVX2 static size_t bf16ToFloatAVX2(const uint16_t *Src, float *Dst,
                                         size_t N) {
  size_t I = 0;
  for (; I + 8 <= N; I += 8) {
    __m128i Bits = _mm_loadu_si128(reinterpret_cast<const __m128i *>(Src + I));
    __m256i Wide = _mm256_slli_epi32(_mm256_cvtepu16_epi32(Bits), 16);
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(Dst + I), Wide);
  }
  return I;
}

GGUFC_AVX2 static size_t floatToBF16AVX2(const float *Src, uint16_t *Dst,
                                         size_t N) {
  size_t I = 0;
  for (; I + 8 <= N; I += 8) {
    __m256i U = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(Src + I));
    // Same integer rounding as the scalar path: add 0x7fff plus the lowest
    // kept bit, keep the top half; NaNs are forced quiet instead.
    __m256i Lsb = _mm256_and_si256(_mm256_srli_epi32(U, 16), splat(1));
    __m256i Rounded = _mm256_srli_epi32(
        _mm256_add_epi32(_mm256_add_epi32(U, splat(0x7fff)), Lsb), 16);
    __m256i IsNaN = _mm256_cmpgt_epi32(_mm256_and_si256(U, splat(0x7fffffff)),
                                       splat(0x7f800000));
    __m256i NaN = _mm256_or_si256(_mm256_srli_epi32(U, 16), splat(64));
    __m256i Result = _mm256_blendv_epi8(Rounded, NaN, IsNaN);
    // Every lane is below 2^16, so the saturating pack keeps it; it packs
    // within 128-bit halves, hence the 64-bit permute.
    __m256i Packed = _mm256_permute4x64_epi64(
        _mm256_packus_epi32(Result, Result), 0x08);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(Dst + I),
                     _mm256_castsi256_si128(Packed));
  }
  return I;
}

size_t halfToFloat(const uint16_t *Src, float *Dst, size_t N) {
  return hasFloatConversions() ? halfToFloatAVX2(Src, Dst, N) : 0;
}
size_t floatToHalf(const float *Src, uint16_t *Dst, size_t N) {
  return hasFloatConversions() ? floatToHalfAVX2(Src, Dst, N) : 0;
}
size_t bf16ToFloat(const uint16_t *Src, float *Dst, size_t N) {
  return hasFloatConversions() ? bf16ToFloatAVX2(Src, Dst, N) : 0;
}
size_t floatToBF16(const float *Src, uint16_t *Dst, size_t N) {
  return hasFloatConversions() ? floatToBF16AVX2(Src, Dst, N) : 0;
}

} // namespace simd
} // namespace ggufc

#else // Portable build: the scalar path does everything.

namespace ggufc {
namespace simd {
bool hasFloatConversions() { return false; }
size_t halfToFloat(const uint16_t *, float *, size_t) { return 0; }
size_t floatToHalf(const float *, uint16_t *, size_t) { return 0; }
size_t bf16ToFloat(const uint16_t *, float *, size_t) { return 0; }
size_t floatToBF16(const float *, uint16_t *, size_t) { return 0; }
} // namespace simd
} // namespace ggufc

#endif
