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

uint32_t ggmlTypeId(DType T) {
  switch (T) {
  case DType::F32: return 0;
  case DType::F16: return 1;
  case DType::BF16: return 30;
  }
  return ~0u;
}

Optional<DType> dtypeFromGGMLTypeId(uint32_t Id) {
  switch (Id) {
  case 0: return DType::F32;
  case 1: return DType::F16;
  case 30: return DType::BF16;
  default: return None;
  }
}

} // namespace ggufc
