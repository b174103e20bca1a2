//===- DType.h - Tensor element types -------------------------------------===//
//
// The element types a tensor value can have in the IR, and the GGML type ids
// the backend writes for them. IR values are F32, F16 or BF16; quantized types
// only ever appear as an output's storage type.
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
/// The ggml_type id GGUF files use (F32 = 0, F16 = 1, BF16 = 30).
uint32_t ggmlTypeId(DType T);
/// Inverse of ggmlTypeId for the types ggufc understands.
llvm::Optional<DType> dtypeFromGGMLTypeId(uint32_t Id);

} // namespace ggufc

#endif
