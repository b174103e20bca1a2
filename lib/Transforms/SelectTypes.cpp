//===- SelectTypes.cpp - Choosing each output's storage type ----------------===//
//
// select-types<OUTTYPE>, OUTTYPE = auto | f32 | f16 | bf16 (default auto).
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
// The pass also writes general.file_type (llama_ftype: 0 all F32, 1 mostly
// F16, 32 mostly BF16) and general.quantization_version = 2 if absent.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"
#include "llvm/ADT/StringSwitch.h"

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
  static const NamePattern P = [] {
    std::string Alternatives;
    for (const char *Name : ForcedF32Names)
      Alternatives += (Alternatives.empty() ? "(" : "|(") + std::string(Name) + ")";
    // The table is fixed, so failing to compile it is a bug, not bad input.
    return cantFail(NamePattern::fromRegex(Alternatives));
  }();
  return P;
}

enum class OutType { Auto, F32, F16, BF16 };

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

DType storageType(const Output &O, OutType Requested) {
  if (mustStayF32(O))
    return DType::F32;
  switch (Requested) {
  case OutType::F32: return DType::F32;
  case OutType::F16: return DType::F16;
  case OutType::BF16: return DType::BF16;
  case OutType::Auto:
    return O.Def->Type.Elem == DType::BF16 && mayBeBF16(O.Name) ? DType::BF16
                                                                 : DType::F16;
  }
  return DType::F32;
}

/// llama_ftype values (llama.h): ALL_F32 = 0, MOSTLY_F16 = 1, MOSTLY_BF16 = 32.
uint32_t fileType(OutType Requested, bool AnyF16, bool AnyBF16) {
  switch (Requested) {
  case OutType::F32: return 0;
  case OutType::F16: return 1;
  case OutType::BF16: return 32;
  case OutType::Auto: return AnyBF16 ? 32 : AnyF16 ? 1 : 0;
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
    Optional<OutType> T = StringSwitch<Optional<OutType>>(Text)
                              .Case("auto", OutType::Auto)
                              .Case("f32", OutType::F32)
                              .Case("f16", OutType::F16)
                              .Case("bf16", OutType::BF16)
                              .Default(None);
    if (!T)
      return createStringError(
          inconvertibleErrorCode(),
          "pass 'select-types': unknown output type '%s' (expected auto, "
          "f32, f16 or bf16)",
          Text.str().c_str());
    return std::unique_ptr<Pass>(new SelectTypesPass(*T));
  }

  Error run(Module &M, Statistics &Stats) override {
    uint64_t Count[3] = {0, 0, 0}; // indexed by DType
    for (Output &O : M.outputs()) {
      O.Type = storageType(O, Requested);
      ++Count[unsigned(*O.Type)];
    }
    uint64_t NumF32 = Count[unsigned(DType::F32)];
    uint64_t NumF16 = Count[unsigned(DType::F16)];
    uint64_t NumBF16 = Count[unsigned(DType::BF16)];
    M.Meta.set("general.file_type",
               MetaValue::u32(fileType(Requested, NumF16, NumBF16)));
    if (!M.Meta.contains("general.quantization_version"))
      M.Meta.set("general.quantization_version", MetaValue::u32(2));
    Stats.add("select-types", "tensors stored as F32", NumF32);
    Stats.add("select-types", "tensors stored as F16", NumF16);
    Stats.add("select-types", "tensors stored as BF16", NumBF16);
    return Error::success();
  }

private:
  explicit SelectTypesPass(OutType Requested) : Requested(Requested) {}
  OutType Requested;
};

} // namespace

static RegisterPass<SelectTypesPass>
    X("select-types", "choose each output's storage type "
                      "(select-types<auto|f32|f16|bf16>) and general.file_type");

} // namespace ggufc
