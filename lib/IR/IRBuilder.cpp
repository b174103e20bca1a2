//===- IRBuilder.cpp - Type rules and checked value creation ---------------===//
//
// inferResultType is the single statement of every operation's type rule;
// the builder, the parser (through IRBuilder::insert) and the verifier all
// go through it, so they cannot disagree.
//
//===----------------------------------------------------------------------===//
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/IR/Printer.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <numeric>

using namespace llvm;

namespace ggufc {

namespace {

Error ruleError(Opcode Op, const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(),
                           opcodeName(Op) + ": " + Msg);
}

std::string formatList(ArrayRef<int64_t> Xs) {
  std::string S;
  raw_string_ostream OS(S);
  OS << '[';
  interleaveComma(Xs, OS);
  OS << ']';
  return OS.str();
}

std::string formatScalar(double D) {
  std::string S;
  raw_string_ostream(S) << format("%g", D);
  return S;
}

/// Element count of Dims, or None if a dimension is negative or the count
/// does not fit in int64 (operands of unverified IR may be anything).
Optional<int64_t> checkedNumElements(ArrayRef<int64_t> Dims) {
  int64_t N = 1;
  for (int64_t D : Dims)
    if (D < 0 || __builtin_mul_overflow(N, D, &N))
      return None;
  return N;
}

/// A result shape is well-formed if its dimensions are non-negative and its
/// element count is representable.
Error checkShape(Opcode Op, const Shape &Dims) {
  for (int64_t D : Dims)
    if (D < 0)
      return ruleError(Op, "dimension " + Twine(D) + " is negative");
  if (!checkedNumElements(Dims))
    return ruleError(Op, "shape " + formatList(Dims) +
                             " has more elements than fit in 64 bits");
  return Error::success();
}

Error checkAxis(Opcode Op, int64_t Axis, int64_t Limit, size_t Rank) {
  if (Axis < 0 || Axis > Limit)
    return ruleError(Op, "axis " + Twine(Axis) + " is out of range for rank " +
                             Twine(Rank));
  return Error::success();
}

/// Operand count and non-null operands; every other rule relies on them.
Error checkOperands(const Value &V) {
  size_t N = V.Operands.size();
  if (V.Op == Opcode::Concat || V.Op == Opcode::Stack) {
    if (N < 1)
      return ruleError(V.Op, "expected at least 1 operand, got 0");
  } else {
    size_t Want = V.isLeaf() ? 0 : 1;
    if (N != Want)
      return ruleError(V.Op, "expected " + Twine(Want) +
                                 (Want == 1 ? " operand" : " operands") +
                                 ", got " + Twine(N));
  }
  for (size_t I = 0; I < N; ++I)
    if (!V.Operands[I])
      return ruleError(V.Op, "operand " + Twine(I) + " is null");
  return Error::success();
}

Expected<TensorType> inferTranspose(const Value &V, const TensorType &X) {
  size_t Rank = X.Dims.size();
  std::vector<bool> Seen(Rank, false);
  bool IsPerm = V.Perm.size() == Rank;
  for (int64_t P : V.Perm) {
    if (!IsPerm || P < 0 || P >= int64_t(Rank) || Seen[P]) {
      IsPerm = false;
      break;
    }
    Seen[P] = true;
  }
  if (!IsPerm)
    return ruleError(V.Op, formatList(V.Perm) + " is not a permutation of " +
                               Twine(Rank) + " axes");
  TensorType R{X.Elem, {}};
  for (int64_t P : V.Perm)
    R.Dims.push_back(X.Dims[P]);
  return R;
}

Expected<TensorType> inferSlice(const Value &V, const TensorType &X) {
  size_t Rank = X.Dims.size();
  if (Error E = checkAxis(V.Op, V.Axis, int64_t(Rank) - 1, Rank))
    return E;
  int64_t Size = X.Dims[V.Axis];
  if (!(0 <= V.Start && V.Start < V.End && V.End <= Size))
    return ruleError(V.Op, "[" + Twine(V.Start) + ":" + Twine(V.End) +
                               "] is not a non-empty range of axis " +
                               Twine(V.Axis) + " of size " + Twine(Size) +
                               " (need 0 <= start < end <= size)");
  TensorType R = X;
  R.Dims[V.Axis] = V.End - V.Start;
  return R;
}

Expected<TensorType> inferConcat(const Value &V) {
  const TensorType &First = V.Operands[0]->Type;
  size_t Rank = First.Dims.size();
  if (Error E = checkAxis(V.Op, V.Axis, int64_t(Rank) - 1, Rank))
    return E;
  TensorType R = First;
  for (size_t I = 1; I < V.Operands.size(); ++I) {
    const TensorType &T = V.Operands[I]->Type;
    if (T.Elem != First.Elem || T.Dims.size() != Rank)
      return ruleError(V.Op, "operand " + Twine(I) + " has type " +
                                 formatType(T) + ", operand 0 has " +
                                 formatType(First) +
                                 " (need the same dtype and rank)");
    for (size_t D = 0; D < Rank; ++D)
      if (int64_t(D) != V.Axis && T.Dims[D] != First.Dims[D])
        return ruleError(V.Op, "operand " + Twine(I) + " has type " +
                                   formatType(T) + ", operand 0 has " +
                                   formatType(First) +
                                   " (dimensions may differ only on axis " +
                                   Twine(V.Axis) + ")");
    if (__builtin_add_overflow(R.Dims[V.Axis], T.Dims[V.Axis],
                               &R.Dims[V.Axis]))
      return ruleError(V.Op, "axis " + Twine(V.Axis) + " overflows");
  }
  return R;
}

Expected<TensorType> inferStack(const Value &V) {
  const TensorType &First = V.Operands[0]->Type;
  size_t Rank = First.Dims.size();
  if (Error E = checkAxis(V.Op, V.Axis, int64_t(Rank), Rank))
    return E;
  for (size_t I = 1; I < V.Operands.size(); ++I)
    if (V.Operands[I]->Type != First)
      return ruleError(V.Op, "operand " + Twine(I) + " has type " +
                                 formatType(V.Operands[I]->Type) +
                                 ", operand 0 has " + formatType(First) +
                                 " (all operands need the same type)");
  TensorType R = First;
  R.Dims.insert(R.Dims.begin() + V.Axis, int64_t(V.Operands.size()));
  return R;
}

Expected<TensorType> inferSqueeze(const Value &V, const TensorType &X) {
  size_t Rank = X.Dims.size();
  if (Error E = checkAxis(V.Op, V.Axis, int64_t(Rank) - 1, Rank))
    return E;
  if (X.Dims[V.Axis] != 1)
    return ruleError(V.Op, "axis " + Twine(V.Axis) + " has size " +
                               Twine(X.Dims[V.Axis]) + ", not 1");
  TensorType R = X;
  R.Dims.erase(R.Dims.begin() + V.Axis);
  return R;
}

/// The rule of V.Op, assuming checkOperands passed.
Expected<TensorType> inferUnchecked(const Value &V) {
  const TensorType *X = V.Operands.empty() ? nullptr : &V.Operands[0]->Type;
  switch (V.Op) {
  case Opcode::Load:
    if (V.File.empty())
      return ruleError(V.Op, "empty file name");
    if (V.Key.empty())
      return ruleError(V.Op, "empty tensor name");
    return V.Type;
  case Opcode::Const: {
    Optional<int64_t> N = checkedNumElements(V.Type.Dims);
    if (N && !V.DataElided && int64_t(V.Data.size()) != *N)
      return ruleError(V.Op, Twine(V.Data.size()) + " elements given for " +
                                 formatType(V.Type) + ", which has " +
                                 Twine(*N));
    return V.Type;
  }
  case Opcode::Clamp:
    if (!(V.A <= V.B))
      return ruleError(V.Op, "lower bound " + formatScalar(V.A) +
                                 " is not <= upper bound " +
                                 formatScalar(V.B));
    LLVM_FALLTHROUGH;
  case Opcode::AddScalar:
  case Opcode::Scale:
  case Opcode::Tanh:
  case Opcode::OneMinus:
  case Opcode::NegExp:
    return TensorType{DType::F32, X->Dims};
  case Opcode::Cast:
    return TensorType{V.Type.Elem, X->Dims};
  case Opcode::Reshape: {
    if (Error E = checkShape(V.Op, V.Type.Dims))
      return E;
    TensorType R{X->Elem, V.Type.Dims};
    Optional<int64_t> NX = checkedNumElements(X->Dims);
    if (!NX || NX != checkedNumElements(R.Dims))
      return ruleError(V.Op, "cannot reshape " + formatType(*X) + " to " +
                                 formatType(R) +
                                 " (element counts differ)");
    return R;
  }
  case Opcode::Transpose:
    return inferTranspose(V, *X);
  case Opcode::Slice:
    return inferSlice(V, *X);
  case Opcode::Concat:
    return inferConcat(V);
  case Opcode::Stack:
    return inferStack(V);
  case Opcode::Squeeze:
    return inferSqueeze(V, *X);
  }
  return ruleError(V.Op, "unknown opcode " + Twine(unsigned(V.Op)));
}

} // namespace

Expected<TensorType> inferResultType(const Value &V) {
  if (Error E = checkOperands(V))
    return E;
  Expected<TensorType> T = inferUnchecked(V);
  if (!T)
    return T.takeError();
  if (Error E = checkShape(V.Op, T->Dims))
    return E;
  return T;
}

Error checkDeclaredType(const Value &V) {
  Expected<TensorType> T = inferResultType(V);
  if (!T)
    return T.takeError();
  if (*T != V.Type)
    return ruleError(V.Op, "declared type " + formatType(V.Type) +
                               " does not match the inferred type " +
                               formatType(*T));
  return Error::success();
}

//===----------------------------------------------------------------------===//
// IRBuilder
//===----------------------------------------------------------------------===//

IRBuilder::~IRBuilder() { consumeError(std::move(Err)); }

Error IRBuilder::takeError() {
  Error E = std::move(Err);
  Err = Error::success();
  return E;
}

Value *IRBuilder::insert(std::unique_ptr<Value> V, bool CheckDeclaredType) {
  if (hasError())
    return nullptr;
  if (!V) {
    Err = createStringError(inconvertibleErrorCode(), "insert: null value");
    return nullptr;
  }
  // Operands must already be values of this module; ids are positions.
  for (size_t I = 0; I < V->Operands.size(); ++I) {
    const Value *Op = V->Operands[I];
    if (Op && !(Op->Id < M.values().size() && M.values()[Op->Id].get() == Op)) {
      Err = ruleError(V->Op, "operand " + Twine(I) +
                                 " is not a value of this module");
      return nullptr;
    }
  }
  if (CheckDeclaredType) {
    Err = checkDeclaredType(*V);
  } else if (Expected<TensorType> T = inferResultType(*V)) {
    V->Type = std::move(*T);
  } else {
    Err = T.takeError();
  }
  if (hasError())
    return nullptr;
  return M.append(std::move(V));
}

Value *IRBuilder::finish(std::unique_ptr<Value> V) {
  return insert(std::move(V), /*CheckDeclaredType=*/false);
}

namespace {
/// Scalar operands are f32 in the IR (they print and parse as float).
/// (CMakeLists.txt disables GCC's SLP vectorizer, which miscompiles this.)
double toF32(double C) { return double(float(C)); }

std::unique_ptr<Value> unary(Opcode Op, Value *X) {
  auto V = std::make_unique<Value>(Op);
  V->Operands = {X};
  return V;
}
} // namespace

Value *IRBuilder::load(StringRef File, StringRef Key, TensorType Ty) {
  auto V = std::make_unique<Value>(Opcode::Load);
  V->File = File.str();
  V->Key = Key.str();
  V->Type = std::move(Ty);
  return finish(std::move(V));
}

Value *IRBuilder::constant(TensorType Ty, std::vector<float> Data) {
  auto V = std::make_unique<Value>(Opcode::Const);
  V->Type = std::move(Ty);
  V->Data = std::move(Data);
  return finish(std::move(V));
}

Value *IRBuilder::addScalar(Value *X, double C) {
  auto V = unary(Opcode::AddScalar, X);
  V->A = toF32(C);
  return finish(std::move(V));
}

Value *IRBuilder::scale(Value *X, double C) {
  auto V = unary(Opcode::Scale, X);
  V->A = toF32(C);
  return finish(std::move(V));
}

Value *IRBuilder::tanh(Value *X) { return finish(unary(Opcode::Tanh, X)); }
Value *IRBuilder::oneMinus(Value *X) {
  return finish(unary(Opcode::OneMinus, X));
}
Value *IRBuilder::negExp(Value *X) { return finish(unary(Opcode::NegExp, X)); }

Value *IRBuilder::clamp(Value *X, double Lo, double Hi) {
  auto V = unary(Opcode::Clamp, X);
  V->A = toF32(Lo);
  V->B = toF32(Hi);
  return finish(std::move(V));
}

Value *IRBuilder::cast(Value *X, DType To) {
  auto V = unary(Opcode::Cast, X);
  V->Type.Elem = To;
  return finish(std::move(V));
}

Value *IRBuilder::reshape(Value *X, Shape NewShape) {
  auto V = unary(Opcode::Reshape, X);
  V->Type.Dims = std::move(NewShape);
  return finish(std::move(V));
}

Value *IRBuilder::transpose(Value *X, std::vector<int64_t> Perm) {
  auto V = unary(Opcode::Transpose, X);
  V->Perm = std::move(Perm);
  return finish(std::move(V));
}

Value *IRBuilder::slice(Value *X, int64_t Axis, int64_t Start, int64_t End) {
  auto V = unary(Opcode::Slice, X);
  V->Axis = Axis;
  V->Start = Start;
  V->End = End;
  return finish(std::move(V));
}

std::vector<Value *> IRBuilder::split(Value *X, int64_t Axis,
                                      ArrayRef<int64_t> Sizes) {
  std::vector<Value *> Pieces;
  if (hasError())
    return Pieces;
  // The pieces must cover the axis exactly; a forgotten remainder would
  // silently drop data.
  if (X && Axis >= 0 && Axis < int64_t(X->Type.Dims.size())) {
    int64_t Total = 0;
    for (int64_t S : Sizes)
      if (S < 0 || __builtin_add_overflow(Total, S, &Total))
        Total = -1;
    if (Total != X->Type.Dims[Axis]) {
      Err = createStringError(inconvertibleErrorCode(),
                              "split: sizes " + formatList(Sizes) +
                                  " do not add up to axis " + Twine(Axis) +
                                  " of " + formatType(X->Type));
      return Pieces;
    }
  }
  int64_t Start = 0;
  for (int64_t S : Sizes) {
    Pieces.push_back(slice(X, Axis, Start, Start + S));
    Start += S;
  }
  return Pieces;
}

Value *IRBuilder::concat(ArrayRef<Value *> Xs, int64_t Axis) {
  auto V = std::make_unique<Value>(Opcode::Concat);
  V->Operands.assign(Xs.begin(), Xs.end());
  V->Axis = Axis;
  return finish(std::move(V));
}

Value *IRBuilder::stack(ArrayRef<Value *> Xs, int64_t Axis) {
  auto V = std::make_unique<Value>(Opcode::Stack);
  V->Operands.assign(Xs.begin(), Xs.end());
  V->Axis = Axis;
  return finish(std::move(V));
}

Value *IRBuilder::squeeze(Value *X, int64_t Axis) {
  auto V = unary(Opcode::Squeeze, X);
  V->Axis = Axis;
  return finish(std::move(V));
}

} // namespace ggufc
