//===- GGUFFormat.h - Rules shared by the GGUF reader and writer ---------===//
#ifndef GGUFC_LIB_BACKEND_GGUFFORMAT_H
#define GGUFC_LIB_BACKEND_GGUFFORMAT_H

#include "ggufc/IR/Metadata.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>

namespace ggufc {
namespace gguf {

constexpr char Magic[4] = {'G', 'G', 'U', 'F'};
constexpr uint32_t Version = 3;
constexpr uint32_t DefaultAlignment = 32;
/// ggml tensors have at most four dimensions (GGML_MAX_DIMS).
constexpr unsigned MaxDims = 4;
/// llama.cpp rejects tensor names of 64 bytes or more (GGML_MAX_NAME).
constexpr size_t MaxNameLength = 63;
constexpr llvm::StringLiteral AlignmentKey = "general.alignment";

/// The data alignment the metadata asks for: general.alignment, which must
/// be a u32 power of two, or the default.
llvm::Expected<uint32_t> alignmentOf(const Metadata &Meta);

inline uint64_t alignUp(uint64_t X, uint64_t Align) {
  return (X + Align - 1) / Align * Align;
}

} // namespace gguf
} // namespace ggufc

#endif
