//===- QuantMix.h - llama.cpp's per-tensor types for a quantized file ---------===//
//
// Which ggml type each tensor of a quantized file gets, as llama.cpp's
// llama_model_quantize chooses it by default (no importance matrix, no
// overrides) for a file type: e.g. Q4_K_M stores most weights as Q4_K but
// the output/tied embedding as Q6_K and some attn_v/ffn_down as Q6_K.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_TRANSFORMS_QUANTMIX_H
#define GGUFC_LIB_TRANSFORMS_QUANTMIX_H

#include "ggufc/IR/Module.h"
#include "llvm/ADT/Optional.h"
#include <vector>

namespace ggufc {

/// The quantized file types ggufc writes; values are llama_ftype.
enum class QuantFileType : uint32_t {
  Q4_0 = 2, Q8_0 = 7, Q4_K_M = 15, Q5_K_M = 17, Q6_K = 18,
};

/// What llama.cpp would decide for every output of M, in output order:
/// a ggml type, or None for tensors llama.cpp does not quantize (they keep
/// their unquantized type). Reads <arch>.block_count and
/// <arch>.expert_count from the metadata.
std::vector<llvm::Optional<StorageType>> quantMix(const Module &M,
                                                  QuantFileType FT);

} // namespace ggufc

#endif
