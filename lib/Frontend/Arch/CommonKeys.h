//===- CommonKeys.h - Config readers shared by architectures --------------===//
//
// Hyperparameters most HuggingFace configs spell the same way (counts, RMS
// epsilon, head_dim, RoPE base and scaling), lowered to "<arch>.<key>" GGUF
// metadata. Each architecture file lists which ones it writes.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_FRONTEND_ARCH_COMMONKEYS_H
#define GGUFC_LIB_FRONTEND_ARCH_COMMONKEYS_H

#include "ggufc/Frontend/Config.h"
#include "ggufc/IR/Metadata.h"
#include "llvm/ADT/ArrayRef.h"
#include <string>
#include <vector>

namespace ggufc {

enum class KeyType { U32, F32, Bool };

/// One required config value copied to "<arch>.<GGUF>". When the config
/// has no Config key, Fallback (if set) is read instead, e.g. head_count_kv
/// from num_attention_heads for models without grouped-query attention.
struct ConfigKey {
  const char *GGUF;
  const char *Config;
  KeyType Type;
  const char *Fallback = nullptr;
};

/// A config count as u32 (GGUF stores counts as u32): missing, mistyped or
/// too large is an error naming the key.
llvm::Expected<uint32_t> readU32(const ConfigView &C, llvm::StringRef Key);
/// The same, and 0 is an error too ("<key>: must be positive").
llvm::Expected<uint32_t> readPositiveU32(const ConfigView &C,
                                         llvm::StringRef Key);

/// Writes every key of Keys in order; a missing or mistyped config value (or
/// a count that does not fit u32) is an error naming it.
llvm::Error lowerConfigKeys(const ConfigView &C, llvm::StringRef Arch,
                            llvm::ArrayRef<ConfigKey> Keys, Metadata &Meta);

/// head_dim, or hidden_size / num_attention_heads when the config has none.
llvm::Expected<uint32_t> readHeadDim(const ConfigView &C);

/// attention.key_length and attention.value_length from readHeadDim.
llvm::Error lowerHeadDim(const ConfigView &C, llvm::StringRef Arch,
                         Metadata &Meta);

/// rope.freq_base from rope_theta, or rope_parameters.rope_theta
/// (transformers v5 layout).
llvm::Error lowerRopeFreqBase(const ConfigView &C, llvm::StringRef Arch,
                              Metadata &Meta);

/// RoPE scaling from rope_parameters or rope_scaling, its type under
/// rope_type or type: "linear" and "yarn" write rope.scaling.type/factor
/// (yarn also rope.scaling.original_context_length when given); "mrope", or
/// "default" with an mrope_section, write rope.mrope_section; "default"
/// alone writes nothing. Other types are an error.
llvm::Error lowerRopeScaling(const ConfigView &C, llvm::StringRef Arch,
                             Metadata &Meta);

/// Mixture-of-experts keys of Qwen-MoE-style configs: expert_count
/// (num_experts), expert_used_count (num_experts_per_tok, at most
/// num_experts), expert_feed_forward_length (moe_intermediate_size) and
/// norm_top_k_prob (norm_topk_prob, DefaultNormTopK when absent). llama.cpp
/// puts experts in every block, so a config with dense blocks
/// (mlp_only_layers, decoder_sparse_step other than 1) is an error.
llvm::Error lowerMoeKeys(const ConfigView &C, llvm::StringRef Arch,
                         bool DefaultNormTopK, Metadata &Meta);

/// tie_word_embeddings, DefaultTied when absent; a non-boolean is an error.
llvm::Expected<bool> readTiedEmbeddings(const ConfigView &C, bool DefaultTied);

/// Pipeline passes to append after rename<arch> for a checkpoint with tied
/// embeddings: some still carry the output projection, a copy of the token
/// embedding that llama.cpp does not need (it reuses token_embd.weight).
/// Reads a config lowerConfig has validated with readTiedEmbeddings.
std::string tiedOutputDropPasses(const ConfigView &C, bool DefaultTied);

} // namespace ggufc

#endif
