//===- DType.h - Tensor element types -------------------------------------===//
//
// The element types a tensor value can have in the IR: F32, F16 or BF16.
// Quantized types only ever appear as an output's storage type
// (StorageType.h, which also holds the ggml type ids).
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_SUPPORT_DTYPE_H
#define GGUFC_SUPPORT_DTYPE_H

#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>

namespace ggufc {

enum class DType : uint8_t { F32, F16, BF16 };

/// Lower-case IR spelling: "f32", "f16", "bf16".
llvm::StringRef dtypeName(DType T);
/// Inverse of dtypeName.
llvm::Optional<DType> parseDType(llvm::StringRef Name);
/// Bytes per element.
unsigned dtypeSize(DType T);

} // namespace ggufc

#endif
