//===- TransformsDeadCodeTest.cpp - dce --------------------------------------===//
#include "TransformsTestSupport.h"

using namespace ggufc;
using namespace ggufc::testing;

namespace {

TEST(DeadCodeEliminationTest, RemovesValuesNoOutputUses) {
  Module M;
  IRBuilder B(M);
  Value *Used = B.load("m.safetensors", "a", {DType::F32, {2, 2}});
  Value *Dead = B.load("m.safetensors", "b", {DType::F32, {2, 2}});
  B.scale(Dead, 2.0);                     // dead, uses a dead value
  Value *Out = B.transpose(Used, {1, 0}); // live
  expectSuccess(B.takeError());
  M.addOutput("x", Out);
  Statistics Stats;
  ASSERT_EQ(runPass(M, "dce", "", Stats), "");
  ASSERT_EQ(M.values().size(), 2u);
  EXPECT_EQ(M.values()[0].get(), Used);
  EXPECT_EQ(M.values()[1].get(), Out);
  EXPECT_EQ(Out->Id, 1u);
  EXPECT_EQ(stat(Stats, "dce", "values removed"), 2u);
  EXPECT_NE(createError("dce", "x=1").find("has no option"), std::string::npos);
}

} // namespace
