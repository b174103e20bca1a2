//===- GGMLTypes.h - ggml tensor type table -------------------------------===//
#ifndef GGUFC_LIB_BACKEND_GGMLTYPES_H
#define GGUFC_LIB_BACKEND_GGMLTYPES_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>

namespace ggufc {

struct GGMLTypeTraits {
  uint32_t Id;
  const char *Name;    // as gguf-py spells it: "F32", "Q4_K", ...
  uint32_t BlockSize;  // values per block (1 for plain types)
  uint32_t BlockBytes; // bytes per block
};

/// The traits of a ggml type id, or null for one ggufc does not know.
const GGMLTypeTraits *ggmlTypeTraits(uint32_t GGMLType);

} // namespace ggufc

#endif
