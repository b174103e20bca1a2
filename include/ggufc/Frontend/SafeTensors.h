//===- SafeTensors.h - Memory-mapped SafeTensors files ---------------------===//
//
// A SafeTensors file is an 8-byte little-endian header length, a JSON header
// mapping tensor names to {dtype, shape, data_offsets}, then the data. The
// file is mapped, never copied; open() validates the header completely
// (lengths, offsets in range and non-overlapping, byte sizes matching shape
// and dtype, supported dtypes) so later reads cannot fail.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_FRONTEND_SAFETENSORS_H
#define GGUFC_FRONTEND_SAFETENSORS_H

#include "ggufc/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ggufc {

struct SafeTensorInfo {
  std::string Name;
  TensorType Type;
  uint64_t Offset = 0; // absolute byte offset in the file
  uint64_t Size = 0;   // bytes
};

class SafeTensorsFile {
public:
  /// Errors read "<path>: <problem>".
  static llvm::Expected<std::unique_ptr<SafeTensorsFile>>
  open(llvm::StringRef Path);

  llvm::StringRef path() const { return Path; }
  /// Tensors in header order.
  const std::vector<SafeTensorInfo> &tensors() const { return Tensors; }
  const SafeTensorInfo *find(llvm::StringRef Name) const;
  llvm::ArrayRef<uint8_t> bytes(const SafeTensorInfo &T) const;
  /// Tells the kernel this process no longer needs the tensor's mapped
  /// pages: they stop counting as its resident memory but stay in the page
  /// cache, and a later read maps them again. No effect when the file was
  /// read into memory instead of mapped.
  void releasePages(const SafeTensorInfo &T) const;

private:
  std::string Path;
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  std::vector<SafeTensorInfo> Tensors;
  std::map<std::string, size_t, std::less<>> Index;
};

/// Opens SafeTensors files of one directory on demand and keeps them mapped;
/// safe to use from several threads.
class TensorStore {
public:
  explicit TensorStore(std::string Dir) : Dir(std::move(Dir)) {}
  llvm::StringRef dir() const { return Dir; }

  /// File is relative to the directory.
  llvm::Expected<const SafeTensorsFile *> file(llvm::StringRef File);
  /// The bytes of tensor Key in File, checked against the type the IR
  /// declares for it.
  llvm::Expected<llvm::ArrayRef<uint8_t>>
  tensorBytes(llvm::StringRef File, llvm::StringRef Key,
              const TensorType &Declared);
  /// releasePages for tensor Key of an already opened File (the backend
  /// calls it once a tensor is written, so resident memory stays bounded
  /// by the tensors in flight rather than growing with the model).
  void releaseTensor(llvm::StringRef File, llvm::StringRef Key);

private:
  std::string Dir;
  std::mutex Mutex;
  std::map<std::string, std::unique_ptr<SafeTensorsFile>, std::less<>> Files;
};

} // namespace ggufc

#endif
