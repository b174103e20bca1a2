//===- TransformsRenameTest.cpp - rename<ARCH> -------------------------------===//
#include "TransformsTestSupport.h"
#include "ggufc/Frontend/Architecture.h"

using namespace ggufc;
using namespace ggufc::testing;
using namespace llvm;

namespace {

/// A made-up architecture with one rule of each kind, registered only in
/// the unit-test binary.
class RenameTestArch : public Architecture {
public:
  StringRef name() const override { return "renametest"; }
  std::vector<StringRef> hfClasses() const override {
    return {"RenameTestForCausalLM"};
  }
  Error lowerConfig(const ConfigView &, Module &) const override {
    return Error::success();
  }
  std::string pipeline(const ConfigView &) const override {
    return "rename<renametest>";
  }
  ArrayRef<RenameRule> renameRules() const override {
    static const RenameRule Rules[] = {
        {"model.embed_tokens", "token_embd"},
        {"model.layers.{N}.mlp.up_proj", "blk.{N}.ffn_up"},
        {"model.layers.{N}.mlp.gate_proj", "blk.{N}.ffn_up"}, // collides
        {"model.rotary_emb", ""},
    };
    return Rules;
  }
};
RegisterArchitecture<RenameTestArch> RegisterTestArch;

TEST(RenamePassTest, RenamesAndDrops) {
  Module M;
  Value *Embd = addLoadOutput(M, "model.embed_tokens.weight", DType::BF16, {8, 4});
  Value *Up = addLoadOutput(M, "model.layers.3.mlp.up_proj.weight", DType::BF16, {6, 4});
  addLoadOutput(M, "model.rotary_emb.inv_freq", DType::F32, {2});
  Statistics Stats;
  ASSERT_EQ(runPass(M, "rename", "renametest", Stats), "");
  EXPECT_EQ(outputNames(M), (std::vector<std::string>{"token_embd.weight",
                                                      "blk.3.ffn_up.weight"}));
  EXPECT_EQ(M.outputs()[0].Def, Embd);
  EXPECT_EQ(M.outputs()[1].Def, Up);
  EXPECT_EQ(stat(Stats, "rename", "tensors renamed"), 2u);
  EXPECT_EQ(stat(Stats, "rename", "tensors dropped"), 1u);
}

TEST(RenamePassTest, UnmappedTensorIsAnErrorAndChangesNothing) {
  Module M;
  addLoadOutput(M, "model.embed_tokens.weight", DType::BF16, {8, 4});
  addLoadOutput(M, "lm_head.weight", DType::BF16, {8, 4});
  addLoadOutput(M, "model.rotary_emb.inv_freq", DType::F32, {2});
  EXPECT_EQ(runPass(M, "rename", "renametest"),
            "no GGUF name for tensor 'lm_head.weight' (architecture renametest)");
  EXPECT_EQ(outputNames(M),
            (std::vector<std::string>{"model.embed_tokens.weight",
                                      "lm_head.weight",
                                      "model.rotary_emb.inv_freq"}));
}

TEST(RenamePassTest, AllowUnmappedKeepsTheSourceName) {
  Module M;
  addLoadOutput(M, "lm_head.weight", DType::BF16, {8, 4});
  addLoadOutput(M, "model.embed_tokens.weight", DType::BF16, {8, 4});
  Statistics Stats;
  ASSERT_EQ(runPass(M, "rename", "renametest;allow-unmapped", Stats), "");
  EXPECT_EQ(outputNames(M), (std::vector<std::string>{"lm_head.weight",
                                                      "token_embd.weight"}));
  EXPECT_EQ(stat(Stats, "rename", "tensors kept under their source name"), 1u);
  // The explicit spelling means the same.
  Module M2;
  addLoadOutput(M2, "lm_head.weight", DType::BF16, {8, 4});
  EXPECT_EQ(runPass(M2, "rename", "arch=renametest;allow-unmapped=true"), "");
  EXPECT_EQ(runPass(M2, "rename", "arch=renametest;allow-unmapped=0"),
            "no GGUF name for tensor 'lm_head.weight' (architecture renametest)");
}

TEST(RenamePassTest, TwoTensorsOntoOneNameIsAnError) {
  Module M;
  addLoadOutput(M, "model.layers.0.mlp.up_proj.weight", DType::BF16, {6, 4});
  addLoadOutput(M, "model.layers.0.mlp.gate_proj.weight", DType::BF16, {6, 4});
  EXPECT_EQ(runPass(M, "rename", "renametest"),
            "tensors 'model.layers.0.mlp.up_proj.weight' and "
            "'model.layers.0.mlp.gate_proj.weight' are both renamed to "
            "'blk.0.ffn_up.weight' (architecture renametest)");
}

TEST(RenamePassTest, ArchitectureMustBeKnown) {
  std::string Err = createError("rename", "nosuch");
  EXPECT_NE(Err.find("unknown architecture 'nosuch'"), std::string::npos) << Err;
  EXPECT_NE(Err.find("renametest"), std::string::npos) << Err;
  EXPECT_NE(createError("rename", "").find("needs option 'arch'"),
            std::string::npos);
  EXPECT_NE(createError("rename", "renametest;allow-unmapped=maybe")
                .find("must be true or false"),
            std::string::npos);
}

} // namespace
