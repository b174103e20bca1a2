//===- DType.cpp - Tensor element types -----------------------------------===//
#include "ggufc/Support/DType.h"
#include "llvm/ADT/StringSwitch.h"

using namespace llvm;

namespace ggufc {

StringRef dtypeName(DType T) {
  switch (T) {
  case DType::F32: return "f32";
  case DType::F16: return "f16";
  case DType::BF16: return "bf16";
  }
  return "?";
}

Optional<DType> parseDType(StringRef Name) {
  return StringSwitch<Optional<DType>>(Name)
      .Case("f32", DType::F32)
      .Case("f16", DType::F16)
      .Case("bf16", DType::BF16)
      .Default(None);
}

unsigned dtypeSize(DType T) { return T == DType::F32 ? 4 : 2; }

} // namespace ggufc
