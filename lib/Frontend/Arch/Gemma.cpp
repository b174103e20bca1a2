//===- Gemma.cpp - GemmaForCausalLM (Gemma v1) ----------------------------===//
//
// A Llama-style decoder whose RMSNorm scales by (1 + w): the norm weights
// are stored as offsets from one, and llama.cpp wants 1 + w (norm-offset).
// The output projection is always the token embedding (llama.cpp's gemma
// graph has no separate one), so a stray lm_head.weight is dropped. The
// vocabulary is SentencePiece, with fixed FIM / end-of-turn ids.
//
//===----------------------------------------------------------------------===//
#include "CommonKeys.h"
#include "ggufc/Frontend/Architecture.h"

using namespace llvm;

namespace ggufc {
namespace {

class Gemma : public Architecture {
public:
  StringRef name() const override { return "gemma"; }
  std::vector<StringRef> hfClasses() const override {
    return {"GemmaForCausalLM"};
  }

  Error lowerConfig(const ConfigView &C, Module &M) const override {
    static const ConfigKey Keys[] = {
        {"context_length", "max_position_embeddings", KeyType::U32},
        {"embedding_length", "hidden_size", KeyType::U32},
        {"block_count", "num_hidden_layers", KeyType::U32},
        {"feed_forward_length", "intermediate_size", KeyType::U32},
        {"attention.head_count", "num_attention_heads", KeyType::U32},
        // Multi-head checkpoints may leave num_key_value_heads out.
        {"attention.head_count_kv", "num_key_value_heads", KeyType::U32,
         "num_attention_heads"},
        {"attention.layer_norm_rms_epsilon", "rms_norm_eps", KeyType::F32},
    };
    if (Error E = lowerConfigKeys(C, name(), Keys, M.Meta))
      return E;
    if (Error E = lowerHeadDim(C, name(), M.Meta))
      return E;
    // Both reference converters leave the RoPE base to llama.cpp's default
    // (10000, Gemma's value); writing the config's keeps other values right.
    if (C.has("rope_theta"))
      if (Error E = lowerRopeFreqBase(C, name(), M.Meta))
        return E;
    auto Tied = readTiedEmbeddings(C, /*DefaultTied=*/true);
    if (!Tied)
      return Tied.takeError();
    if (!*Tied)
      return C.error("tie_word_embeddings",
                     "false is not supported: llama.cpp's gemma reuses "
                     "token_embd as the output projection");
    return Error::success();
  }

  std::string pipeline(const ConfigView &) const override {
    return "rename<gemma>,norm-offset,dce";
  }

  ArrayRef<RenameRule> renameRules() const override {
    static const RenameRule Rules[] = {
        {"model.embed_tokens", "token_embd"},
        {"model.norm", "output_norm"},
        // A copy of embed_tokens some exports keep (the model is tied).
        {"lm_head", ""},
        {"model.layers.{N}.input_layernorm", "blk.{N}.attn_norm"},
        {"model.layers.{N}.self_attn.q_proj", "blk.{N}.attn_q"},
        {"model.layers.{N}.self_attn.k_proj", "blk.{N}.attn_k"},
        {"model.layers.{N}.self_attn.v_proj", "blk.{N}.attn_v"},
        {"model.layers.{N}.self_attn.o_proj", "blk.{N}.attn_output"},
        {"model.layers.{N}.post_attention_layernorm", "blk.{N}.ffn_norm"},
        {"model.layers.{N}.mlp.gate_proj", "blk.{N}.ffn_gate"},
        {"model.layers.{N}.mlp.up_proj", "blk.{N}.ffn_up"},
        {"model.layers.{N}.mlp.down_proj", "blk.{N}.ffn_down"},
        {"model.layers.{N}.self_attn.rotary_emb", ""},
    };
    return Rules;
  }

  TokenizerTraits tokenizerTraits() const override {
    TokenizerTraits T;
    T.SentencePiece = true;
    // Fixed ids of Gemma's vocabulary: <end_of_turn> and the
    // fill-in-the-middle pieces CodeGemma uses.
    T.FixedTokenIds = {{"eot_token_id", 107},
                       {"prefix_token_id", 67},
                       {"middle_token_id", 68},
                       {"suffix_token_id", 69}};
    return T;
  }
};

RegisterArchitecture<Gemma> X;

} // namespace
} // namespace ggufc
