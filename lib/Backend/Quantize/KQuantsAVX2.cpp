//===- KQuantsAVX2.cpp - The k-quant sub-block fits, eight at a time -------===//
//
// KQuants.cpp's fits with one sub-block per lane of an AVX2 vector: the
// super-block is transposed so that vector I holds value I of eight
// sub-blocks, and each lane then does the scalar fit's float operations in
// the scalar order, its branches turned into masks. The bytes must equal
// ggml's, so every product and sum is rounded on its own: the target has no
// FMA and CMake compiles this file with -ffp-contract=off.
//
// The file is compiled for the baseline target with AVX2 enabled only in
// the region below; KQuants.cpp calls into it after hasAVX2Fits().
//
//===----------------------------------------------------------------------===//
#include "KQuantFits.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

namespace ggufc {
namespace quant {

bool hasAVX2Fits() {
  static const bool Supported = __builtin_cpu_supports("avx2");
  return Supported;
}

#pragma GCC push_options
#pragma GCC target("avx2")

namespace {

constexpr int Lanes = 8;

__m256 splat(float F) { return _mm256_set1_ps(F); }
__m256 add(__m256 A, __m256 B) { return _mm256_add_ps(A, B); }
__m256 sub(__m256 A, __m256 B) { return _mm256_sub_ps(A, B); }
__m256 mul(__m256 A, __m256 B) { return _mm256_mul_ps(A, B); }
__m256 div(__m256 A, __m256 B) { return _mm256_div_ps(A, B); }
__m256 less(__m256 A, __m256 B) { return _mm256_cmp_ps(A, B, _CMP_LT_OQ); }
__m256 greater(__m256 A, __m256 B) { return _mm256_cmp_ps(A, B, _CMP_GT_OQ); }
__m256 both(__m256 A, __m256 B) { return _mm256_and_ps(A, B); }
/// Mask ? IfTrue : IfFalse, lane by lane.
__m256 select(__m256 Mask, __m256 IfTrue, __m256 IfFalse) {
  return _mm256_blendv_ps(IfFalse, IfTrue, Mask);
}
__m256 negate(__m256 V) { return _mm256_xor_ps(V, splat(-0.f)); }
__m256 absolute(__m256 V) { return _mm256_andnot_ps(splat(-0.f), V); }

/// clampInt(nearestInt(F), Lo, Hi) of each lane, with the same bit trick.
__m256i roundClamped(__m256 F, int Lo, int Hi) {
  __m256i Bits = _mm256_castps_si256(add(F, splat(12582912.f)));
  __m256i Q = _mm256_sub_epi32(
      _mm256_and_si256(Bits, _mm256_set1_epi32(0x007fffff)),
      _mm256_set1_epi32(0x00400000));
  return _mm256_max_epi32(_mm256_set1_epi32(Lo),
                          _mm256_min_epi32(_mm256_set1_epi32(Hi), Q));
}

/// The same as floats, as the scalar code's products with the quants see them.
__m256 roundClampedFloat(__m256 F, int Lo, int Hi) {
  return _mm256_cvtepi32_ps(roundClamped(F, Lo, Hi));
}

/// XT[I] = value I of each of the 8 sub-blocks of N values at X.
template <int N> void transpose(const float *X, __m256 *XT) {
  const __m256i Starts =
      _mm256_setr_epi32(0, N, 2 * N, 3 * N, 4 * N, 5 * N, 6 * N, 7 * N);
  for (int I = 0; I < N; ++I)
    XT[I] = _mm256_i32gather_ps(X + I, Starts, 4);
}

/// The inverse for one row of quants: lane J of Q (0 where Zero is set) is
/// value I of sub-block J in L.
template <int N, typename T>
void storeQuants(int I, __m256i Q, __m256 Zero, T *L) {
  alignas(32) int32_t Row[Lanes];
  _mm256_store_si256(reinterpret_cast<__m256i *>(Row),
                     _mm256_andnot_si256(_mm256_castps_si256(Zero), Q));
  for (int J = 0; J < Lanes; ++J)
    L[N * J + I] = T(Row[J]);
}

/// fitMinsPortable's weights and fitScaleAndMin for the 8 sub-blocks of
/// XT. Instead of copying the trial quants at each improvement, a lane
/// keeps the inverse scale and min that made them and recomputes them once.
void fitMinsLanes(const __m256 *X, const MinsSearch &S, float *Scales,
                  float *NegMins, uint8_t *L) {
  constexpr int N = MinsSubBlock;
  const __m256 Zero = _mm256_setzero_ps();
  __m256 SumX2 = Zero;
  for (int I = 0; I < N; ++I)
    SumX2 = add(SumX2, mul(X[I], X[I]));
  const __m256 AvX = _mm256_sqrt_ps(div(SumX2, splat(N)));
  __m256 W[N];
  for (int I = 0; I < N; ++I)
    W[I] = add(AvX, absolute(X[I]));

  __m256 Min = X[0], Max = X[0], SumW = W[0], SumX = mul(SumW, X[0]);
  for (int I = 1; I < N; ++I) {
    Min = select(less(X[I], Min), X[I], Min);
    Max = select(greater(X[I], Max), X[I], Max);
    SumW = add(SumW, W[I]);
    SumX = add(SumX, mul(W[I], X[I]));
  }
  Min = select(greater(Min, Zero), Zero, Min);
  const __m256 Flat = _mm256_cmp_ps(Max, Min, _CMP_EQ_OQ);
  const __m256 FlatNegMin = negate(Min);

  auto Quants = [&](__m256 IScale, __m256 From, int I) {
    return roundClampedFloat(mul(IScale, sub(X[I], From)), 0, S.NMax);
  };
  __m256 IScale = div(splat(S.NMax), sub(Max, Min));
  __m256 Scale = div(splat(1.f), IScale);
  __m256 KeptIScale = IScale, KeptMin = Min;
  __m256 BestError = Zero;
  for (int I = 0; I < N; ++I) {
    __m256 Diff = sub(add(mul(Scale, Quants(IScale, Min, I)), Min), X[I]);
    BestError = add(BestError, mul(W[I], mul(Diff, Diff)));
  }
  __m256 Trial[N];
  for (int Step = 0; Step <= S.NStep; ++Step) {
    IScale = div(splat(minsCandidate(S, Step)), sub(Max, Min));
    __m256 SumL = Zero, SumL2 = Zero, SumXL = Zero;
    for (int I = 0; I < N; ++I) {
      Trial[I] = Quants(IScale, Min, I);
      __m256 WQ = mul(W[I], Trial[I]);
      SumL = add(SumL, WQ);
      SumL2 = add(SumL2, mul(WQ, Trial[I]));
      SumXL = add(SumXL, mul(WQ, X[I]));
    }
    __m256 D = sub(mul(SumW, SumL2), mul(SumL, SumL));
    __m256 ThisScale = div(sub(mul(SumW, SumXL), mul(SumX, SumL)), D);
    __m256 ThisMin = div(sub(mul(SumL2, SumX), mul(SumL, SumXL)), D);
    __m256 MinAboveZero = greater(ThisMin, Zero);
    ThisMin = select(MinAboveZero, Zero, ThisMin);
    ThisScale = select(MinAboveZero, div(SumXL, SumL2), ThisScale);
    __m256 Error = Zero;
    for (int I = 0; I < N; ++I) {
      __m256 Diff = sub(add(mul(ThisScale, Trial[I]), ThisMin), X[I]);
      Error = add(Error, mul(W[I], mul(Diff, Diff)));
    }
    __m256 Better = both(greater(D, Zero), less(Error, BestError));
    KeptIScale = select(Better, IScale, KeptIScale);
    KeptMin = select(Better, Min, KeptMin);
    BestError = select(Better, Error, BestError);
    Scale = select(Better, ThisScale, Scale);
    Min = select(Better, ThisMin, Min);
  }

  // A flat sub-block has quants and scale 0 and keeps its min.
  for (int I = 0; I < N; ++I)
    storeQuants<N>(I,
                   roundClamped(mul(KeptIScale, sub(X[I], KeptMin)), 0, S.NMax),
                   Flat, L);
  _mm256_storeu_ps(Scales, select(Flat, Zero, Scale));
  _mm256_storeu_ps(NegMins, select(Flat, FlatNegMin, negate(Min)));
}

/// fitSymmetricScale for the 8 sub-blocks of XT, keeping the inverse scale
/// of the best fit as fitMinsLanes does.
void fitSymmetricLanes(const __m256 *X, float *Scales, int8_t *L) {
  constexpr int N = SymmetricSubBlock, NMax = SymmetricNMax;
  const __m256 Zero = _mm256_setzero_ps();
  __m256 Max = Zero, AbsMax = Zero, W[N];
  for (int I = 0; I < N; ++I) {
    __m256 Abs = absolute(X[I]);
    __m256 Larger = greater(Abs, AbsMax);
    AbsMax = select(Larger, Abs, AbsMax);
    Max = select(Larger, X[I], Max);
    W[I] = mul(X[I], X[I]);
  }
  const __m256 Flat = less(AbsMax, splat(GroupMaxEps));

  __m256 SumLX, SumL2;
  auto Fit = [&](__m256 IScale) {
    SumLX = SumL2 = Zero;
    for (int I = 0; I < N; ++I) {
      __m256 Q = roundClampedFloat(mul(IScale, X[I]), -NMax, NMax - 1);
      SumLX = add(SumLX, mul(mul(W[I], X[I]), Q));
      SumL2 = add(SumL2, mul(mul(W[I], Q), Q));
    }
  };
  __m256 IScale = div(splat(symmetricCandidate(0)), Max);
  Fit(IScale);
  __m256 KeptIScale = IScale;
  __m256 Scale = select(_mm256_cmp_ps(SumL2, Zero, _CMP_NEQ_UQ),
                        div(SumLX, SumL2), Zero);
  __m256 Best = mul(Scale, SumLX);
  for (int Step = -9; Step <= 9; ++Step) {
    if (Step == 0)
      continue;
    IScale = div(splat(symmetricCandidate(Step)), Max);
    Fit(IScale);
    __m256 Better = both(greater(SumL2, Zero),
                         greater(mul(SumLX, SumLX), mul(Best, SumL2)));
    KeptIScale = select(Better, IScale, KeptIScale);
    Scale = select(Better, div(SumLX, SumL2), Scale);
    Best = select(Better, mul(Scale, SumLX), Best);
  }

  const __m256i Offset = _mm256_set1_epi32(NMax);
  for (int I = 0; I < N; ++I)
    storeQuants<N>(I,
                   _mm256_add_epi32(Offset,
                                    roundClamped(mul(KeptIScale, X[I]), -NMax,
                                                 NMax - 1)),
                   Flat, L);
  _mm256_storeu_ps(Scales, select(Flat, Zero, Scale));
}

} // namespace

void fitMinsAVX2(const float *X, const MinsSearch &S, float *Scales,
                 float *NegMins, uint8_t *L) {
  static_assert(SuperBlock == Lanes * MinsSubBlock, "one lane a sub-block");
  __m256 XT[MinsSubBlock];
  transpose<MinsSubBlock>(X, XT);
  fitMinsLanes(XT, S, Scales, NegMins, L);
}

void fitSymmetricAVX2(const float *X, float *Scales, int8_t *L) {
  constexpr int N = SymmetricSubBlock;
  // Sixteen sub-blocks: two vectors' worth of lanes.
  for (int First = 0; First < SuperBlock / N; First += Lanes) {
    __m256 XT[N];
    transpose<N>(X + N * First, XT);
    fitSymmetricLanes(XT, Scales + First, L + N * First);
  }
}

#pragma GCC pop_options

} // namespace quant
} // namespace ggufc

#else // Portable build: the fits stay scalar.

namespace ggufc {
namespace quant {
bool hasAVX2Fits() { return false; }
void fitMinsAVX2(const float *X, const MinsSearch &S, float *Scales,
                 float *NegMins, uint8_t *L) {
  fitMinsPortable(X, S, Scales, NegMins, L);
}
void fitSymmetricAVX2(const float *X, float *Scales, int8_t *L) {
  fitSymmetricPortable(X, Scales, L);
}
} // namespace quant
} // namespace ggufc

#endif
