//===- Qwen3Moe.cpp - Qwen3MoeForCausalLM ---------------------------------===//
//
// Qwen3-MoE (e.g. Qwen/Qwen3-30B-A3B): Qwen3 with a mixture-of-experts FFN
// in every block. Its keys and tensors are Qwen3's plus the router and the
// experts, which expert-fuse brings into llama.cpp's three tensors per block
// from either checkpoint layout (one tensor per expert, or transformers v5's
// fused gate_up_proj / down_proj).
//
//===----------------------------------------------------------------------===//
#include "CommonKeys.h"
#include "CommonRenames.h"
#include "Qwen3Family.h"

using namespace llvm;

namespace ggufc {
namespace {

class Qwen3Moe : public Architecture {
  static constexpr bool DefaultTied = false;     // as Qwen3MoeConfig
  static constexpr bool DefaultNormTopK = false; // as Qwen3MoeConfig

public:
  StringRef name() const override { return "qwen3moe"; }
  std::vector<StringRef> hfClasses() const override {
    return {"Qwen3MoeForCausalLM"};
  }

  Error lowerConfig(const ConfigView &C, Module &M) const override {
    if (Error E = lowerQwen3Keys(C, name(), M.Meta))
      return E;
    if (Error E = lowerMoeKeys(C, name(), DefaultNormTopK, M.Meta))
      return E;
    return readTiedEmbeddings(C, DefaultTied).takeError();
  }

  std::string pipeline(const ConfigView &C) const override {
    return "rename<qwen3moe>,expert-fuse" +
           tiedOutputDropPasses(C, DefaultTied);
  }

  ArrayRef<RenameRule> renameRules() const override {
    static const RenameTable Table({qwenMoeRenameRules(), qwen3RenameRules()});
    return Table.rules();
  }
};

RegisterArchitecture<Qwen3Moe> X;

} // namespace

ArrayRef<RenameRule> qwenMoeRenameRules() {
  static const RenameRule Rules[] = {
      {"model.layers.{N}.mlp.gate", "blk.{N}.ffn_gate_inp"},
      // One tensor per expert, stacked by expert-fuse.
      {"model.layers.{N}.mlp.experts.{N}.gate_proj",
       "blk.{N}.ffn_gate_exps.{N}"},
      {"model.layers.{N}.mlp.experts.{N}.up_proj", "blk.{N}.ffn_up_exps.{N}"},
      {"model.layers.{N}.mlp.experts.{N}.down_proj",
       "blk.{N}.ffn_down_exps.{N}"},
      // Fused experts, split by expert-fuse. transformers names them without
      // a ".weight" suffix; both spellings get the one name expert-fuse reads.
      {"model.layers.{N}.mlp.experts.gate_up_proj.weight",
       "blk.{N}.ffn_gate_up_exps"},
      {"model.layers.{N}.mlp.experts.gate_up_proj", "blk.{N}.ffn_gate_up_exps"},
      {"model.layers.{N}.mlp.experts.down_proj.weight",
       "blk.{N}.ffn_down_exps"},
      {"model.layers.{N}.mlp.experts.down_proj", "blk.{N}.ffn_down_exps"},
      // Qwen3-Next's shared expert and its sigmoid gate.
      {"model.layers.{N}.mlp.shared_expert.gate_proj",
       "blk.{N}.ffn_gate_shexp"},
      {"model.layers.{N}.mlp.shared_expert.up_proj", "blk.{N}.ffn_up_shexp"},
      {"model.layers.{N}.mlp.shared_expert.down_proj",
       "blk.{N}.ffn_down_shexp"},
      {"model.layers.{N}.mlp.shared_expert_gate", "blk.{N}.ffn_gate_inp_shexp"},
  };
  return Rules;
}

} // namespace ggufc
