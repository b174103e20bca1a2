//===- MllamaTest.cpp - Mllama config lowering and pipeline ---------------===//
#include "ggufc/Frontend/Architecture.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace llvm;

namespace {

const Architecture &mllama() {
  const Architecture *A = ArchitectureRegistry::get().lookupByHFClass(
      "MllamaForConditionalGeneration");
  EXPECT_TRUE(A);
  return *A;
}

/// The model keys of meta-llama/Llama-3.2-11B-Vision-Instruct's config.json,
/// with Overrides merged in (null removes).
nlohmann::json config(const char *Overrides = "{}") {
  nlohmann::json J = nlohmann::json::parse(R"({
    "architectures": ["MllamaForConditionalGeneration"],
    "image_token_index": 128256, "model_type": "mllama",
    "text_config": {
      "cross_attention_layers": [3, 8, 13, 18, 23, 28, 33, 38],
      "hidden_size": 4096, "intermediate_size": 14336,
      "max_position_embeddings": 131072, "num_attention_heads": 32,
      "num_hidden_layers": 40, "num_key_value_heads": 8,
      "rms_norm_eps": 1e-05, "rope_theta": 500000.0, "vocab_size": 128256,
      "rope_scaling": {"factor": 8.0, "high_freq_factor": 4.0,
        "low_freq_factor": 1.0, "original_max_position_embeddings": 8192,
        "rope_type": "llama3"},
      "tie_word_embeddings": false
    },
    "vision_config": {
      "attention_heads": 16, "hidden_size": 1280, "image_size": 560,
      "intermediate_layers_indices": [3, 7, 15, 23, 30],
      "intermediate_size": 5120, "max_num_tiles": 4, "norm_eps": 1e-05,
      "num_channels": 3, "num_global_layers": 8, "num_hidden_layers": 32,
      "patch_size": 14, "vision_output_dim": 7680
    }
  })");
  J.merge_patch(nlohmann::json::parse(Overrides));
  return J;
}

Error lower(const nlohmann::json &J, Module &M) {
  return mllama().lowerConfig(ConfigView("c/config.json", J), M);
}

std::string errorOf(const char *Overrides) {
  Module M;
  Error E = lower(config(Overrides), M);
  return E ? toString(std::move(E)) : std::string();
}

TEST(Mllama, LowersLlama3_2_11BVisionConfig) {
  Module M;
  ASSERT_FALSE(bool(lower(config(), M)));
  std::vector<std::pair<std::string, MetaValue>> Expected = {
      {"mllama.block_count", MetaValue::u32(40)},
      {"mllama.context_length", MetaValue::u32(131072)},
      {"mllama.embedding_length", MetaValue::u32(4096)},
      {"mllama.feed_forward_length", MetaValue::u32(14336)},
      {"mllama.attention.head_count", MetaValue::u32(32)},
      {"mllama.attention.head_count_kv", MetaValue::u32(8)},
      {"mllama.attention.layer_norm_rms_epsilon", MetaValue::f32(1e-05)},
      {"mllama.vocab_size", MetaValue::u32(128256)},
      {"mllama.rope.freq_base", MetaValue::f32(500000)},
      // hidden_size / heads; no head_dim, so no key_length (as ollama).
      {"mllama.rope.dimension_count", MetaValue::u32(128)},
      {"mllama.attention.cross_attention_layers",
       MetaValue::signedArray(MetaType::I32, {3, 8, 13, 18, 23, 28, 33, 38})},
      {"mllama.vision.block_count", MetaValue::u32(32)},
      {"mllama.vision.global.block_count", MetaValue::u32(8)},
      {"mllama.vision.intermediate_layers_indices",
       MetaValue::signedArray(MetaType::I32, {3, 7, 15, 23, 30})},
      {"mllama.vision.embedding_length", MetaValue::u32(1280)},
      {"mllama.vision.feed_forward_length", MetaValue::u32(5120)},
      {"mllama.vision.attention.head_count", MetaValue::u32(16)},
      {"mllama.vision.attention.layer_norm_epsilon", MetaValue::f32(1e-05)},
      {"mllama.vision.image_size", MetaValue::u32(560)},
      {"mllama.vision.patch_size", MetaValue::u32(14)},
      {"mllama.vision.max_num_tiles", MetaValue::u32(4)},
      {"mllama.vision.num_channels", MetaValue::u32(3)},
  };
  EXPECT_EQ(M.Meta.entries(), Expected);
  ASSERT_EQ(M.outputs().size(), 1u);
  EXPECT_EQ(M.outputs()[0].Name, "rope_freqs.weight");
  EXPECT_EQ(M.outputs()[0].Def->Type, (TensorType{DType::F32, {64}}));
}

TEST(Mllama, VisionHeadsUnderEitherName) {
  Module M;
  ASSERT_FALSE(bool(lower(config(R"({"vision_config":
      {"attention_heads": null, "num_attention_heads": 12}})"),
                          M)));
  ASSERT_TRUE(M.Meta.contains("mllama.vision.attention.head_count"));
  EXPECT_EQ(M.Meta.get("mllama.vision.attention.head_count")->getUnsigned(),
            12u);
}

TEST(Mllama, ConfigErrors) {
  EXPECT_EQ(errorOf(R"({"text_config": null})"),
            "c/config.json: text_config: missing");
  EXPECT_EQ(errorOf(R"({"vision_config": [1]})"),
            "c/config.json: vision_config: expected an object");
  EXPECT_EQ(errorOf(R"({"text_config": {"cross_attention_layers": [3, -1]}})"),
            "c/config.json: text_config.cross_attention_layers: expected a "
            "list of non-negative integers");
  EXPECT_EQ(errorOf(R"({"vision_config": {"attention_heads": null}})"),
            "c/config.json: vision_config.attention_heads: missing");
  EXPECT_EQ(errorOf(R"({"vision_config": {"norm_eps": "small"}})"),
            "c/config.json: vision_config.norm_eps: expected a number, got "
            "\"small\"");
  EXPECT_EQ(errorOf(R"({"text_config": {"rope_theta": null}})"),
            "c/config.json: text_config.rope_theta: missing");
}

TEST(Mllama, Pipeline) {
  nlohmann::json J = config();
  Module M;
  ASSERT_FALSE(bool(lower(J, M)));
  EXPECT_EQ(mllama().pipeline(ConfigView("c", J)),
            "rename<mllama>,"
            "qk-permute<match=blk\\.[0-9]+\\.(attn_q|cross_attn_q_proj)\\."
            "weight;heads=32>,"
            "qk-permute<match=blk\\.[0-9]+\\.(attn_k|cross_attn_k_proj)\\."
            "weight;heads=8>,"
            "qk-permute<match=v\\.(global\\.)?blk\\.[0-9]+\\.attn_[qk]\\."
            "weight;heads=16>,"
            "gate-fold<match=v\\.global\\.blk\\.[0-9]+\\.(attn|ffn)_gate|"
            "v\\.(pre|post)_tile_position_embd\\.gate;"
            "split=v.position_embd.gate;split-to=v.tile_position_embd.gate>");
}

} // namespace
