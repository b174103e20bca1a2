//===- ProtobufWire.h - Scanning protobuf wire format (private) -----------===//
//
// Just enough of the protobuf wire format to read the few fields of a
// SentencePiece model that SentencePieceProcessor's API does not expose.
// Debian's libsentencepiece-dev ships no generated sentencepiece_model.pb.h
// and carries its own protobuf-lite, so neither the generated classes nor
// the system libprotobuf can be used alongside it.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_FRONTEND_PROTOBUFWIRE_H
#define GGUFC_LIB_FRONTEND_PROTOBUFWIRE_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>

namespace ggufc {
namespace protobuf {

enum class WireType : uint8_t {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5
};

/// One field of a serialized message.
struct WireField {
  uint32_t Number = 0;
  WireType Type = WireType::Varint;
  uint64_t Value = 0;    // Varint, Fixed32 and Fixed64 fields
  llvm::StringRef Bytes; // LengthDelimited fields (strings, messages)
};

/// Calls Visit on every field of the serialized message Data, in order.
/// Stops at the first error of Visit, or with "malformed protobuf: ..." when
/// Data is not a well-formed message (group wire types are rejected).
llvm::Error
forEachField(llvm::StringRef Data,
             llvm::function_ref<llvm::Error(const WireField &)> Visit);

} // namespace protobuf
} // namespace ggufc

#endif
