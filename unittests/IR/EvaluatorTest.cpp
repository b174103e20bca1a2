//===- EvaluatorTest.cpp - Reference semantics of every opcode ------------===//
//
// Expected values are computed by hand (or by an index formula written out
// independently of the evaluator's strided loops).
//
//===----------------------------------------------------------------------===//
#include "ggufc/IR/Evaluator.h"
#include "../TestUtil.h"
#include "gtest/gtest.h"
#include <cmath>

using namespace ggufc;
using namespace ggufc::test;

namespace {

std::vector<float> eval(const Value *V, LoadReader *Reader = nullptr) {
  std::vector<float> Out;
  EXPECT_EQ(errorText(evaluate(*V, Reader, Out)), "");
  return Out;
}

std::string evalError(const Value *V, LoadReader *Reader = nullptr) {
  std::vector<float> Out;
  std::string Msg = errorText(evaluate(*V, Reader, Out));
  EXPECT_NE(Msg, "");
  return Msg;
}

using Floats = std::vector<float>;

TEST(Evaluator, Const) {
  Module M;
  Value *C = addConst(M, {2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(eval(C), (Floats{1, 2, 3, 4}));
}

TEST(Evaluator, ElidedConstIsAnError) {
  Module M;
  Value *C = addValue(M, Opcode::Const, DType::F32, {64, 64});
  C->DataElided = true;
  EXPECT_NE(evalError(C).find("elided"), std::string::npos);
  // Also when it is only an operand.
  Value *T = addValue(M, Opcode::Tanh, DType::F32, {64, 64}, {C});
  EXPECT_NE(evalError(T).find("elided"), std::string::npos);
}

TEST(Evaluator, AddScaleOneMinus) {
  Module M;
  Value *C = addConst(M, {2, 2}, {1, 2, 3, 4});
  Value *Add = addValue(M, Opcode::AddScalar, DType::F32, {2, 2}, {C});
  Add->A = 1;
  Value *Scale = addValue(M, Opcode::Scale, DType::F32, {2, 2}, {C});
  Scale->A = 0.5;
  Value *OneMinus = addValue(M, Opcode::OneMinus, DType::F32, {2, 2}, {C});
  EXPECT_EQ(eval(Add), (Floats{2, 3, 4, 5}));
  EXPECT_EQ(eval(Scale), (Floats{0.5, 1, 1.5, 2}));
  EXPECT_EQ(eval(OneMinus), (Floats{0, -1, -2, -3}));
}

TEST(Evaluator, ScalarOperandIsRoundedToFloat32) {
  // 0.1 as a double is not representable in float32; the op computes in
  // float32, so the result is float(1) + float(0.1), not 1.1 rounded once.
  Module M;
  Value *C = addConst(M, {1}, {1});
  Value *Add = addValue(M, Opcode::AddScalar, DType::F32, {1}, {C});
  Add->A = 0.1;
  EXPECT_EQ(eval(Add)[0], 1.0f + 0.1f);
}

TEST(Evaluator, TanhAndNegExp) {
  Module M;
  Value *C = addConst(M, {4}, {0, 0.5f, -0.5f, 1});
  Value *Tanh = addValue(M, Opcode::Tanh, DType::F32, {4}, {C});
  Value *NegExp = addValue(M, Opcode::NegExp, DType::F32, {4}, {C});
  Floats T = eval(Tanh), E = eval(NegExp);
  // tanh(0.5) = 0.46211715726..., e^0.5 = 1.6487212707..., e^-0.5 =
  // 0.6065306597..., e = 2.7182818284...
  EXPECT_EQ(T[0], 0.0f);
  EXPECT_FLOAT_EQ(T[1], 0.46211716f);
  EXPECT_FLOAT_EQ(T[2], -0.46211716f);
  EXPECT_FLOAT_EQ(T[3], 0.76159416f);
  EXPECT_EQ(E[0], -1.0f);
  EXPECT_FLOAT_EQ(E[1], -1.6487213f);
  EXPECT_FLOAT_EQ(E[2], -0.60653066f);
  EXPECT_FLOAT_EQ(E[3], -2.7182817f);
}

TEST(Evaluator, ClampKeepsNaN) {
  Module M;
  Value *C = addConst(M, {5}, {-2, -0.5f, 0.5f, 3, NAN});
  Value *Clamp = addValue(M, Opcode::Clamp, DType::F32, {5}, {C});
  Clamp->A = -1;
  Clamp->B = 1;
  Floats R = eval(Clamp);
  EXPECT_EQ(R[0], -1.0f);
  EXPECT_EQ(R[1], -0.5f);
  EXPECT_EQ(R[2], 0.5f);
  EXPECT_EQ(R[3], 1.0f);
  EXPECT_TRUE(std::isnan(R[4]));
}

TEST(Evaluator, CastRoundsToNearestEven) {
  Module M;
  // f16 has 10 mantissa bits: 1 + 2^-11 is halfway between 1 and 1 + 2^-10
  // (ties to the even 1); 1 + 3 * 2^-11 is halfway between 1 + 2^-10 and
  // 1 + 2^-9 (ties to the even 1 + 2^-9); 1 + 2^-11 + 2^-20 is above half.
  // 65520 is the first value that rounds to infinity.
  Value *C = addConst(M, {6},
                      {1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 1 + 0x1p-11f + 0x1p-20f,
                       65504, 65520, -3});
  Value *ToF16 = addValue(M, Opcode::Cast, DType::F16, {6}, {C});
  EXPECT_EQ(eval(ToF16),
            (Floats{1, 1 + 0x1p-9f, 1 + 0x1p-10f, 65504, INFINITY, -3}));
  // bf16 has 7 mantissa bits: the same pattern one step coarser.
  Value *D =
      addConst(M, {3}, {1 + 0x1p-8f, 1 + 3 * 0x1p-8f, 1 + 0x1p-8f + 0x1p-20f});
  Value *ToBF16 = addValue(M, Opcode::Cast, DType::BF16, {3}, {D});
  EXPECT_EQ(eval(ToBF16), (Floats{1, 1 + 0x1p-6f, 1 + 0x1p-7f}));
  // Casting a rounded value to f32 keeps it.
  Value *Back = addValue(M, Opcode::Cast, DType::F32, {3}, {ToBF16});
  EXPECT_EQ(eval(Back), (Floats{1, 1 + 0x1p-6f, 1 + 0x1p-7f}));
}

TEST(Evaluator, ReshapeAndSqueezeKeepData) {
  Module M;
  Value *C = addIota(M, {2, 3});
  Value *R = addValue(M, Opcode::Reshape, DType::F32, {3, 1, 2}, {C});
  Value *S = addValue(M, Opcode::Squeeze, DType::F32, {3, 2}, {R});
  S->Axis = 1;
  EXPECT_EQ(eval(R), (Floats{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(eval(S), (Floats{0, 1, 2, 3, 4, 5}));
}

TEST(Evaluator, Transpose2D) {
  Module M;
  Value *C = addConst(M, {2, 3}, {1, 2, 3, 4, 5, 6});
  Value *T = addValue(M, Opcode::Transpose, DType::F32, {3, 2}, {C});
  T->Perm = {1, 0};
  EXPECT_EQ(eval(T), (Floats{1, 4, 2, 5, 3, 6}));
}

/// in has shape In and holds its own row-major index; checks that
/// out[i0, ..., iR] == in[j] with j_{Perm[k]} = i_k.
void checkTranspose(const Shape &In, const std::vector<int64_t> &Perm) {
  Module M;
  Shape OutDims;
  for (int64_t P : Perm)
    OutDims.push_back(In[P]);
  Value *C = addIota(M, In);
  Value *T = addValue(M, Opcode::Transpose, DType::F32, OutDims, {C});
  T->Perm = Perm;
  Floats R = eval(T);
  ASSERT_EQ(int64_t(R.size()), numElements(In));
  const size_t Rank = In.size();
  std::vector<int64_t> OutIdx(Rank, 0);
  for (size_t Flat = 0; Flat < R.size(); ++Flat) {
    // Unflatten Flat in OutDims, map to the input index, flatten in In.
    int64_t Rem = int64_t(Flat);
    for (size_t K = Rank; K-- > 0;) {
      OutIdx[K] = Rem % OutDims[K];
      Rem /= OutDims[K];
    }
    std::vector<int64_t> InIdx(Rank);
    for (size_t K = 0; K < Rank; ++K)
      InIdx[Perm[K]] = OutIdx[K];
    int64_t InFlat = 0;
    for (size_t K = 0; K < Rank; ++K)
      InFlat = InFlat * In[K] + InIdx[K];
    ASSERT_EQ(R[Flat], float(InFlat)) << "at output element " << Flat;
  }
}

TEST(Evaluator, TransposeRank3) {
  // Spot checks by hand: in [2,3,4], perm [2,0,1] -> out [4,2,3] with
  // out[a][b][c] = in[b][c][a] = 12b + 4c + a.
  Module M;
  Value *C = addIota(M, {2, 3, 4});
  Value *T = addValue(M, Opcode::Transpose, DType::F32, {4, 2, 3}, {C});
  T->Perm = {2, 0, 1};
  Floats R = eval(T);
  EXPECT_EQ(R[0], 0.0f);           // out[0][0][0] = in[0][0][0]
  EXPECT_EQ(R[1], 4.0f);           // out[0][0][1] = in[0][1][0]
  EXPECT_EQ(R[3], 12.0f);          // out[0][1][0] = in[1][0][0]
  EXPECT_EQ(R[6], 1.0f);           // out[1][0][0] = in[0][0][1]
  EXPECT_EQ(R[23], 12 + 8 + 3.0f); // out[3][1][2] = in[1][2][3]
  for (auto Perm : std::vector<std::vector<int64_t>>{
           {0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}})
    checkTranspose({2, 3, 4}, Perm);
}

TEST(Evaluator, TransposeRank4) {
  // The Q/K head permutation: [heads, 2, half, cols] -> [heads, half, 2,
  // cols]; out[a][b][c][d] = in[a][c][b][d] = 60a + 20c + 5b + d for
  // in [2,3,4,5] (hand formula, spot checked).
  Module M;
  Value *C = addIota(M, {2, 3, 4, 5});
  Value *T = addValue(M, Opcode::Transpose, DType::F32, {2, 4, 3, 5}, {C});
  T->Perm = {0, 2, 1, 3};
  Floats R = eval(T);
  // out[1][2][1][3] is at 1*60 + 2*15 + 1*5 + 3 = 98; in[1][1][2][3].
  EXPECT_EQ(R[98], 60 + 20 + 10 + 3.0f);
  checkTranspose({2, 3, 4, 5}, {0, 2, 1, 3});
  checkTranspose({2, 3, 4, 5}, {3, 1, 0, 2});
  checkTranspose({2, 3, 4, 5}, {3, 2, 1, 0});
  checkTranspose({2, 1, 4, 1}, {3, 2, 0, 1}); // size-1 axes
}

TEST(Evaluator, TransposeLargerThanOneTile) {
  // Transposed axes longer than a cache tile, with partial tiles at the
  // edges, alone and under an outer (batch) axis.
  checkTranspose({70, 40}, {1, 0});
  checkTranspose({3, 40, 70}, {0, 2, 1});
  checkTranspose({33, 3, 65}, {2, 1, 0});
}

TEST(Evaluator, TransposeRejectsBadPermutation) {
  Module M;
  Value *C = addIota(M, {2, 3});
  Value *T = addValue(M, Opcode::Transpose, DType::F32, {2, 3}, {C});
  T->Perm = {0, 0};
  EXPECT_NE(evalError(T).find("permutation"), std::string::npos);
}

TEST(Evaluator, Slice) {
  Module M;
  Value *C = addIota(M, {2, 4}); // [[0,1,2,3],[4,5,6,7]]
  Value *S = addValue(M, Opcode::Slice, DType::F32, {2, 2}, {C});
  S->Axis = 1;
  S->Start = 1;
  S->End = 3;
  EXPECT_EQ(eval(S), (Floats{1, 2, 5, 6}));
  Value *Row = addValue(M, Opcode::Slice, DType::F32, {1, 4}, {C});
  Row->Axis = 0;
  Row->Start = 1;
  Row->End = 2;
  EXPECT_EQ(eval(Row), (Floats{4, 5, 6, 7}));
  Value *Bad = addValue(M, Opcode::Slice, DType::F32, {2, 2}, {C});
  Bad->Axis = 1;
  Bad->Start = 3;
  Bad->End = 5;
  EXPECT_NE(evalError(Bad).find("out of range"), std::string::npos);
}

TEST(Evaluator, Concat) {
  Module M;
  Value *A = addConst(M, {2, 2}, {1, 2, 3, 4});
  Value *B = addConst(M, {1, 2}, {5, 6});
  Value *C = addConst(M, {2, 1}, {7, 8});
  Value *Rows = addValue(M, Opcode::Concat, DType::F32, {3, 2}, {A, B});
  Rows->Axis = 0;
  Value *Cols = addValue(M, Opcode::Concat, DType::F32, {2, 3}, {A, C});
  Cols->Axis = 1;
  EXPECT_EQ(eval(Rows), (Floats{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(eval(Cols), (Floats{1, 2, 7, 3, 4, 8}));
}

TEST(Evaluator, Stack) {
  Module M;
  Value *A = addConst(M, {2}, {1, 2});
  Value *B = addConst(M, {2}, {3, 4});
  Value *S0 = addValue(M, Opcode::Stack, DType::F32, {2, 2}, {A, B});
  S0->Axis = 0;
  Value *S1 = addValue(M, Opcode::Stack, DType::F32, {2, 2}, {A, B});
  S1->Axis = 1;
  EXPECT_EQ(eval(S0), (Floats{1, 2, 3, 4}));
  EXPECT_EQ(eval(S1), (Floats{1, 3, 2, 4}));
  // Experts [2,3] x 2 stacked in the middle: out[i][e][j] = expert_e[i][j].
  Value *E0 = addIota(M, {2, 3});
  Value *E1 = addValue(M, Opcode::AddScalar, DType::F32, {2, 3}, {E0});
  E1->A = 10;
  Value *Mid = addValue(M, Opcode::Stack, DType::F32, {2, 2, 3}, {E0, E1});
  Mid->Axis = 1;
  EXPECT_EQ(eval(Mid), (Floats{0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15}));
}

/// Serves each load as Base + element index.
class FakeReader : public LoadReader {
public:
  llvm::Error readAsFloat(const Value &Load, float *Dst) override {
    ++Calls;
    float Base = Load.Key == "a" ? 100 : 200;
    for (int64_t I = 0; I < Load.Type.numElements(); ++I)
      Dst[I] = Base + float(I);
    return llvm::Error::success();
  }
  int Calls = 0;
};

TEST(Evaluator, LoadsUseTheReader) {
  Module M;
  Value *L = addLoad(M, "m.safetensors", "a", DType::BF16, {2, 2});
  Value *T = addValue(M, Opcode::Transpose, DType::BF16, {2, 2}, {L});
  T->Perm = {1, 0};
  FakeReader Reader;
  EXPECT_EQ(eval(T, &Reader), (Floats{100, 102, 101, 103}));
  EXPECT_EQ(Reader.Calls, 1);
  std::string Msg = evalError(T, nullptr);
  EXPECT_NE(Msg.find("without tensor data"), std::string::npos) << Msg;
}

TEST(Evaluator, QKPermutationChain) {
  // reshape [8, 1] -> [2 heads, 2 halves, 2, 1], transpose [0, 2, 1, 3],
  // reshape back: the rows r0 r1 | r2 r3 of each head interleave their
  // halves into r0 r2 r1 r3.
  Module M;
  Value *W = addIota(M, {8, 1}); // rows 0..7, heads = 2 of 4 rows
  Value *R = addValue(M, Opcode::Reshape, DType::F32, {2, 2, 2, 1}, {W});
  Value *T = addValue(M, Opcode::Transpose, DType::F32, {2, 2, 2, 1}, {R});
  T->Perm = {0, 2, 1, 3};
  Value *Back = addValue(M, Opcode::Reshape, DType::F32, {8, 1}, {T});
  EXPECT_EQ(eval(Back), (Floats{0, 2, 1, 3, 4, 6, 5, 7}));
}

} // namespace
