//===- FloatConversion.cpp - f16 / bf16 <-> f32 ----------------------------===//
#include "ggufc/Support/FloatConversion.h"
#include "FloatConversionSIMD.h"
#include <cstring>

namespace ggufc {

static uint32_t bitsOf(float F) {
  uint32_t U;
  std::memcpy(&U, &F, 4);
  return U;
}
static float floatOf(uint32_t U) {
  float F;
  std::memcpy(&F, &U, 4);
  return F;
}

float halfToFloat(uint16_t H) {
  uint32_t Sign = uint32_t(H & 0x8000) << 16;
  uint32_t Exp = (H >> 10) & 0x1f;
  uint32_t Mant = H & 0x3ff;
  if (Exp == 0x1f) // inf / nan
    return floatOf(Sign | 0x7f800000 | (Mant << 13));
  if (Exp == 0) {
    if (Mant == 0)
      return floatOf(Sign);
    // Subnormal: value = Mant * 2^-24, exact in float32.
    float V = float(Mant) * (1.0f / 16777216.0f);
    return Sign ? -V : V;
  }
  return floatOf(Sign | ((Exp + 112) << 23) | (Mant << 13));
}

uint16_t floatToHalf(float F) {
  uint32_t U = bitsOf(F);
  uint16_t Sign = uint16_t((U >> 16) & 0x8000);
  uint32_t Abs = U & 0x7fffffff;
  if (Abs > 0x7f800000) // NaN: keep it quiet and non-zero
    return Sign | 0x7e00 | uint16_t((Abs >> 13) & 0x3ff);
  if (Abs >= 0x477ff000) // rounds to >= 65520: infinity
    return Sign | 0x7c00;
  if (Abs < 0x38800000) {
    // Result is subnormal (or zero) in f16: round Abs * 2^24 to an integer,
    // ties to even. Adding 0.5f in float rounds correctly because the sum
    // is exact enough below 2^-14.
    float V = floatOf(Abs) * 16777216.0f; // exact scaling
    uint32_t I = uint32_t(V);
    float Frac = V - float(I);
    if (Frac > 0.5f || (Frac == 0.5f && (I & 1)))
      ++I;
    return Sign | uint16_t(I);
  }
  // Normal: rebias exponent, round mantissa to 10 bits, ties to even.
  uint32_t Rounded = Abs + 0xfff + ((Abs >> 13) & 1);
  return Sign | uint16_t((Rounded - 0x38000000) >> 13);
}

float bf16ToFloat(uint16_t B) { return floatOf(uint32_t(B) << 16); }

uint16_t floatToBF16(float F) {
  uint32_t U = bitsOf(F);
  if ((U & 0x7fffffff) > 0x7f800000) // NaN: force quiet
    return uint16_t((U >> 16) | 64);
  U += 0x7fff + ((U >> 16) & 1);
  return uint16_t(U >> 16);
}

// Bulk forms: the vector path converts what it can, the scalar one the rest.
void halfToFloat(const uint16_t *Src, float *Dst, size_t N) {
  for (size_t I = simd::halfToFloat(Src, Dst, N); I < N; ++I)
    Dst[I] = halfToFloat(Src[I]);
}
void floatToHalf(const float *Src, uint16_t *Dst, size_t N) {
  for (size_t I = simd::floatToHalf(Src, Dst, N); I < N; ++I)
    Dst[I] = floatToHalf(Src[I]);
}
void bf16ToFloat(const uint16_t *Src, float *Dst, size_t N) {
  for (size_t I = simd::bf16ToFloat(Src, Dst, N); I < N; ++I)
    Dst[I] = bf16ToFloat(Src[I]);
}
void floatToBF16(const float *Src, uint16_t *Dst, size_t N) {
  for (size_t I = simd::floatToBF16(Src, Dst, N); I < N; ++I)
    Dst[I] = floatToBF16(Src[I]);
}

} // namespace ggufc
