//===- Evaluator.h - Computing a value's elements -----------------------===//
//
// The reference semantics of every operation: a value is evaluated into a
// float32 buffer (exact for f16/bf16 data; casts round where the IR says).
// Used by fold-constants and by the backend for outputs that are not a plain
// load.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_IR_EVALUATOR_H
#define GGUFC_IR_EVALUATOR_H

#include "ggufc/IR/Value.h"
#include "llvm/Support/Error.h"
#include <vector>

namespace ggufc {

/// Supplies the elements of `load` leaves, converted to float32.
class LoadReader {
public:
  virtual ~LoadReader() = default;
  /// Writes Load.Type.numElements() floats to Dst.
  virtual llvm::Error readAsFloat(const Value &Load, float *Dst) = 0;
};

/// Evaluates V into Out (row-major, V.Type.numElements() elements). Loads
/// need a Reader; without one they are an error. Elided constants are an
/// error.
llvm::Error evaluate(const Value &V, LoadReader *Reader,
                     std::vector<float> &Out);

} // namespace ggufc

#endif
