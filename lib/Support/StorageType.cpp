//===- StorageType.cpp - ggml's tensor type table ---------------------------===//
//
// Enough of ggml's type table to size the tensors of real llama.cpp files:
// the float and integer types and the block-quantized ones (values per
// block, bytes per block).
//
//===----------------------------------------------------------------------===//
#include "ggufc/Support/StorageType.h"

using namespace llvm;

namespace ggufc {

using ST = StorageType;

static const StorageTypeTraits Table[] = {
    {ST::F32, "F32", 1, 4},          {ST::F16, "F16", 1, 2},
    {ST::Q4_0, "Q4_0", 32, 18},      {ST::Q4_1, "Q4_1", 32, 20},
    {ST::Q5_0, "Q5_0", 32, 22},      {ST::Q5_1, "Q5_1", 32, 24},
    {ST::Q8_0, "Q8_0", 32, 34},      {ST::Q8_1, "Q8_1", 32, 36},
    {ST::Q2_K, "Q2_K", 256, 84},     {ST::Q3_K, "Q3_K", 256, 110},
    {ST::Q4_K, "Q4_K", 256, 144},    {ST::Q5_K, "Q5_K", 256, 176},
    {ST::Q6_K, "Q6_K", 256, 210},    {ST::Q8_K, "Q8_K", 256, 292},
    {ST::IQ2_XXS, "IQ2_XXS", 256, 66}, {ST::IQ2_XS, "IQ2_XS", 256, 74},
    {ST::IQ3_XXS, "IQ3_XXS", 256, 98}, {ST::IQ1_S, "IQ1_S", 256, 50},
    {ST::IQ4_NL, "IQ4_NL", 32, 18},  {ST::IQ3_S, "IQ3_S", 256, 110},
    {ST::IQ2_S, "IQ2_S", 256, 82},   {ST::IQ4_XS, "IQ4_XS", 256, 136},
    {ST::I8, "I8", 1, 1},            {ST::I16, "I16", 1, 2},
    {ST::I32, "I32", 1, 4},          {ST::I64, "I64", 1, 8},
    {ST::F64, "F64", 1, 8},          {ST::IQ1_M, "IQ1_M", 256, 56},
    {ST::BF16, "BF16", 1, 2},        {ST::TQ1_0, "TQ1_0", 256, 54},
    {ST::TQ2_0, "TQ2_0", 256, 66},   {ST::MXFP4, "MXFP4", 32, 17},
};

const StorageTypeTraits *storageTypeTraits(uint32_t GGMLTypeId) {
  for (const StorageTypeTraits &T : Table)
    if (uint32_t(T.Type) == GGMLTypeId)
      return &T;
  return nullptr;
}

const StorageTypeTraits &storageTypeTraits(StorageType T) {
  // Every enumerator has a row.
  return *storageTypeTraits(uint32_t(T));
}

std::string storageTypeName(StorageType T) {
  return StringRef(storageTypeTraits(T).Name).lower();
}

Optional<StorageType> parseStorageType(StringRef Name) {
  for (const StorageTypeTraits &T : Table)
    if (Name == StringRef(T.Name).lower())
      return T.Type;
  return None;
}

StorageType storageTypeOf(DType T) {
  switch (T) {
  case DType::F32: return ST::F32;
  case DType::F16: return ST::F16;
  case DType::BF16: return ST::BF16;
  }
  return ST::F32;
}

Optional<DType> dtypeOf(StorageType T) {
  switch (T) {
  case ST::F32: return DType::F32;
  case ST::F16: return DType::F16;
  case ST::BF16: return DType::BF16;
  default: return None;
  }
}

uint64_t storageBytes(StorageType T, uint64_t N) {
  const StorageTypeTraits &Traits = storageTypeTraits(T);
  return N / Traits.BlockSize * Traits.BlockBytes;
}

} // namespace ggufc
