//===- GGUFHeader.cpp - Serializing the GGUF header and tensor layout -----===//
#include "GGUFHeader.h"
#include "GGUFFormat.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/raw_ostream.h"
#include <limits>

using namespace llvm;

namespace ggufc {

namespace {

/// Little-endian GGUF primitives appended to a string.
class Encoder {
public:
  explicit Encoder(std::string &Buf) : OS(Buf), W(OS, support::little) {}
  template <typename T> void put(T V) { W.write<T>(V); }
  void str(StringRef S) {
    put<uint64_t>(S.size());
    OS << S;
  }

private:
  raw_string_ostream OS;
  support::endian::Writer W;
};

} // namespace

static Error outOfRange(StringRef Key, MetaType T, const Twine &V) {
  return createStringError(
      inconvertibleErrorCode(), "metadata '%s': value %s does not fit %s",
      Key.str().c_str(), V.str().c_str(), metaTypeName(T).str().c_str());
}

/// Writes element I of V with the width of its type, checking the range.
static Error encodeElement(Encoder &E, StringRef Key, const MetaValue &V,
                           size_t I) {
  MetaType T = V.elemType();
  if (isUnsignedMetaType(T)) {
    uint64_t X = V.unsignedValues()[I];
    uint64_t Max = T == MetaType::Bool  ? 1
                   : T == MetaType::U8  ? UINT8_MAX
                   : T == MetaType::U16 ? UINT16_MAX
                   : T == MetaType::U32 ? UINT32_MAX
                                        : UINT64_MAX;
    if (X > Max)
      return outOfRange(Key, T, Twine(X));
    switch (T) {
    case MetaType::U8:
    case MetaType::Bool:
      E.put<uint8_t>(uint8_t(X));
      break;
    case MetaType::U16:
      E.put<uint16_t>(uint16_t(X));
      break;
    case MetaType::U32:
      E.put<uint32_t>(uint32_t(X));
      break;
    default:
      E.put<uint64_t>(X);
      break;
    }
    return Error::success();
  }
  if (isSignedMetaType(T)) {
    int64_t X = V.signedValues()[I];
    unsigned Bits = T == MetaType::I8    ? 8
                    : T == MetaType::I16 ? 16
                    : T == MetaType::I32 ? 32
                                         : 64;
    if (Bits < 64 &&
        (X < -(int64_t(1) << (Bits - 1)) || X >= (int64_t(1) << (Bits - 1))))
      return outOfRange(Key, T, Twine(X));
    switch (Bits) {
    case 8:
      E.put<int8_t>(int8_t(X));
      break;
    case 16:
      E.put<int16_t>(int16_t(X));
      break;
    case 32:
      E.put<int32_t>(int32_t(X));
      break;
    default:
      E.put<int64_t>(X);
      break;
    }
    return Error::success();
  }
  if (T == MetaType::F32) {
    E.put<float>(float(V.floatValues()[I]));
    return Error::success();
  }
  if (T == MetaType::F64) {
    E.put<double>(V.floatValues()[I]);
    return Error::success();
  }
  E.str(V.strValues()[I]);
  return Error::success();
}

static Error encodeEntry(Encoder &E, StringRef Key, const MetaValue &V) {
  E.str(Key);
  if (V.isArray()) {
    E.put<uint32_t>(uint32_t(MetaType::Array));
    E.put<uint32_t>(uint32_t(V.elemType()));
    E.put<uint64_t>(V.size());
  } else {
    E.put<uint32_t>(uint32_t(V.elemType()));
  }
  for (size_t I = 0, N = V.size(); I != N; ++I)
    if (Error Err = encodeElement(E, Key, V, I))
      return Err;
  return Error::success();
}

Expected<GGUFLayout> layoutGGUF(const Module &M, uint32_t Alignment) {
  GGUFLayout L;
  {
    Encoder E(L.Header);
    for (char C : gguf::Magic)
      E.put<char>(C);
    E.put<uint32_t>(gguf::Version);
    E.put<uint64_t>(M.outputs().size());
    E.put<uint64_t>(M.Meta.size());
    for (const Metadata::Entry &KV : M.Meta.entries())
      if (Error Err = encodeEntry(E, KV.first, KV.second))
        return Err;

    uint64_t Offset = 0;
    for (const Output &O : M.outputs()) {
      const Shape &Dims = O.Def->Type.Dims;
      uint64_t Size = storageBytes(*O.Type, uint64_t(O.Def->Type.numElements()));
      E.str(O.Name);
      E.put<uint32_t>(uint32_t(Dims.size()));
      for (auto It = Dims.rbegin(); It != Dims.rend(); ++It)
        E.put<uint64_t>(uint64_t(*It));
      E.put<uint32_t>(uint32_t(*O.Type));
      E.put<uint64_t>(Offset);
      L.Offsets.push_back(Offset);
      L.Sizes.push_back(Size);
      Offset += gguf::alignUp(Size, Alignment);
    }
    L.FileSize = Offset;
  } // flushes the encoder into L.Header
  L.DataStart = gguf::alignUp(L.Header.size(), Alignment);
  L.FileSize += L.DataStart;
  return L;
}

} // namespace ggufc
