//===- Qwen3Test.cpp - Qwen3 config lowering and renaming -----------------===//
#include "ggufc/Frontend/Architecture.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace llvm;

namespace {

const Architecture &qwen3() {
  const Architecture *A =
      ArchitectureRegistry::get().lookupByHFClass("Qwen3ForCausalLM");
  EXPECT_TRUE(A);
  return *A;
}

/// Base config of Qwen/Qwen3-0.6B, with Overrides merged in (null removes).
nlohmann::json config(const char *Overrides = "{}") {
  nlohmann::json J = nlohmann::json::parse(R"({
    "architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3",
    "hidden_size": 1024, "intermediate_size": 3072, "num_hidden_layers": 28,
    "num_attention_heads": 16, "num_key_value_heads": 8, "head_dim": 128,
    "max_position_embeddings": 40960, "rms_norm_eps": 1e-06,
    "rope_theta": 1000000, "rope_scaling": null, "tie_word_embeddings": true
  })");
  J.merge_patch(nlohmann::json::parse(Overrides));
  return J;
}

Expected<Module *> lower(const nlohmann::json &J, Module &M) {
  if (Error E = qwen3().lowerConfig(ConfigView("c/config.json", J), M))
    return E;
  return &M;
}

TEST(Qwen3, RegisteredUnderItsHFClass) {
  EXPECT_EQ(qwen3().name(), "qwen3");
  EXPECT_EQ(ArchitectureRegistry::get().lookupByName("qwen3"), &qwen3());
}

TEST(Qwen3, LowersQwen3_0_6BConfig) {
  Module M;
  nlohmann::json J = config();
  ASSERT_TRUE(bool(lower(J, M)));
  // head_dim 128 wins over hidden_size / heads = 64.
  std::vector<std::pair<std::string, MetaValue>> Expected = {
      {"qwen3.block_count", MetaValue::u32(28)},
      {"qwen3.context_length", MetaValue::u32(40960)},
      {"qwen3.embedding_length", MetaValue::u32(1024)},
      {"qwen3.feed_forward_length", MetaValue::u32(3072)},
      {"qwen3.attention.head_count", MetaValue::u32(16)},
      {"qwen3.attention.head_count_kv", MetaValue::u32(8)},
      {"qwen3.attention.layer_norm_rms_epsilon", MetaValue::f32(1e-06)},
      {"qwen3.attention.key_length", MetaValue::u32(128)},
      {"qwen3.attention.value_length", MetaValue::u32(128)},
      {"qwen3.rope.freq_base", MetaValue::f32(1000000)},
  };
  EXPECT_EQ(M.Meta.entries(), Expected);
  EXPECT_EQ(M.Meta.get("qwen3.attention.layer_norm_rms_epsilon")->getFloat(),
            double(1e-06f));
}

TEST(Qwen3, HeadDimFallsBackToHiddenOverHeads) {
  Module M;
  ASSERT_TRUE(bool(lower(config(R"({"head_dim": null})"), M)));
  EXPECT_EQ(M.Meta.get("qwen3.attention.key_length")->getUnsigned(), 64u);
  EXPECT_EQ(M.Meta.get("qwen3.attention.value_length")->getUnsigned(), 64u);

  Module M2;
  auto R = lower(
      config(
          R"({"head_dim": null, "hidden_size": 1000, "num_attention_heads": 16})"),
      M2);
  ASSERT_FALSE(bool(R));
  EXPECT_EQ(toString(R.takeError()),
            "c/config.json: head_dim: missing, and hidden_size 1000 is not a "
            "multiple of num_attention_heads 16");
}

TEST(Qwen3, RopeThetaFromRopeParameters) {
  Module M;
  ASSERT_TRUE(bool(lower(config(R"({"rope_theta": null,
      "rope_parameters": {"rope_type": "default", "rope_theta": 5000000}})"),
                         M)));
  EXPECT_EQ(M.Meta.get("qwen3.rope.freq_base")->getFloat(), 5000000.0);
  EXPECT_FALSE(M.Meta.contains("qwen3.rope.scaling.type"));
}

TEST(Qwen3, YarnScaling) {
  Module M;
  ASSERT_TRUE(bool(lower(config(R"({"rope_scaling": {"rope_type": "yarn",
      "factor": 4.0, "original_max_position_embeddings": 32768}})"),
                         M)));
  EXPECT_EQ(*M.Meta.get("qwen3.rope.scaling.type"), MetaValue::str("yarn"));
  EXPECT_EQ(*M.Meta.get("qwen3.rope.scaling.factor"), MetaValue::f32(4.0));
  EXPECT_EQ(*M.Meta.get("qwen3.rope.scaling.original_context_length"),
            MetaValue::u32(32768));
}

TEST(Qwen3, LinearScalingWithLegacyTypeKey) {
  Module M;
  ASSERT_TRUE(bool(lower(
      config(R"({"rope_scaling": {"type": "linear", "factor": 2}})"), M)));
  EXPECT_EQ(*M.Meta.get("qwen3.rope.scaling.type"), MetaValue::str("linear"));
  EXPECT_EQ(*M.Meta.get("qwen3.rope.scaling.factor"), MetaValue::f32(2.0));
  EXPECT_FALSE(M.Meta.contains("qwen3.rope.scaling.original_context_length"));
}

TEST(Qwen3, MropeSection) {
  Module M;
  ASSERT_TRUE(bool(lower(config(R"({"rope_scaling": {"rope_type": "default",
      "mrope_section": [24, 20, 20]}})"),
                         M)));
  EXPECT_EQ(*M.Meta.get("qwen3.rope.mrope_section"),
            MetaValue::signedArray(MetaType::I32, {24, 20, 20}));
  EXPECT_FALSE(M.Meta.contains("qwen3.rope.scaling.type"));
}

TEST(Qwen3, ConfigErrors) {
  auto ErrorOf = [](const char *Overrides) {
    Module M;
    auto R = lower(config(Overrides), M);
    return R ? std::string() : toString(R.takeError());
  };
  EXPECT_EQ(
      ErrorOf(R"({"rope_scaling": {"rope_type": "dynamic", "factor": 2}})"),
      "c/config.json: rope_scaling.rope_type: unsupported RoPE scaling "
      "type 'dynamic' (supported: default, linear, mrope, yarn)");
  EXPECT_EQ(ErrorOf(R"({"rope_scaling": {"rope_type": "yarn"}})"),
            "c/config.json: rope_scaling.factor: missing");
  EXPECT_EQ(ErrorOf(R"({"rope_scaling": {"rope_type": "mrope"}})"),
            "c/config.json: rope_scaling.mrope_section: missing");
  EXPECT_EQ(ErrorOf(R"({"num_hidden_layers": null})"),
            "c/config.json: num_hidden_layers: missing");
  EXPECT_EQ(ErrorOf(R"({"intermediate_size": 4294967296})"),
            "c/config.json: intermediate_size: value 4294967296 does not fit "
            "in 32 bits");
  EXPECT_EQ(ErrorOf(R"({"rope_theta": null})"),
            "c/config.json: rope_theta: missing");
}

TEST(Qwen3, TiedEmbeddingsDropTheOutputCopy) {
  auto Pipeline = [](const char *Overrides) {
    nlohmann::json J = config(Overrides);
    Module M;
    EXPECT_TRUE(bool(lower(J, M)));
    return qwen3().pipeline(ConfigView("c", J));
  };
  EXPECT_EQ(Pipeline("{}"), "rename<qwen3>,drop<match=output\\.weight>,dce");
  EXPECT_EQ(Pipeline(R"({"tie_word_embeddings": false})"), "rename<qwen3>");
  // Qwen3Config's default is untied.
  EXPECT_EQ(Pipeline(R"({"tie_word_embeddings": null})"), "rename<qwen3>");

  Module M;
  auto R = lower(config(R"({"tie_word_embeddings": "yes"})"), M);
  ASSERT_FALSE(bool(R));
  EXPECT_EQ(
      toString(R.takeError()),
      "c/config.json: tie_word_embeddings: expected a boolean, got \"yes\"");
}

TEST(Qwen3, RenameRules) {
  auto Rename = [](StringRef Name) {
    return applyRenameRules(qwen3().renameRules(), Name);
  };
  EXPECT_EQ(Rename("model.embed_tokens.weight"),
            std::string("token_embd.weight"));
  EXPECT_EQ(Rename("model.norm.weight"), std::string("output_norm.weight"));
  EXPECT_EQ(Rename("lm_head.weight"), std::string("output.weight"));
  EXPECT_EQ(Rename("model.layers.0.input_layernorm.weight"),
            std::string("blk.0.attn_norm.weight"));
  EXPECT_EQ(Rename("model.layers.12.self_attn.q_proj.weight"),
            std::string("blk.12.attn_q.weight"));
  EXPECT_EQ(Rename("model.layers.3.self_attn.k_proj.bias"),
            std::string("blk.3.attn_k.bias"));
  EXPECT_EQ(Rename("model.layers.3.self_attn.v_proj.weight"),
            std::string("blk.3.attn_v.weight"));
  EXPECT_EQ(Rename("model.layers.3.self_attn.o_proj.weight"),
            std::string("blk.3.attn_output.weight"));
  EXPECT_EQ(Rename("model.layers.3.self_attn.q_norm.weight"),
            std::string("blk.3.attn_q_norm.weight"));
  EXPECT_EQ(Rename("model.layers.3.self_attn.k_norm.weight"),
            std::string("blk.3.attn_k_norm.weight"));
  EXPECT_EQ(Rename("model.layers.3.post_attention_layernorm.weight"),
            std::string("blk.3.ffn_norm.weight"));
  EXPECT_EQ(Rename("model.layers.3.mlp.gate_proj.weight"),
            std::string("blk.3.ffn_gate.weight"));
  EXPECT_EQ(Rename("model.layers.3.mlp.up_proj.weight"),
            std::string("blk.3.ffn_up.weight"));
  EXPECT_EQ(Rename("model.layers.3.mlp.down_proj.weight"),
            std::string("blk.3.ffn_down.weight"));
  EXPECT_EQ(Rename("model.layers.3.self_attn.rotary_emb.inv_freq"),
            std::string(""));
  EXPECT_EQ(Rename("model.normalizer.weight"), None);
  EXPECT_EQ(Rename("visual.blocks.0.attn.qkv.weight"), None);
}

} // namespace
