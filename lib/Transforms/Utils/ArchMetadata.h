//===- ArchMetadata.h - Hyperparameters passes read -----------------------===//
//
// Passes that reshape tensors by the model's hyperparameters (expert-fuse,
// qkvz-split, mtp-blocks) read them from the module's metadata, the same
// "<arch>.<key>" values llama.cpp will read from the GGUF file, so the
// tensors always agree with the keys describing them.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_TRANSFORMS_ARCHMETADATA_H
#define GGUFC_LIB_TRANSFORMS_ARCHMETADATA_H

#include "ggufc/IR/Module.h"
#include "llvm/ADT/Optional.h"
#include "llvm/Support/Error.h"

namespace ggufc {

/// "<arch>.<Key>" with <arch> the module's general.architecture, as an
/// unsigned integer. Missing (without a Default) or of another type, it is an
/// error naming the key, "needs metadata 'qwen3moe.expert_count' (an
/// unsigned integer)" (the pass manager puts the pass name before it).
llvm::Expected<uint64_t>
archMetaUInt(const Module &M, llvm::StringRef Key,
             llvm::Optional<uint64_t> Default = llvm::None);

} // namespace ggufc

#endif
