//===- ProtobufWire.cpp - Scanning protobuf wire format -------------------===//
//
// A message is a sequence of (key, value) records; the key is a varint
// holding field_number << 3 | wire_type. Varints are little-endian groups of
// seven bits, the high bit marking continuation, at most ten bytes.
//
//===----------------------------------------------------------------------===//
#include "ProtobufWire.h"

using namespace llvm;

namespace ggufc {
namespace protobuf {

static Error malformed(const Twine &What) {
  return createStringError(inconvertibleErrorCode(),
                           "malformed protobuf: " + What);
}

namespace {
/// Reads from the front of a byte range.
class Reader {
public:
  explicit Reader(StringRef Data) : Rest(Data) {}
  bool empty() const { return Rest.empty(); }

  bool readVarint(uint64_t &Out) {
    Out = 0;
    for (unsigned Shift = 0; Shift < 64 && !Rest.empty(); Shift += 7) {
      uint8_t Byte = uint8_t(Rest.front());
      Rest = Rest.drop_front();
      Out |= uint64_t(Byte & 0x7f) << Shift;
      if (!(Byte & 0x80))
        return true;
    }
    return false;
  }

  bool readFixed(unsigned Size, uint64_t &Out) {
    if (Rest.size() < Size)
      return false;
    Out = 0;
    for (unsigned I = 0; I < Size; ++I)
      Out |= uint64_t(uint8_t(Rest[I])) << (8 * I);
    Rest = Rest.drop_front(Size);
    return true;
  }

  bool readBytes(uint64_t Size, StringRef &Out) {
    if (Rest.size() < Size)
      return false;
    Out = Rest.take_front(Size);
    Rest = Rest.drop_front(Size);
    return true;
  }

private:
  StringRef Rest;
};
} // namespace

Error forEachField(StringRef Data,
                   function_ref<Error(const WireField &)> Visit) {
  Reader R(Data);
  while (!R.empty()) {
    uint64_t Key;
    if (!R.readVarint(Key))
      return malformed("truncated field key");
    WireField Field;
    uint64_t Number = Key >> 3;
    if (Number == 0 || Number > (1u << 29) - 1)
      return malformed("invalid field number " + Twine(Number));
    Field.Number = uint32_t(Number);
    switch (Key & 7) {
    case 0:
      Field.Type = WireType::Varint;
      if (!R.readVarint(Field.Value))
        return malformed("truncated varint in field " + Twine(Number));
      break;
    case 1:
      Field.Type = WireType::Fixed64;
      if (!R.readFixed(8, Field.Value))
        return malformed("truncated fixed64 in field " + Twine(Number));
      break;
    case 2: {
      Field.Type = WireType::LengthDelimited;
      uint64_t Size;
      if (!R.readVarint(Size) || !R.readBytes(Size, Field.Bytes))
        return malformed("truncated bytes in field " + Twine(Number));
      break;
    }
    case 5:
      Field.Type = WireType::Fixed32;
      if (!R.readFixed(4, Field.Value))
        return malformed("truncated fixed32 in field " + Twine(Number));
      break;
    default:
      return malformed("unsupported wire type " + Twine(Key & 7) +
                       " in field " + Twine(Number));
    }
    if (Error E = Visit(Field))
      return E;
  }
  return Error::success();
}

} // namespace protobuf
} // namespace ggufc
