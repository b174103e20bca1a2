//===- CommonKeys.cpp - Config readers shared by architectures ------------===//
#include "CommonKeys.h"
#include "llvm/ADT/StringExtras.h"
#include <limits>

using namespace llvm;

namespace ggufc {

static std::string archKey(StringRef Arch, StringRef Key) {
  return (Arch + "." + Key).str();
}

Expected<uint32_t> readU32(const ConfigView &C, StringRef Key) {
  auto V = C.getUInt(Key);
  if (!V)
    return V.takeError();
  if (*V > std::numeric_limits<uint32_t>::max())
    return C.error(Key, "value " + Twine(*V) + " does not fit in 32 bits");
  return uint32_t(*V);
}

Expected<uint32_t> readPositiveU32(const ConfigView &C, StringRef Key) {
  auto V = readU32(C, Key);
  if (V && *V == 0)
    return C.error(Key, "must be positive");
  return V;
}

Error lowerConfigKeys(const ConfigView &C, StringRef Arch,
                      ArrayRef<ConfigKey> Keys, Metadata &Meta) {
  for (const ConfigKey &K : Keys) {
    StringRef Key = K.Fallback && !C.has(K.Config) ? K.Fallback : K.Config;
    MetaValue V;
    if (K.Type == KeyType::U32) {
      auto N = readU32(C, Key);
      if (!N)
        return N.takeError();
      V = MetaValue::u32(*N);
    } else if (K.Type == KeyType::F32) {
      auto F = C.getFloat(Key);
      if (!F)
        return F.takeError();
      V = MetaValue::f32(*F);
    } else {
      auto B = C.getBool(Key);
      if (!B)
        return B.takeError();
      V = MetaValue::boolean(*B);
    }
    Meta.set(archKey(Arch, K.GGUF), std::move(V));
  }
  return Error::success();
}

Expected<uint32_t> readHeadDim(const ConfigView &C) {
  if (C.has("head_dim"))
    return readU32(C, "head_dim");
  auto Hidden = readU32(C, "hidden_size");
  if (!Hidden)
    return Hidden.takeError();
  auto Heads = readU32(C, "num_attention_heads");
  if (!Heads)
    return Heads.takeError();
  if (*Heads == 0 || *Hidden % *Heads != 0)
    return C.error("head_dim", "missing, and hidden_size " + Twine(*Hidden) +
                                   " is not a multiple of num_attention_heads " +
                                   Twine(*Heads));
  return *Hidden / *Heads;
}

Error lowerHeadDim(const ConfigView &C, StringRef Arch, Metadata &Meta) {
  auto HeadDim = readHeadDim(C);
  if (!HeadDim)
    return HeadDim.takeError();
  Meta.set(archKey(Arch, "attention.key_length"), MetaValue::u32(*HeadDim));
  Meta.set(archKey(Arch, "attention.value_length"), MetaValue::u32(*HeadDim));
  return Error::success();
}

Error lowerRopeFreqBase(const ConfigView &C, StringRef Arch, Metadata &Meta) {
  Optional<ConfigView> Params = C.sub("rope_parameters");
  const ConfigView &Source =
      !C.has("rope_theta") && Params && Params->has("rope_theta") ? *Params : C;
  auto Theta = Source.getFloat("rope_theta");
  if (!Theta)
    return Theta.takeError();
  Meta.set(archKey(Arch, "rope.freq_base"), MetaValue::f32(*Theta));
  return Error::success();
}

/// mrope_section: a list of per-axis rotary dimension counts.
static Error lowerMropeSection(const ConfigView &S, StringRef Arch,
                               Metadata &Meta) {
  if (!S.has("mrope_section"))
    return S.error("mrope_section", "missing");
  const nlohmann::json &Sec = S.json().at("mrope_section");
  std::vector<int64_t> Dims;
  if (Sec.is_array())
    for (const nlohmann::json &D : Sec)
      if (D.is_number_unsigned() &&
          D.get<uint64_t>() <= uint64_t(std::numeric_limits<int32_t>::max()))
        Dims.push_back(D.get<int64_t>());
  if (!Sec.is_array() || Dims.size() != Sec.size())
    return S.error("mrope_section", "expected a list of non-negative integers");
  Meta.set(archKey(Arch, "rope.mrope_section"),
           MetaValue::signedArray(MetaType::I32, std::move(Dims)));
  return Error::success();
}

Error lowerRopeScaling(const ConfigView &C, StringRef Arch, Metadata &Meta) {
  Optional<ConfigView> S = C.sub("rope_parameters");
  if (!S)
    S = C.sub("rope_scaling");
  if (!S)
    return Error::success();
  StringRef TypeKey = S->has("rope_type") ? "rope_type" : "type";
  auto Type = S->getString(TypeKey);
  if (!Type)
    return Type.takeError();

  if (*Type == "default")
    return S->has("mrope_section") ? lowerMropeSection(*S, Arch, Meta)
                                   : Error::success();
  if (*Type == "mrope")
    return lowerMropeSection(*S, Arch, Meta);
  if (*Type != "linear" && *Type != "yarn")
    return S->error(TypeKey, "unsupported RoPE scaling type '" + *Type +
                                 "' (supported: default, linear, mrope, yarn)");

  auto Factor = S->getFloat("factor");
  if (!Factor)
    return Factor.takeError();
  Meta.set(archKey(Arch, "rope.scaling.type"), MetaValue::str(*Type));
  Meta.set(archKey(Arch, "rope.scaling.factor"), MetaValue::f32(*Factor));
  if (*Type == "yarn" && S->has("original_max_position_embeddings")) {
    auto Orig = readU32(*S, "original_max_position_embeddings");
    if (!Orig)
      return Orig.takeError();
    Meta.set(archKey(Arch, "rope.scaling.original_context_length"),
             MetaValue::u32(*Orig));
  }
  return Error::success();
}

Error lowerMoeKeys(const ConfigView &C, StringRef Arch, bool DefaultNormTopK,
                   Metadata &Meta) {
  static const ConfigKey Keys[] = {
      {"expert_count", "num_experts", KeyType::U32},
      {"expert_used_count", "num_experts_per_tok", KeyType::U32},
      {"expert_feed_forward_length", "moe_intermediate_size", KeyType::U32},
  };
  auto Experts = readPositiveU32(C, "num_experts");
  if (!Experts)
    return Experts.takeError();
  auto Used = readU32(C, "num_experts_per_tok");
  if (!Used)
    return Used.takeError();
  if (*Used == 0 || *Used > *Experts)
    return C.error("num_experts_per_tok",
                   Twine(*Used) + " is not between 1 and num_experts (" +
                       Twine(*Experts) + ")");
  if (auto FF = readPositiveU32(C, "moe_intermediate_size"); !FF)
    return FF.takeError();
  if (Error E = lowerConfigKeys(C, Arch, Keys, Meta))
    return E;

  auto Step = C.getOptUInt("decoder_sparse_step");
  if (!Step)
    return Step.takeError();
  if (Step->getValueOr(1) != 1)
    return C.error("decoder_sparse_step",
                   Twine(**Step) +
                       " puts dense FFNs between the expert "
                       "blocks; llama.cpp's " +
                       Arch + " has experts in every block (expected 1)");
  const nlohmann::json &J = C.json();
  auto Dense = J.find("mlp_only_layers");
  if (Dense != J.end() && !Dense->is_null() &&
      !(Dense->is_array() && Dense->empty()))
    return C.error("mlp_only_layers", "dense FFN blocks " + Dense->dump() +
                                          " are not supported: "
                                          "llama.cpp's " +
                                          Arch + " has experts in every block");

  auto NormTopK = C.getOptBool("norm_topk_prob");
  if (!NormTopK)
    return NormTopK.takeError();
  Meta.set(archKey(Arch, "norm_top_k_prob"),
           MetaValue::boolean(NormTopK->getValueOr(DefaultNormTopK)));
  return Error::success();
}

Expected<bool> readTiedEmbeddings(const ConfigView &C, bool DefaultTied) {
  auto Tied = C.getOptBool("tie_word_embeddings");
  if (!Tied)
    return Tied.takeError();
  return Tied->getValueOr(DefaultTied);
}

std::string tiedOutputDropPasses(const ConfigView &C, bool DefaultTied) {
  bool Tied =
      expectedToOptional(readTiedEmbeddings(C, DefaultTied)).getValueOr(false);
  return Tied ? ",drop<match=output\\.weight>,dce" : "";
}

} // namespace ggufc
