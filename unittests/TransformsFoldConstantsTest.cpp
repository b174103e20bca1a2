//===- TransformsFoldConstantsTest.cpp - fold-constants ----------------------===//
#include "TransformsTestSupport.h"

using namespace ggufc;
using namespace ggufc::testing;

namespace {

TEST(FoldConstantsTest, FoldsChainsInPlaceAndRemovesDeadOperands) {
  Module M;
  IRBuilder B(M);
  Value *X = B.constant({DType::F32, {2}}, {0.5f, 2.0f});
  Value *Add = B.addScalar(X, 1.0);  // [1.5, 3]
  Value *Twice = B.scale(Add, 2.0);  // [3, 6]
  Value *H = B.constant({DType::F32, {2}}, {2049, 2051});
  Value *Half = B.cast(H, DType::F16); // ties to even: [2048, 2052]
  expectSuccess(B.takeError());
  M.addOutput("twice", Twice);
  M.addOutput("half", Half);
  Statistics Stats;
  ASSERT_EQ(runPass(M, "fold-constants", "", Stats), "");

  // The folded values are the same objects, now constants.
  ASSERT_EQ(M.values().size(), 2u);
  EXPECT_EQ(M.outputs()[0].Def, Twice);
  EXPECT_EQ(Twice->Op, Opcode::Const);
  EXPECT_TRUE(Twice->Operands.empty());
  EXPECT_EQ(Twice->Type, (TensorType{DType::F32, {2}}));
  EXPECT_EQ(Twice->Data, (std::vector<float>{3, 6}));
  EXPECT_EQ(Twice->Id, 0u);
  EXPECT_EQ(Half->Op, Opcode::Const);
  EXPECT_EQ(Half->Type, (TensorType{DType::F16, {2}}));
  EXPECT_EQ(Half->Data, (std::vector<float>{2048, 2052}));
  EXPECT_EQ(stat(Stats, "fold-constants", "values folded"), 3u);
  EXPECT_EQ(stat(Stats, "fold-constants", "values removed"), 3u);
}

TEST(FoldConstantsTest, LeavesLoadsAndElidedConstantsAlone) {
  Module M;
  IRBuilder B(M);
  Value *W = B.load("model.safetensors", "w", {DType::BF16, {2}});
  Value *OnLoad = B.scale(W, 2.0);
  // As the parser creates `const <elided> : f32[32]`.
  auto ElidedConst = std::make_unique<Value>(Opcode::Const);
  ElidedConst->Type = {DType::F32, {32}};
  ElidedConst->DataElided = true;
  Value *Elided = B.insert(std::move(ElidedConst), /*CheckDeclaredType=*/true);
  ASSERT_NE(Elided, nullptr);
  Value *OnElided = B.addScalar(Elided, 1.0);
  expectSuccess(B.takeError());
  M.addOutput("a", OnLoad);
  M.addOutput("b", OnElided);
  Statistics Stats;
  ASSERT_EQ(runPass(M, "fold-constants", "", Stats), "");
  EXPECT_EQ(OnLoad->Op, Opcode::Scale);
  EXPECT_EQ(OnElided->Op, Opcode::AddScalar);
  EXPECT_EQ(M.values().size(), 4u);
  EXPECT_EQ(stat(Stats, "fold-constants", "values folded"), 0u);
}

} // namespace
