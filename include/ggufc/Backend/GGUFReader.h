//===- GGUFReader.h - Reading GGUF files (gguf-dump, tests) -----------------===//
#ifndef GGUFC_BACKEND_GGUFREADER_H
#define GGUFC_BACKEND_GGUFREADER_H

#include "ggufc/IR/Metadata.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <string>
#include <vector>

namespace ggufc {

struct GGUFTensorInfo {
  std::string Name;
  std::vector<uint64_t> Ne; // GGUF order (fastest-varying first)
  uint32_t GGMLType = 0;
  uint64_t Offset = 0; // relative to the data section
  uint64_t Size = 0;   // bytes
};

class GGUFFile {
public:
  /// Validates the whole header; errors read "<path>: <problem>".
  static llvm::Expected<std::unique_ptr<GGUFFile>> open(llvm::StringRef Path);

  uint32_t version() const { return Version; }
  uint32_t alignment() const { return Alignment; }
  const Metadata &metadata() const { return Meta; }
  const std::vector<GGUFTensorInfo> &tensors() const { return Tensors; }
  llvm::ArrayRef<uint8_t> data(const GGUFTensorInfo &T) const;

private:
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  uint32_t Version = 0, Alignment = 32;
  uint64_t DataStart = 0;
  Metadata Meta;
  std::vector<GGUFTensorInfo> Tensors;
};

/// Name and byte size of GGML types, for the ones ggufc writes or reads.
llvm::StringRef ggmlTypeName(uint32_t GGMLType);
/// Bytes for N elements of the type, or 0 for an unknown type.
uint64_t ggmlTypeByteSize(uint32_t GGMLType, uint64_t N);

} // namespace ggufc

#endif
