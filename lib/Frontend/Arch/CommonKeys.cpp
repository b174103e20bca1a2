//===- CommonKeys.cpp - Config readers shared by architectures ------------===//
#include "CommonKeys.h"
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/Support/Format.h"
#include "llvm/ADT/StringExtras.h"
#include <cmath>
#include <limits>

using namespace llvm;

namespace ggufc {

static std::string formatNumber(double D) {
  std::string Text;
  raw_string_ostream OS(Text);
  printDouble(OS, D);
  return OS.str();
}

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

/// A list of non-negative integers that fit i32 (layer indices, section
/// sizes).
static Expected<std::vector<int64_t>> getIndexList(const ConfigView &C,
                                                   StringRef Key) {
  if (!C.has(Key))
    return C.error(Key, "missing");
  const nlohmann::json &List = C.json().at(Key.str());
  std::vector<int64_t> Out;
  if (List.is_array())
    for (const nlohmann::json &N : List)
      if (N.is_number_unsigned() &&
          N.get<uint64_t>() <= uint64_t(std::numeric_limits<int32_t>::max()))
        Out.push_back(N.get<int64_t>());
  if (!List.is_array() || Out.size() != List.size())
    return C.error(Key, "expected a list of non-negative integers");
  return Out;
}

/// The config key K is read from: K.Fallback when the config has no
/// K.Config.
static StringRef sourceKey(const ConfigView &C, const ConfigKey &K) {
  return K.Fallback && !C.has(K.Config) ? K.Fallback : K.Config;
}

static Expected<MetaValue> getKeyValue(const ConfigView &C,
                                       const ConfigKey &K) {
  StringRef Key = sourceKey(C, K);
  switch (K.Type) {
  case KeyType::U32: {
    auto N = readU32(C, Key);
    if (!N)
      return N.takeError();
    return MetaValue::u32(*N);
  }
  case KeyType::F32: {
    auto F = C.getFloat(Key);
    if (!F)
      return F.takeError();
    return MetaValue::f32(*F);
  }
  case KeyType::Bool: {
    auto B = C.getBool(Key);
    if (!B)
      return B.takeError();
    return MetaValue::boolean(*B);
  }
  case KeyType::I32List: {
    auto L = getIndexList(C, Key);
    if (!L)
      return L.takeError();
    return MetaValue::signedArray(MetaType::I32, std::move(*L));
  }
  }
  llvm_unreachable("unknown KeyType");
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
    auto V = getKeyValue(C, K);
    if (!V)
      return V.takeError();
    Meta.set(archKey(Arch, K.GGUF), std::move(*V));
  }
  return Error::success();
}

Expected<ConfigView> requireSubConfig(const ConfigView &C, StringRef Key) {
  if (!C.has(Key))
    return C.error(Key, "missing");
  if (Optional<ConfigView> Sub = C.sub(Key))
    return *Sub;
  return C.error(Key, "expected an object");
}

uint32_t validatedU32(const ConfigView &C, StringRef Key) {
  return expectedToOptional(readU32(C, Key)).getValueOr(0);
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

/// rope_theta, or rope_parameters.rope_theta (transformers v5 layout).
static Expected<double> readRopeTheta(const ConfigView &C) {
  Optional<ConfigView> Params = C.sub("rope_parameters");
  const ConfigView &Source =
      !C.has("rope_theta") && Params && Params->has("rope_theta") ? *Params : C;
  return Source.getFloat("rope_theta");
}

Error lowerRopeFreqBase(const ConfigView &C, StringRef Arch, Metadata &Meta) {
  auto Theta = readRopeTheta(C);
  if (!Theta)
    return Theta.takeError();
  Meta.set(archKey(Arch, "rope.freq_base"), MetaValue::f32(*Theta));
  return Error::success();
}

/// mrope_section: a list of per-axis rotary dimension counts.
static Error lowerMropeSection(const ConfigView &S, StringRef Arch,
                               Metadata &Meta) {
  auto Dims = getIndexList(S, "mrope_section");
  if (!Dims)
    return Dims.takeError();
  Meta.set(archKey(Arch, "rope.mrope_section"),
           MetaValue::signedArray(MetaType::I32, std::move(*Dims)));
  return Error::success();
}

/// The RoPE scaling object: rope_parameters (transformers v5) or
/// rope_scaling.
static Optional<ConfigView> ropeScalingConfig(const ConfigView &C) {
  Optional<ConfigView> S = C.sub("rope_parameters");
  return S ? S : C.sub("rope_scaling");
}

/// Its type, under rope_type or the older type.
static StringRef ropeTypeKey(const ConfigView &S) {
  return S.has("rope_type") ? "rope_type" : "type";
}

Error lowerRopeScaling(const ConfigView &C, StringRef Arch, Metadata &Meta) {
  Optional<ConfigView> S = ropeScalingConfig(C);
  if (!S)
    return Error::success();
  StringRef TypeKey = ropeTypeKey(*S);
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

/// An optional positive parameter of the scaling object, Default if absent.
static Expected<double> getPositiveOr(const ConfigView &S, StringRef Key,
                                      double Default) {
  auto V = S.getOptFloat(Key);
  if (!V)
    return V.takeError();
  if (*V && !(**V > 0))
    return S.error(Key, "must be positive, got " + formatNumber(**V));
  return V->getValueOr(Default);
}

Error lowerLlama3RopeFreqs(const ConfigView &C, const ConfigView &Scaling,
                           Module &M) {
  auto HeadDim = readHeadDim(C);
  if (!HeadDim)
    return HeadDim.takeError();
  auto Theta = readRopeTheta(C);
  if (!Theta)
    return Theta.takeError();
  // Parameters of the scaling and ollama's defaults for them.
  double Factor = 8, Low = 1, High = 4, Original = 8192;
  const std::pair<const char *, double *> Params[] = {
      {"factor", &Factor},
      {"low_freq_factor", &Low},
      {"high_freq_factor", &High},
      {"original_max_position_embeddings", &Original},
  };
  for (const auto &[Key, Value] : Params) {
    auto V = getPositiveOr(Scaling, Key, *Value);
    if (!V)
      return V.takeError();
    *Value = *V;
  }
  if (!(High > Low))
    return Scaling.error("high_freq_factor",
                         "must be greater than low_freq_factor (" +
                             formatNumber(Low) + "), got " +
                             formatNumber(High));
  if (*HeadDim < 2 || *HeadDim % 2 != 0)
    return C.error("head_dim", "must be even for RoPE, got " + Twine(*HeadDim));

  const double Pi = 3.14159265358979323846;
  double LongestKept = Original / High;   // shorter wavelengths: unscaled
  double ShortestScaled = Original / Low; // longer ones: divided by factor
  std::vector<float> PerPair;
  for (uint32_t I = 0; I < *HeadDim; I += 2) {
    double Wavelength = 2 * Pi * std::pow(*Theta, double(I) / *HeadDim);
    double F;
    if (Wavelength < LongestKept) {
      F = 1;
    } else if (Wavelength > ShortestScaled) {
      F = Factor;
    } else {
      double Smooth = (Original / Wavelength - Low) / (High - Low);
      F = 1 / ((1 - Smooth) / Factor + Smooth);
    }
    PerPair.push_back(float(F));
  }
  TensorType Type{DType::F32, {int64_t(PerPair.size())}};
  IRBuilder B(M);
  Value *V = B.constant(std::move(Type), std::move(PerPair));
  if (Error E = B.takeError())
    return E;
  // First, where llama.cpp's converter puts it (the checkpoint's tensors
  // are already outputs).
  M.outputs().insert(M.outputs().begin(), Output{"rope_freqs.weight", V, None});
  return Error::success();
}

/// num_key_value_heads; configs without it use one KV head per head.
static const ConfigKey KVHeadCount = {"attention.head_count_kv",
                                      "num_key_value_heads", KeyType::U32,
                                      "num_attention_heads"};

Error lowerLlamaDecoder(const ConfigView &C, StringRef Arch, Module &M) {
  const ConfigKey Keys[] = {
      {"block_count", "num_hidden_layers", KeyType::U32},
      {"context_length", "max_position_embeddings", KeyType::U32},
      {"embedding_length", "hidden_size", KeyType::U32},
      {"feed_forward_length", "intermediate_size", KeyType::U32},
      {"attention.head_count", "num_attention_heads", KeyType::U32},
      KVHeadCount,
      {"attention.layer_norm_rms_epsilon", "rms_norm_eps", KeyType::F32},
      {"vocab_size", "vocab_size", KeyType::U32},
  };
  if (Error E = lowerConfigKeys(C, Arch, Keys, M.Meta))
    return E;
  if (Error E = lowerRopeFreqBase(C, Arch, M.Meta))
    return E;
  auto HeadDim = readHeadDim(C);
  if (!HeadDim)
    return HeadDim.takeError();
  M.Meta.set(archKey(Arch, "rope.dimension_count"), MetaValue::u32(*HeadDim));
  if (C.has("head_dim"))
    if (Error E = lowerHeadDim(C, Arch, M.Meta))
      return E;

  Optional<ConfigView> S = ropeScalingConfig(C);
  if (S && S->has(ropeTypeKey(*S))) {
    auto Type = S->getString(ropeTypeKey(*S));
    if (!Type)
      return Type.takeError();
    if (*Type == "llama3")
      return lowerLlama3RopeFreqs(C, *S, M);
  }
  return lowerRopeScaling(C, Arch, M.Meta);
}

uint32_t kvHeadCount(const ConfigView &C) {
  return validatedU32(C, sourceKey(C, KVHeadCount));
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
