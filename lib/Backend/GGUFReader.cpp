//===- GGUFReader.cpp - Reading GGUF files (gguf-dump, tests) -------------===//
//
// Reads and validates the whole header of a mapped GGUF file. Every length
// and count is checked against the bytes that remain before anything is
// allocated for it, so a corrupt or hostile file yields an error, never a
// huge allocation or an out-of-bounds read.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Backend/GGUFReader.h"
#include "GGUFFormat.h"
#include "ggufc/Support/StorageType.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include <algorithm>
#include <cstring>

using namespace llvm;

namespace ggufc {

namespace {

/// Bounds-checked little-endian reads. The first failure is kept (with the
/// offset it happened at) and every later read returns zeros, so callers
/// check ok() once per item instead of after every field.
class Cursor {
public:
  explicit Cursor(ArrayRef<uint8_t> Bytes) : Bytes(Bytes) {}

  bool ok() const { return Problem.empty(); }
  const std::string &problem() const { return Problem; }
  uint64_t pos() const { return Pos; }
  uint64_t remaining() const { return Bytes.size() - Pos; }

  void fail(const Twine &What) {
    if (ok())
      Problem = (What + " (at offset " + Twine(Pos) + ")").str();
  }

  template <typename T> T get() {
    if (!ok() || remaining() < sizeof(T)) {
      fail("unexpected end of file");
      return T();
    }
    T V = support::endian::read<T, support::little, 1>(Bytes.data() + Pos);
    Pos += sizeof(T);
    return V;
  }

  std::string str() {
    uint64_t Len = get<uint64_t>();
    if (!ok())
      return {};
    if (Len > remaining()) {
      fail("string of " + Twine(Len) + " bytes runs past the end of the file");
      return {};
    }
    std::string S(reinterpret_cast<const char *>(Bytes.data() + Pos), Len);
    Pos += Len;
    return S;
  }

  /// Checks that Count items of at least MinSize bytes each can still fit.
  bool fits(uint64_t Count, uint64_t MinSize, const Twine &What) {
    if (ok() && Count > remaining() / MinSize)
      fail(What + " count " + Twine(Count) + " exceeds the file size");
    return ok();
  }

private:
  ArrayRef<uint8_t> Bytes;
  uint64_t Pos = 0;
  std::string Problem;
};

} // namespace

static bool isKnownMetaType(uint32_t T) { return T <= uint32_t(MetaType::F64); }

/// Smallest encoded size of one element of a (non-array) type.
static uint64_t minElementSize(MetaType T) {
  switch (T) {
  case MetaType::U8:
  case MetaType::I8:
  case MetaType::Bool:
    return 1;
  case MetaType::U16:
  case MetaType::I16:
    return 2;
  case MetaType::U32:
  case MetaType::I32:
  case MetaType::F32:
    return 4;
  case MetaType::Str:
  case MetaType::U64:
  case MetaType::I64:
  case MetaType::F64:
    return 8;
  case MetaType::Array:
    break;
  }
  return 8;
}

/// Reads Count elements of type T (Count is 1 for a scalar).
static MetaValue readElements(Cursor &C, MetaType T, uint64_t Count,
                              bool IsArray) {
  if (!C.fits(Count, minElementSize(T), "array element"))
    return {};
  if (T == MetaType::Str) {
    std::vector<std::string> V;
    V.reserve(Count);
    for (uint64_t I = 0; I < Count && C.ok(); ++I)
      V.push_back(C.str());
    return IsArray ? MetaValue::strArray(std::move(V)) : MetaValue::str(V[0]);
  }
  if (isFloatMetaType(T)) {
    std::vector<double> V(Count);
    for (double &D : V)
      D = T == MetaType::F32 ? double(C.get<float>()) : C.get<double>();
    return IsArray              ? MetaValue::floatArray(T, std::move(V))
           : T == MetaType::F32 ? MetaValue::f32(V[0])
                                : MetaValue::f64(V[0]);
  }
  if (isSignedMetaType(T)) {
    std::vector<int64_t> V(Count);
    for (int64_t &X : V) {
      switch (T) {
      case MetaType::I8:
        X = C.get<int8_t>();
        break;
      case MetaType::I16:
        X = C.get<int16_t>();
        break;
      case MetaType::I32:
        X = C.get<int32_t>();
        break;
      default:
        X = C.get<int64_t>();
        break;
      }
    }
    if (IsArray)
      return MetaValue::signedArray(T, std::move(V));
    switch (T) {
    case MetaType::I8:
      return MetaValue::i8(int8_t(V[0]));
    case MetaType::I16:
      return MetaValue::i16(int16_t(V[0]));
    case MetaType::I32:
      return MetaValue::i32(int32_t(V[0]));
    default:
      return MetaValue::i64(V[0]);
    }
  }
  std::vector<uint64_t> V(Count);
  for (uint64_t &X : V) {
    switch (T) {
    case MetaType::U8:
      X = C.get<uint8_t>();
      break;
    case MetaType::Bool:
      X = C.get<uint8_t>() != 0;
      break;
    case MetaType::U16:
      X = C.get<uint16_t>();
      break;
    case MetaType::U32:
      X = C.get<uint32_t>();
      break;
    default:
      X = C.get<uint64_t>();
      break;
    }
  }
  if (IsArray)
    return MetaValue::unsignedArray(T, std::move(V));
  switch (T) {
  case MetaType::U8:
    return MetaValue::u8(uint8_t(V[0]));
  case MetaType::Bool:
    return MetaValue::boolean(V[0] != 0);
  case MetaType::U16:
    return MetaValue::u16(uint16_t(V[0]));
  case MetaType::U32:
    return MetaValue::u32(uint32_t(V[0]));
  default:
    return MetaValue::u64(V[0]);
  }
}

static MetaValue readValue(Cursor &C, const std::string &Key) {
  uint32_t Type = C.get<uint32_t>();
  if (!C.ok())
    return {};
  if (!isKnownMetaType(Type)) {
    C.fail("metadata '" + Key + "' has unknown value type " + Twine(Type));
    return {};
  }
  if (MetaType(Type) != MetaType::Array)
    return readElements(C, MetaType(Type), 1, /*IsArray=*/false);
  uint32_t Elem = C.get<uint32_t>();
  uint64_t Count = C.get<uint64_t>();
  if (!C.ok())
    return {};
  if (!isKnownMetaType(Elem) || MetaType(Elem) == MetaType::Array) {
    C.fail("metadata '" + Key + "' has unsupported array element type " +
           Twine(Elem));
    return {};
  }
  return readElements(C, MetaType(Elem), Count, /*IsArray=*/true);
}

/// Reads one tensor info and checks its type and shape.
static GGUFTensorInfo readTensorInfo(Cursor &C, uint32_t Alignment) {
  GGUFTensorInfo T;
  T.Name = C.str();
  uint32_t NDims = C.get<uint32_t>();
  if (!C.ok())
    return T;
  if (NDims > gguf::MaxDims) {
    C.fail("tensor '" + T.Name + "' has " + Twine(NDims) +
           " dimensions; at most " + Twine(gguf::MaxDims) + " are allowed");
    return T;
  }
  uint64_t Elements = 1;
  for (uint32_t I = 0; I < NDims; ++I) {
    T.Ne.push_back(C.get<uint64_t>());
    if (C.ok() && (T.Ne.back() > uint64_t(INT64_MAX) ||
                   __builtin_mul_overflow(Elements, T.Ne.back(), &Elements) ||
                   Elements > uint64_t(INT64_MAX)))
      C.fail("tensor '" + T.Name + "' has too many elements");
  }
  T.GGMLType = C.get<uint32_t>();
  T.Offset = C.get<uint64_t>();
  if (!C.ok())
    return T;
  const StorageTypeTraits *Traits = storageTypeTraits(T.GGMLType);
  if (!Traits) {
    C.fail("tensor '" + T.Name + "' has unknown ggml type " +
           Twine(T.GGMLType));
    return T;
  }
  if (Traits->BlockSize > 1 && (T.Ne.empty() || T.Ne[0] % Traits->BlockSize)) {
    C.fail("tensor '" + T.Name + "' of type " + Traits->Name +
           " has a row length that is not a multiple of " +
           Twine(Traits->BlockSize));
    return T;
  }
  if (T.Offset % Alignment) {
    C.fail("tensor '" + T.Name + "' offset " + Twine(T.Offset) +
           " is not a multiple of the alignment " + Twine(Alignment));
    return T;
  }
  if (Elements / Traits->BlockSize > UINT64_MAX / Traits->BlockBytes) {
    C.fail("tensor '" + T.Name + "' has too many elements");
    return T;
  }
  T.Size = storageBytes(Traits->Type, Elements);
  return T;
}

/// Checks that every tensor lies inside the data section and that no two
/// overlap.
static Error checkTensorPlacement(StringRef Path, uint64_t DataStart,
                                  uint64_t FileSize,
                                  const std::vector<GGUFTensorInfo> &Tensors) {
  std::vector<const GGUFTensorInfo *> ByOffset;
  for (const GGUFTensorInfo &T : Tensors) {
    if (DataStart > FileSize || T.Offset > FileSize - DataStart ||
        T.Size > FileSize - DataStart - T.Offset)
      return createStringError(
          inconvertibleErrorCode(),
          "%s: tensor '%s' (%llu bytes at data offset %llu) extends past the "
          "end of the file",
          Path.str().c_str(), T.Name.c_str(), (unsigned long long)T.Size,
          (unsigned long long)T.Offset);
    ByOffset.push_back(&T);
  }
  std::sort(ByOffset.begin(), ByOffset.end(),
            [](const GGUFTensorInfo *A, const GGUFTensorInfo *B) {
              return A->Offset < B->Offset;
            });
  for (size_t I = 1; I < ByOffset.size(); ++I)
    if (ByOffset[I - 1]->Offset + ByOffset[I - 1]->Size > ByOffset[I]->Offset)
      return createStringError(
          inconvertibleErrorCode(), "%s: tensors '%s' and '%s' overlap",
          Path.str().c_str(), ByOffset[I - 1]->Name.c_str(),
          ByOffset[I]->Name.c_str());
  return Error::success();
}

Expected<std::unique_ptr<GGUFFile>> GGUFFile::open(StringRef Path) {
  auto Fail = [&](const Twine &What) -> Error {
    return make_error<StringError>(Path + ": " + What,
                                   inconvertibleErrorCode());
  };
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(
      Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return Fail(Buf.getError().message());

  std::unique_ptr<GGUFFile> F(new GGUFFile());
  F->Buffer = std::move(*Buf);
  ArrayRef<uint8_t> Bytes(
      reinterpret_cast<const uint8_t *>(F->Buffer->getBufferStart()),
      F->Buffer->getBufferSize());
  Cursor C(Bytes);

  if (Bytes.size() < 4 || std::memcmp(Bytes.data(), gguf::Magic, 4) != 0)
    return Fail("not a GGUF file (bad magic)");
  C.get<uint32_t>();
  F->Version = C.get<uint32_t>();
  if (C.ok() && F->Version != 2 && F->Version != 3)
    return Fail("unsupported GGUF version " + Twine(F->Version) +
                " (expected 2 or 3, little endian)");
  uint64_t TensorCount = C.get<uint64_t>();
  uint64_t MetaCount = C.get<uint64_t>();
  // A metadata entry takes at least 13 bytes (key length, type, one byte),
  // a tensor info at least 24 (name length, n_dims, type, offset).
  C.fits(MetaCount, 13, "metadata");
  C.fits(TensorCount, 24, "tensor");

  for (uint64_t I = 0; I < MetaCount && C.ok(); ++I) {
    std::string Key = C.str();
    MetaValue V = readValue(C, Key);
    if (!C.ok())
      break;
    if (F->Meta.contains(Key))
      C.fail("duplicate metadata key '" + Key + "'");
    else
      F->Meta.set(Key, std::move(V));
  }
  if (!C.ok())
    return Fail(C.problem());

  Expected<uint32_t> Alignment = gguf::alignmentOf(F->Meta);
  if (!Alignment)
    return Fail(toString(Alignment.takeError()));
  F->Alignment = *Alignment;

  StringSet<> Names;
  for (uint64_t I = 0; I < TensorCount && C.ok(); ++I) {
    GGUFTensorInfo T = readTensorInfo(C, F->Alignment);
    if (C.ok() && !Names.insert(T.Name).second)
      C.fail("duplicate tensor name '" + T.Name + "'");
    F->Tensors.push_back(std::move(T));
  }
  if (!C.ok())
    return Fail(C.problem());

  F->DataStart = gguf::alignUp(C.pos(), F->Alignment);
  if (Error E =
          checkTensorPlacement(Path, F->DataStart, Bytes.size(), F->Tensors))
    return E;
  return F;
}

ArrayRef<uint8_t> GGUFFile::data(const GGUFTensorInfo &T) const {
  return ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(Buffer->getBufferStart()) + DataStart +
          T.Offset,
      T.Size);
}

StringRef ggmlTypeName(uint32_t GGMLType) {
  const StorageTypeTraits *T = storageTypeTraits(GGMLType);
  return T ? T->Name : "unknown";
}

uint64_t ggmlTypeByteSize(uint32_t GGMLType, uint64_t N) {
  const StorageTypeTraits *T = storageTypeTraits(GGMLType);
  return T ? storageBytes(T->Type, N) : 0;
}

} // namespace ggufc
