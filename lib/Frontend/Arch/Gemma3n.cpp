//===- Gemma3n.cpp - Gemma3nForConditionalGeneration (text) ---------------===//
//
// Gemma 3n's language model, from a multimodal checkpoint: its config is
// config.json's text_config, its tensors are under model.language_model.
// What the conversion does beyond renaming, each a pass of the pipeline:
//   - drop the audio and vision towers and their embedders (llama.cpp's
//     text model has no use for them);
//   - stack the AltUp projections 0..k-1 into altup_proj / altup_unembd_proj;
//   - clamp the AltUp coefficients to +-altup_coef_clip, as the model does
//     when it runs;
//   - pad the per-layer embedding table with zero rows to one row per token
//     (it covers only the text vocabulary, llama.cpp needs every token);
//   - turn the per-layer activation sparsity (a probability) into the
//     standard normal quantile llama.cpp multiplies by.
// Its RMSNorm scales by w itself, so there is no norm offset.
//
//===----------------------------------------------------------------------===//
#include "CommonKeys.h"
#include "CommonRenames.h"
#include "ggufc/Frontend/Architecture.h"
#include "ggufc/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using nlohmann::json;

namespace ggufc {
namespace {

constexpr const char *Arch = "gemma3n";
/// Where lowerConfig leaves activation_sparsity_pattern for the
/// sparsity-quantile pass, which replaces it by SparsityScaleKey.
constexpr const char *SparsityPatternKey = "gemma3n.activation_sparsity_pattern";
constexpr const char *SparsityScaleKey = "gemma3n.activation_sparsity_scale";

Expected<ConfigView> textConfig(const ConfigView &C) {
  if (Optional<ConfigView> T = C.sub("text_config"))
    return *T;
  return C.error("text_config", "missing (Gemma 3n keeps its language "
                                "model's settings there)");
}

/// intermediate_size: a number, or one per layer; llama.cpp's gemma3n takes
/// one size, so a list must repeat the same number.
Error lowerFeedForwardLength(const ConfigView &T, Metadata &Meta) {
  const char *Key = "intermediate_size";
  if (!T.has(Key) || !T.json().at(Key).is_array()) {
    static const ConfigKey Scalar[] = {
        {"feed_forward_length", "intermediate_size", KeyType::U32}};
    return lowerConfigKeys(T, Arch, Scalar, Meta);
  }
  const json &List = T.json().at(Key);
  if (List.empty())
    return T.error(Key, "must not be an empty list");
  for (const json &V : List)
    if (!V.is_number_unsigned() || V.get<uint64_t>() > UINT32_MAX)
      return T.error(Key, "expected a list of non-negative 32-bit integers");
  for (const json &V : List)
    if (V != List.front())
      return T.error(Key, "values must all be the same (got " +
                              List.front().dump() + " and " + V.dump() +
                              "); per-layer sizes are not supported");
  Meta.set("gemma3n.feed_forward_length",
           MetaValue::u32(List.front().get<uint32_t>()));
  return Error::success();
}

/// attention.sliding_window_pattern: true for each sliding-window layer of
/// layer_types (transformers' default when absent: every fifth layer full).
Error lowerSlidingWindowPattern(const ConfigView &T, uint32_t Layers,
                                Metadata &Meta) {
  std::vector<uint64_t> Sliding;
  if (!T.has("layer_types")) {
    for (uint32_t I = 0; I < Layers; ++I)
      Sliding.push_back((I + 1) % 5 != 0);
  } else {
    const json &Types = T.json().at("layer_types");
    if (!Types.is_array() || Types.size() != Layers)
      return T.error("layer_types", "expected a list of " + Twine(Layers) +
                                        " layer types (num_hidden_layers)");
    for (const json &Type : Types) {
      if (Type != "sliding_attention" && Type != "full_attention")
        return T.error("layer_types",
                       "unknown layer type " + Type.dump() +
                           " (expected sliding_attention or full_attention)");
      Sliding.push_back(Type == "sliding_attention");
    }
  }
  Meta.set("gemma3n.attention.sliding_window_pattern",
           MetaValue::unsignedArray(MetaType::Bool, std::move(Sliding)));
  return Error::success();
}

/// activation_sparsity_pattern, one probability per layer, kept as f64 (the
/// quantile of the double 0.95 differs from that of the float 0.95). When
/// absent, transformers' default: 0.95 for the first 10 of more than 10
/// layers, else 0.
Error lowerSparsityPattern(const ConfigView &T, uint32_t Layers,
                           Metadata &Meta) {
  const char *Key = "activation_sparsity_pattern";
  std::vector<double> Pattern;
  if (!T.has(Key)) {
    for (uint32_t I = 0; I < Layers; ++I)
      Pattern.push_back(Layers > 10 && I < 10 ? 0.95 : 0.0);
  } else {
    const json &List = T.json().at(Key);
    if (!List.is_array() || List.size() != Layers)
      return T.error(Key, "expected a list of " + Twine(Layers) +
                              " numbers (num_hidden_layers)");
    for (const json &V : List) {
      if (!V.is_number())
        return T.error(Key, "expected numbers, got " + V.dump());
      Pattern.push_back(V.get<double>());
    }
  }
  Meta.set(SparsityPatternKey,
           MetaValue::floatArray(MetaType::F64, std::move(Pattern)));
  return Error::success();
}

/// The RoPE base of full-attention layers (rope.freq_base) and of
/// sliding-window ones (rope.freq_base_swa, which llama.cpp reads, and
/// rope.freq_base_local, ollama's name): rope_theta / rope_local_base_freq,
/// or transformers v5's rope_parameters.{full,sliding}_attention.rope_theta,
/// or transformers' defaults 1e6 / 1e4.
Error lowerRopeBases(const ConfigView &T, Metadata &Meta) {
  auto Base = [&](const char *Flat, const char *LayerType,
                  double Default) -> Expected<double> {
    if (T.has(Flat))
      return T.getFloat(Flat);
    if (Optional<ConfigView> P = T.sub("rope_parameters"))
      if (Optional<ConfigView> L = P->sub(LayerType))
        if (L->has("rope_theta"))
          return L->getFloat("rope_theta");
    return Default;
  };
  auto Global = Base("rope_theta", "full_attention", 1e6);
  if (!Global)
    return Global.takeError();
  auto Local = Base("rope_local_base_freq", "sliding_attention", 1e4);
  if (!Local)
    return Local.takeError();
  Meta.set("gemma3n.rope.freq_base", MetaValue::f32(*Global));
  Meta.set("gemma3n.rope.freq_base_swa", MetaValue::f32(*Local));
  Meta.set("gemma3n.rope.freq_base_local", MetaValue::f32(*Local));
  return Error::success();
}

/// An optional f32 key, written when the config sets it.
Error lowerOptionalFloat(const ConfigView &T, const char *Config,
                         const char *GGUF, Metadata &Meta) {
  auto V = T.getOptFloat(Config);
  if (!V)
    return V.takeError();
  if (*V)
    Meta.set((Twine(Arch) + "." + GGUF).str(), MetaValue::f32(**V));
  return Error::success();
}

class Gemma3n : public Architecture {
  static constexpr bool DefaultTied = true; // as Gemma3nTextConfig

public:
  StringRef name() const override { return Arch; }
  std::vector<StringRef> hfClasses() const override {
    return {"Gemma3nForConditionalGeneration"};
  }

  Error lowerConfig(const ConfigView &C, Module &M) const override {
    auto T = textConfig(C);
    if (!T)
      return T.takeError();
    Metadata &Meta = M.Meta;
    static const ConfigKey Sizes[] = {
        {"block_count", "num_hidden_layers", KeyType::U32},
        {"context_length", "max_position_embeddings", KeyType::U32},
        {"embedding_length", "hidden_size", KeyType::U32},
        {"embedding_length_per_layer_input", "hidden_size_per_layer_input",
         KeyType::U32},
    };
    if (Error E = lowerConfigKeys(*T, Arch, Sizes, Meta))
      return E;
    uint32_t Layers = uint32_t(Meta.get("gemma3n.block_count")->getUnsigned());
    if (Error E = lowerFeedForwardLength(*T, Meta))
      return E;

    static const ConfigKey Attention[] = {
        {"attention.head_count", "num_attention_heads", KeyType::U32},
        {"attention.head_count_kv", "num_key_value_heads", KeyType::U32},
    };
    if (Error E = lowerConfigKeys(*T, Arch, Attention, Meta))
      return E;
    if (Error E = lowerHeadDim(*T, Arch, Meta))
      return E;
    // ollama's name for the same value.
    Meta.set("gemma3n.head_dim",
             *Meta.get("gemma3n.attention.key_length"));

    static const ConfigKey Layout[] = {
        {"attention.layer_norm_rms_epsilon", "rms_norm_eps", KeyType::F32},
        {"attention.sliding_window", "sliding_window", KeyType::U32},
    };
    if (Error E = lowerConfigKeys(*T, Arch, Layout, Meta))
      return E;
    if (Error E = lowerSlidingWindowPattern(*T, Layers, Meta))
      return E;
    static const ConfigKey Shared[] = {
        {"attention.shared_kv_layers", "num_kv_shared_layers", KeyType::U32}};
    if (Error E = lowerConfigKeys(*T, Arch, Shared, Meta))
      return E;
    if (Error E = lowerRopeBases(*T, Meta))
      return E;

    static const ConfigKey AltUp[] = {
        {"altup.active_idx", "altup_active_idx", KeyType::U32},
        {"altup.num_inputs", "altup_num_inputs", KeyType::U32},
        {"altup.correct_scale", "altup_correct_scale", KeyType::Bool},
    };
    if (Error E = lowerConfigKeys(*T, Arch, AltUp, Meta))
      return E;
    if (Error E = lowerOptionalFloat(*T, "altup_lr_multiplier",
                                     "altup.lr_multiplier", Meta))
      return E;
    if (Error E = lowerOptionalFloat(*T, "final_logit_softcapping",
                                     "final_logit_softcapping", Meta))
      return E;
    if (Error E = lowerSparsityPattern(*T, Layers, Meta))
      return E;
    // Checked here so that pipeline() can rely on them.
    if (Error E = T->getOptFloat("altup_coef_clip").takeError())
      return E;
    return readTiedEmbeddings(*T, DefaultTied).takeError();
  }

  std::string pipeline(const ConfigView &C) const override {
    ConfigView T = cantFail(textConfig(C));
    std::string P;
    raw_string_ostream OS(P);
    OS << "drop<match=model\\.(audio_tower|vision_tower|embed_audio|"
          "embed_vision)\\..*>,rename<gemma3n>"
       << tiedOutputDropPasses(T, DefaultTied)
       << ",stack<pattern=altup_proj.{E}.weight;name=altup_proj.weight>"
          ",stack<pattern=altup_unembd_proj.{E}.weight;"
          "name=altup_unembd_proj.weight>";
    Optional<double> Clip =
        cantFail(T.getOptFloat("altup_coef_clip")); // validated
    if (Clip && *Clip > 0) {
      OS << ",clamp<match=blk\\.[0-9]+\\.altup_(correct|predict)_coef\\.weight"
            ";min=";
      printDouble(OS, -*Clip);
      OS << ";max=";
      printDouble(OS, *Clip);
      OS << ">";
    }
    OS << ",pad-vocab<match=token_embd\\.weight|per_layer_token_embd\\.weight>"
       << ",sparsity-quantile<from=" << SparsityPatternKey
       << ";to=" << SparsityScaleKey << ">,dce";
    return OS.str();
  }

  ArrayRef<RenameRule> renameRules() const override {
    // Gemma 3n's own stems under model.language_model (listed first: the
    // first matching rule wins, so post_attention_layernorm is not the
    // Llama decoder's ffn_norm here), then the shared Llama decoder stems.
    static const RenameRule Own[] = {
        {"embed_tokens_per_layer", "per_layer_token_embd"},
        {"per_layer_model_projection", "per_layer_model_proj"},
        {"per_layer_projection_norm", "per_layer_proj_norm"},
        // Numbered for the stack passes that join them.
        {"altup_projections.{N}", "altup_proj.{N}"},
        {"altup_unembed_projections.{N}", "altup_unembd_proj.{N}"},
        {"layers.{N}.self_attn.q_norm", "blk.{N}.attn_q_norm"},
        {"layers.{N}.self_attn.k_norm", "blk.{N}.attn_k_norm"},
        {"layers.{N}.post_attention_layernorm", "blk.{N}.post_attention_norm"},
        {"layers.{N}.pre_feedforward_layernorm", "blk.{N}.ffn_norm"},
        {"layers.{N}.post_feedforward_layernorm", "blk.{N}.post_ffw_norm"},
        {"layers.{N}.per_layer_input_gate", "blk.{N}.inp_gate"},
        {"layers.{N}.per_layer_projection", "blk.{N}.proj"},
        {"layers.{N}.post_per_layer_input_norm", "blk.{N}.post_norm"},
        // A bare parameter (no ".weight" in the checkpoint).
        {"layers.{N}.altup.correct_output_scale",
         "blk.{N}.altup_correct_scale.weight"},
        {"layers.{N}.altup.correction_coefs", "blk.{N}.altup_correct_coef"},
        {"layers.{N}.altup.prediction_coefs", "blk.{N}.altup_predict_coef"},
        {"layers.{N}.altup.modality_router", "blk.{N}.altup_router"},
        {"layers.{N}.altup.router_norm", "blk.{N}.altup_router_norm"},
        {"layers.{N}.laurel.linear_left", "blk.{N}.laurel_l"},
        {"layers.{N}.laurel.linear_right", "blk.{N}.laurel_r"},
        {"layers.{N}.laurel.post_laurel_norm", "blk.{N}.laurel_post_norm"},
    };
    static const RenameRule TopLevel[] = {{"lm_head", "output"}};
    static const RenameTable Table = [] {
      RenameTable T;
      T.add("model.language_model", "", Own)
          .add("model.language_model", "", llamaDecoderRules())
          .add("", "", TopLevel);
      return T;
    }();
    return Table.rules();
  }

  TokenizerTraits tokenizerTraits() const override {
    TokenizerTraits T;
    T.SentencePiece = true;
    return T;
  }
};

RegisterArchitecture<Gemma3n> X;

} // namespace
} // namespace ggufc
