//===- KQuants.cpp - Q4_K, Q5_K, Q6_K -------------------------------------------===//
//
// ggml's k-quants: 256-value super-blocks made of sub-blocks, each with its
// own scale, the scales themselves quantized against one half-precision
// super-block scale.
//   Q4_K/Q5_K: 8 sub-blocks of 32, x ~ d*q - m with 6-bit scales and mins;
//              each sub-block's (d, m) is a weighted least-squares fit over
//              a small search of candidate scales (fitScaleAndMin).
//   Q6_K:      16 sub-blocks of 16, x ~ d*(q - 32) with 8-bit scales, fitted
//              by fitSymmetricScale.
// The arithmetic follows ggml's reference quantizers (no importance matrix)
// operation for operation, in float: the files must match byte for byte.
// The fits here are the portable path; KQuantsAVX2.cpp runs the same fits
// with one sub-block per vector lane (see KQuantFits.h).
//
//===----------------------------------------------------------------------===//
#include "KQuantFits.h"
#include "Quantizers.h"
#include "ggufc/Backend/Quantize.h"
#include <cmath>

namespace ggufc {
namespace quant {

namespace {

/// Fits x ~ Scale * L + Min (Min <= 0) to the 32 values X with weights W
/// and L in [0, S.NMax]: starts from the range, then tries the candidate
/// scales of S, keeping the one whose least-squares fit has the smallest
/// weighted squared error. Returns the scale and stores -Min in NegMin.
float fitScaleAndMin(const MinsSearch &S, const float *X, const float *W,
                     uint8_t *L, float *NegMin) {
  constexpr int N = MinsSubBlock;
  const int NMax = S.NMax;
  float Min = X[0], Max = X[0];
  float SumW = W[0];
  float SumX = SumW * X[0];
  for (int I = 1; I < N; ++I) {
    if (X[I] < Min)
      Min = X[I];
    if (X[I] > Max)
      Max = X[I];
    SumW += W[I];
    SumX += W[I] * X[I];
  }
  if (Min > 0)
    Min = 0;
  if (Max == Min) {
    std::fill(L, L + N, 0);
    *NegMin = -Min;
    return 0.f;
  }
  float IScale = NMax / (Max - Min);
  float Scale = 1 / IScale;
  float BestError = 0;
  for (int I = 0; I < N; ++I) {
    L[I] = uint8_t(clampInt(nearestInt(IScale * (X[I] - Min)), 0, NMax));
    float Diff = Scale * L[I] + Min - X[I];
    BestError += W[I] * (Diff * Diff);
  }
  uint8_t Trial[N];
  for (int Step = 0; Step <= S.NStep; ++Step) {
    IScale = minsCandidate(S, Step) / (Max - Min);
    float SumL = 0, SumL2 = 0, SumXL = 0;
    for (int I = 0; I < N; ++I) {
      int Q = clampInt(nearestInt(IScale * (X[I] - Min)), 0, NMax);
      Trial[I] = uint8_t(Q);
      SumL += W[I] * Q;
      SumL2 += W[I] * Q * Q;
      SumXL += W[I] * Q * X[I];
    }
    float D = SumW * SumL2 - SumL * SumL;
    if (!(D > 0))
      continue;
    float ThisScale = (SumW * SumXL - SumX * SumL) / D;
    float ThisMin = (SumL2 * SumX - SumL * SumXL) / D;
    if (ThisMin > 0) {
      ThisMin = 0;
      ThisScale = SumXL / SumL2;
    }
    float Error = 0;
    for (int I = 0; I < N; ++I) {
      float Diff = ThisScale * Trial[I] + ThisMin - X[I];
      Error += W[I] * (Diff * Diff);
    }
    if (Error < BestError) {
      std::copy(Trial, Trial + N, L);
      BestError = Error;
      Scale = ThisScale;
      Min = ThisMin;
    }
  }
  *NegMin = -Min;
  return Scale;
}

/// Fits x ~ Scale * (L - NMax), L in [0, 2*NMax), to the 16 values X,
/// weighting by x^2: starts from the value of largest magnitude mapping to
/// -NMax, then tries 18 nearby scales (NMax +- 0.1k), keeping the best
/// least-squares fit.
float fitSymmetricScale(const float *X, int8_t *L) {
  constexpr int N = SymmetricSubBlock, NMax = SymmetricNMax;
  float Max = 0, AbsMax = 0;
  for (int I = 0; I < N; ++I)
    if (std::fabs(X[I]) > AbsMax) {
      AbsMax = std::fabs(X[I]);
      Max = X[I];
    }
  if (AbsMax < GroupMaxEps) {
    std::fill(L, L + N, 0);
    return 0.f;
  }
  auto Fit = [&](float IScale, float &SumLX, float &SumL2) {
    SumLX = SumL2 = 0;
    for (int I = 0; I < N; ++I) {
      int Q = clampInt(nearestInt(IScale * X[I]), -NMax, NMax - 1);
      float W = X[I] * X[I];
      SumLX += W * X[I] * Q;
      SumL2 += W * Q * Q;
    }
  };
  auto Assign = [&](float IScale) {
    for (int I = 0; I < N; ++I)
      L[I] = int8_t(NMax + clampInt(nearestInt(IScale * X[I]), -NMax, NMax - 1));
  };
  float IScale = symmetricCandidate(0) / Max;
  float SumLX, SumL2;
  Fit(IScale, SumLX, SumL2);
  Assign(IScale);
  float Scale = SumL2 != 0 ? SumLX / SumL2 : 0.0f;
  float Best = Scale * SumLX;
  for (int Step = -9; Step <= 9; ++Step) {
    if (Step == 0)
      continue;
    IScale = symmetricCandidate(Step) / Max;
    Fit(IScale, SumLX, SumL2);
    if (SumL2 > 0 && SumLX * SumLX > Best * SumL2) {
      Assign(IScale);
      Scale = SumLX / SumL2;
      Best = Scale * SumLX;
    }
  }
  return Scale;
}

/// The 6-bit scale and min of sub-block J from the 12 packed bytes: the
/// first four keep theirs in the low 6 bits of bytes J and J+4, the last
/// four split theirs over a nibble of byte J+4 and the top bits of J-4, J.
void unpackScaleMin(int J, const uint8_t *Q, uint8_t &Scale, uint8_t &Min) {
  if (J < 4) {
    Scale = Q[J] & 63;
    Min = Q[J + 4] & 63;
  } else {
    Scale = uint8_t((Q[J + 4] & 0xF) | ((Q[J - 4] >> 6) << 4));
    Min = uint8_t((Q[J + 4] >> 4) | ((Q[J] >> 6) << 4));
  }
}

} // namespace

void fitMinsPortable(const float *X, size_t NumBlocks, const MinsSearch &S,
                     float *Scales, float *NegMins, uint8_t *L) {
  constexpr int N = MinsSubBlock;
  float Weights[N];
  for (size_t J = 0; J < NumBlocks * SuperBlock / N; ++J) {
    const float *Sub = X + N * J;
    float SumX2 = 0;
    for (int I = 0; I < N; ++I)
      SumX2 += Sub[I] * Sub[I];
    float AvX = std::sqrt(SumX2 / N);
    for (int I = 0; I < N; ++I)
      Weights[I] = AvX + std::fabs(Sub[I]);
    Scales[J] = fitScaleAndMin(S, Sub, Weights, L + N * J, &NegMins[J]);
  }
}

void fitSymmetricPortable(const float *X, float *Scales, int8_t *L) {
  constexpr int N = SymmetricSubBlock;
  for (int J = 0; J < SuperBlock / N; ++J)
    Scales[J] = fitSymmetricScale(X + N * J, L + N * J);
}

namespace {

/// The sub-block fits of the vector path where this CPU has it, else the
/// portable ones; both give the same bits.
struct SubBlockFits {
  decltype(&fitMinsPortable) Mins;
  decltype(&fitSymmetricPortable) Symmetric;
};

SubBlockFits chooseFits() {
  if (quantizeIsVectorized())
    return {fitMinsAVX2, fitSymmetricAVX2};
  return {fitMinsPortable, fitSymmetricPortable};
}

/// From the fits of the 8 sub-blocks of X, writes the Q4_K/Q5_K
/// super-block header (d, dmin, 12 bytes of scales) at Dst and the final
/// quants (0..S.NMax) into L.
void finishWithMins(const float *X, const MinsSearch &S, const float *Scales,
                    const float *Mins, uint8_t *Dst, uint8_t *L) {
  const int NMax = S.NMax;
  float MaxScale = 0, MaxMin = 0;
  for (int J = 0; J < 8; ++J) {
    if (Scales[J] > MaxScale)
      MaxScale = Scales[J];
    if (Mins[J] > MaxMin)
      MaxMin = Mins[J];
  }

  uint8_t *Packed = Dst + 4;
  std::fill(Packed, Packed + 12, 0);
  float InvScale = MaxScale > 0 ? 63.f / MaxScale : 0.f;
  float InvMin = MaxMin > 0 ? 63.f / MaxMin : 0.f;
  for (int J = 0; J < 8; ++J) {
    uint8_t LS = std::min<uint8_t>(63, uint8_t(nearestInt(InvScale * Scales[J])));
    uint8_t LM = std::min<uint8_t>(63, uint8_t(nearestInt(InvMin * Mins[J])));
    if (J < 4) {
      Packed[J] = LS;
      Packed[J + 4] = LM;
    } else {
      Packed[J + 4] = uint8_t((LS & 0xF) | ((LM & 0xF) << 4));
      Packed[J - 4] |= uint8_t((LS >> 4) << 6);
      Packed[J] |= uint8_t((LM >> 4) << 6);
    }
  }
  putHalf(Dst, MaxScale / 63.f);
  putHalf(Dst + 2, MaxMin / 63.f);

  // Requantize every value against the scales as stored.
  for (int J = 0; J < 8; ++J) {
    uint8_t Sc, M;
    unpackScaleMin(J, Packed, Sc, M);
    const float D = getHalf(Dst) * Sc;
    if (D == 0)
      continue;
    const float DM = getHalf(Dst + 2) * M;
    for (int I = 0; I < 32; ++I)
      L[32 * J + I] =
          uint8_t(clampInt(nearestInt((X[32 * J + I] + DM) / D), 0, NMax));
  }
}

using PackQuants = void (*)(const uint8_t *L, uint8_t *Dst);

/// The part Q4_K and Q5_K share: fits the super-blocks two at a time (the
/// vector path overlaps them), finishes each and packs its quants with Pack
/// into the BlockBytes it takes.
void quantizeWithMins(const float *Src, uint8_t *Dst, size_t NumBlocks,
                      const MinsSearch &S, size_t BlockBytes, PackQuants Pack) {
  const SubBlockFits Fits = chooseFits();
  constexpr size_t Batch = 2, PerBlock = SuperBlock / MinsSubBlock;
  for (size_t B = 0; B < NumBlocks; B += Batch) {
    const size_t Count = std::min(Batch, NumBlocks - B);
    float Scales[Batch * PerBlock], Mins[Batch * PerBlock];
    uint8_t L[Batch * SuperBlock];
    Fits.Mins(Src + SuperBlock * B, Count, S, Scales, Mins, L);
    for (size_t K = 0; K < Count; ++K) {
      uint8_t *Block = Dst + BlockBytes * (B + K), *BlockL = L + SuperBlock * K;
      finishWithMins(Src + SuperBlock * (B + K), S, Scales + PerBlock * K,
                     Mins + PerBlock * K, Block, BlockL);
      Pack(BlockL, Block);
    }
  }
}

/// 32 bytes per 64 values: value J in the low nibble, J+32 in the high.
void packQ4_K(const uint8_t *L, uint8_t *Dst) {
  uint8_t *QS = Dst + 16;
  for (int J = 0; J < SuperBlock; J += 64, QS += 32)
    for (int I = 0; I < 32; ++I)
      QS[I] = uint8_t(L[J + I] | (L[J + I + 32] << 4));
}

/// As Q4_K for the low nibbles; the fifth bits of values J+64k and J+64k+32
/// are bits 2k and 2k+1 of QH[J].
void packQ5_K(const uint8_t *L, uint8_t *Dst) {
  uint8_t *QH = Dst + 16, *QS = Dst + 48;
  std::fill(QH, QH + 32, 0);
  for (int K = 0; K < 4; ++K, QS += 32)
    for (int I = 0; I < 32; ++I) {
      uint8_t Lo = L[64 * K + I], Hi = L[64 * K + I + 32];
      QH[I] |= uint8_t(((Lo >> 4) & 1) << (2 * K));
      QH[I] |= uint8_t(((Hi >> 4) & 1) << (2 * K + 1));
      QS[I] = uint8_t((Lo & 0xF) | ((Hi & 0xF) << 4));
    }
}

} // namespace

void quantizeQ4_K(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  quantizeWithMins(Src, Dst, NumBlocks, Q4Search, 144, packQ4_K);
}

void quantizeQ5_K(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  quantizeWithMins(Src, Dst, NumBlocks, Q5Search, 176, packQ5_K);
}

void quantizeQ6_K(const float *Src, uint8_t *Dst, size_t NumBlocks) {
  const SubBlockFits Fits = chooseFits();
  for (size_t B = 0; B < NumBlocks; ++B, Src += SuperBlock, Dst += 210) {
    uint8_t *QL = Dst, *QH = Dst + 128, *Scales = Dst + 192, *DPtr = Dst + 208;
    int8_t L[SuperBlock];
    float SubScales[16];
    Fits.Symmetric(Src, SubScales, L);
    float MaxScale = 0, MaxAbsScale = 0;
    for (int J = 0; J < 16; ++J)
      if (std::fabs(SubScales[J]) > MaxAbsScale) {
        MaxAbsScale = std::fabs(SubScales[J]);
        MaxScale = SubScales[J];
      }
    if (MaxAbsScale < GroupMaxEps) {
      std::fill(Dst, Dst + 210, 0);
      putHalf(DPtr, 0.f);
      continue;
    }
    float IScale = -128.f / MaxScale;
    putHalf(DPtr, 1 / IScale);
    for (int J = 0; J < 16; ++J)
      Scales[J] = uint8_t(int8_t(std::min(127, nearestInt(IScale * SubScales[J]))));
    for (int J = 0; J < 16; ++J) {
      const float D = getHalf(DPtr) * float(int8_t(Scales[J]));
      if (D == 0)
        continue;
      for (int I = 0; I < 16; ++I)
        L[16 * J + I] =
            int8_t(clampInt(nearestInt(Src[16 * J + I] / D), -32, 31) + 32);
    }
    // Per 128 values: low nibbles of J and J+64 share QL[J], J+32 and J+96
    // share QL[J+32]; the top two bits of all four go to QH[J].
    for (int J = 0; J < SuperBlock; J += 128, QL += 64, QH += 32)
      for (int I = 0; I < 32; ++I) {
        uint8_t Q1 = uint8_t(L[J + I]), Q2 = uint8_t(L[J + I + 32]),
                Q3 = uint8_t(L[J + I + 64]), Q4 = uint8_t(L[J + I + 96]);
        QL[I] = uint8_t((Q1 & 0xF) | ((Q3 & 0xF) << 4));
        QL[I + 32] = uint8_t((Q2 & 0xF) | ((Q4 & 0xF) << 4));
        QH[I] = uint8_t((Q1 >> 4) | ((Q2 >> 4) << 2) | ((Q3 >> 4) << 4) |
                        ((Q4 >> 4) << 6));
      }
  }
}

} // namespace quant
} // namespace ggufc
