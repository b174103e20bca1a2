//===- Evaluator.cpp - Computing a value's elements -----------------------===//
//
// Each operation is evaluated into a row-major float32 buffer. Data
// movement (transpose, slice, concat, stack) is expressed as copies of
// strided views, so every layout change goes through the same two loops.
// The checks below only guard the invariants those loops index by; the
// verifier is what explains ill-formed IR to users.
//
//===----------------------------------------------------------------------===//
#include "ggufc/IR/Evaluator.h"
#include "ggufc/Support/FloatConversion.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <algorithm>
#include <cmath>

using namespace llvm;

namespace ggufc {

static Error malformed(const Value &V, const Twine &Why) {
  return createStringError(inconvertibleErrorCode(), "value %%%u (%s): %s",
                           V.Id, opcodeName(V.Op).str().c_str(),
                           Why.str().c_str());
}

/// Row-major strides, in elements, of a shape.
static SmallVector<int64_t, 4> rowMajorStrides(ArrayRef<int64_t> Dims) {
  SmallVector<int64_t, 4> Strides(Dims.size(), 1);
  for (size_t I = Dims.size(); I-- > 1;)
    Strides[I - 1] = Strides[I] * Dims[I];
  return Strides;
}

/// Dst (Rows x Cols, row-major) = the transposed view of Src whose rows are
/// contiguous (Dst[r][c] = Src[r + c * ColStride]), in square tiles so
/// that both the reads and the writes stay within a few cache lines.
static float *copyTransposedTiles(const float *Src, int64_t Rows, int64_t Cols,
                                  int64_t ColStride, float *Dst) {
  constexpr int64_t Tile = 32;
  for (int64_t R0 = 0; R0 < Rows; R0 += Tile) {
    const int64_t R1 = std::min(Rows, R0 + Tile);
    for (int64_t C0 = 0; C0 < Cols; C0 += Tile) {
      const int64_t C1 = std::min(Cols, C0 + Tile);
      for (int64_t R = R0; R < R1; ++R)
        for (int64_t C = C0; C < C1; ++C)
          Dst[R * Cols + C] = Src[R + C * ColStride];
    }
  }
  return Dst + Rows * Cols;
}

/// Copies the view of Src with the given dimensions and element strides
/// into Dst in row-major order. Axes of size 1 are dropped and axes that
/// are contiguous with their inner neighbour merged first. The innermost
/// block is then a contiguous row (a plain copy), a transposed pair of
/// axes (copied in tiles), or a strided row; an odometer walks the rest.
static void copyStrided(const float *Src, ArrayRef<int64_t> Dims,
                        ArrayRef<int64_t> Strides, float *Dst) {
  SmallVector<int64_t, 4> D, S;
  for (size_t I = 0; I < Dims.size(); ++I) {
    if (Dims[I] == 0)
      return;
    if (Dims[I] == 1)
      continue;
    if (!D.empty() && S.back() == Strides[I] * Dims[I]) {
      D.back() *= Dims[I];
      S.back() = Strides[I];
      continue;
    }
    D.push_back(Dims[I]);
    S.push_back(Strides[I]);
  }
  if (D.empty()) {
    *Dst = *Src;
    return;
  }
  const size_t Rank = D.size();
  const bool Tiled = Rank >= 2 && S[Rank - 2] == 1 && S[Rank - 1] != 1;
  const size_t Outer = Rank - (Tiled ? 2 : 1);
  const int64_t InnerN = D.back(), InnerS = S.back();
  SmallVector<int64_t, 4> Index(Outer, 0);
  const float *Block = Src;
  for (;;) {
    if (Tiled) {
      Dst = copyTransposedTiles(Block, D[Rank - 2], InnerN, InnerS, Dst);
    } else if (InnerS == 1) {
      Dst = std::copy(Block, Block + InnerN, Dst);
    } else {
      for (int64_t I = 0; I < InnerN; ++I)
        *Dst++ = Block[I * InnerS];
    }
    // Advance the odometer over the outer axes; done when it wraps.
    size_t A = Outer;
    for (;;) {
      if (A == 0)
        return;
      --A;
      Block += S[A];
      if (++Index[A] < D[A])
        break;
      Block -= S[A] * D[A];
      Index[A] = 0;
    }
  }
}

namespace {

class Evaluator {
public:
  explicit Evaluator(LoadReader *Reader) : Reader(Reader) {}
  Error eval(const Value &V, std::vector<float> &Out);

private:
  Error evalOperand(const Value &V, std::vector<float> &Out);
  Error evalLoad(const Value &V, std::vector<float> &Out);
  Error evalConst(const Value &V, std::vector<float> &Out);
  Error evalElementwise(const Value &V, std::vector<float> &Out);
  Error evalTranspose(const Value &V, std::vector<float> &Out);
  Error evalSlice(const Value &V, std::vector<float> &Out);
  Error evalJoin(const Value &V, std::vector<float> &Out);

  LoadReader *Reader;
};

} // namespace

Error Evaluator::eval(const Value &V, std::vector<float> &Out) {
  switch (V.Op) {
  case Opcode::Load:
    return evalLoad(V, Out);
  case Opcode::Const:
    return evalConst(V, Out);
  case Opcode::Reshape:
  case Opcode::Squeeze:
    return evalOperand(V, Out); // same elements in the same order
  case Opcode::Transpose:
    return evalTranspose(V, Out);
  case Opcode::Slice:
    return evalSlice(V, Out);
  case Opcode::Concat:
  case Opcode::Stack:
    return evalJoin(V, Out);
  default:
    return evalElementwise(V, Out);
  }
}

/// Evaluates the single operand of V into Out, which must then have as many
/// elements as V.
Error Evaluator::evalOperand(const Value &V, std::vector<float> &Out) {
  if (V.Operands.size() != 1 || !V.Operands[0])
    return malformed(V, "expects exactly one operand");
  if (V.Operands[0]->Type.numElements() != V.Type.numElements())
    return malformed(V, "operand and result differ in element count");
  return eval(*V.Operands[0], Out);
}

Error Evaluator::evalLoad(const Value &V, std::vector<float> &Out) {
  if (!Reader)
    return createStringError(inconvertibleErrorCode(),
                             "value %%%u: cannot evaluate load of '%s' from "
                             "'%s' without tensor data",
                             V.Id, V.Key.c_str(), V.File.c_str());
  Out.assign(size_t(V.Type.numElements()), 0.0f);
  return Reader->readAsFloat(V, Out.data());
}

Error Evaluator::evalConst(const Value &V, std::vector<float> &Out) {
  if (V.DataElided)
    return createStringError(inconvertibleErrorCode(),
                             "value %%%u: cannot evaluate an elided constant",
                             V.Id);
  if (int64_t(V.Data.size()) != V.Type.numElements())
    return malformed(V, "data length does not match its shape");
  Out = V.Data;
  return Error::success();
}

/// Rounds X to the nearest value of type T (ties to even).
static float roundTo(DType T, float X) {
  switch (T) {
  case DType::F32:
    return X;
  case DType::F16:
    return halfToFloat(floatToHalf(X));
  case DType::BF16:
    return bf16ToFloat(floatToBF16(X));
  }
  return X;
}

Error Evaluator::evalElementwise(const Value &V, std::vector<float> &Out) {
  if (Error E = evalOperand(V, Out))
    return E;
  const float A = float(V.A), B = float(V.B);
  auto Map = [&](auto F) {
    for (float &X : Out)
      X = F(X);
  };
  switch (V.Op) {
  case Opcode::AddScalar:
    Map([&](float X) { return X + A; });
    break;
  case Opcode::Scale:
    Map([&](float X) { return X * A; });
    break;
  // tanh and exp in double, rounded once: the correctly rounded f32 result,
  // which float tanhf/expf do not promise.
  case Opcode::Tanh:
    Map([](float X) { return float(std::tanh(double(X))); });
    break;
  case Opcode::OneMinus:
    Map([](float X) { return 1.0f - X; });
    break;
  case Opcode::NegExp:
    Map([](float X) { return float(-std::exp(double(X))); });
    break;
  case Opcode::Clamp:
    // max then min, so NaN stays NaN as in torch.clamp.
    Map([&](float X) { return std::min(std::max(X, A), B); });
    break;
  case Opcode::Cast: {
    DType To = V.Type.Elem;
    Map([&](float X) { return roundTo(To, X); });
    break;
  }
  default:
    return malformed(V, "unknown operation");
  }
  return Error::success();
}

Error Evaluator::evalTranspose(const Value &V, std::vector<float> &Out) {
  if (V.Operands.size() != 1 || !V.Operands[0])
    return malformed(V, "expects exactly one operand");
  const Shape &In = V.Operands[0]->Type.Dims;
  const size_t Rank = In.size();
  SmallVector<bool, 4> Seen(Rank, false);
  if (V.Perm.size() != Rank || V.Type.Dims.size() != Rank)
    return malformed(V, "permutation does not match the operand's rank");
  for (size_t I = 0; I < Rank; ++I) {
    int64_t P = V.Perm[I];
    if (P < 0 || size_t(P) >= Rank || Seen[P] || V.Type.Dims[I] != In[P])
      return malformed(V, "invalid permutation");
    Seen[P] = true;
  }
  std::vector<float> Src;
  if (Error E = eval(*V.Operands[0], Src))
    return E;
  // Output axis I walks input axis Perm[I].
  SmallVector<int64_t, 4> InStrides = rowMajorStrides(In), Strides;
  for (int64_t P : V.Perm)
    Strides.push_back(InStrides[P]);
  Out.assign(size_t(V.Type.numElements()), 0.0f);
  copyStrided(Src.data(), V.Type.Dims, Strides, Out.data());
  return Error::success();
}

Error Evaluator::evalSlice(const Value &V, std::vector<float> &Out) {
  if (V.Operands.size() != 1 || !V.Operands[0])
    return malformed(V, "expects exactly one operand");
  const Shape &In = V.Operands[0]->Type.Dims;
  if (V.Axis < 0 || size_t(V.Axis) >= In.size() || V.Start < 0 ||
      V.Start > V.End || V.End > In[V.Axis])
    return malformed(V, "slice bounds out of range");
  Shape Expected = In;
  Expected[V.Axis] = V.End - V.Start;
  if (V.Type.Dims != Expected)
    return malformed(V, "result shape does not match the slice");
  std::vector<float> Src;
  if (Error E = eval(*V.Operands[0], Src))
    return E;
  SmallVector<int64_t, 4> Strides = rowMajorStrides(In);
  Out.assign(size_t(V.Type.numElements()), 0.0f);
  if (!Out.empty())
    copyStrided(Src.data() + V.Start * Strides[V.Axis], V.Type.Dims, Strides,
                Out.data());
  return Error::success();
}

/// Concat and stack: the result, seen as Outer rows (the axes before Axis),
/// is each operand's rows laid side by side. A stacked operand contributes
/// a row of its own inner size, a concatenated one a row of its axis length
/// times that.
Error Evaluator::evalJoin(const Value &V, std::vector<float> &Out) {
  const Shape &Dims = V.Type.Dims;
  if (V.Operands.empty() || V.Axis < 0 || size_t(V.Axis) >= Dims.size())
    return malformed(V, "axis out of range or no operands");
  int64_t Outer = 1;
  for (int64_t I = 0; I < V.Axis; ++I)
    Outer *= Dims[I];
  const int64_t Total = V.Type.numElements();
  const int64_t OutRow = Outer ? Total / Outer : 0;
  int64_t Sum = 0;
  for (const Value *Op : V.Operands) {
    if (!Op)
      return malformed(V, "missing operand");
    int64_t N = Op->Type.numElements();
    if (Outer ? N % Outer != 0 : N != 0)
      return malformed(V, "operand shapes do not match the result");
    Sum += Outer ? N / Outer : 0;
  }
  if (Sum != OutRow)
    return malformed(V, "operand shapes do not match the result");

  Out.assign(size_t(Total), 0.0f);
  std::vector<float> Src;
  int64_t Column = 0;
  for (const Value *Op : V.Operands) {
    if (Error E = eval(*Op, Src))
      return E;
    const int64_t Row = Outer ? int64_t(Src.size()) / Outer : 0;
    for (int64_t R = 0; R < Outer; ++R)
      std::copy(Src.begin() + R * Row, Src.begin() + (R + 1) * Row,
                Out.begin() + R * OutRow + Column);
    Column += Row;
  }
  return Error::success();
}

Error evaluate(const Value &V, LoadReader *Reader, std::vector<float> &Out) {
  return Evaluator(Reader).eval(V, Out);
}

} // namespace ggufc
