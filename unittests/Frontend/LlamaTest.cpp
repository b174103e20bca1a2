//===- LlamaTest.cpp - Llama config lowering, rope_freqs, renaming --------===//
#include "ggufc/Frontend/Architecture.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace llvm;

namespace {

const Architecture &llama() {
  const Architecture *A =
      ArchitectureRegistry::get().lookupByHFClass("LlamaForCausalLM");
  EXPECT_TRUE(A);
  return *A;
}

/// Base config of meta-llama/Llama-3.2-1B, with Overrides merged in (null
/// removes).
nlohmann::json config(const char *Overrides = "{}") {
  nlohmann::json J = nlohmann::json::parse(R"({
    "architectures": ["LlamaForCausalLM"], "model_type": "llama",
    "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16,
    "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64,
    "max_position_embeddings": 131072, "rms_norm_eps": 1e-05,
    "rope_theta": 500000.0, "tie_word_embeddings": true, "vocab_size": 128256,
    "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0,
      "low_freq_factor": 1.0, "original_max_position_embeddings": 8192,
      "rope_type": "llama3"}
  })");
  J.merge_patch(nlohmann::json::parse(Overrides));
  return J;
}

Error lower(const nlohmann::json &J, Module &M) {
  return llama().lowerConfig(ConfigView("c/config.json", J), M);
}

std::string errorOf(const char *Overrides) {
  Module M;
  Error E = lower(config(Overrides), M);
  return E ? toString(std::move(E)) : std::string();
}

TEST(Llama, RegisteredUnderItsHFClass) {
  EXPECT_EQ(llama().name(), "llama");
  EXPECT_EQ(ArchitectureRegistry::get().lookupByName("llama"), &llama());
}

TEST(Llama, LowersLlama3_2_1BConfig) {
  Module M;
  ASSERT_FALSE(bool(lower(config(), M)));
  std::vector<std::pair<std::string, MetaValue>> Expected = {
      {"llama.block_count", MetaValue::u32(16)},
      {"llama.context_length", MetaValue::u32(131072)},
      {"llama.embedding_length", MetaValue::u32(2048)},
      {"llama.feed_forward_length", MetaValue::u32(8192)},
      {"llama.attention.head_count", MetaValue::u32(32)},
      {"llama.attention.head_count_kv", MetaValue::u32(8)},
      {"llama.attention.layer_norm_rms_epsilon", MetaValue::f32(1e-05)},
      {"llama.vocab_size", MetaValue::u32(128256)},
      {"llama.rope.freq_base", MetaValue::f32(500000)},
      {"llama.rope.dimension_count", MetaValue::u32(64)},
      {"llama.attention.key_length", MetaValue::u32(64)},
      {"llama.attention.value_length", MetaValue::u32(64)},
  };
  EXPECT_EQ(M.Meta.entries(), Expected);
  // llama3 scaling is the rope_freqs tensor, not metadata.
  ASSERT_EQ(M.outputs().size(), 1u);
  EXPECT_EQ(M.outputs()[0].Name, "rope_freqs.weight");
  EXPECT_EQ(M.outputs()[0].Def->Op, Opcode::Const);
  EXPECT_EQ(M.outputs()[0].Def->Type, (TensorType{DType::F32, {32}}));
}

/// rope_freqs.weight for head_dim 4, rope_theta Theta and llama3 scaling
/// with factor 8 over an original context of 64 (low 1, high 4 by default).
std::vector<float> ropeFreqs(double Theta) {
  nlohmann::json J = config(R"({"hidden_size": 8, "head_dim": 4,
      "num_attention_heads": 2, "num_key_value_heads": 1,
      "rope_scaling": {"rope_type": "llama3", "factor": 8,
        "low_freq_factor": null, "high_freq_factor": null,
        "original_max_position_embeddings": 64}})");
  J["rope_theta"] = Theta;
  Module M;
  EXPECT_FALSE(bool(lower(J, M)));
  EXPECT_EQ(M.outputs().size(), 1u);
  return M.outputs().empty() ? std::vector<float>() : M.outputs()[0].Def->Data;
}

TEST(Llama, Llama3RopeFreqsInAllThreeRegimes) {
  // theta 100: wavelengths 2*pi (below original/high = 16: kept) and
  // 2*pi*10 = 62.83 (between 16 and original/low = 64: smooth
  // s = (64/62.83 - 1)/3 = 0.0061972, 1/((1-s)/8 + s) = 7.6673851).
  std::vector<float> F = ropeFreqs(100);
  ASSERT_EQ(F.size(), 2u);
  EXPECT_EQ(F[0], 1.0f);
  EXPECT_FLOAT_EQ(F[1], 7.6673851f);
  // theta 10000 puts i = 2 at 2*pi*100 = 628 > 64: the full factor.
  EXPECT_EQ(ropeFreqs(10000), (std::vector<float>{1, 8}));
}

TEST(Llama, OtherRopeScalingAsMetadata) {
  Module M;
  // (A merge patch keeps the other rope_scaling keys; linear ignores them.)
  ASSERT_FALSE(bool(lower(
      config(R"({"rope_scaling": {"rope_type": "linear", "factor": 2}})"), M)));
  ASSERT_TRUE(M.Meta.contains("llama.rope.scaling.type"));
  EXPECT_EQ(*M.Meta.get("llama.rope.scaling.type"), MetaValue::str("linear"));
  EXPECT_TRUE(M.outputs().empty());

  Module M2;
  ASSERT_FALSE(bool(lower(config(R"({"rope_scaling": null})"), M2)));
  EXPECT_TRUE(M2.outputs().empty());
  EXPECT_FALSE(M2.Meta.contains("llama.rope.scaling.type"));
}

TEST(Llama, HeadDimAndKVHeadsDefaults) {
  // Llama 2 configs: no head_dim (hidden / heads; no key_length written),
  // no num_key_value_heads (one per head).
  Module M;
  ASSERT_FALSE(
      bool(lower(config(R"({"head_dim": null, "num_key_value_heads": null,
                 "rope_scaling": null})"),
                 M)));
  ASSERT_TRUE(M.Meta.contains("llama.rope.dimension_count"));
  EXPECT_EQ(M.Meta.get("llama.rope.dimension_count")->getUnsigned(), 64u);
  ASSERT_TRUE(M.Meta.contains("llama.attention.head_count_kv"));
  EXPECT_EQ(M.Meta.get("llama.attention.head_count_kv")->getUnsigned(), 32u);
  EXPECT_FALSE(M.Meta.contains("llama.attention.key_length"));
}

TEST(Llama, ConfigErrors) {
  EXPECT_EQ(errorOf(R"({"vocab_size": null})"),
            "c/config.json: vocab_size: missing");
  EXPECT_EQ(errorOf(R"({"rope_scaling": {"rope_type": "llama3",
                "low_freq_factor": 4, "high_freq_factor": 4}})"),
            "c/config.json: rope_scaling.high_freq_factor: must be greater "
            "than low_freq_factor (4), got 4");
  EXPECT_EQ(errorOf(R"({"rope_scaling": {"rope_type": "llama3",
                "factor": -1}})"),
            "c/config.json: rope_scaling.factor: must be positive, got -1");
  EXPECT_EQ(errorOf(R"({"rope_scaling": {"rope_type": "llama3",
                "factor": "big"}})"),
            "c/config.json: rope_scaling.factor: expected a number, got "
            "\"big\"");
  EXPECT_EQ(errorOf(R"({"head_dim": 7})"),
            "c/config.json: head_dim: must be even for RoPE, got 7");
  EXPECT_EQ(errorOf(R"({"rope_scaling": {"rope_type": "dynamic"}})"),
            "c/config.json: rope_scaling.rope_type: unsupported RoPE scaling "
            "type 'dynamic' (supported: default, linear, mrope, yarn)");
}

TEST(Llama, PipelinePermutesQAndKWithTheirHeadCounts) {
  auto Pipeline = [](const char *Overrides) {
    nlohmann::json J = config(Overrides);
    Module M;
    EXPECT_FALSE(bool(lower(J, M)));
    return llama().pipeline(ConfigView("c", J));
  };
  EXPECT_EQ(Pipeline("{}"),
            "rename<llama>,"
            "qk-permute<match=blk\\.[0-9]+\\.attn_q\\.(weight|bias);heads=32>,"
            "qk-permute<match=blk\\.[0-9]+\\.attn_k\\.(weight|bias);heads=8>,"
            "drop<match=output\\.weight>,dce");
  EXPECT_EQ(Pipeline(R"({"tie_word_embeddings": false,
                         "num_key_value_heads": null})"),
            "rename<llama>,"
            "qk-permute<match=blk\\.[0-9]+\\.attn_q\\.(weight|bias);heads=32>,"
            "qk-permute<match=blk\\.[0-9]+\\.attn_k\\.(weight|bias);heads=32>");
}

TEST(Llama, RenameRules) {
  auto Rename = [](StringRef Name) {
    return applyRenameRules(llama().renameRules(), Name);
  };
  EXPECT_EQ(Rename("model.embed_tokens.weight"),
            std::string("token_embd.weight"));
  EXPECT_EQ(Rename("model.norm.weight"), std::string("output_norm.weight"));
  EXPECT_EQ(Rename("lm_head.weight"), std::string("output.weight"));
  EXPECT_EQ(Rename("rope_freqs.weight"), std::string("rope_freqs.weight"));
  EXPECT_EQ(Rename("model.layers.15.self_attn.q_proj.weight"),
            std::string("blk.15.attn_q.weight"));
  EXPECT_EQ(Rename("model.layers.0.self_attn.k_proj.bias"),
            std::string("blk.0.attn_k.bias"));
  EXPECT_EQ(Rename("model.layers.0.mlp.down_proj.weight"),
            std::string("blk.0.ffn_down.weight"));
  EXPECT_EQ(Rename("model.layers.0.self_attn.rotary_emb.inv_freq"),
            std::string(""));
  EXPECT_EQ(Rename("model.layers.0.self_attn.q_norm.weight"), None);
  EXPECT_EQ(Rename("model.normalizer.weight"), None);
}

} // namespace
