//===- SelectTypes.cpp - Choosing each output's storage type ----------------===//
//
// select-types<OUTTYPE>, OUTTYPE = auto | f32 | f16 | bf16 (default auto),
// or a quantized file type: q8_0 | q4_0 | q4_k_m | q5_k_m | q6_k.
//
// Some tensors must stay F32 whatever OUTTYPE says, because llama.cpp reads
// them as F32 or because rounding them costs accuracy for no size gain:
// tensors of rank <= 1 (norm weights, biases, gates), names that do not end
// ".weight", and the names in ForcedF32Names below (the union of the lists
// llama.cpp's and ollama's converters keep in F32). Every other output gets
//   f32 -> F32, f16 -> F16, bf16 -> BF16,
//   auto -> BF16 if its value is bf16 (no precision is lost), else F16
//           (ollama's default: F32 checkpoints are stored as F16). As in
//           ollama, vision/projector tensors (v., s., mm.) are never BF16.
// For a quantized file type, tensors not forced to F32 get the ggml type
// llama.cpp's quantizer would give them (QuantMix.cpp); those it does not
// quantize get the type auto would.
// The pass also writes general.file_type (llama_ftype: 0 all F32, 1 mostly
// F16, 32 mostly BF16, the quantized ones as named in QuantMix.h) and
// general.quantization_version = 2 if absent.
//
//===----------------------------------------------------------------------===//
#include "Utils/QuantMix.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"
#include "llvm/ADT/StringSwitch.h"
#include <map>

using namespace llvm;

namespace ggufc {
namespace {

/// Whole-name regexes of tensors stored as F32 regardless of OUTTYPE.
/// Sources: llama.cpp convert_hf_to_gguf.py (ModelBase.prepare_tensors) and
/// ollama convert/reader.go (tensorBase.Kind).
const char *const ForcedF32Names[] = {
    // llama.cpp
    R"(.*_norm\.weight)",
    R"(.*\.ffn_gate_inp\.weight)",        // MoE router (also ollama)
    R"(.*\.ffn_gate_inp_shexp\.weight)",  // shared-expert gate
    R"(position_embd\.weight)",
    R"(token_types\.weight)",             // (also ollama)
    R"(.*\.ssm_conv1d(_[qkv])?\.weight)", // (ssm_conv1d also ollama)
    R"(.*\.shortconv\.conv\.weight)",     // (also ollama)
    R"(.*\.time_mix_(first|w1|w2|decay_w1|decay_w2|lerp_fused)\.weight)",
    R"(posnet\.[0-9]+\.norm[12]\.weight)",
    R"([va]\.position_embd\.weight)",     // (v. also ollama)
    R"(.*\.altup_(correct|predict)_coef\.weight)",
    // ggufc: the runtime's CPU backend computes Gemma 3n's stacked (3-D)
    // AltUp projections wrongly in F16 (test/Runtime/gemma3n-logits.test).
    R"(altup_(unembd_)?proj\.weight)",
    // ollama
    R"(a\.(feature_extractor|conv1d|subsampling)\..*)",
    R"(.*\.conv_dw\..*)",
    R"(v\.(pre_|post_)?tile_position_embd\.weight)",
    R"(.*rel_pos_[hw])",
};

/// Prefixes ollama never stores as BF16 (vision tower, projector).
const char *const NeverBF16Prefixes[] = {"v.", "s.", "mm."};

const NamePattern &forcedF32Pattern() {
  // The table is fixed, so failing to compile it is a bug, not bad input.
  static const NamePattern P =
      cantFail(NamePattern::fromAnyRegex(ForcedF32Names));
  return P;
}

/// What -outtype asked for: a float type for every tensor, or one of
/// llama.cpp's quantized file types (QuantMix decides per tensor).
struct OutType {
  enum Kind { Auto, F32, F16, BF16, Quantized } K = Auto;
  QuantFileType Quant = QuantFileType::Q8_0;
};

Optional<OutType> parseOutType(StringRef Text) {
  using Q = QuantFileType;
  auto Quant = [](Q FT) { return OutType{OutType::Quantized, FT}; };
  return StringSwitch<Optional<OutType>>(Text)
      .Case("auto", OutType{OutType::Auto})
      .Case("f32", OutType{OutType::F32})
      .Case("f16", OutType{OutType::F16})
      .Case("bf16", OutType{OutType::BF16})
      .Case("q8_0", Quant(Q::Q8_0))
      .Case("q4_0", Quant(Q::Q4_0))
      .Case("q4_k_m", Quant(Q::Q4_K_M))
      .Case("q5_k_m", Quant(Q::Q5_K_M))
      .Case("q6_k", Quant(Q::Q6_K))
      .Default(None);
}

bool mustStayF32(const Output &O) {
  return O.Def->Type.Dims.size() <= 1 || !StringRef(O.Name).endswith(".weight") ||
         forcedF32Pattern().match(O.Name);
}

bool mayBeBF16(StringRef Name) {
  for (const char *Prefix : NeverBF16Prefixes)
    if (Name.startswith(Prefix))
      return false;
  return true;
}

/// The float type of a tensor that is not forced to F32 or quantized.
DType floatType(const Output &O, OutType::Kind Requested) {
  switch (Requested) {
  case OutType::F32: return DType::F32;
  case OutType::F16: return DType::F16;
  case OutType::BF16: return DType::BF16;
  case OutType::Auto:
  case OutType::Quantized:
    return O.Def->Type.Elem == DType::BF16 && mayBeBF16(O.Name) ? DType::BF16
                                                                 : DType::F16;
  }
  return DType::F32;
}

/// llama_ftype values (llama.h): ALL_F32 = 0, MOSTLY_F16 = 1, MOSTLY_BF16 =
/// 32, and the quantized ones (QuantFileType).
uint32_t fileType(OutType Requested, bool AnyF16, bool AnyBF16) {
  switch (Requested.K) {
  case OutType::F32: return 0;
  case OutType::F16: return 1;
  case OutType::BF16: return 32;
  case OutType::Auto: return AnyBF16 ? 32 : AnyF16 ? 1 : 0;
  case OutType::Quantized: return uint32_t(Requested.Quant);
  }
  return 0;
}

class SelectTypesPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions("select-types", Options, {"outtype"});
    if (!Opts)
      return Opts.takeError();
    StringRef Text = Opts->count("outtype") ? StringRef(Opts->at("outtype"))
                                            : StringRef("auto");
    Optional<OutType> T = parseOutType(Text);
    if (!T)
      return createStringError(
          inconvertibleErrorCode(),
          "pass 'select-types': unknown output type '%s' (expected auto, "
          "f32, f16, bf16, q8_0, q4_0, q4_k_m, q5_k_m or q6_k)",
          Text.str().c_str());
    return std::unique_ptr<Pass>(new SelectTypesPass(*T));
  }

  Error run(Module &M, Statistics &Stats) override {
    std::vector<Optional<StorageType>> Mix(M.outputs().size());
    if (Requested.K == OutType::Quantized)
      Mix = quantMix(M, Requested.Quant);
    std::map<StorageType, uint64_t> Count;
    for (size_t I = 0; I < M.outputs().size(); ++I) {
      Output &O = M.outputs()[I];
      O.Type = mustStayF32(O) ? StorageType::F32
               : Mix[I]       ? *Mix[I]
                              : storageTypeOf(floatType(O, Requested.K));
      ++Count[*O.Type];
    }
    M.Meta.set("general.file_type",
               MetaValue::u32(fileType(Requested, Count[StorageType::F16],
                                       Count[StorageType::BF16])));
    if (!M.Meta.contains("general.quantization_version"))
      M.Meta.set("general.quantization_version", MetaValue::u32(2));
    for (const auto &TN : Count)
      if (TN.second)
        Stats.add("select-types",
                  "tensors stored as " +
                      std::string(storageTypeTraits(TN.first).Name),
                  TN.second);
    return Error::success();
  }

private:
  explicit SelectTypesPass(OutType Requested) : Requested(Requested) {}
  OutType Requested;
};

} // namespace

static RegisterPass<SelectTypesPass>
    X("select-types", "choose each output's storage type "
                      "(select-types<auto|f32|f16|bf16|q8_0|q4_0|q4_k_m|q5_k_m|q6_k>) and "
                      "general.file_type");

} // namespace ggufc
