//===- BlockQuants.cpp - Q4_0, Q5_0, Q5_1, Q8_0 --------------------------------===//
//
// ggml's 32-value blocks with one half-precision scale (and, for Q5_1, a
// minimum). The arithmetic follows ggml's reference quantizers step for step,
// in float, because the files must match byte for byte:
//   Q4_0/Q5_0: d = (the value of largest magnitude) / -8 (-16), q = x/d + 8
//              (16) truncated after adding 0.5, capped at 15 (31);
//   Q5_1:      d = (max - min) / 31, q = (x - min)/d + 0.5 truncated;
//   Q8_0:      d = max|x| / 127, q = round(x/d) (halves away from zero).
// Quants are formed with x * (1/d) using the unrounded float d, as ggml does.
//
//===----------------------------------------------------------------------===//
#include "BlockScales.h"
#include <cfloat>
#include <cmath>

namespace ggufc {
namespace quant {

namespace {

/// The value of largest magnitude (the first one on ties), or 0.
float signedAbsMax(const float *X) {
  float AbsMax = 0, Max = 0;
  for (int J = 0; J < BlockSize; ++J)
    if (AbsMax < std::fabs(X[J])) {
      AbsMax = std::fabs(X[J]);
      Max = X[J];
    }
  return Max;
}

/// C's float-to-integer conversion as x86 performs it: truncation, and
/// out-of-range values (inf, NaN from 0 * inf) become INT_MIN, whose low
/// byte ggml's int8_t casts keep.
int truncateToInt(float F) {
  if (!(F > -2147483904.0f && F < 2147483648.0f))
    return INT32_MIN;
  return int(F);
}

/// Low byte of a truncated float, as ggml's (int8_t)/(uint8_t) casts give.
uint8_t truncateToByte(float F) { return uint8_t(truncateToInt(F)); }

/// Packs 32 five-bit quants as 16 nibble bytes plus a 32-bit mask of the
/// fifth bits (value J's nibble is byte J % 16, low half first).
void packFiveBits(const uint8_t *Q, uint8_t *QH, uint8_t *QS) {
  uint32_t High = 0;
  for (int J = 0; J < BlockSize / 2; ++J) {
    uint8_t Lo = Q[J], Hi = Q[J + BlockSize / 2];
    QS[J] = uint8_t((Lo & 0x0F) | ((Hi & 0x0F) << 4));
    High |= uint32_t((Lo & 0x10) >> 4) << J;
    High |= uint32_t((Hi & 0x10) >> 4) << (J + BlockSize / 2);
  }
  std::memcpy(QH, &High, 4);
}

/// Q4_0 and Q5_0: quants offset by Half = 2^(bits-1), symmetric scale.
/// Writes d at Dst and the quants (unpacked) into Q.
void symmetricQuants(const float *X, int Half, uint8_t *Dst, uint8_t *Q) {
  const float ID = putSymmetricScale(signedAbsMax(X), Half, Dst);
  const int Cap = 2 * Half - 1;
  for (int J = 0; J < BlockSize; ++J) {
    int8_t V = int8_t(truncateToByte(X[J] * ID + (float(Half) + 0.5f)));
    Q[J] = uint8_t(V < Cap ? V : Cap);
  }
}

} // namespace

void quantizeQ4_0(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  for (size_t B = 0; B < NumBlocks; ++B, Src += BlockSize, Dst += 18) {
    uint8_t Q[BlockSize];
    symmetricQuants(Src, 8, Dst, Q);
    for (int J = 0; J < BlockSize / 2; ++J)
      Dst[2 + J] = uint8_t(Q[J] | (Q[J + BlockSize / 2] << 4));
  }
}

void quantizeQ5_0(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  for (size_t B = 0; B < NumBlocks; ++B, Src += BlockSize, Dst += 22) {
    uint8_t Q[BlockSize];
    symmetricQuants(Src, 16, Dst, Q);
    packFiveBits(Q, Dst + 2, Dst + 6);
  }
}

void quantizeQ5_1(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  for (size_t B = 0; B < NumBlocks; ++B, Src += BlockSize, Dst += 24) {
    float Min = FLT_MAX, Max = -FLT_MAX;
    for (int J = 0; J < BlockSize; ++J) {
      if (Src[J] < Min)
        Min = Src[J];
      if (Src[J] > Max)
        Max = Src[J];
    }
    const float D = (Max - Min) / 31;
    const float ID = inverse(D);
    putHalf(Dst, D);
    putHalf(Dst + 2, Min);
    uint8_t Q[BlockSize];
    for (int J = 0; J < BlockSize; ++J)
      Q[J] = truncateToByte((Src[J] - Min) * ID + 0.5f);
    packFiveBits(Q, Dst + 4, Dst + 8);
  }
}

void quantizeQ8_0(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  for (size_t B = 0; B < NumBlocks; ++B, Src += BlockSize, Dst += 34) {
    float AbsMax = 0;
    for (int J = 0; J < BlockSize; ++J)
      AbsMax = std::max(AbsMax, std::fabs(Src[J]));
    const float ID = putQ8Scale(AbsMax, Dst);
    for (int J = 0; J < BlockSize; ++J)
      Dst[2 + J] = truncateToByte(std::round(Src[J] * ID));
  }
}

} // namespace quant
} // namespace ggufc
