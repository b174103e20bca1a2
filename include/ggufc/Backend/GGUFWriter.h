//===- GGUFWriter.h - Emitting a module as a GGUF file ----------------------===//
//
// GGUF v3, little endian: header, metadata in module order, tensor infos in
// output order (shapes reversed into ne[] order), then each tensor's data at
// an offset aligned to general.alignment (default 32), every tensor padded.
// Tensor data is produced by a bounded pool of worker threads that evaluate
// each output from the mapped inputs and write it at its offset; at most
// `Threads` tensors are in memory at once. The file is written under a
// temporary name next to the output and renamed into place when complete.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_BACKEND_GGUFWRITER_H
#define GGUFC_BACKEND_GGUFWRITER_H

#include "ggufc/Frontend/SafeTensors.h"
#include "ggufc/IR/Module.h"
#include "llvm/Support/Error.h"

namespace ggufc {

struct WriterOptions {
  unsigned Threads = 0; // 0: all cores
};

/// Requires every output to have a storage type (run select-types first)
/// and no elided metadata or constants.
llvm::Error writeGGUF(const Module &M, TensorStore &Store,
                      llvm::StringRef OutPath, const WriterOptions &Opts);

} // namespace ggufc

#endif
