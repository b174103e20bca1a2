//===- TransformsStackTest.cpp - stack<pattern=P;name=NAME> ------------------===//
#include "TransformsTestSupport.h"

using namespace ggufc;
using namespace ggufc::testing;

namespace {

const char *AltupOptions =
    "pattern=blk.{N}.altup_proj.{E}.weight;name=blk.{N}.altup_proj.weight";

TEST(StackPassTest, GroupsByOtherPlaceholdersAndOrdersByIndex) {
  Module M;
  Value *B0E1 = addLoadOutput(M, "blk.0.altup_proj.1.weight", DType::BF16, {2, 3});
  addLoadOutput(M, "token_embd.weight", DType::BF16, {5, 3});
  Value *B1E0 = addLoadOutput(M, "blk.1.altup_proj.0.weight", DType::BF16, {2, 3});
  Value *B0E0 = addLoadOutput(M, "blk.0.altup_proj.0.weight", DType::BF16, {2, 3});
  Value *B1E1 = addLoadOutput(M, "blk.1.altup_proj.1.weight", DType::BF16, {2, 3});
  Statistics Stats;
  ASSERT_EQ(runPass(M, "stack", AltupOptions, Stats), "");
  // Each stacked output takes the place of its group's first output.
  EXPECT_EQ(outputNames(M),
            (std::vector<std::string>{"blk.0.altup_proj.weight",
                                      "token_embd.weight",
                                      "blk.1.altup_proj.weight"}));
  const Value *S0 = M.outputs()[0].Def;
  EXPECT_EQ(S0->Op, Opcode::Stack);
  EXPECT_EQ(S0->Axis, 0);
  EXPECT_EQ(S0->Operands, (std::vector<Value *>{B0E0, B0E1}));
  EXPECT_EQ(S0->Type, (TensorType{DType::BF16, {2, 2, 3}}));
  EXPECT_EQ(M.outputs()[2].Def->Operands, (std::vector<Value *>{B1E0, B1E1}));
  EXPECT_EQ(stat(Stats, "stack", "tensors stacked"), 4u);
  EXPECT_EQ(stat(Stats, "stack", "stacked tensors created"), 2u);
}

TEST(StackPassTest, IndexTenComesAfterNine) {
  Module M;
  std::vector<Value *> ByIndex(11);
  // Added in lexical order: 0, 1, 10, 2, ..., 9.
  for (const char *E : {"0", "1", "10", "2", "3", "4", "5", "6", "7", "8", "9"})
    ByIndex[std::stoi(E)] = addLoadOutput(
        M, std::string("blk.0.ffn_up.") + E + ".weight", DType::F16, {2});
  ASSERT_EQ(runPass(M, "stack",
                    "pattern=blk.{N}.ffn_up.{E}.weight;name=blk.{N}.ffn_up_exps.weight"),
            "");
  ASSERT_EQ(M.outputs().size(), 1u);
  EXPECT_EQ(M.outputs()[0].Def->Operands, ByIndex);
  EXPECT_EQ(M.outputs()[0].Def->Type, (TensorType{DType::F16, {11, 2}}));
}

TEST(StackPassTest, MissingIndexIsAnErrorNamingIt) {
  Module M;
  addLoadOutput(M, "blk.0.altup_proj.0.weight", DType::BF16, {2});
  addLoadOutput(M, "blk.0.altup_proj.2.weight", DType::BF16, {2});
  EXPECT_EQ(runPass(M, "stack", AltupOptions),
            "cannot stack 'blk.0.altup_proj.weight': no tensor matching "
            "'blk.{N}.altup_proj.{E}.weight' has {E} = 1 (found 0, 2)");
  EXPECT_EQ(M.outputs().size(), 2u);
  EXPECT_EQ(M.values().size(), 2u);

  Module NoZero;
  addLoadOutput(NoZero, "blk.0.altup_proj.1.weight", DType::BF16, {2});
  EXPECT_NE(runPass(NoZero, "stack", AltupOptions).find("has {E} = 0 (found 1)"),
            std::string::npos);
}

TEST(StackPassTest, DuplicateIndexIsAnError) {
  Module M;
  addLoadOutput(M, "blk.0.altup_proj.0.weight", DType::BF16, {2});
  addLoadOutput(M, "blk.0.altup_proj.1.weight", DType::BF16, {2});
  addLoadOutput(M, "blk.0.altup_proj.01.weight", DType::BF16, {2});
  EXPECT_EQ(runPass(M, "stack", AltupOptions),
            "cannot stack 'blk.0.altup_proj.weight': tensors "
            "'blk.0.altup_proj.1.weight' and 'blk.0.altup_proj.01.weight' both "
            "have {E} = 1");
}

TEST(StackPassTest, MembersMustHaveOneType) {
  Module M;
  addLoadOutput(M, "blk.0.altup_proj.0.weight", DType::BF16, {2, 2});
  addLoadOutput(M, "blk.0.altup_proj.1.weight", DType::BF16, {3, 2});
  EXPECT_EQ(runPass(M, "stack", AltupOptions),
            "cannot stack 'blk.0.altup_proj.weight': 'blk.0.altup_proj.0.weight' "
            "has type bf16[2, 2] but 'blk.0.altup_proj.1.weight' has bf16[3, 2]");
}

TEST(StackPassTest, NewNameMustBeFree) {
  Module M;
  addLoadOutput(M, "blk.0.altup_proj.0.weight", DType::BF16, {2});
  addLoadOutput(M, "blk.0.altup_proj.weight", DType::BF16, {2});
  EXPECT_EQ(runPass(M, "stack", AltupOptions),
            "cannot stack into 'blk.0.altup_proj.weight': an output of that "
            "name already exists");
  // Two groups that NAME cannot tell apart.
  Module N;
  addLoadOutput(N, "blk.0.altup_proj.0.weight", DType::BF16, {2});
  addLoadOutput(N, "blk.1.altup_proj.0.weight", DType::BF16, {2});
  EXPECT_EQ(runPass(N, "stack",
                    "pattern=blk.{N}.altup_proj.{E}.weight;name=altup_proj.weight"),
            "cannot stack into 'altup_proj.weight': an output of that name "
            "already exists");
}

TEST(StackPassTest, StorageTypeIsKeptWhenMembersAgree) {
  Module M;
  addLoadOutput(M, "x.0.w", DType::BF16, {2});
  addLoadOutput(M, "x.1.w", DType::BF16, {2});
  addLoadOutput(M, "y.0.w", DType::BF16, {2});
  addLoadOutput(M, "y.1.w", DType::BF16, {2});
  M.outputs()[0].Type = StorageType::F16;
  M.outputs()[1].Type = StorageType::F16;
  M.outputs()[2].Type = StorageType::F16;
  ASSERT_EQ(runPass(M, "stack", "pattern=x.{E}.w;name=x.w"), "");
  ASSERT_EQ(runPass(M, "stack", "pattern=y.{E}.w;name=y.w"), "");
  EXPECT_EQ(M.outputs()[0].Type, llvm::Optional<StorageType>(StorageType::F16));
  EXPECT_FALSE(M.outputs()[1].Type.hasValue());
}

TEST(StackPassTest, OptionErrors) {
  EXPECT_NE(createError("stack", "pattern=a.{N}.w;name=a.w").find("no {E}"),
            std::string::npos);
  EXPECT_NE(createError("stack", "pattern=a.{E}.w;name=a.{E}.w")
                .find("uses {E}"),
            std::string::npos);
  EXPECT_NE(createError("stack", "pattern=a.{E}.w;name=a.{N}.w")
                .find("uses {N}"),
            std::string::npos);
  EXPECT_NE(createError("stack", "pattern=a.{E}.w").find("needs option 'name'"),
            std::string::npos);
  EXPECT_NE(createError("stack", "pattern=a.{E.w;name=a").find("unterminated"),
            std::string::npos);
}

} // namespace
