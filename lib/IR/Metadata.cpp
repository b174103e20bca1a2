//===- Metadata.cpp - Typed, ordered module metadata -----------------------===//
#include "ggufc/IR/Metadata.h"
#include "llvm/ADT/StringSwitch.h"
#include <algorithm>

using namespace llvm;

namespace ggufc {

StringRef metaTypeName(MetaType T) {
  switch (T) {
  case MetaType::U8: return "u8";
  case MetaType::I8: return "i8";
  case MetaType::U16: return "u16";
  case MetaType::I16: return "i16";
  case MetaType::U32: return "u32";
  case MetaType::I32: return "i32";
  case MetaType::F32: return "f32";
  case MetaType::Bool: return "bool";
  case MetaType::Str: return "str";
  case MetaType::Array: return "array";
  case MetaType::U64: return "u64";
  case MetaType::I64: return "i64";
  case MetaType::F64: return "f64";
  }
  return "?";
}

Optional<MetaType> parseMetaType(StringRef Name) {
  return StringSwitch<Optional<MetaType>>(Name)
      .Case("u8", MetaType::U8).Case("i8", MetaType::I8)
      .Case("u16", MetaType::U16).Case("i16", MetaType::I16)
      .Case("u32", MetaType::U32).Case("i32", MetaType::I32)
      .Case("f32", MetaType::F32).Case("bool", MetaType::Bool)
      .Case("str", MetaType::Str).Case("u64", MetaType::U64)
      .Case("i64", MetaType::I64).Case("f64", MetaType::F64)
      .Default(None);
}

bool isUnsignedMetaType(MetaType T) {
  return T == MetaType::U8 || T == MetaType::U16 || T == MetaType::U32 ||
         T == MetaType::U64 || T == MetaType::Bool;
}
bool isSignedMetaType(MetaType T) {
  return T == MetaType::I8 || T == MetaType::I16 || T == MetaType::I32 ||
         T == MetaType::I64;
}
bool isFloatMetaType(MetaType T) {
  return T == MetaType::F32 || T == MetaType::F64;
}

static double roundIfF32(MetaType T, double V) {
  return T == MetaType::F32 ? double(float(V)) : V;
}

MetaValue MetaValue::unsignedScalar(MetaType T, uint64_t V) {
  MetaValue M;
  M.Elem = T;
  M.Data = std::vector<uint64_t>{V};
  return M;
}
MetaValue MetaValue::signedScalar(MetaType T, int64_t V) {
  MetaValue M;
  M.Elem = T;
  M.Data = std::vector<int64_t>{V};
  return M;
}
MetaValue MetaValue::floatScalar(MetaType T, double V) {
  MetaValue M;
  M.Elem = T;
  M.Data = std::vector<double>{roundIfF32(T, V)};
  return M;
}
MetaValue MetaValue::f32(double V) { return floatScalar(MetaType::F32, V); }
MetaValue MetaValue::str(std::string V) {
  MetaValue M;
  M.Elem = MetaType::Str;
  M.Data = std::vector<std::string>{std::move(V)};
  return M;
}

MetaValue MetaValue::unsignedArray(MetaType Elem, std::vector<uint64_t> V) {
  MetaValue M;
  M.Elem = Elem;
  M.IsArray = true;
  M.Data = std::move(V);
  return M;
}
MetaValue MetaValue::signedArray(MetaType Elem, std::vector<int64_t> V) {
  MetaValue M;
  M.Elem = Elem;
  M.IsArray = true;
  M.Data = std::move(V);
  return M;
}
MetaValue MetaValue::floatArray(MetaType Elem, std::vector<double> V) {
  for (double &D : V)
    D = roundIfF32(Elem, D);
  MetaValue M;
  M.Elem = Elem;
  M.IsArray = true;
  M.Data = std::move(V);
  return M;
}
MetaValue MetaValue::strArray(std::vector<std::string> V) {
  MetaValue M;
  M.Elem = MetaType::Str;
  M.IsArray = true;
  M.Data = std::move(V);
  return M;
}
MetaValue MetaValue::elidedArray(MetaType Elem, uint64_t Length) {
  MetaValue M;
  M.Elem = Elem;
  M.IsArray = true;
  M.Elided = true;
  M.ElidedLength = Length;
  return M;
}

uint64_t MetaValue::size() const {
  if (Elided)
    return ElidedLength;
  return std::visit([](const auto &V) { return uint64_t(V.size()); }, Data);
}

void Metadata::set(StringRef Key, MetaValue V) {
  if (MetaValue *Old = get(Key)) {
    *Old = std::move(V);
    return;
  }
  Entries.emplace_back(Key.str(), std::move(V));
}

const MetaValue *Metadata::get(StringRef Key) const {
  for (const Entry &E : Entries)
    if (E.first == Key)
      return &E.second;
  return nullptr;
}

MetaValue *Metadata::get(StringRef Key) {
  return const_cast<MetaValue *>(static_cast<const Metadata *>(this)->get(Key));
}

bool Metadata::erase(StringRef Key) {
  auto It = std::find_if(Entries.begin(), Entries.end(),
                         [&](const Entry &E) { return E.first == Key; });
  if (It == Entries.end())
    return false;
  Entries.erase(It);
  return true;
}

} // namespace ggufc
