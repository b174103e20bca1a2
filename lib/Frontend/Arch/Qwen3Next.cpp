//===- Qwen3Next.cpp - Qwen3NextForCausalLM -------------------------------===//
//
// Qwen3-Next (e.g. Qwen/Qwen3-Next-80B-A3B-Instruct): a hybrid of gated
// full-attention blocks (Qwen3's attention with an output gate and partial
// RoPE) and linear-attention blocks (Gated DeltaNet), every block with
// Qwen3-MoE's experts plus a gated shared expert, and optional multi-token
// prediction (MTP) layers. Written as llama.cpp's qwen3next: MTP layers as
// extra blocks, the linear-attention input projection regrouped
// (qkvz-split), A = -exp(A_log), the depthwise convolution and the shared
// expert's gate squeezed, and the RMSNorm weights, stored as offsets from
// one, made absolute (all but the gated norm of the linear attention).
//
//===----------------------------------------------------------------------===//
#include "CommonKeys.h"
#include "CommonRenames.h"
#include "Qwen3Family.h"
#include "ggufc/Support/Format.h"
#include "llvm/ADT/StringExtras.h"
#include <algorithm>

using namespace llvm;

namespace ggufc {
namespace {

constexpr bool DefaultTied = false;          // as Qwen3NextConfig
constexpr bool DefaultNormTopK = true;       // as Qwen3NextConfig
constexpr uint32_t DefaultInterval = 4;      // as Qwen3NextConfig
constexpr double DefaultRotaryFactor = 0.25; // as Qwen3NextConfig

std::string key(StringRef Arch, StringRef Name) {
  return (Arch + "." + Name).str();
}

std::string numberText(double D) {
  std::string S;
  raw_string_ostream OS(S);
  printDouble(OS, D);
  return OS.str();
}

/// Which of the num_hidden_layers blocks have full attention: from
/// layer_types when given, else every full_attention_interval-th block (as
/// transformers does); at least one must. Writes full_attention_interval,
/// and attention.recurrent_layers when the config lists layer_types
/// (llama.cpp prefers it to the interval); the MTP blocks have full
/// attention.
Error lowerLayerTypes(const ConfigView &C, StringRef Arch, uint32_t Layers,
                      uint32_t MTPLayers, Metadata &Meta) {
  auto Interval = C.getOptUInt("full_attention_interval");
  if (!Interval)
    return Interval.takeError();
  const nlohmann::json &J = C.json();
  auto Types = J.find("layer_types");
  if (Types != J.end() && !Types->is_null()) {
    if (!Types->is_array() || Types->size() != Layers)
      return C.error("layer_types", "expected a list of " + Twine(Layers) +
                                        " entries (num_hidden_layers)");
    std::vector<uint64_t> Recurrent;
    for (const nlohmann::json &T : *Types) {
      if (T != "full_attention" && T != "linear_attention")
        return C.error("layer_types", "entry " + Twine(Recurrent.size()) +
                                          " is " + T.dump() +
                                          ", expected \"full_attention\" or "
                                          "\"linear_attention\"");
      Recurrent.push_back(T == "linear_attention");
    }
    if (!is_contained(Recurrent, 0))
      return C.error("layer_types", "has no \"full_attention\" layer");
    Recurrent.resize(Layers + MTPLayers, 0);
    Meta.set(key(Arch, "attention.recurrent_layers"),
             MetaValue::unsignedArray(MetaType::Bool, std::move(Recurrent)));
  } else {
    uint64_t Every = Interval->getValueOr(DefaultInterval);
    if (Every == 0 || Every > Layers)
      return C.error("full_attention_interval",
                     Twine(Every) + (*Interval ? "" : " (the default)") +
                         " gives no full-attention layer among the " +
                         Twine(Layers) + " layers (num_hidden_layers)");
    Interval = Optional<uint64_t>(Every);
  }
  if (*Interval) {
    if (**Interval > UINT32_MAX)
      return C.error("full_attention_interval", "does not fit in 32 bits");
    Meta.set(key(Arch, "full_attention_interval"),
             MetaValue::u32(uint32_t(**Interval)));
  }
  return Error::success();
}

/// MTP layers: how many mtp.layers.J the checkpoint has (it may have been
/// stripped of them), checked against mtp_num_hidden_layers when given.
Expected<uint32_t> countMTPLayers(const ConfigView &C, const Module &M) {
  uint64_t Count = 0;
  for (const Output &O : M.outputs()) {
    StringRef Rest = O.Name;
    uint64_t Layer;
    if (Rest.consume_front("mtp.layers.") &&
        !Rest.take_while(isDigit).getAsInteger(10, Layer))
      Count = std::max(Count, Layer + 1);
  }
  auto Declared = C.getOptUInt("mtp_num_hidden_layers");
  if (!Declared)
    return Declared.takeError();
  if (Count && *Declared && **Declared != Count)
    return C.error("mtp_num_hidden_layers",
                   Twine(**Declared) +
                       ", but the checkpoint has MTP layers 0.." +
                       Twine(Count - 1));
  // Keeps block_count = num_hidden_layers + Count within 32 bits.
  if (Count > UINT32_MAX / 2)
    return fileError(C.path(), "MTP layer " + Twine(Count - 1) +
                                   " (mtp.layers.N tensors): N is too large");
  return uint32_t(Count);
}

/// rope.dimension_count = head_dim * partial_rotary_factor (top level, or
/// in rope_parameters as transformers v5 writes it).
Error lowerRotaryDims(const ConfigView &C, StringRef Arch, uint32_t HeadDim,
                      Metadata &Meta) {
  Optional<ConfigView> Params = C.sub("rope_parameters");
  const ConfigView &Source = !C.has("partial_rotary_factor") && Params &&
                                     Params->has("partial_rotary_factor")
                                 ? *Params
                                 : C;
  auto Factor = Source.getOptFloat("partial_rotary_factor");
  if (!Factor)
    return Factor.takeError();
  double F = Factor->getValueOr(DefaultRotaryFactor);
  if (!(F > 0 && F <= 1))
    return Source.error("partial_rotary_factor",
                        numberText(F) + " is not in (0, 1]");
  double Dims = HeadDim * F;
  if (Dims != double(uint32_t(Dims)))
    return Source.error("partial_rotary_factor",
                        "head_dim (" + Twine(HeadDim) + ") x " + numberText(F) +
                            " is not a whole number of rotary dimensions");
  Meta.set(key(Arch, "rope.dimension_count"), MetaValue::u32(uint32_t(Dims)));
  return Error::success();
}

/// The Gated DeltaNet sizes as llama.cpp's ssm.* keys.
Error lowerLinearAttention(const ConfigView &C, StringRef Arch,
                           Metadata &Meta) {
  const char *Needed[] = {"linear_num_key_heads", "linear_num_value_heads",
                          "linear_key_head_dim", "linear_value_head_dim",
                          "linear_conv_kernel_dim"};
  uint32_t V[5];
  for (int I = 0; I < 5; ++I) {
    if (!C.has(Needed[I]))
      return C.error(Needed[I], "missing (the linear-attention layers need "
                                "it)");
    auto X = readPositiveU32(C, Needed[I]);
    if (!X)
      return X.takeError();
    V[I] = *X;
  }
  uint32_t KeyHeads = V[0], ValueHeads = V[1], KeyDim = V[2], ValueDim = V[3];
  if (ValueHeads % KeyHeads != 0)
    return C.error("linear_num_value_heads", Twine(ValueHeads) +
                                                 " is not a multiple of "
                                                 "linear_num_key_heads (" +
                                                 Twine(KeyHeads) + ")");
  if (KeyDim != ValueDim)
    return C.error("linear_value_head_dim",
                   Twine(ValueDim) + " differs from linear_key_head_dim (" +
                       Twine(KeyDim) +
                       "); llama.cpp's qwen3next has one head size for both");
  Meta.set(key(Arch, "ssm.conv_kernel"), MetaValue::u32(V[4]));
  Meta.set(key(Arch, "ssm.state_size"), MetaValue::u32(KeyDim));
  Meta.set(key(Arch, "ssm.group_count"), MetaValue::u32(KeyHeads));
  Meta.set(key(Arch, "ssm.time_step_rank"), MetaValue::u32(ValueHeads));
  Meta.set(key(Arch, "ssm.inner_size"), MetaValue::u32(ValueDim * ValueHeads));
  return Error::success();
}

class Qwen3Next : public Architecture {
public:
  StringRef name() const override { return "qwen3next"; }
  std::vector<StringRef> hfClasses() const override {
    return {"Qwen3NextForCausalLM"};
  }

  Error lowerConfig(const ConfigView &C, Module &M) const override {
    StringRef Arch = name();
    Metadata &Meta = M.Meta;
    if (Error E = rejectAttentionBias(C, Arch))
      return E;
    auto Layers = readPositiveU32(C, "num_hidden_layers");
    if (!Layers)
      return Layers.takeError();
    auto MTPLayers = countMTPLayers(C, M);
    if (!MTPLayers)
      return MTPLayers.takeError();
    uint64_t Blocks = uint64_t(*Layers) + *MTPLayers;
    if (Blocks > UINT32_MAX)
      return C.error("num_hidden_layers", "with the " + Twine(*MTPLayers) +
                                              " MTP layers, the block count "
                                              "does not fit in 32 bits");
    Meta.set(key(Arch, "block_count"), MetaValue::u32(uint32_t(Blocks)));
    if (*MTPLayers)
      Meta.set(key(Arch, "nextn_predict_layers"), MetaValue::u32(*MTPLayers));

    static const ConfigKey Keys[] = {
        {"context_length", "max_position_embeddings", KeyType::U32},
        {"embedding_length", "hidden_size", KeyType::U32},
        {"feed_forward_length", "intermediate_size", KeyType::U32},
        {"attention.layer_norm_rms_epsilon", "rms_norm_eps", KeyType::F32},
    };
    if (Error E = lowerConfigKeys(C, Arch, Keys, Meta))
      return E;

    // Attention heads: no defaults, Qwen3-Next's head_dim (256) is not
    // hidden_size / num_attention_heads.
    auto Heads = readPositiveU32(C, "num_attention_heads");
    if (!Heads)
      return Heads.takeError();
    auto KVHeads = readPositiveU32(C, "num_key_value_heads");
    if (!KVHeads)
      return KVHeads.takeError();
    if (!C.has("head_dim"))
      return C.error("head_dim", "missing (Qwen3-Next's head size is not "
                                 "hidden_size / num_attention_heads)");
    auto HeadDim = readPositiveU32(C, "head_dim");
    if (!HeadDim)
      return HeadDim.takeError();
    if (Error E = lowerLayerTypes(C, Arch, *Layers, *MTPLayers, Meta))
      return E;
    // One count for all blocks, though the linear-attention ones have no KV
    // heads: llama.cpp's qwen3next sizes every attention block's K and V by
    // block 0's count, so a per-block array (0 for linear blocks, as ollama
    // computes it) makes it reject the file; its recurrent blocks keep no
    // KV cache anyway.
    Meta.set(key(Arch, "attention.head_count"), MetaValue::u32(*Heads));
    Meta.set(key(Arch, "attention.head_count_kv"), MetaValue::u32(*KVHeads));
    Meta.set(key(Arch, "attention.key_length"), MetaValue::u32(*HeadDim));
    Meta.set(key(Arch, "attention.value_length"), MetaValue::u32(*HeadDim));

    if (Error E = lowerRopeFreqBase(C, Arch, Meta))
      return E;
    if (Error E = lowerRotaryDims(C, Arch, *HeadDim, Meta))
      return E;
    if (Error E = lowerRopeScaling(C, Arch, Meta))
      return E;
    if (Error E = lowerMoeKeys(C, Arch, DefaultNormTopK, Meta))
      return E;
    static const ConfigKey SharedExpert[] = {
        {"expert_shared_feed_forward_length", "shared_expert_intermediate_size",
         KeyType::U32}};
    if (Error E = lowerConfigKeys(C, Arch, SharedExpert, Meta))
      return E;
    if (Error E = lowerLinearAttention(C, Arch, Meta))
      return E;
    return readTiedEmbeddings(C, DefaultTied).takeError();
  }

  std::string pipeline(const ConfigView &C) const override {
    // Every RMSNorm weight is an offset from one except the gated norm of
    // the linear attention; that includes the MTP blocks' enorm and hnorm.
    const char *NormOffset = "norm-offset<match=.*_norm\\.weight|"
                             "blk\\.[0-9]+\\.nextn\\.[eh]norm\\.weight;"
                             "exclude=blk\\.[0-9]+\\.ssm_norm\\.weight>";
    return std::string(
               "mtp-blocks,rename<qwen3next>,expert-fuse,qkvz-split,"
               "neg-exp<match=blk\\.[0-9]+\\.ssm_a>,"
               "squeeze<match=blk\\.[0-9]+\\.ssm_conv1d\\.weight;axis=1>,"
               "squeeze<match=blk\\.[0-9]+\\.ffn_gate_inp_shexp\\."
               "weight;axis=0>,") +
           NormOffset + tiedOutputDropPasses(C, DefaultTied);
  }

  ArrayRef<RenameRule> renameRules() const override {
    static const RenameRule Own[] = {
        {"model.layers.{N}.post_attention_layernorm",
         "blk.{N}.post_attention_norm"},
        // Gated DeltaNet; qkvz-split splits ssm_in.
        {"model.layers.{N}.linear_attn.in_proj_qkvz", "blk.{N}.ssm_in"},
        {"model.layers.{N}.linear_attn.in_proj_ba", "blk.{N}.ssm_ba"},
        {"model.layers.{N}.linear_attn.conv1d", "blk.{N}.ssm_conv1d"},
        {"model.layers.{N}.linear_attn.dt_bias", "blk.{N}.ssm_dt.bias"},
        {"model.layers.{N}.linear_attn.A_log", "blk.{N}.ssm_a"},
        {"model.layers.{N}.linear_attn.norm", "blk.{N}.ssm_norm"},
        {"model.layers.{N}.linear_attn.out_proj", "blk.{N}.ssm_out"},
        // The MTP blocks' own tensors, as mtp-blocks names them.
        {"model.layers.{N}.eh_proj", "blk.{N}.nextn.eh_proj"},
        {"model.layers.{N}.enorm", "blk.{N}.nextn.enorm"},
        {"model.layers.{N}.hnorm", "blk.{N}.nextn.hnorm"},
        {"model.layers.{N}.shared_head.norm", "blk.{N}.nextn.shared_head_norm"},
        {"model.layers.{N}.shared_head.head", "blk.{N}.nextn.shared_head_head"},
        {"model.layers.{N}.embed_tokens", "blk.{N}.nextn.embed_tokens"},
    };
    static const RenameTable Table(
        {Own, qwenMoeRenameRules(), qwen3RenameRules()});
    return Table.rules();
  }
};

RegisterArchitecture<Qwen3Next> X;

} // namespace
} // namespace ggufc
