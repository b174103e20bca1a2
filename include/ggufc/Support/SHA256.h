//===- SHA256.h - SHA-256 of byte streams of any length -------------------===//
//
// FIPS 180-4 SHA-256. LLVM 14's llvm::SHA256 counts input bytes in 32 bits
// and so hashes inputs of 4 GiB or more wrongly; tensors can be that big.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_SUPPORT_SHA256_H
#define GGUFC_SUPPORT_SHA256_H

#include "llvm/ADT/ArrayRef.h"
#include <array>
#include <cstdint>
#include <string>

namespace ggufc {

class SHA256 {
public:
  SHA256();
  void update(llvm::ArrayRef<uint8_t> Data);
  /// The digest; the object must not be updated afterwards.
  std::array<uint8_t, 32> final();

  /// Lower-case hex digest of Data.
  static std::string hex(llvm::ArrayRef<uint8_t> Data);

private:
  void compress(const uint8_t *Block);

  std::array<uint32_t, 8> State;
  uint8_t Buffer[64];
  size_t Buffered = 0;
  uint64_t Length = 0; // bytes
};

} // namespace ggufc

#endif
