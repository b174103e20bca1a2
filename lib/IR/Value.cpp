//===- Value.cpp - Tensor values of the IR ----------------------------------===//
#include "ggufc/IR/Value.h"

using namespace llvm;

namespace ggufc {

int64_t numElements(const Shape &S) {
  int64_t N = 1;
  for (int64_t D : S)
    N *= D;
  return N;
}

StringRef opcodeName(Opcode Op) {
  switch (Op) {
  case Opcode::Load: return "load";
  case Opcode::Const: return "const";
  case Opcode::AddScalar: return "add";
  case Opcode::Scale: return "scale";
  case Opcode::Tanh: return "tanh";
  case Opcode::OneMinus: return "one_minus";
  case Opcode::NegExp: return "neg_exp";
  case Opcode::Clamp: return "clamp";
  case Opcode::Cast: return "cast";
  case Opcode::Reshape: return "reshape";
  case Opcode::Transpose: return "transpose";
  case Opcode::Slice: return "slice";
  case Opcode::Concat: return "concat";
  case Opcode::Stack: return "stack";
  case Opcode::Squeeze: return "squeeze";
  }
  return "?";
}

bool isElementwise(Opcode Op) {
  switch (Op) {
  case Opcode::AddScalar: case Opcode::Scale: case Opcode::Tanh:
  case Opcode::OneMinus: case Opcode::NegExp: case Opcode::Clamp:
  case Opcode::Cast:
    return true;
  default:
    return false;
  }
}

} // namespace ggufc
