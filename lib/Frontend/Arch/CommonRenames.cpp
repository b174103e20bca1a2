//===- CommonRenames.cpp - Rename rules shared by architectures -----------===//
#include "CommonRenames.h"

using namespace llvm;

namespace ggufc {

ArrayRef<RenameRule> llamaDecoderRules() {
  // Stems; the ".weight" / ".bias" suffix is kept.
  static const RenameRule Rules[] = {
      {"embed_tokens", "token_embd"},
      {"norm", "output_norm"},
      {"layers.{N}.input_layernorm", "blk.{N}.attn_norm"},
      {"layers.{N}.self_attn.q_proj", "blk.{N}.attn_q"},
      {"layers.{N}.self_attn.k_proj", "blk.{N}.attn_k"},
      {"layers.{N}.self_attn.v_proj", "blk.{N}.attn_v"},
      {"layers.{N}.self_attn.o_proj", "blk.{N}.attn_output"},
      {"layers.{N}.post_attention_layernorm", "blk.{N}.ffn_norm"},
      {"layers.{N}.mlp.gate_proj", "blk.{N}.ffn_gate"},
      {"layers.{N}.mlp.up_proj", "blk.{N}.ffn_up"},
      {"layers.{N}.mlp.down_proj", "blk.{N}.ffn_down"},
      // Precomputed RoPE tables some exports carry; the runtime computes
      // them.
      {"layers.{N}.self_attn.rotary_emb", ""},
      {"rotary_emb", ""},
  };
  return Rules;
}

const char *RenameTable::keep(std::string S) {
  Strings.push_back(std::move(S));
  return Strings.back().c_str();
}

RenameTable &RenameTable::add(StringRef FromPrefix, StringRef ToPrefix,
                              ArrayRef<RenameRule> Rules) {
  auto Join = [](StringRef Prefix, StringRef Stem) {
    return Prefix.empty() ? Stem.str() : (Prefix + "." + Stem).str();
  };
  for (const RenameRule &R : Rules) {
    StringRef To(R.To);
    this->Rules.push_back({keep(Join(FromPrefix, R.From)),
                           keep(To.empty() ? "" : Join(ToPrefix, To))});
  }
  return *this;
}

} // namespace ggufc
