//===- Value.h - Tensor values of the IR -----------------------------------===//
//
// A Value is one tensor: an element type, a shape in source (row-major,
// PyTorch) order, and the operation that defines it. The backend reverses
// shapes into GGUF's ne[] order; nothing in the IR does.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_IR_VALUE_H
#define GGUFC_IR_VALUE_H

#include "ggufc/Support/DType.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace ggufc {

using Shape = std::vector<int64_t>;

/// Product of the dimensions (1 for a rank-0 shape).
int64_t numElements(const Shape &S);

struct TensorType {
  DType Elem = DType::F32;
  Shape Dims;

  int64_t numElements() const { return ggufc::numElements(Dims); }
  bool operator==(const TensorType &O) const {
    return Elem == O.Elem && Dims == O.Dims;
  }
  bool operator!=(const TensorType &O) const { return !(*this == O); }
};

/// Every operation of the IR. The textual mnemonic of each is in
/// opcodeName(); docs/LangRef.md defines them.
enum class Opcode : uint8_t {
  Load,      // leaf: tensor `Key` of SafeTensors file `File`
  Const,     // leaf: inline float data
  AddScalar, // x + A                       (result f32)
  Scale,     // x * A                       (result f32)
  Tanh,      // tanh(x)                     (result f32)
  OneMinus,  // 1 - x                       (result f32)
  NegExp,    // -exp(x)                     (result f32)
  Clamp,     // min(max(x, A), B)           (result f32)
  Cast,      // convert to another element type, rounding to nearest even
  Reshape,   // same elements, new shape
  Transpose, // permute axes by Perm
  Slice,     // [Start, End) along Axis
  Concat,    // join operands along Axis
  Stack,     // join operands along a new axis Axis
  Squeeze,   // drop the size-1 axis Axis
};

llvm::StringRef opcodeName(Opcode Op);
bool isElementwise(Opcode Op);

class Value {
public:
  Opcode Op;
  TensorType Type;
  std::vector<Value *> Operands;

  // Attributes; which ones are meaningful depends on Op.
  std::string File, Key;   // Load: file (relative to Module::SourceDir), tensor name
  std::vector<float> Data; // Const: elements in row-major order
  bool DataElided = false; // Const: data was elided when printed
  double A = 0, B = 0;     // AddScalar/Scale: A; Clamp: [A, B]
  std::vector<int64_t> Perm; // Transpose
  int64_t Axis = 0;          // Slice, Concat, Stack, Squeeze
  int64_t Start = 0, End = 0; // Slice

  /// Position in Module::values(); printed as %Id. Renumbered by the module.
  unsigned Id = 0;

  explicit Value(Opcode Op) : Op(Op) {}
  bool isLeaf() const { return Op == Opcode::Load || Op == Opcode::Const; }
};

} // namespace ggufc

#endif
