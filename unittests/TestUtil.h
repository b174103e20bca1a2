//===- TestUtil.h - Helpers shared by the unit tests ------------------------===//
//
// Tests of the evaluator and backend build values directly, with their
// types written out, so they do not depend on IRBuilder's type inference.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_UNITTESTS_TESTUTIL_H
#define GGUFC_UNITTESTS_TESTUTIL_H

#include "ggufc/IR/Module.h"
#include "llvm/Support/Error.h"
#include <memory>

namespace ggufc {
namespace test {

/// The message of E, or "" for success (consumes E).
inline std::string errorText(llvm::Error E) {
  return E ? llvm::toString(std::move(E)) : std::string();
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

inline Value *addLoad(Module &M, std::string File, std::string Key,
                      DType Elem, Shape Dims) {
  Value *V = addValue(M, Opcode::Load, Elem, std::move(Dims));
  V->File = std::move(File);
  V->Key = std::move(Key);
  return V;
}

} // namespace test
} // namespace ggufc

#endif
