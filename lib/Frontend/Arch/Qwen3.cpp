//===- Qwen3.cpp - Qwen3ForCausalLM ---------------------------------------===//
//
// Dense Qwen3: a Llama-style decoder with per-head RMSNorm on Q and K and
// NEOX RoPE, so tensors only need renaming (no Q/K permutation).
//
//===----------------------------------------------------------------------===//
#include "CommonKeys.h"
#include "CommonRenames.h"
#include "Qwen3Family.h"

using namespace llvm;

namespace ggufc {
namespace {

class Qwen3 : public Architecture {
  static constexpr bool DefaultTied = false; // as Qwen3Config

public:
  StringRef name() const override { return "qwen3"; }
  std::vector<StringRef> hfClasses() const override {
    return {"Qwen3ForCausalLM"};
  }

  Error lowerConfig(const ConfigView &C, Module &M) const override {
    if (Error E = lowerQwen3Keys(C, name(), M.Meta))
      return E;
    return readTiedEmbeddings(C, DefaultTied).takeError();
  }

  std::string pipeline(const ConfigView &C) const override {
    return "rename<qwen3>" + tiedOutputDropPasses(C, DefaultTied);
  }

  ArrayRef<RenameRule> renameRules() const override {
    return qwen3RenameRules();
  }
};

RegisterArchitecture<Qwen3> X;

} // namespace

Error rejectAttentionBias(const ConfigView &C, StringRef Arch) {
  // transformers gives o_proj a bias whenever attention_bias is set, and
  // llama.cpp's Qwen3 loaders have no slot for it: refuse rather than emit
  // a file that does not load.
  auto Bias = C.getOptBool("attention_bias");
  if (!Bias)
    return Bias.takeError();
  if (Bias->getValueOr(false))
    return C.error("attention_bias",
                   "true is not supported: llama.cpp's " + Arch +
                       " has no attention output bias "
                       "(blk.N.attn_output.bias), so the file would not load");
  return Error::success();
}

Error lowerQwen3Keys(const ConfigView &C, StringRef Arch, Metadata &Meta) {
  if (Error E = rejectAttentionBias(C, Arch))
    return E;
  static const ConfigKey Keys[] = {
      {"block_count", "num_hidden_layers", KeyType::U32},
      {"context_length", "max_position_embeddings", KeyType::U32},
      {"embedding_length", "hidden_size", KeyType::U32},
      {"feed_forward_length", "intermediate_size", KeyType::U32},
      {"attention.head_count", "num_attention_heads", KeyType::U32},
      {"attention.head_count_kv", "num_key_value_heads", KeyType::U32},
      {"attention.layer_norm_rms_epsilon", "rms_norm_eps", KeyType::F32},
  };
  if (Error E = lowerConfigKeys(C, Arch, Keys, Meta))
    return E;
  if (Error E = lowerHeadDim(C, Arch, Meta))
    return E;
  if (Error E = lowerRopeFreqBase(C, Arch, Meta))
    return E;
  return lowerRopeScaling(C, Arch, Meta);
}

ArrayRef<RenameRule> qwen3RenameRules() {
  // Llama's decoder plus the per-head Q/K norms.
  static const RenameRule Own[] = {
      {"lm_head", "output"},
      {"model.layers.{N}.self_attn.q_norm", "blk.{N}.attn_q_norm"},
      {"model.layers.{N}.self_attn.k_norm", "blk.{N}.attn_k_norm"},
  };
  static const RenameTable Table = [] {
    RenameTable T;
    T.add("model", "", llamaDecoderRules()).add("", "", Own);
    return T;
  }();
  return Table.rules();
}

} // namespace ggufc
