//===- Frontend.h - Checkpoint directory to IR -----------------------------===//
#ifndef GGUFC_FRONTEND_FRONTEND_H
#define GGUFC_FRONTEND_FRONTEND_H

#include "ggufc/Frontend/Architecture.h"
#include "ggufc/Frontend/SafeTensors.h"
#include "ggufc/IR/Module.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>

namespace ggufc {

struct LoweredCheckpoint {
  std::unique_ptr<Module> M;
  const Architecture *Arch = nullptr;
  /// The SafeTensors files the frontend mapped and validated; the backend
  /// reads tensor data through it instead of opening them again.
  std::unique_ptr<TensorStore> Store;
  /// The architecture's default pipeline (without select-types).
  std::string Pipeline;
};

/// Lowers checkpoint directory Dir: config.json picks the architecture; one
/// `load` per SafeTensors tensor (single file or sharded with
/// model.safetensors.index.json), each bound to an output named by its
/// HuggingFace name; hyperparameters and tokenizer as metadata. Nothing is
/// read from the tensor data. Errors read "<path>: <problem>".
llvm::Expected<LoweredCheckpoint> lowerCheckpoint(llvm::StringRef Dir);

} // namespace ggufc

#endif
