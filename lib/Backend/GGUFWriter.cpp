//===- GGUFWriter.cpp - Emitting a module as a GGUF file ------------------===//
//
// Validate, lay out the header (GGUFHeader), then fill a temporary file:
// the header at 0 and every tensor at its precomputed offset, one tensor
// per pool task, each prepared in chunks that OutputFile writes at their
// offsets, one write at a time. The file is sized up front, so padding
// (including after the last tensor) reads as zeros. Only a complete file is
// renamed into place.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Backend/GGUFWriter.h"
#include "GGUFFormat.h"
#include "GGUFHeader.h"
#include "OutputFile.h"
#include "WriteProgress.h"
#include "ggufc/Backend/Quantize.h"
#include "ggufc/Backend/StoreLoadReader.h"
#include "ggufc/IR/Evaluator.h"
#include "ggufc/Support/ElementConversion.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Errno.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Host.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/ThreadPool.h"
#include <atomic>
#include <cerrno>
#include <numeric>
#include <unistd.h>

using namespace llvm;

namespace ggufc {

static Error fail(StringRef OutPath, const Twine &What) {
  return make_error<StringError>(OutPath + ": " + What,
                                 inconvertibleErrorCode());
}

//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

/// Problems with what the outputs reach: elided constants.
static Error checkReachableValues(const Module &M, StringRef OutPath) {
  DenseSet<const Value *> Seen;
  for (const Output &O : M.outputs()) {
    SmallVector<const Value *, 16> Work{O.Def};
    while (!Work.empty()) {
      const Value *V = Work.pop_back_val();
      if (!V || !Seen.insert(V).second)
        continue;
      if (V->Op == Opcode::Const && V->DataElided)
        return fail(OutPath, "tensor '" + O.Name + "' uses value %" +
                                 Twine(V->Id) +
                                 ", a constant whose data was elided");
      Work.append(V->Operands.begin(), V->Operands.end());
    }
  }
  return Error::success();
}

static Error validate(const Module &M, StringRef OutPath) {
  if (sys::IsBigEndianHost)
    return fail(OutPath, "writing GGUF on a big-endian host is not supported");
  for (const Metadata::Entry &KV : M.Meta.entries()) {
    if (KV.second.isElided())
      return fail(OutPath, "metadata '" + KV.first +
                               "' was elided; its contents are unknown");
    if (KV.second.elemType() == MetaType::Array)
      return fail(OutPath, "metadata '" + KV.first + "' is an array of arrays");
  }
  StringSet<> Names;
  for (const Output &O : M.outputs()) {
    if (!O.Def)
      return fail(OutPath, "tensor '" + O.Name + "' has no value");
    if (O.Name.empty())
      return fail(OutPath, "a tensor has an empty name");
    if (O.Name.size() > gguf::MaxNameLength)
      return fail(OutPath, "tensor name '" + O.Name + "' is longer than " +
                               Twine(gguf::MaxNameLength) +
                               " bytes, the most llama.cpp accepts");
    if (!Names.insert(O.Name).second)
      return fail(OutPath, "tensor '" + O.Name + "' is defined twice");
    if (!O.Type)
      return fail(OutPath, "tensor '" + O.Name +
                               "' has no storage type (run select-types)");
    const Shape &Dims = O.Def->Type.Dims;
    if (Dims.size() > gguf::MaxDims)
      return fail(OutPath, "tensor '" + O.Name + "' has " + Twine(Dims.size()) +
                               " dimensions; GGUF allows " +
                               Twine(gguf::MaxDims));
    for (int64_t D : Dims)
      if (D < 0)
        return fail(OutPath,
                    "tensor '" + O.Name + "' has a negative dimension");
    if (!dtypeOf(*O.Type)) {
      const StorageTypeTraits &T = storageTypeTraits(*O.Type);
      if (!canQuantize(*O.Type))
        return fail(OutPath, "tensor '" + O.Name + "': ggufc cannot write " +
                                 T.Name + " data");
      if (Dims.empty() || Dims.back() % T.BlockSize != 0)
        return fail(OutPath, "tensor '" + O.Name + "' has rows of " +
                                 Twine(Dims.empty() ? 1 : Dims.back()) +
                                 " values, not a multiple of " + T.Name +
                                 "'s block of " + Twine(T.BlockSize));
    }
  }
  return checkReachableValues(M, OutPath);
}

//===----------------------------------------------------------------------===//
// Tensor data
//===----------------------------------------------------------------------===//

/// Bytes per write: small, so one thread's write overlaps the other
/// threads' reads and conversions (whole-tensor writes left the other
/// workers waiting; measured: the bf16 copy took 1.5x as long) and a
/// chunk's buffers stay in cache.
constexpr size_t WriteChunkBytes = size_t(1) << 20;

/// Writes N elements of type From at Src as the float type To at Pos,
/// converting a bounded chunk at a time so no whole-tensor copy is made.
/// Even an unconverted chunk is staged through the buffer: the mapped
/// source pages are then faulted in by this thread's copy, in parallel,
/// not inside the one write at a time.
static std::error_code writeConverted(OutputFile &Out, const uint8_t *Src,
                                      DType From, DType To, size_t N,
                                      uint64_t Pos) {
  const size_t Chunk =
      WriteChunkBytes / std::max(dtypeSize(From), dtypeSize(To));
  std::vector<uint8_t> Buf(std::min(N, Chunk) * dtypeSize(To));
  for (size_t I = 0; I < N; I += Chunk) {
    const size_t M = std::min(Chunk, N - I);
    convertElements(Src + I * dtypeSize(From), From, Buf.data(), To, M);
    if (std::error_code EC =
            Out.writeAt(Buf.data(), M * dtypeSize(To), Pos + I * dtypeSize(To)))
      return EC;
  }
  return std::error_code();
}

/// Writes N elements of type From at Src, rows of RowLength, quantized as
/// To at Pos: a bounded chunk of whole rows at a time is converted to f32
/// and quantized.
static std::error_code writeQuantized(OutputFile &Out, const uint8_t *Src,
                                      DType From, StorageType To, size_t N,
                                      size_t RowLength, uint64_t Pos) {
  const size_t Rows = RowLength ? N / RowLength : 0;
  const size_t RowsPerChunk = std::max<size_t>(
      1, WriteChunkBytes / sizeof(float) / std::max<size_t>(RowLength, 1));
  const uint64_t RowBytes = storageBytes(To, RowLength);
  std::vector<float> Floats;
  std::vector<uint8_t> Buf;
  for (size_t R = 0; R < Rows; R += RowsPerChunk) {
    const size_t M = std::min(RowsPerChunk, Rows - R) * RowLength;
    const uint8_t *Chunk = Src + R * RowLength * dtypeSize(From);
    const float *F = reinterpret_cast<const float *>(Chunk);
    if (From != DType::F32) {
      Floats.resize(M);
      convertElements(Chunk, From, reinterpret_cast<uint8_t *>(Floats.data()),
                      DType::F32, M);
      F = Floats.data();
    }
    Buf.resize(storageBytes(To, M));
    quantize(To, F, Buf.data(), M);
    if (std::error_code EC =
            Out.writeAt(Buf.data(), Buf.size(), Pos + R * RowBytes))
      return EC;
  }
  return std::error_code();
}

/// Writes N elements of type From at Src as To, rows of RowLength.
static std::error_code writeElements(OutputFile &Out, const uint8_t *Src,
                                     DType From, StorageType To, size_t N,
                                     size_t RowLength, uint64_t Pos) {
  if (Optional<DType> Plain = dtypeOf(To))
    return writeConverted(Out, Src, From, *Plain, N, Pos);
  return writeQuantized(Out, Src, From, To, N, RowLength, Pos);
}

/// V, looking through reshape and squeeze (which keep the element order).
static const Value *throughViews(const Value *V) {
  while ((V->Op == Opcode::Reshape || V->Op == Opcode::Squeeze) &&
         V->Operands.size() == 1)
    V = V->Operands[0];
  return V;
}

/// Appends to Pieces the loads and constants whose elements, one after the
/// other, are V's: V itself, or the operands of a concat or stack along
/// axis 0 (the outermost, so each operand is one contiguous block of whole
/// rows), e.g. a padded embedding table or fused experts. False if V must be
/// evaluated.
static bool collectPieces(const Value *V, std::vector<const Value *> &Pieces) {
  V = throughViews(V);
  if (V->Op == Opcode::Load || V->Op == Opcode::Const) {
    Pieces.push_back(V);
    return true;
  }
  // Below rank 2 the operands would split the one row (and its blocks).
  if ((V->Op != Opcode::Concat && V->Op != Opcode::Stack) || V->Axis != 0 ||
      V->Type.Dims.size() < 2)
    return false;
  for (const Value *Operand : V->Operands)
    if (!collectPieces(Operand, Pieces))
      return false;
  return true;
}

namespace {

/// Produces and writes the data of one output.
class TensorWriter {
public:
  TensorWriter(TensorStore &Store, OutputFile &Out)
      : Store(Store), Reader(Store), Out(Out) {}
  Error write(const Output &O, uint64_t Pos);

private:
  Error writePiece(const Value &Piece, StorageType To, size_t RowLength,
                   uint64_t Pos);
  TensorStore &Store;
  StoreLoadReader Reader;
  OutputFile &Out;
};

} // namespace

/// Streams a load straight from the mapped file, or a constant's elements,
/// stored as To.
Error TensorWriter::writePiece(const Value &Piece, StorageType To,
                               size_t RowLength, uint64_t Pos) {
  const size_t N = size_t(Piece.Type.numElements());
  if (Piece.Op == Opcode::Const)
    return errorCodeToError(
        writeElements(Out, reinterpret_cast<const uint8_t *>(Piece.Data.data()),
                      DType::F32, To, N, RowLength, Pos));
  Expected<ArrayRef<uint8_t>> Bytes =
      Store.tensorBytes(Piece.File, Piece.Key, Piece.Type);
  if (!Bytes)
    return Bytes.takeError();
  if (Bytes->size() != N * dtypeSize(Piece.Type.Elem))
    return createStringError(inconvertibleErrorCode(),
                             "source tensor '%s' has %zu bytes, expected %zu",
                             Piece.Key.c_str(), Bytes->size(),
                             N * dtypeSize(Piece.Type.Elem));
  std::error_code EC =
      writeElements(Out, Bytes->data(), Piece.Type.Elem, To, N, RowLength, Pos);
  Store.releaseTensor(Piece.File, Piece.Key);
  return errorCodeToError(EC);
}

Error TensorWriter::write(const Output &O, uint64_t Pos) {
  const Value &V = *O.Def;
  const size_t N = size_t(V.Type.numElements());
  const StorageType To = *O.Type;
  // GGUF rows run along the last source dimension.
  const size_t RowLength = V.Type.Dims.empty() ? 1 : size_t(V.Type.Dims.back());
  std::vector<const Value *> Pieces;
  if (collectPieces(&V, Pieces)) {
    for (const Value *Piece : Pieces) {
      if (Error E = writePiece(*Piece, To, RowLength, Pos))
        return E;
      Pos += storageBytes(To, size_t(Piece->Type.numElements()));
    }
    return Error::success();
  }
  std::vector<float> Values;
  if (Error E = evaluate(V, &Reader, Values))
    return E;
  if (Values.size() != N)
    return createStringError(inconvertibleErrorCode(),
                             "evaluated to %zu elements, expected %zu",
                             Values.size(), N);
  return errorCodeToError(
      writeElements(Out, reinterpret_cast<const uint8_t *>(Values.data()),
                    DType::F32, To, N, RowLength, Pos));
}

/// Writes every output's data in parallel; returns the first error in
/// output order. After a failure, tensors not yet started are skipped.
static Error writeAllTensors(const Module &M, const GGUFLayout &L,
                             TensorStore &Store, OutputFile &Out,
                             StringRef OutPath, unsigned Threads) {
  const auto &Outputs = M.outputs();
  // Largest first, so one big tensor does not start last and run alone.
  std::vector<size_t> Order(Outputs.size());
  std::iota(Order.begin(), Order.end(), 0);
  std::stable_sort(Order.begin(), Order.end(),
                   [&](size_t A, size_t B) { return L.Sizes[A] > L.Sizes[B]; });

  std::vector<std::string> Errors(Outputs.size());
  std::atomic<bool> Failed{false};
  TensorWriter Writer(Store, Out);
  WriteProgress Progress(
      Outputs.size(),
      std::accumulate(L.Sizes.begin(), L.Sizes.end(), uint64_t(0)));
  {
    // Each task holds at most one tensor's buffers, and the pool runs
    // Threads tasks at a time: memory is bounded by Threads x largest.
    ThreadPool Pool(hardware_concurrency(Threads));
    for (size_t I : Order)
      Pool.async([&, I] {
        if (Failed.load())
          return;
        if (Error E = Writer.write(Outputs[I], L.DataStart + L.Offsets[I])) {
          Errors[I] = toString(std::move(E));
          Failed.store(true);
          return;
        }
        Progress.tensorWritten(L.Sizes[I]);
      });
    Pool.wait();
  }
  for (size_t I = 0; I < Outputs.size(); ++I)
    if (!Errors[I].empty())
      return fail(OutPath, "tensor '" + Outputs[I].Name + "': " + Errors[I]);
  return Error::success();
}

//===----------------------------------------------------------------------===//
// The file
//===----------------------------------------------------------------------===//

/// Fills the open temporary file FD.
static Error fillFile(const Module &M, const GGUFLayout &L, TensorStore &Store,
                      int FD, StringRef OutPath, unsigned Threads) {
  if (::ftruncate(FD, off_t(L.FileSize)) != 0)
    return fail(OutPath, "cannot size the output: " + sys::StrError(errno));
  OutputFile Out(FD);
  if (std::error_code EC =
          Out.writeAt(reinterpret_cast<const uint8_t *>(L.Header.data()),
                      L.Header.size(), 0))
    return fail(OutPath, "cannot write: " + EC.message());
  return writeAllTensors(M, L, Store, Out, OutPath, Threads);
}

Error writeGGUF(const Module &M, TensorStore &Store, StringRef OutPath,
                const WriterOptions &Opts) {
  if (Error E = validate(M, OutPath))
    return E;
  Expected<uint32_t> Alignment = gguf::alignmentOf(M.Meta);
  if (!Alignment)
    return fail(OutPath, toString(Alignment.takeError()));
  Expected<GGUFLayout> Layout = layoutGGUF(M, *Alignment);
  if (!Layout)
    return fail(OutPath, toString(Layout.takeError()));

  int FD;
  SmallString<256> TmpPath;
  if (std::error_code EC =
          sys::fs::createUniqueFile(OutPath + ".tmp-%%%%%%", FD, TmpPath))
    return fail(OutPath, "cannot create a temporary file: " + EC.message());
  // Removed on every early return and on a signal, until renamed.
  FileRemover Remover(TmpPath);
  sys::RemoveFileOnSignal(TmpPath);
  auto Forget = make_scope_exit([&] { sys::DontRemoveFileOnSignal(TmpPath); });

  Error Filled = fillFile(M, *Layout, Store, FD, OutPath, Opts.Threads);
  int CloseErrno = ::close(FD) == 0 ? 0 : errno;
  if (Filled)
    return Filled;
  if (CloseErrno)
    return fail(OutPath, "cannot write: " + sys::StrError(CloseErrno));
  if (std::error_code EC = sys::fs::rename(TmpPath, OutPath))
    return fail(OutPath,
                "cannot rename " + TmpPath + " into place: " + EC.message());
  Remover.releaseFile();
  return Error::success();
}

} // namespace ggufc
