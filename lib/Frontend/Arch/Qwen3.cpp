//===- Qwen3.cpp - Qwen3ForCausalLM ---------------------------------------===//
//
// Dense Qwen3: a Llama-style decoder with per-head RMSNorm on Q and K and
// NEOX RoPE, so tensors only need renaming (no Q/K permutation).
//
//===----------------------------------------------------------------------===//
#include "CommonKeys.h"
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
  // Stems; the ".weight" / ".bias" suffix is kept.
  static const RenameRule Rules[] = {
      {"model.embed_tokens", "token_embd"},
      {"model.norm", "output_norm"},
      {"lm_head", "output"},
      {"model.layers.{N}.input_layernorm", "blk.{N}.attn_norm"},
      {"model.layers.{N}.self_attn.q_proj", "blk.{N}.attn_q"},
      {"model.layers.{N}.self_attn.k_proj", "blk.{N}.attn_k"},
      {"model.layers.{N}.self_attn.v_proj", "blk.{N}.attn_v"},
      {"model.layers.{N}.self_attn.o_proj", "blk.{N}.attn_output"},
      {"model.layers.{N}.self_attn.q_norm", "blk.{N}.attn_q_norm"},
      {"model.layers.{N}.self_attn.k_norm", "blk.{N}.attn_k_norm"},
      {"model.layers.{N}.post_attention_layernorm", "blk.{N}.ffn_norm"},
      {"model.layers.{N}.mlp.gate_proj", "blk.{N}.ffn_gate"},
      {"model.layers.{N}.mlp.up_proj", "blk.{N}.ffn_up"},
      {"model.layers.{N}.mlp.down_proj", "blk.{N}.ffn_down"},
      // Precomputed RoPE tables some exports carry; llama.cpp computes them.
      {"model.layers.{N}.self_attn.rotary_emb", ""},
  };
  return Rules;
}

} // namespace ggufc
