//===- QuantMix.cpp - llama.cpp's per-tensor types for a quantized file -------===//
//
// Follows llama.cpp's src/llama-quant.cpp (tensor_allows_quantization,
// llama_tensor_get_type_impl, tensor_type_fallback) for the file types ggufc
// writes, without importance matrix or overrides:
//   - only tensors of rank >= 2 whose name ends "weight" and is not in
//     NotQuantized are quantized;
//   - output.weight, and token_embd.weight when there is no output.weight
//     (tied), become Q6_K (Q8_0 stays Q8_0; Q8_0 too when rows do not fit
//     the default type's blocks, or for falcon);
//   - attn_v/attn_qkv/attn_kv_b: Q6_K for Q4_K_M/Q5_K_M when "more bits"
//     (the first and last eighth of them, and every third in between);
//     Q8_0 with 8 experts;
//   - attn_k: Q8_0 with 8 experts; attn_output: Q5_K for Q4_K_M with 8
//     experts;
//   - ffn_down: Q6_K for Q4_K_M/Q5_K_M on "more bits" layers (falcon:
//     Q6_K/Q5_K/Q4_K by layer for Q4_K_M);
//   - rows that are not a whole number of blocks fall back Q4_K -> Q5_0,
//     Q5_K -> Q5_1, Q6_K -> Q8_0, and to F16 if even 32 does not divide.
// Counters (i-th attn_v, i-th ffn_down) run in llama.cpp's tensor order:
// by layer number ("blk.N."; other tensors first), then by name.
// Not modelled: llama.cpp's 70B special case (it needs the model size).
//
//===----------------------------------------------------------------------===//
#include "QuantMix.h"
#include "ggufc/Transforms/NamePattern.h"
#include <algorithm>
#include <numeric>

using namespace llvm;

namespace ggufc {

namespace {

using ST = StorageType;

/// Whole-name regexes of weights llama.cpp never quantizes
/// (tensor_allows_quantization): norms, routers, tiny or positional tables.
const char *const NotQuantized[] = {
    R"(.*_norm\.weight.*)",
    R"(.*ffn_gate_inp\.weight.*)",
    R"(.*ffn_gate_tid2eid\.weight.*)",
    R"(.*altup.*)",
    R"(.*laurel.*)",
    R"(.*per_layer_model_proj.*)",
    R"(position_embd\.weight)",
    R"(token_types\.weight)",
    R"(.*ssm_conv1d.*)",
    R"(.*shortconv\.conv\.weight.*)",
    R"(.*indexer\.[kq]_proj\.weight.*)",
    R"(.*time_mix_(first|w0|w1|w2|v0|v1|v2|a0|a1|a2|g1|g2|decay_w1|decay_w2|lerp_fused)\.weight.*)",
    R"(.*attn_rel_b\.weight.*)",
    R"(.*\.position_embd.*)",
    R"(.*sam\.(pos_embd|neck\.|net_).*)",
    R"(.*\.rel_pos.*)",
    R"(.*\.patch_embd.*)",
    R"(.*\.patch_merger.*)",
    R"(.*a\.rvq\.codebook.*)",
    R"(.*mm\.a\.code_embd.*)",
};

const NamePattern &notQuantizedPattern() {
  // The table is fixed, so failing to compile it is a bug, not bad input.
  static const NamePattern P = cantFail(NamePattern::fromAnyRegex(NotQuantized));
  return P;
}

enum class Category {
  Output, TokenEmbd, AttnV, AttnK, AttnQ, AttnOutput, FfnUp, FfnGate, FfnDown,
  Other,
};

/// llama.cpp's tensor_get_category: the first substring that matches.
Category categoryOf(StringRef Name) {
  if (Name == "output.weight")
    return Category::Output;
  if (Name == "token_embd.weight" || Name == "per_layer_token_embd.weight")
    return Category::TokenEmbd;
  // attn_qkv and attn_kv_b are treated as attn_v.
  if (Name.contains("attn_qkv.weight") || Name.contains("attn_kv_b.weight") ||
      Name.contains("attn_v.weight"))
    return Category::AttnV;
  if (Name.contains("attn_k.weight"))
    return Category::AttnK;
  if (Name.contains("attn_q.weight"))
    return Category::AttnQ;
  if (Name.contains("attn_output.weight"))
    return Category::AttnOutput;
  if (Name.contains("ffn_up"))
    return Category::FfnUp;
  if (Name.contains("ffn_gate"))
    return Category::FfnGate;
  if (Name.contains("ffn_down"))
    return Category::FfnDown;
  return Category::Other;
}

/// The N of a "blk.N." name, or -1 (llama.cpp: sscanf "blk.%d.").
int layerOf(StringRef Name) {
  if (!Name.consume_front("blk."))
    return -1;
  size_t Digits = 0;
  while (Digits < Name.size() && isDigit(Name[Digits]))
    ++Digits;
  int Layer;
  if (Digits == 0 || Name.take_front(Digits).getAsInteger(10, Layer))
    return -1;
  return Layer;
}

/// Rank as ggml counts it: trailing ggml dimensions of 1 (leading in
/// source order) do not count.
unsigned ggmlRank(const Shape &Dims) {
  size_t Lead = 0;
  while (Lead + 1 < Dims.size() && Dims[Lead] == 1)
    ++Lead;
  return unsigned(Dims.size() - Lead);
}

bool allowsQuantization(const Output &O) {
  StringRef Name = O.Name;
  return ggmlRank(O.Def->Type.Dims) >= 2 && Name.endswith("weight") &&
         !notQuantizedPattern().match(Name);
}

ST defaultType(QuantFileType FT) {
  switch (FT) {
  case QuantFileType::Q4_0: return ST::Q4_0;
  case QuantFileType::Q8_0: return ST::Q8_0;
  case QuantFileType::Q4_K_M: return ST::Q4_K;
  case QuantFileType::Q5_K_M: return ST::Q5_K;
  case QuantFileType::Q6_K: return ST::Q6_K;
  }
  return ST::Q8_0;
}

bool moreBits(int Layer, int NumLayers) {
  return Layer < NumLayers / 8 || Layer >= 7 * NumLayers / 8 ||
         (Layer - NumLayers / 8) % 3 == 2;
}

uint64_t rowLength(const Output &O) {
  const Shape &Dims = O.Def->Type.Dims;
  return Dims.empty() ? 1 : uint64_t(Dims.back());
}

bool fitsBlocks(ST T, uint64_t Row) {
  return Row % storageTypeTraits(T).BlockSize == 0;
}

/// tensor_type_fallback: a type whose blocks divide the rows.
ST fallback(ST T, uint64_t Row) {
  if (fitsBlocks(T, Row))
    return T;
  ST Smaller = T == ST::Q4_K   ? ST::Q5_0
               : T == ST::Q5_K ? ST::Q5_1
               : T == ST::Q6_K ? ST::Q8_0
                               : T;
  return fitsBlocks(Smaller, Row) ? Smaller : ST::F16;
}

uint64_t metaUnsigned(const Module &M, const std::string &Key,
                      uint64_t Default) {
  const MetaValue *V = M.Meta.get(Key);
  if (!V || V->isArray() || V->isElided())
    return Default;
  switch (V->elemType()) {
  case MetaType::U8: case MetaType::U16: case MetaType::U32:
  case MetaType::U64:
    return V->getUnsigned();
  default:
    return Default;
  }
}

/// The model facts the rules depend on.
struct ModelInfo {
  bool Falcon = false;
  bool TiedEmbeddings = true;
  int NumLayers = 0;
  int NumExperts = 1;
  int NumAttnV = 0;
};

ModelInfo modelInfo(const Module &M) {
  ModelInfo I;
  std::string Arch;
  if (const MetaValue *A = M.Meta.get("general.architecture"))
    if (A->elemType() == MetaType::Str && !A->isArray())
      Arch = A->getStr();
  I.Falcon = Arch == "falcon";
  I.NumLayers = int(metaUnsigned(M, Arch + ".block_count", 0));
  I.NumExperts = std::max(1, int(metaUnsigned(M, Arch + ".expert_count", 1)));
  for (const Output &O : M.outputs()) {
    Category C = categoryOf(O.Name);
    I.NumAttnV += C == Category::AttnV;
    if (C == Category::Output)
      I.TiedEmbeddings = false;
  }
  return I;
}

/// Applies llama_tensor_get_type_impl's rules, in llama.cpp's tensor order.
class MixChooser {
public:
  MixChooser(const ModelInfo &Info, QuantFileType FT) : Info(Info), FT(FT) {}

  ST choose(const Output &O) {
    ST T = defaultType(FT);
    Category C = categoryOf(O.Name);
    bool KM = FT == QuantFileType::Q4_K_M || FT == QuantFileType::Q5_K_M;
    if (C == Category::Output ||
        (Info.TiedEmbeddings && C == Category::TokenEmbd)) {
      if (Info.Falcon || !fitsBlocks(T, rowLength(O)))
        T = ST::Q8_0;
      else if (T != ST::Q8_0)
        T = ST::Q6_K;
    } else if (C == Category::AttnV) {
      if (KM && moreBits(AttnV, Info.NumAttnV))
        T = ST::Q6_K;
      if (Info.NumExperts == 8)
        T = ST::Q8_0;
      ++AttnV;
    } else if (C == Category::AttnK) {
      if (Info.NumExperts == 8)
        T = ST::Q8_0;
    } else if (C == Category::FfnDown) {
      int Layer = Info.NumExperts > 1 ? layerOf(O.Name) : FfnDown;
      int N = Info.NumLayers;
      if (FT == QuantFileType::Q4_K_M && Info.Falcon)
        T = Layer < N / 16 ? ST::Q6_K : moreBits(Layer, N) ? ST::Q5_K : ST::Q4_K;
      else if (KM && moreBits(Layer, N))
        T = ST::Q6_K;
      ++FfnDown;
    } else if (C == Category::AttnOutput) {
      if (!Info.Falcon && Info.NumExperts == 8 &&
          FT == QuantFileType::Q4_K_M)
        T = ST::Q5_K;
    }
    return fallback(T, rowLength(O));
  }

private:
  const ModelInfo &Info;
  QuantFileType FT;
  int AttnV = 0, FfnDown = 0;
};

} // namespace

std::vector<Optional<StorageType>> quantMix(const Module &M,
                                            QuantFileType FT) {
  const auto &Outputs = M.outputs();
  std::vector<size_t> Order(Outputs.size());
  std::iota(Order.begin(), Order.end(), 0);
  std::stable_sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    int LA = layerOf(Outputs[A].Name), LB = layerOf(Outputs[B].Name);
    if (LA != LB)
      return LA < LB;
    return Outputs[A].Name < Outputs[B].Name;
  });

  ModelInfo Info = modelInfo(M);
  MixChooser Chooser(Info, FT);
  std::vector<Optional<StorageType>> Types(Outputs.size());
  for (size_t I : Order)
    if (allowsQuantization(Outputs[I]))
      Types[I] = Chooser.choose(Outputs[I]);
  return Types;
}

} // namespace ggufc
