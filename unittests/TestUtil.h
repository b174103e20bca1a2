//===- TestUtil.h - Helpers shared by the unit tests ----------------------===//
//
// Tests of the evaluator and backend build values directly, with their
// types written out, so they do not depend on IRBuilder's type inference.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_UNITTESTS_TESTUTIL_H
#define GGUFC_UNITTESTS_TESTUTIL_H

#include "ggufc/IR/Module.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace ggufc {
namespace test {

/// The message of E, or "" for success (consumes E).
inline std::string errorText(llvm::Error E) {
  return E ? llvm::toString(std::move(E)) : std::string();
}

/// A fresh directory, removed with its contents at the end of the test.
class TempDir {
public:
  TempDir() {
    if (llvm::sys::fs::createUniqueDirectory("ggufc-test", Path))
      Path.clear();
  }
  ~TempDir() {
    if (!Path.empty())
      llvm::sys::fs::remove_directories(Path);
  }
  std::string path(llvm::StringRef Name) const {
    llvm::SmallString<128> P(Path);
    llvm::sys::path::append(P, Name);
    return std::string(P);
  }
  /// Names of the entries in the directory, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> Names;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Path, EC), End; It != End && !EC;
         It.increment(EC))
      Names.push_back(std::string(llvm::sys::path::filename(It->path())));
    std::sort(Names.begin(), Names.end());
    return Names;
  }
  llvm::StringRef dir() const { return Path; }

private:
  llvm::SmallString<128> Path;
};

inline std::vector<uint8_t> readFileBytes(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(In), {});
}

inline void writeFileBytes(const std::string &Path,
                           const std::vector<uint8_t> &Bytes) {
  std::ofstream Out(Path, std::ios::binary);
  Out.write(reinterpret_cast<const char *>(Bytes.data()), Bytes.size());
}

struct SafeTensor {
  std::string Name, DType; // "F32", "F16", "BF16"
  std::vector<int64_t> Shape;
  std::vector<uint8_t> Bytes;
};

/// Writes a SafeTensors file by the format's definition: u64 header
/// length, JSON header, data.
inline void writeSafeTensors(const std::string &Path,
                             const std::vector<SafeTensor> &Tensors) {
  std::string Header = "{";
  std::vector<uint8_t> Data;
  for (const SafeTensor &T : Tensors) {
    if (Header.size() > 1)
      Header += ",";
    Header += "\"" + T.Name + "\":{\"dtype\":\"" + T.DType + "\",\"shape\":[";
    for (size_t I = 0; I < T.Shape.size(); ++I)
      Header += (I ? "," : "") + std::to_string(T.Shape[I]);
    Header += "],\"data_offsets\":[" + std::to_string(Data.size()) + "," +
              std::to_string(Data.size() + T.Bytes.size()) + "]}";
    Data.insert(Data.end(), T.Bytes.begin(), T.Bytes.end());
  }
  Header += "}";
  while (Header.size() % 8)
    Header += ' ';
  std::vector<uint8_t> File;
  for (int I = 0; I < 8; ++I)
    File.push_back(uint8_t(uint64_t(Header.size()) >> (8 * I)));
  File.insert(File.end(), Header.begin(), Header.end());
  File.insert(File.end(), Data.begin(), Data.end());
  writeFileBytes(Path, File);
}

/// Little-endian bytes of 16-bit words, as stored in files.
inline std::vector<uint8_t> wordBytes(const std::vector<uint16_t> &Words) {
  std::vector<uint8_t> B;
  for (uint16_t W : Words) {
    B.push_back(uint8_t(W));
    B.push_back(uint8_t(W >> 8));
  }
  return B;
}

inline std::vector<uint8_t> floatBytes(const std::vector<float> &Floats) {
  std::vector<uint8_t> B(Floats.size() * 4);
  std::memcpy(B.data(), Floats.data(), B.size());
  return B;
}

inline Value *addValue(Module &M, Opcode Op, DType Elem, Shape Dims,
                       std::vector<Value *> Operands = {}) {
  auto V = std::make_unique<Value>(Op);
  V->Type = TensorType{Elem, std::move(Dims)};
  V->Operands = std::move(Operands);
  return M.append(std::move(V));
}

inline Value *addConst(Module &M, Shape Dims, std::vector<float> Data) {
  Value *V = addValue(M, Opcode::Const, DType::F32, std::move(Dims));
  V->Data = std::move(Data);
  return V;
}

/// 0, 1, 2, ... in a constant of the given shape.
inline Value *addIota(Module &M, Shape Dims) {
  std::vector<float> Data(size_t(numElements(Dims)));
  for (size_t I = 0; I < Data.size(); ++I)
    Data[I] = float(I);
  return addConst(M, std::move(Dims), std::move(Data));
}

inline Value *addLoad(Module &M, std::string File, std::string Key, DType Elem,
                      Shape Dims) {
  Value *V = addValue(M, Opcode::Load, Elem, std::move(Dims));
  V->File = std::move(File);
  V->Key = std::move(Key);
  return V;
}

} // namespace test
} // namespace ggufc

#endif
