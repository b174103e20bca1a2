//===- IRBuilder.h - Creating values with checked types ---------------------===//
//
// Every value a frontend or pass creates goes through IRBuilder, which
// computes the result type with the same rules the verifier checks. A
// builder call with ill-formed operands records an error (the first one is
// kept) and returns null; callers check takeError() once after a sequence.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_IR_IRBUILDER_H
#define GGUFC_IR_IRBUILDER_H

#include "ggufc/IR/Module.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

namespace ggufc {

/// Result type of V's operation given its operands and attributes, or an
/// error saying which rule is broken. Leaves return their declared type.
llvm::Expected<TensorType> inferResultType(const Value &V);

/// Checks V.Type against inferResultType(V): the broken rule, or a mismatch
/// naming the declared and the inferred type. The parser (through
/// IRBuilder::insert) and the verifier report exactly these messages.
llvm::Error checkDeclaredType(const Value &V);

class IRBuilder {
public:
  explicit IRBuilder(Module &M) : M(M) {}
  ~IRBuilder();

  Value *load(llvm::StringRef File, llvm::StringRef Key, TensorType Ty);
  Value *constant(TensorType Ty, std::vector<float> Data);

  Value *addScalar(Value *X, double C);
  Value *scale(Value *X, double C);
  Value *tanh(Value *X);
  Value *oneMinus(Value *X);
  Value *negExp(Value *X);
  Value *clamp(Value *X, double Lo, double Hi);
  Value *cast(Value *X, DType To);
  Value *reshape(Value *X, Shape NewShape);
  Value *transpose(Value *X, std::vector<int64_t> Perm);
  Value *slice(Value *X, int64_t Axis, int64_t Start, int64_t End);
  /// Splits X along Axis into pieces of the given sizes (a series of slices).
  std::vector<Value *> split(Value *X, int64_t Axis,
                             llvm::ArrayRef<int64_t> Sizes);
  Value *concat(llvm::ArrayRef<Value *> Xs, int64_t Axis);
  Value *stack(llvm::ArrayRef<Value *> Xs, int64_t Axis = 0);
  Value *squeeze(Value *X, int64_t Axis);

  /// Creates a value of any opcode from a prepared Value (used by the
  /// parser); the result type is inferred and must match V->Type if set.
  Value *insert(std::unique_ptr<Value> V, bool CheckDeclaredType);

  bool hasError() const { return bool(Err); }
  /// Returns the first recorded error (or success) and clears it.
  llvm::Error takeError();

private:
  Value *finish(std::unique_ptr<Value> V);
  Module &M;
  // Mutable: checking an llvm::Error (hasError) marks it as checked.
  mutable llvm::Error Err = llvm::Error::success();
};

} // namespace ggufc

#endif
