//===- GGUFHeader.h - Serializing the GGUF header and tensor layout -------===//
#ifndef GGUFC_LIB_BACKEND_GGUFHEADER_H
#define GGUFC_LIB_BACKEND_GGUFHEADER_H

#include "ggufc/IR/Module.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ggufc {

/// Where everything goes in the file.
struct GGUFLayout {
  std::string Header;            // magic through the last tensor info
  uint64_t DataStart = 0;        // Header size rounded up to the alignment
  std::vector<uint64_t> Offsets; // per output, relative to DataStart
  std::vector<uint64_t> Sizes;   // per output, bytes
  uint64_t FileSize = 0;         // every tensor, the last too, padded
};

/// Encodes M's metadata (module order) and tensor infos (output order, ne[]
/// = shape reversed). Every output must have a storage type and no metadata
/// may be elided (the writer checks both first); metadata values that do
/// not fit their type are reported here.
llvm::Expected<GGUFLayout> layoutGGUF(const Module &M, uint32_t Alignment);

} // namespace ggufc

#endif
