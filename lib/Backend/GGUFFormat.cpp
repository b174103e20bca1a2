//===- GGUFFormat.cpp - Rules shared by GGUF reader and writer ------------===//
#include "GGUFFormat.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;

namespace ggufc {
namespace gguf {

Expected<uint32_t> alignmentOf(const Metadata &Meta) {
  const MetaValue *V = Meta.get(AlignmentKey);
  if (!V)
    return DefaultAlignment;
  if (V->isArray() || V->elemType() != MetaType::U32 || V->isElided())
    return createStringError(inconvertibleErrorCode(),
                             "%s must be a u32 scalar", AlignmentKey.data());
  uint64_t A = V->getUnsigned();
  if (A == 0 || A > UINT32_MAX || !isPowerOf2_64(A))
    return createStringError(inconvertibleErrorCode(),
                             "%s must be a power of two, got %llu",
                             AlignmentKey.data(), (unsigned long long)A);
  return uint32_t(A);
}

} // namespace gguf
} // namespace ggufc
