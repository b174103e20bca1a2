//===- TransformsSqueezeTest.cpp - squeeze<match=REGEX;axis=N> ---------------===//
#include "TransformsTestSupport.h"

using namespace ggufc;
using namespace ggufc::testing;

namespace {

TEST(SqueezePassTest, SqueezesMatchingOutputs) {
  Module M;
  Value *A = addLoadOutput(M, "blk.0.ssm_conv1d.weight", DType::BF16, {6, 1, 4});
  Value *B = addLoadOutput(M, "blk.1.ssm_conv1d.weight", DType::BF16, {6, 1, 4});
  Value *Other = addLoadOutput(M, "blk.0.other.weight", DType::BF16, {6, 1, 4});
  Statistics Stats;
  ASSERT_EQ(runPass(M, "squeeze", R"(match=blk\.[0-9]+\.ssm_conv1d\.weight;axis=1)",
                    Stats),
            "");
  for (auto [Pos, Src] : {std::pair<int, Value *>{0, A}, {1, B}}) {
    const Value *D = M.outputs()[Pos].Def;
    EXPECT_EQ(D->Op, Opcode::Squeeze);
    EXPECT_EQ(D->Axis, 1);
    ASSERT_EQ(D->Operands.size(), 1u);
    EXPECT_EQ(D->Operands[0], Src);
    EXPECT_EQ(D->Type, (TensorType{DType::BF16, {6, 4}}));
  }
  EXPECT_EQ(M.outputs()[2].Def, Other);
  EXPECT_EQ(stat(Stats, "squeeze", "tensors squeezed"), 2u);
}

TEST(SqueezePassTest, AxisMustHaveSizeOne) {
  Module M;
  Value *Fine = addLoadOutput(M, "a.weight", DType::F32, {3, 1});
  addLoadOutput(M, "b.weight", DType::F32, {3, 2});
  EXPECT_EQ(runPass(M, "squeeze", "match=.*;axis=1"),
            "cannot squeeze axis 1 of tensor 'b.weight' of type f32[3, 2]: the "
            "axis must exist and have size 1");
  // Nothing changed, not even the output that could be squeezed.
  EXPECT_EQ(M.outputs()[0].Def, Fine);
  EXPECT_EQ(M.values().size(), 2u);

  Module N;
  addLoadOutput(N, "c.weight", DType::F32, {3});
  EXPECT_EQ(runPass(N, "squeeze", "match=c.weight;axis=1"),
            "cannot squeeze axis 1 of tensor 'c.weight' of type f32[3]: the "
            "axis must exist and have size 1");
}

TEST(SqueezePassTest, OptionErrors) {
  EXPECT_NE(createError("squeeze", "match=x").find("needs option 'axis'"),
            std::string::npos);
  EXPECT_NE(createError("squeeze", "axis=1").find("needs option 'match'"),
            std::string::npos);
  EXPECT_NE(createError("squeeze", "match=x;axis=-1").find("non-negative integer"),
            std::string::npos);
  EXPECT_NE(createError("squeeze", "match=x;axis=one").find("non-negative integer"),
            std::string::npos);
}

} // namespace
