//===- IRBuilderTest.cpp - Type rules of every operation ---------------------===//
#include "ggufc/IR/IRBuilder.h"
#include "gtest/gtest.h"

using namespace ggufc;
using llvm::Error;

namespace {

TensorType ty(DType T, Shape S) { return TensorType{T, std::move(S)}; }

class IRBuilderTest : public ::testing::Test {
protected:
  Module M{"test"};
  IRBuilder B{M};

  Value *input(DType T, Shape S) { return B.load("a.safetensors", "x", ty(T, S)); }

  /// The builder's first error message, or "" if there was none.
  std::string errorText() { return llvm::toString(B.takeError()); }
};

TEST_F(IRBuilderTest, ElementwiseOpsProduceF32OfTheSameShape) {
  Value *X = input(DType::BF16, {3, 4});
  for (Value *V : {B.addScalar(X, 1), B.scale(X, 0.5), B.tanh(X),
                   B.oneMinus(X), B.negExp(X), B.clamp(X, -1, 1)}) {
    ASSERT_NE(V, nullptr);
    EXPECT_EQ(V->Type, ty(DType::F32, {3, 4})) << opcodeName(V->Op).str();
  }
  EXPECT_EQ(errorText(), "");
}

TEST_F(IRBuilderTest, ScalarOperandsAreRoundedToF32) {
  Value *X = input(DType::F32, {2});
  Value *V = B.scale(X, 0.1);
  EXPECT_EQ(V->A, double(0.1f));
  // Both bounds of clamp (two adjacent conversions; see toF32).
  Value *C = B.clamp(X, -0.1, 0.2);
  EXPECT_EQ(C->A, double(-0.1f));
  EXPECT_EQ(C->B, double(0.2f));
}

TEST_F(IRBuilderTest, ClampBoundsMustBeOrdered) {
  Value *X = input(DType::F32, {2});
  EXPECT_EQ(B.clamp(X, 2, 1), nullptr);
  EXPECT_EQ(errorText(), "clamp: lower bound 2 is not <= upper bound 1");
}

TEST_F(IRBuilderTest, CastChangesOnlyTheDType) {
  Value *V = B.cast(input(DType::F32, {2, 3}), DType::F16);
  ASSERT_NE(V, nullptr);
  EXPECT_EQ(V->Type, ty(DType::F16, {2, 3}));
}

TEST_F(IRBuilderTest, ReshapeKeepsDTypeAndElementCount) {
  Value *X = input(DType::BF16, {2, 6});
  Value *V = B.reshape(X, {3, 2, 2});
  ASSERT_NE(V, nullptr);
  EXPECT_EQ(V->Type, ty(DType::BF16, {3, 2, 2}));
  EXPECT_EQ(B.reshape(X, {5}), nullptr);
  EXPECT_EQ(errorText(),
            "reshape: cannot reshape bf16[2, 6] to bf16[5] (element counts "
            "differ)");
  EXPECT_EQ(B.reshape(X, {-2, -6}), nullptr);
  EXPECT_EQ(errorText(), "reshape: dimension -2 is negative");
}

TEST_F(IRBuilderTest, TransposePermutesDimensions) {
  Value *X = input(DType::F16, {2, 3, 4});
  Value *V = B.transpose(X, {2, 0, 1});
  ASSERT_NE(V, nullptr);
  // out.shape[i] = in.shape[perm[i]], as numpy.transpose.
  EXPECT_EQ(V->Type, ty(DType::F16, {4, 2, 3}));
}

TEST_F(IRBuilderTest, TransposeRejectsNonPermutations) {
  Value *X = input(DType::F32, {2, 2});
  EXPECT_EQ(B.transpose(X, {0, 0}), nullptr);
  EXPECT_EQ(errorText(), "transpose: [0, 0] is not a permutation of 2 axes");
  EXPECT_EQ(B.transpose(X, {0}), nullptr);
  EXPECT_EQ(errorText(), "transpose: [0] is not a permutation of 2 axes");
  EXPECT_EQ(B.transpose(X, {0, 2}), nullptr);
  EXPECT_EQ(errorText(), "transpose: [0, 2] is not a permutation of 2 axes");
  EXPECT_EQ(B.transpose(X, {-1, 0}), nullptr);
  EXPECT_EQ(errorText(), "transpose: [-1, 0] is not a permutation of 2 axes");
}

TEST_F(IRBuilderTest, SliceTakesAHalfOpenRange) {
  Value *X = input(DType::F32, {4, 6});
  Value *V = B.slice(X, 1, 2, 5);
  ASSERT_NE(V, nullptr);
  EXPECT_EQ(V->Type, ty(DType::F32, {4, 3}));
  EXPECT_EQ(B.slice(X, 1, 3, 3), nullptr);
  EXPECT_EQ(errorText(), "slice: [3:3] is not a non-empty range of axis 1 of "
                         "size 6 (need 0 <= start < end <= size)");
  EXPECT_EQ(B.slice(X, 0, 2, 5), nullptr);
  EXPECT_EQ(errorText(), "slice: [2:5] is not a non-empty range of axis 0 of "
                         "size 4 (need 0 <= start < end <= size)");
  EXPECT_EQ(B.slice(X, 0, -1, 2), nullptr);
  EXPECT_FALSE(errorText().empty());
  EXPECT_EQ(B.slice(X, 2, 0, 1), nullptr);
  EXPECT_EQ(errorText(), "slice: axis 2 is out of range for rank 2");
}

TEST_F(IRBuilderTest, SplitIsASeriesOfSlices) {
  Value *X = input(DType::F32, {6, 2});
  std::vector<Value *> Parts = B.split(X, 0, {1, 2, 3});
  ASSERT_EQ(Parts.size(), 3u);
  int64_t Start = 0;
  for (int I = 0; I < 3; ++I) {
    ASSERT_NE(Parts[I], nullptr);
    EXPECT_EQ(Parts[I]->Op, Opcode::Slice);
    EXPECT_EQ(Parts[I]->Start, Start);
    EXPECT_EQ(Parts[I]->End, Start + I + 1);
    EXPECT_EQ(Parts[I]->Type, ty(DType::F32, {I + 1, 2}));
    Start += I + 1;
  }
  EXPECT_TRUE(B.split(X, 0, {2, 2}).empty());
  EXPECT_EQ(errorText(), "split: sizes [2, 2] do not add up to axis 0 of "
                         "f32[6, 2]");
}

TEST_F(IRBuilderTest, ConcatJoinsAlongAnExistingAxis) {
  Value *A = input(DType::F16, {2, 3});
  Value *C = input(DType::F16, {5, 3});
  Value *V = B.concat({A, C, A}, 0);
  ASSERT_NE(V, nullptr);
  EXPECT_EQ(V->Type, ty(DType::F16, {9, 3}));
  Value *Single = B.concat({A}, 1);
  ASSERT_NE(Single, nullptr);
  EXPECT_EQ(Single->Type, A->Type);
}

TEST_F(IRBuilderTest, ConcatRejectsMismatchedOperands) {
  Value *A = input(DType::F16, {2, 3});
  EXPECT_EQ(B.concat({A, input(DType::F16, {2, 4})}, 0), nullptr);
  EXPECT_EQ(errorText(), "concat: operand 1 has type f16[2, 4], operand 0 has "
                         "f16[2, 3] (dimensions may differ only on axis 0)");
  EXPECT_EQ(B.concat({A, input(DType::F32, {2, 3})}, 0), nullptr);
  EXPECT_EQ(errorText(), "concat: operand 1 has type f32[2, 3], operand 0 has "
                         "f16[2, 3] (need the same dtype and rank)");
  EXPECT_EQ(B.concat({A, input(DType::F16, {2, 3, 1})}, 0), nullptr);
  EXPECT_EQ(errorText(), "concat: operand 1 has type f16[2, 3, 1], operand 0 "
                         "has f16[2, 3] (need the same dtype and rank)");
  EXPECT_EQ(B.concat({A, A}, 2), nullptr);
  EXPECT_EQ(errorText(), "concat: axis 2 is out of range for rank 2");
  EXPECT_EQ(B.concat({}, 0), nullptr);
  EXPECT_EQ(errorText(), "concat: expected at least 1 operand, got 0");
}

TEST_F(IRBuilderTest, StackAddsANewAxis) {
  Value *A = input(DType::BF16, {2, 3});
  Value *First = B.stack({A, A, A, A}, 0);
  Value *Middle = B.stack({A, A, A, A}, 1);
  Value *Last = B.stack({A, A, A, A}, 2);
  ASSERT_TRUE(First && Middle && Last);
  EXPECT_EQ(First->Type, ty(DType::BF16, {4, 2, 3}));
  EXPECT_EQ(Middle->Type, ty(DType::BF16, {2, 4, 3}));
  EXPECT_EQ(Last->Type, ty(DType::BF16, {2, 3, 4}));
  EXPECT_EQ(B.stack({A, A}, 3), nullptr);
  EXPECT_EQ(errorText(), "stack: axis 3 is out of range for rank 2");
  EXPECT_EQ(B.stack({A, input(DType::BF16, {3, 2})}, 0), nullptr);
  EXPECT_EQ(errorText(), "stack: operand 1 has type bf16[3, 2], operand 0 has "
                         "bf16[2, 3] (all operands need the same type)");
}

TEST_F(IRBuilderTest, SqueezeDropsASizeOneAxis) {
  Value *X = input(DType::F32, {3, 1, 2});
  Value *V = B.squeeze(X, 1);
  ASSERT_NE(V, nullptr);
  EXPECT_EQ(V->Type, ty(DType::F32, {3, 2}));
  EXPECT_EQ(B.squeeze(X, 0), nullptr);
  EXPECT_EQ(errorText(), "squeeze: axis 0 has size 3, not 1");
  EXPECT_EQ(B.squeeze(X, 3), nullptr);
  EXPECT_EQ(errorText(), "squeeze: axis 3 is out of range for rank 3");
}

TEST_F(IRBuilderTest, ConstDataMustFillTheShape) {
  Value *C = B.constant(ty(DType::F32, {2, 2}), {1, 2, 3, 4});
  ASSERT_NE(C, nullptr);
  EXPECT_EQ(B.constant(ty(DType::F32, {2, 2}), {1, 2, 3}), nullptr);
  EXPECT_EQ(errorText(), "const: 3 elements given for f32[2, 2], which has 4");
  Value *Scalar = B.constant(ty(DType::F32, {}), {7});
  ASSERT_NE(Scalar, nullptr);
  EXPECT_EQ(Scalar->Type.numElements(), 1);
}

TEST_F(IRBuilderTest, ElidedConstNeedsNoData) {
  auto V = std::make_unique<Value>(Opcode::Const);
  V->Type = ty(DType::F32, {64, 64});
  V->DataElided = true;
  EXPECT_NE(B.insert(std::move(V), /*CheckDeclaredType=*/true), nullptr);
}

TEST_F(IRBuilderTest, LoadHasItsDeclaredType) {
  Value *L = B.load("m.safetensors", "w", ty(DType::BF16, {7, 0}));
  ASSERT_NE(L, nullptr);
  EXPECT_EQ(L->Type, ty(DType::BF16, {7, 0}));
  EXPECT_EQ(B.load("m.safetensors", "", ty(DType::F32, {1})), nullptr);
  EXPECT_EQ(errorText(), "load: empty tensor name");
  EXPECT_EQ(B.load("m.safetensors", "w", ty(DType::F32, {1 << 30, 1 << 30,
                                                         1 << 30})),
            nullptr);
  EXPECT_EQ(errorText(), "load: shape [1073741824, 1073741824, 1073741824] "
                         "has more elements than fit in 64 bits");
}

TEST_F(IRBuilderTest, FirstErrorIsKeptAndLaterCallsReturnNull) {
  Value *X = input(DType::F32, {2, 2});
  EXPECT_EQ(B.squeeze(X, 0), nullptr);      // first error
  EXPECT_EQ(B.transpose(X, {0, 0}), nullptr); // ignored
  EXPECT_EQ(B.tanh(X), nullptr);            // valid, but the builder is stuck
  EXPECT_TRUE(B.hasError());
  EXPECT_EQ(errorText(), "squeeze: axis 0 has size 2, not 1");
  // takeError() clears the error; the builder works again.
  EXPECT_FALSE(B.hasError());
  EXPECT_NE(B.tanh(X), nullptr);
  // Failed calls appended nothing: load, then tanh.
  EXPECT_EQ(M.values().size(), 2u);
}

TEST_F(IRBuilderTest, NullOperandIsAnError) {
  EXPECT_EQ(B.tanh(nullptr), nullptr);
  EXPECT_EQ(errorText(), "tanh: operand 0 is null");
}

TEST_F(IRBuilderTest, OperandMustBelongToTheModule) {
  Module Other;
  IRBuilder OB(Other);
  Value *Foreign = OB.load("f", "k", ty(DType::F32, {1}));
  EXPECT_EQ(B.tanh(Foreign), nullptr);
  EXPECT_EQ(errorText(), "tanh: operand 0 is not a value of this module");
}

TEST_F(IRBuilderTest, InsertChecksTheDeclaredType) {
  Value *X = input(DType::F32, {2, 2});
  auto V = std::make_unique<Value>(Opcode::Tanh);
  V->Operands = {X};
  V->Type = ty(DType::F16, {2, 2});
  EXPECT_EQ(B.insert(std::move(V), /*CheckDeclaredType=*/true), nullptr);
  EXPECT_EQ(errorText(), "tanh: declared type f16[2, 2] does not match the "
                         "inferred type f32[2, 2]");
  // Without the check, the inferred type is stored.
  V = std::make_unique<Value>(Opcode::Tanh);
  V->Operands = {X};
  V->Type = ty(DType::F16, {9});
  Value *Created = B.insert(std::move(V), /*CheckDeclaredType=*/false);
  ASSERT_NE(Created, nullptr);
  EXPECT_EQ(Created->Type, ty(DType::F32, {2, 2}));
}

TEST(InferResultTypeTest, WrongOperandCount) {
  Value L(Opcode::Load);
  L.File = "f";
  L.Key = "k";
  Value V(Opcode::Tanh);
  V.Operands = {&L, &L};
  llvm::Expected<TensorType> T = inferResultType(V);
  ASSERT_FALSE(bool(T));
  EXPECT_EQ(llvm::toString(T.takeError()), "tanh: expected 1 operand, got 2");
  Value C(Opcode::Const);
  C.Operands = {&L};
  T = inferResultType(C);
  ASSERT_FALSE(bool(T));
  EXPECT_EQ(llvm::toString(T.takeError()), "const: expected 0 operands, got 1");
}

} // namespace
