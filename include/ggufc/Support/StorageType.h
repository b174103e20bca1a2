//===- StorageType.h - How a tensor is stored in a GGUF file ----------------===//
//
// The types a tensor can have in a GGUF file: ggml's type table (ids, names,
// block sizes). IR values only ever have a DType (F32, F16, BF16); an
// output's storage type may also be a block-quantized ggml type. This is the
// one table the writer, the reader and select-types share.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_SUPPORT_STORAGETYPE_H
#define GGUFC_SUPPORT_STORAGETYPE_H

#include "ggufc/Support/DType.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>

namespace ggufc {

/// ggml_type ids (ggml.h); the enumerator's value is the id in the file.
enum class StorageType : uint32_t {
  F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8,
  Q8_1 = 9, Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14,
  Q8_K = 15, IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19,
  IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22, IQ4_XS = 23, I8 = 24, I16 = 25,
  I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30, TQ1_0 = 34,
  TQ2_0 = 35, MXFP4 = 39,
};

struct StorageTypeTraits {
  StorageType Type;
  const char *Name;    // as ggml spells it: "F32", "Q4_K", ...
  uint32_t BlockSize;  // values per block (1 for plain types)
  uint32_t BlockBytes; // bytes per block
};

/// The traits of a ggml type id, or null for one ggufc does not know.
const StorageTypeTraits *storageTypeTraits(uint32_t GGMLTypeId);
const StorageTypeTraits &storageTypeTraits(StorageType T);

/// The IR spelling: ggml's name in lower case ("f16", "q4_k").
std::string storageTypeName(StorageType T);
/// Inverse of storageTypeName.
llvm::Optional<StorageType> parseStorageType(llvm::StringRef Name);

/// The storage type that holds a DType's elements unchanged.
StorageType storageTypeOf(DType T);
/// The DType a plain float storage type holds, None for the others.
llvm::Optional<DType> dtypeOf(StorageType T);

/// Bytes of N elements (N a multiple of the block size).
uint64_t storageBytes(StorageType T, uint64_t N);

} // namespace ggufc

#endif
