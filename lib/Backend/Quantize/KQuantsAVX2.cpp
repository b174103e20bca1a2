//===- KQuantsAVX2.cpp - The k-quant sub-block fits in vector lanes --------===//
//
// KQuants.cpp's fits with one sub-block per lane of AVX2 vectors: the
// super-blocks are transposed so that vector I holds value I of eight
// sub-blocks, and each lane then does the scalar fit's float operations in
// the scalar order (the lane code below reads like the scalar code), its
// branches turned into masks. Two vectors advance together (Lanes<2>): the
// 16 sub-blocks of a Q6_K super-block, or two Q4_K/Q5_K super-blocks.
// The bytes must equal ggml's, so every product and sum is rounded on its
// own: the target has no FMA and CMake compiles this file with
// -ffp-contract=off.
//
// The file is compiled for the baseline target with AVX2 enabled only in
// the region below; KQuants.cpp calls into it after cpuHasAVX2().
//
//===----------------------------------------------------------------------===//
#include "KQuantFits.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

namespace ggufc {
namespace quant {

#pragma GCC push_options
#pragma GCC target("avx2")

namespace {

constexpr int Width = 8;

/// K vectors of eight lanes used as one, lane J of part P holding sub-block
/// Width*P+J. The sums over a sub-block are sequential chains of additions;
/// with independent parts the CPU overlaps their chains instead of waiting.
template <int K> struct Lanes {
  __m256 Part[K];
};

template <int K> Lanes<K> splat(float F) {
  Lanes<K> R;
  for (__m256 &P : R.Part)
    P = _mm256_set1_ps(F);
  return R;
}

// Each operation rounds as its scalar counterpart. Comparisons give masks
// (lanes of all ones or all zeros) and are false on NaN, as in C, except !=.
#define GGUFC_LANE_OP(Name, Intrinsic, ...)                                    \
  template <int K> Lanes<K> Name(Lanes<K> A, Lanes<K> B) {                     \
    for (int P = 0; P < K; ++P)                                                \
      A.Part[P] = Intrinsic(A.Part[P], B.Part[P] __VA_ARGS__);                 \
    return A;                                                                  \
  }
GGUFC_LANE_OP(operator+, _mm256_add_ps)
GGUFC_LANE_OP(operator-, _mm256_sub_ps)
GGUFC_LANE_OP(operator*, _mm256_mul_ps)
GGUFC_LANE_OP(operator/, _mm256_div_ps)
GGUFC_LANE_OP(operator&, _mm256_and_ps)
GGUFC_LANE_OP(operator<, _mm256_cmp_ps, , _CMP_LT_OQ)
GGUFC_LANE_OP(operator>, _mm256_cmp_ps, , _CMP_GT_OQ)
GGUFC_LANE_OP(operator==, _mm256_cmp_ps, , _CMP_EQ_OQ)
GGUFC_LANE_OP(operator!=, _mm256_cmp_ps, , _CMP_NEQ_UQ)
// Sign flips and clears as bit operations, as -x and fabs(x) are.
GGUFC_LANE_OP(flipSign, _mm256_xor_ps)
GGUFC_LANE_OP(clearSign, _mm256_andnot_ps)
#undef GGUFC_LANE_OP

template <int K> Lanes<K> &operator+=(Lanes<K> &A, Lanes<K> B) {
  return A = A + B;
}
template <int K> Lanes<K> operator-(Lanes<K> A) {
  return flipSign(A, splat<K>(-0.f));
}
template <int K> Lanes<K> fabs(Lanes<K> A) {
  return clearSign(splat<K>(-0.f), A);
}
template <int K> Lanes<K> sqrt(Lanes<K> A) {
  for (__m256 &P : A.Part)
    P = _mm256_sqrt_ps(P);
  return A;
}

/// Mask ? IfTrue : IfFalse, lane by lane.
template <int K>
Lanes<K> select(Lanes<K> Mask, Lanes<K> IfTrue, Lanes<K> IfFalse) {
  for (int P = 0; P < K; ++P)
    IfTrue.Part[P] =
        _mm256_blendv_ps(IfFalse.Part[P], IfTrue.Part[P], Mask.Part[P]);
  return IfTrue;
}

/// clampInt(nearestInt(F), Lo, Hi) with the same bit trick, as a float (the
/// scalar code's products with quants convert them to float too).
template <int K> Lanes<K> roundClamped(Lanes<K> F, int Lo, int Hi) {
  for (__m256 &P : F.Part) {
    __m256i Bits =
        _mm256_castps_si256(_mm256_add_ps(P, _mm256_set1_ps(12582912.f)));
    __m256i Q = _mm256_sub_epi32(
        _mm256_and_si256(Bits, _mm256_set1_epi32(0x007fffff)),
        _mm256_set1_epi32(0x00400000));
    Q = _mm256_max_epi32(_mm256_set1_epi32(Lo),
                         _mm256_min_epi32(_mm256_set1_epi32(Hi), Q));
    P = _mm256_cvtepi32_ps(Q);
  }
  return F;
}

/// XT[I] = value I of each of the Width*K sub-blocks of N values at X.
template <int N, int K> void transpose(const float *X, Lanes<K> *XT) {
  const __m256i Starts =
      _mm256_setr_epi32(0, N, 2 * N, 3 * N, 4 * N, 5 * N, 6 * N, 7 * N);
  for (int I = 0; I < N; ++I)
    for (int P = 0; P < K; ++P)
      XT[I].Part[P] = _mm256_i32gather_ps(X + Width * N * P + I, Starts, 4);
}

/// The inverse for value I of the sub-blocks: the quants Q (0 where Zero
/// is set) into L.
template <int N, int K, typename T>
void storeQuants(int I, Lanes<K> Q, Lanes<K> Zero, T *L) {
  Q = select(Zero, splat<K>(0), Q);
  for (int P = 0; P < K; ++P) {
    alignas(32) int32_t Row[Width];
    _mm256_store_si256(reinterpret_cast<__m256i *>(Row),
                       _mm256_cvtps_epi32(Q.Part[P]));
    for (int J = 0; J < Width; ++J)
      L[N * (Width * P + J) + I] = T(Row[J]);
  }
}

template <int K> void storeFloats(float *Dst, Lanes<K> V) {
  for (int P = 0; P < K; ++P)
    _mm256_storeu_ps(Dst + Width * P, V.Part[P]);
}

/// fitMinsPortable for the K super-blocks at Src. Rather than copying the
/// trial quants at each improvement, a lane keeps the inverse scale and
/// min that made them and recomputes them at the end.
template <int K>
void fitMinsLanes(const float *Src, const MinsSearch &S, float *Scales,
                  float *NegMins, uint8_t *L) {
  using V = Lanes<K>;
  constexpr int N = MinsSubBlock;
  static_assert(SuperBlock == Width * N, "a super-block fills a vector");
  V X[N];
  transpose<N>(Src, X);
  const V Zero = splat<K>(0);
  V SumX2 = Zero;
  for (int I = 0; I < N; ++I)
    SumX2 += X[I] * X[I];
  const V AvX = sqrt(SumX2 / splat<K>(N));
  V W[N];
  for (int I = 0; I < N; ++I)
    W[I] = AvX + fabs(X[I]);

  V Min = X[0], Max = X[0];
  V SumW = W[0];
  V SumX = SumW * X[0];
  for (int I = 1; I < N; ++I) {
    Min = select(X[I] < Min, X[I], Min);
    Max = select(X[I] > Max, X[I], Max);
    SumW += W[I];
    SumX += W[I] * X[I];
  }
  Min = select(Min > Zero, Zero, Min);
  // Flat sub-blocks end here in the scalar code.
  const V Flat = Max == Min, FlatNegMin = -Min;

  auto Quants = [&](V IScale, V From, int I) {
    return roundClamped(IScale * (X[I] - From), 0, S.NMax);
  };
  V IScale = splat<K>(S.NMax) / (Max - Min);
  V Scale = splat<K>(1) / IScale;
  V KeptIScale = IScale, KeptMin = Min;
  V BestError = Zero;
  for (int I = 0; I < N; ++I) {
    V Diff = Scale * Quants(IScale, Min, I) + Min - X[I];
    BestError += W[I] * (Diff * Diff);
  }
  V Trial[N];
  for (int Step = 0; Step <= S.NStep; ++Step) {
    IScale = splat<K>(minsCandidate(S, Step)) / (Max - Min);
    V SumL = Zero, SumL2 = Zero, SumXL = Zero;
    for (int I = 0; I < N; ++I) {
      V Q = Trial[I] = Quants(IScale, Min, I);
      SumL += W[I] * Q;
      SumL2 += W[I] * Q * Q;
      SumXL += W[I] * Q * X[I];
    }
    V D = SumW * SumL2 - SumL * SumL;
    V ThisScale = (SumW * SumXL - SumX * SumL) / D;
    V ThisMin = (SumL2 * SumX - SumL * SumXL) / D;
    V MinAboveZero = ThisMin > Zero;
    ThisMin = select(MinAboveZero, Zero, ThisMin);
    ThisScale = select(MinAboveZero, SumXL / SumL2, ThisScale);
    V Error = Zero;
    for (int I = 0; I < N; ++I) {
      V Diff = ThisScale * Trial[I] + ThisMin - X[I];
      Error += W[I] * (Diff * Diff);
    }
    V Better = (D > Zero) & (Error < BestError);
    KeptIScale = select(Better, IScale, KeptIScale);
    KeptMin = select(Better, Min, KeptMin);
    BestError = select(Better, Error, BestError);
    Scale = select(Better, ThisScale, Scale);
    Min = select(Better, ThisMin, Min);
  }

  for (int I = 0; I < N; ++I)
    storeQuants<N>(I, Quants(KeptIScale, KeptMin, I), Flat, L);
  storeFloats(Scales, select(Flat, Zero, Scale));
  storeFloats(NegMins, select(Flat, FlatNegMin, -Min));
}

/// fitSymmetricPortable for the super-block at Src, keeping the inverse
/// scale of the best fit as fitMinsLanes does.
void fitSymmetricLanes(const float *Src, float *Scales, int8_t *L) {
  constexpr int K = 2, N = SymmetricSubBlock, NMax = SymmetricNMax;
  static_assert(SuperBlock == K * Width * N, "a super-block fills K vectors");
  using V = Lanes<K>;
  V X[N];
  transpose<N>(Src, X);
  const V Zero = splat<K>(0);
  V Max = Zero, AbsMax = Zero, W[N];
  for (int I = 0; I < N; ++I) {
    V Larger = fabs(X[I]) > AbsMax;
    AbsMax = select(Larger, fabs(X[I]), AbsMax);
    Max = select(Larger, X[I], Max);
    W[I] = X[I] * X[I];
  }
  // All-zero sub-blocks end here in the scalar code.
  const V Flat = AbsMax < splat<K>(GroupMaxEps);

  auto Quants = [&](V IScale, int I) {
    return roundClamped(IScale * X[I], -NMax, NMax - 1);
  };
  V SumLX, SumL2;
  auto Fit = [&](V IScale) {
    SumLX = SumL2 = Zero;
    for (int I = 0; I < N; ++I) {
      V Q = Quants(IScale, I);
      SumLX += W[I] * X[I] * Q;
      SumL2 += W[I] * Q * Q;
    }
  };
  V IScale = splat<K>(symmetricCandidate(0)) / Max;
  Fit(IScale);
  V KeptIScale = IScale;
  V Scale = select(SumL2 != Zero, SumLX / SumL2, Zero);
  V Best = Scale * SumLX;
  for (int Step = -9; Step <= 9; ++Step) {
    if (Step == 0)
      continue;
    IScale = splat<K>(symmetricCandidate(Step)) / Max;
    Fit(IScale);
    V Better = (SumL2 > Zero) & (SumLX * SumLX > Best * SumL2);
    KeptIScale = select(Better, IScale, KeptIScale);
    Scale = select(Better, SumLX / SumL2, Scale);
    Best = select(Better, Scale * SumLX, Best);
  }

  for (int I = 0; I < N; ++I)
    storeQuants<N>(I, splat<K>(NMax) + Quants(KeptIScale, I), Flat, L);
  storeFloats(Scales, select(Flat, Zero, Scale));
}

} // namespace

void fitMinsAVX2(const float *X, size_t NumBlocks, const MinsSearch &S,
                 float *Scales, float *NegMins, uint8_t *L) {
  constexpr int PerBlock = SuperBlock / MinsSubBlock;
  size_t B = 0;
  for (; B + 2 <= NumBlocks; B += 2)
    fitMinsLanes<2>(X + SuperBlock * B, S, Scales + PerBlock * B,
                    NegMins + PerBlock * B, L + SuperBlock * B);
  if (B < NumBlocks)
    fitMinsLanes<1>(X + SuperBlock * B, S, Scales + PerBlock * B,
                    NegMins + PerBlock * B, L + SuperBlock * B);
}

void fitSymmetricAVX2(const float *X, float *Scales, int8_t *L) {
  fitSymmetricLanes(X, Scales, L);
}

#pragma GCC pop_options

} // namespace quant
} // namespace ggufc

#else // Portable build: the fits stay scalar.

namespace ggufc {
namespace quant {
void fitMinsAVX2(const float *X, size_t NumBlocks, const MinsSearch &S,
                 float *Scales, float *NegMins, uint8_t *L) {
  fitMinsPortable(X, NumBlocks, S, Scales, NegMins, L);
}
void fitSymmetricAVX2(const float *X, float *Scales, int8_t *L) {
  fitSymmetricPortable(X, Scales, L);
}
} // namespace quant
} // namespace ggufc

#endif
