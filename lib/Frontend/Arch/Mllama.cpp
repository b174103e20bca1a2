//===- Mllama.cpp - MllamaForConditionalGeneration (Llama 3.2 Vision) -----===//
//
// llama.cpp has no mllama; the target is ollama's single-file layout
// (formats.md 2.6): the Llama text model (keys under mllama.*, Q/K
// permuted, rope_freqs.weight) with cross-attention layers, the vision
// encoder (v.*) and the projector (mm.0) in one GGUF. ollama's runtime uses
// the vision gates as multipliers, so gate-fold stores tanh(g) (and
// 1 - tanh(g) for the position embedding's shared gate).
//
// ollama also permutes the cross-attention Q/K projections (with the text
// head counts) but not their per-head RMSNorm weights; we reproduce that
// layout. docs/Architectures.md says what it implies.
//
// Both key layouts are accepted: the published one (language_model.model.*,
// language_model.lm_head, vision_model.*, multi_modal_projector.*) and the
// one transformers >= 4.52 saves (model.language_model.*, lm_head,
// model.vision_model.*, model.multi_modal_projector.*).
//
//===----------------------------------------------------------------------===//
#include "CommonKeys.h"
#include "CommonRenames.h"
#include "ggufc/Frontend/Architecture.h"

using namespace llvm;

namespace ggufc {
namespace {

/// MllamaVisionConfig stores the head count as attention_heads.
const char *visionHeadsKey(const ConfigView &Vision) {
  return Vision.has("attention_heads") || !Vision.has("num_attention_heads")
             ? "attention_heads"
             : "num_attention_heads";
}

/// Where one key layout keeps each module.
struct KeyLayout {
  const char *Text, *LMHead, *Vision, *Projector;
};
const KeyLayout Layouts[] = {
    {"language_model.model", "language_model.lm_head", "vision_model",
     "multi_modal_projector"},
    {"model.language_model", "lm_head", "model.vision_model",
     "model.multi_modal_projector"},
};

// Stems relative to the text model, beyond the Llama decoder's.
const RenameRule CrossAttentionRules[] = {
    {"layers.{N}.cross_attn.q_proj", "blk.{N}.cross_attn_q_proj"},
    {"layers.{N}.cross_attn.k_proj", "blk.{N}.cross_attn_k_proj"},
    {"layers.{N}.cross_attn.v_proj", "blk.{N}.cross_attn_v_proj"},
    {"layers.{N}.cross_attn.o_proj", "blk.{N}.cross_attn_o_proj"},
    {"layers.{N}.cross_attn.q_norm", "blk.{N}.cross_attn_q_norm"},
    {"layers.{N}.cross_attn.k_norm", "blk.{N}.cross_attn_k_norm"},
    {"layers.{N}.cross_attn_attn_gate", "blk.{N}.cross_attn_attn_gate"},
    {"layers.{N}.cross_attn_mlp_gate", "blk.{N}.cross_attn_mlp_gate"},
};

// Stems relative to the vision model, outside its layers.
const RenameRule VisionRules[] = {
    {"patch_embedding", "patch_embd"},
    {"class_embedding", "class_embd"},
    {"gated_positional_embedding.embedding", "position_embd.weight"},
    {"gated_positional_embedding.gate", "position_embd.gate"},
    {"gated_positional_embedding.tile_embedding", "tile_position_embd"},
    {"pre_tile_positional_embedding.embedding", "pre_tile_position_embd"},
    {"pre_tile_positional_embedding.gate", "pre_tile_position_embd.gate"},
    {"post_tile_positional_embedding.embedding", "post_tile_position_embd"},
    {"post_tile_positional_embedding.gate", "post_tile_position_embd.gate"},
    {"layernorm_pre", "pre_ln"},
    {"layernorm_post", "post_ln"},
};

// Stems relative to one vision encoder layer (local or global).
const RenameRule VisionLayerRules[] = {
    {"self_attn.q_proj", "attn_q"},
    {"self_attn.k_proj", "attn_k"},
    {"self_attn.v_proj", "attn_v"},
    {"self_attn.o_proj", "attn_output"},
    {"input_layernorm", "attn_norm"},
    {"post_attention_layernorm", "ffn_norm"},
    {"mlp.fc1", "ffn_up"},
    {"mlp.fc2", "ffn_down"},
    {"gate_attn", "attn_gate"}, // global layers only
    {"gate_ffn", "ffn_gate"},
};

const RenameRule Generated[] = {{"rope_freqs", "rope_freqs"}};

class Mllama : public Architecture {
public:
  StringRef name() const override { return "mllama"; }
  std::vector<StringRef> hfClasses() const override {
    return {"MllamaForConditionalGeneration"};
  }

  Error lowerConfig(const ConfigView &C, Module &M) const override {
    auto Text = requireSubConfig(C, "text_config");
    if (!Text)
      return Text.takeError();
    auto Vision = requireSubConfig(C, "vision_config");
    if (!Vision)
      return Vision.takeError();
    if (Error E = lowerLlamaDecoder(*Text, name(), M))
      return E;
    static const ConfigKey TextKeys[] = {
        {"attention.cross_attention_layers", "cross_attention_layers",
         KeyType::I32List},
    };
    if (Error E = lowerConfigKeys(*Text, name(), TextKeys, M.Meta))
      return E;
    const ConfigKey VisionKeys[] = {
        {"vision.block_count", "num_hidden_layers", KeyType::U32},
        {"vision.global.block_count", "num_global_layers", KeyType::U32},
        {"vision.intermediate_layers_indices", "intermediate_layers_indices",
         KeyType::I32List},
        {"vision.embedding_length", "hidden_size", KeyType::U32},
        {"vision.feed_forward_length", "intermediate_size", KeyType::U32},
        {"vision.attention.head_count", visionHeadsKey(*Vision), KeyType::U32},
        {"vision.attention.layer_norm_epsilon", "norm_eps", KeyType::F32},
        {"vision.image_size", "image_size", KeyType::U32},
        {"vision.patch_size", "patch_size", KeyType::U32},
        {"vision.max_num_tiles", "max_num_tiles", KeyType::U32},
        {"vision.num_channels", "num_channels", KeyType::U32},
    };
    return lowerConfigKeys(*Vision, name(), VisionKeys, M.Meta);
  }

  std::string pipeline(const ConfigView &C) const override {
    // lowerConfig has checked both sub-configs; without them (a misuse)
    // the head counts read as 0 and qk-permute refuses them.
    ConfigView Text = C.sub("text_config").getValueOr(C);
    ConfigView Vision = C.sub("vision_config").getValueOr(C);
    auto Permute = [](StringRef Match, uint32_t Heads) {
      return ",qk-permute<match=" + Match.str() +
             ";heads=" + std::to_string(Heads) + ">";
    };
    return "rename<mllama>" +
           Permute("blk\\.[0-9]+\\.(attn_q|cross_attn_q_proj)\\.weight",
                   validatedU32(Text, "num_attention_heads")) +
           Permute("blk\\.[0-9]+\\.(attn_k|cross_attn_k_proj)\\.weight",
                   kvHeadCount(Text)) +
           Permute("v\\.(global\\.)?blk\\.[0-9]+\\.attn_[qk]\\.weight",
                   validatedU32(Vision, visionHeadsKey(Vision))) +
           ",gate-fold<match=v\\.global\\.blk\\.[0-9]+\\.(attn|ffn)_gate|"
           "v\\.(pre|post)_tile_position_embd\\.gate;"
           "split=v.position_embd.gate;split-to=v.tile_position_embd.gate>";
  }

  ArrayRef<RenameRule> renameRules() const override {
    static const RenameTable Table = [] {
      RenameTable T;
      for (const KeyLayout &L : Layouts) {
        std::string Vision = L.Vision;
        T.add(L.Text, "", llamaDecoderRules())
            .add(L.Text, "", CrossAttentionRules)
            .add("", "", {{L.LMHead, "output"}, {L.Projector, "mm.0"}})
            .add(Vision, "v", VisionRules)
            .add(Vision + ".transformer.layers.{N}", "v.blk.{N}",
                 VisionLayerRules)
            .add(Vision + ".global_transformer.layers.{N}", "v.global.blk.{N}",
                 VisionLayerRules);
      }
      T.add("", "", Generated);
      return T;
    }();
    return Table.rules();
  }
};

RegisterArchitecture<Mllama> X;

} // namespace
} // namespace ggufc
