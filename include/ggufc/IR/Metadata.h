//===- Metadata.h - Typed, ordered module metadata -------------------------===//
//
// A MetaValue is one GGUF key/value value: a scalar of any GGUF value type or
// an array of one. Metadata keeps insertion order, which is the order the
// backend writes keys in.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_IR_METADATA_H
#define GGUFC_IR_METADATA_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ggufc {

/// GGUF value types, numbered as in the GGUF specification.
enum class MetaType : uint32_t {
  U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7,
  Str = 8, Array = 9, U64 = 10, I64 = 11, F64 = 12
};

/// IR spelling of a scalar type: u8 i8 u16 i16 u32 i32 f32 bool str u64 i64 f64.
llvm::StringRef metaTypeName(MetaType T);
/// Inverse of metaTypeName (does not accept "array").
llvm::Optional<MetaType> parseMetaType(llvm::StringRef Name);
bool isUnsignedMetaType(MetaType T); // u8..u64 and bool
bool isSignedMetaType(MetaType T);
bool isFloatMetaType(MetaType T);

/// One metadata value. Scalars are stored as one-element arrays of the
/// widest C++ type of their family; the element type says how it is written.
class MetaValue {
public:
  using Storage = std::variant<std::vector<uint64_t>, std::vector<int64_t>,
                               std::vector<double>, std::vector<std::string>>;

  MetaValue() = default;

  // Scalars.
  static MetaValue u8(uint8_t V) { return unsignedScalar(MetaType::U8, V); }
  static MetaValue u16(uint16_t V) { return unsignedScalar(MetaType::U16, V); }
  static MetaValue u32(uint32_t V) { return unsignedScalar(MetaType::U32, V); }
  static MetaValue u64(uint64_t V) { return unsignedScalar(MetaType::U64, V); }
  static MetaValue i8(int8_t V) { return signedScalar(MetaType::I8, V); }
  static MetaValue i16(int16_t V) { return signedScalar(MetaType::I16, V); }
  static MetaValue i32(int32_t V) { return signedScalar(MetaType::I32, V); }
  static MetaValue i64(int64_t V) { return signedScalar(MetaType::I64, V); }
  /// Stores the value rounded to float32, as it will be written.
  static MetaValue f32(double V);
  static MetaValue f64(double V) { return floatScalar(MetaType::F64, V); }
  static MetaValue boolean(bool V) { return unsignedScalar(MetaType::Bool, V); }
  static MetaValue str(std::string V);

  // Arrays.
  static MetaValue unsignedArray(MetaType Elem, std::vector<uint64_t> V);
  static MetaValue signedArray(MetaType Elem, std::vector<int64_t> V);
  /// F32 elements are rounded to float32.
  static MetaValue floatArray(MetaType Elem, std::vector<double> V);
  static MetaValue strArray(std::vector<std::string> V);
  /// An array whose contents were elided when printed: only its type and
  /// length are known. The backend refuses to write one.
  static MetaValue elidedArray(MetaType Elem, uint64_t Length);

  MetaType elemType() const { return Elem; }
  bool isArray() const { return IsArray; }
  bool isElided() const { return Elided; }
  /// Number of elements (1 for a scalar).
  uint64_t size() const;

  const std::vector<uint64_t> &unsignedValues() const {
    return std::get<std::vector<uint64_t>>(Data);
  }
  const std::vector<int64_t> &signedValues() const {
    return std::get<std::vector<int64_t>>(Data);
  }
  const std::vector<double> &floatValues() const {
    return std::get<std::vector<double>>(Data);
  }
  const std::vector<std::string> &strValues() const {
    return std::get<std::vector<std::string>>(Data);
  }

  // Scalar accessors (assert a matching scalar).
  uint64_t getUnsigned() const { return unsignedValues().front(); }
  int64_t getSigned() const { return signedValues().front(); }
  double getFloat() const { return floatValues().front(); }
  const std::string &getStr() const { return strValues().front(); }
  bool getBool() const { return getUnsigned() != 0; }

  bool operator==(const MetaValue &O) const {
    return Elem == O.Elem && IsArray == O.IsArray && Elided == O.Elided &&
           ElidedLength == O.ElidedLength && Data == O.Data;
  }
  bool operator!=(const MetaValue &O) const { return !(*this == O); }

private:
  static MetaValue unsignedScalar(MetaType T, uint64_t V);
  static MetaValue signedScalar(MetaType T, int64_t V);
  static MetaValue floatScalar(MetaType T, double V);

  MetaType Elem = MetaType::U8;
  bool IsArray = false;
  bool Elided = false;
  uint64_t ElidedLength = 0;
  Storage Data;
};

/// Insertion-ordered key -> value map.
class Metadata {
public:
  using Entry = std::pair<std::string, MetaValue>;

  /// Replaces the value in place if the key exists, else appends.
  void set(llvm::StringRef Key, MetaValue V);
  const MetaValue *get(llvm::StringRef Key) const;
  MetaValue *get(llvm::StringRef Key);
  bool erase(llvm::StringRef Key);
  bool contains(llvm::StringRef Key) const { return get(Key) != nullptr; }

  const std::vector<Entry> &entries() const { return Entries; }
  size_t size() const { return Entries.size(); }
  bool operator==(const Metadata &O) const { return Entries == O.Entries; }

private:
  std::vector<Entry> Entries;
};

} // namespace ggufc

#endif
