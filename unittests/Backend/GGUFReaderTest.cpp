//===- GGUFReaderTest.cpp - Validation of hand-built GGUF files -----------===//
#include "ggufc/Backend/GGUFReader.h"
#include "../TestUtil.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace ggufc::test;

namespace {

/// Builds GGUF bytes field by field.
class Bytes {
public:
  Bytes &u32(uint32_t V) { return le(V, 4); }
  Bytes &u64(uint64_t V) { return le(V, 8); }
  Bytes &u8(uint8_t V) { return le(V, 1); }
  Bytes &str(const std::string &S) {
    u64(S.size());
    B.insert(B.end(), S.begin(), S.end());
    return *this;
  }
  Bytes &raw(const std::string &S) {
    B.insert(B.end(), S.begin(), S.end());
    return *this;
  }
  /// Magic, version and counts.
  Bytes &header(uint64_t Tensors, uint64_t KVs, uint32_t Version = 3) {
    return raw("GGUF").u32(Version).u64(Tensors).u64(KVs);
  }
  Bytes &tensor(const std::string &Name, std::vector<uint64_t> Ne,
                uint32_t Type, uint64_t Offset) {
    str(Name).u32(uint32_t(Ne.size()));
    for (uint64_t N : Ne)
      u64(N);
    return u32(Type).u64(Offset);
  }
  Bytes &padTo(size_t Align) {
    while (B.size() % Align)
      B.push_back(0);
    return *this;
  }
  Bytes &zeros(size_t N) {
    B.insert(B.end(), N, 0);
    return *this;
  }
  const std::vector<uint8_t> &bytes() const { return B; }

private:
  Bytes &le(uint64_t V, int N) {
    for (int I = 0; I < N; ++I)
      B.push_back(uint8_t(V >> (8 * I)));
    return *this;
  }
  std::vector<uint8_t> B;
};

/// Opens the bytes as a file; returns the error text ("" if it opened).
std::string openError(const TempDir &Dir, const Bytes &B) {
  std::string Path = Dir.path("f.gguf");
  writeFileBytes(Path, B.bytes());
  auto F = GGUFFile::open(Path);
  if (F)
    return "";
  std::string Msg = llvm::toString(F.takeError());
  EXPECT_EQ(Msg.rfind(Path + ": ", 0), 0u) << "message must start with path";
  return Msg;
}

#define EXPECT_OPEN_ERROR(B, Needle)                                           \
  do {                                                                         \
    std::string Msg = openError(Dir, B);                                       \
    EXPECT_NE(Msg.find(Needle), std::string::npos) << Msg;                     \
  } while (0)

TEST(GGUFReader, ReadsAVersion2File) {
  TempDir Dir;
  Bytes B;
  B.header(2, 2, /*Version=*/2)
      .str("general.architecture")
      .u32(8)
      .str("llama")
      .str("flags")
      .u32(9)
      .u32(7)
      .u64(3)
      .u8(1)
      .u8(0)
      .u8(2)
      .tensor("a", {4}, 0, 0)
      .tensor("b", {64, 2}, 2, 32) // Q4_0: 2 rows of 2 blocks of 18 bytes
      .padTo(32);
  B.zeros(32 + 72);
  std::string Path = Dir.path("v2.gguf");
  writeFileBytes(Path, B.bytes());
  auto F = GGUFFile::open(Path);
  ASSERT_TRUE(bool(F)) << llvm::toString(F.takeError());
  EXPECT_EQ((*F)->version(), 2u);
  EXPECT_EQ((*F)->metadata().get("general.architecture")->getStr(), "llama");
  const MetaValue *Flags = (*F)->metadata().get("flags");
  ASSERT_TRUE(Flags && Flags->isArray());
  EXPECT_EQ(Flags->unsignedValues(), (std::vector<uint64_t>{1, 0, 1}));
  ASSERT_EQ((*F)->tensors().size(), 2u);
  EXPECT_EQ((*F)->tensors()[1].Size, 72u);
  EXPECT_EQ((*F)->data((*F)->tensors()[1]).size(), 72u);
}

TEST(GGUFReader, RejectsBadHeaders) {
  TempDir Dir;
  EXPECT_OPEN_ERROR(Bytes(), "not a GGUF file");
  EXPECT_OPEN_ERROR(Bytes().raw("GGML").u32(3), "not a GGUF file");
  EXPECT_OPEN_ERROR(Bytes().header(0, 0, 1), "unsupported GGUF version 1");
  EXPECT_OPEN_ERROR(Bytes().header(0, 0, 0x03000000),
                    "unsupported GGUF version 50331648");
  EXPECT_OPEN_ERROR(Bytes().raw("GGUF").u32(3).u64(0),
                    "unexpected end of file");
  EXPECT_OPEN_ERROR(Bytes().header(0, uint64_t(1) << 40),
                    "metadata count 1099511627776 exceeds the file size");
  EXPECT_OPEN_ERROR(Bytes().header(uint64_t(1) << 40, 0),
                    "tensor count 1099511627776 exceeds the file size");
}

TEST(GGUFReader, RejectsBadMetadata) {
  TempDir Dir;
  // A key whose length runs past the end.
  EXPECT_OPEN_ERROR(Bytes().header(0, 1).u64(1000).zeros(8),
                    "string of 1000 bytes runs past the end of the file");
  EXPECT_OPEN_ERROR(Bytes().header(0, 1).str("k").u32(13).u32(0),
                    "metadata 'k' has unknown value type 13");
  EXPECT_OPEN_ERROR(Bytes().header(0, 1).str("k").u32(9).u32(9).u64(0),
                    "metadata 'k' has unsupported array element type 9");
  EXPECT_OPEN_ERROR(
      Bytes().header(0, 1).str("k").u32(9).u32(4).u64(uint64_t(1) << 60),
      "array element count 1152921504606846976 exceeds the file size");
  EXPECT_OPEN_ERROR(
      Bytes().header(0, 1).str("k").u32(9).u32(8).u64(2).str("abcdefghijkl"),
      "unexpected end of file");
  EXPECT_OPEN_ERROR(
      Bytes().header(0, 2).str("k").u32(4).u32(1).str("k").u32(4).u32(2),
      "duplicate metadata key 'k'");
  EXPECT_OPEN_ERROR(
      Bytes().header(0, 1).str("general.alignment").u32(4).u32(24),
      "general.alignment must be a power of two, got 24");
  EXPECT_OPEN_ERROR(
      Bytes().header(0, 1).str("general.alignment").u32(10).u64(32),
      "general.alignment must be a u32");
}

TEST(GGUFReader, RejectsBadTensorInfos) {
  TempDir Dir;
  auto One = [](const std::string &Name, std::vector<uint64_t> Ne,
                uint32_t Type, uint64_t Offset, size_t DataBytes) {
    Bytes B;
    B.header(1, 0).tensor(Name, Ne, Type, Offset).padTo(32).zeros(DataBytes);
    return B;
  };
  EXPECT_OPEN_ERROR(One("t", {4}, 99, 0, 32),
                    "tensor 't' has unknown ggml type 99");
  EXPECT_OPEN_ERROR(One("t", {1, 1, 1, 1, 1}, 0, 0, 32),
                    "tensor 't' has 5 dimensions");
  EXPECT_OPEN_ERROR(
      One("t", {4}, 0, 3, 32),
      "tensor 't' offset 3 is not a multiple of the alignment 32");
  EXPECT_OPEN_ERROR(One("t", {30}, 2, 0, 32),
                    "row length that is not a multiple of 32");
  EXPECT_OPEN_ERROR(One("t", {9}, 0, 0, 32),
                    "extends past the end of the file");
  EXPECT_OPEN_ERROR(One("t", {uint64_t(1) << 40, uint64_t(1) << 40}, 0, 0, 0),
                    "too many elements");
  // 2^62 f64 elements fit int64, but not their 2^65 bytes.
  EXPECT_OPEN_ERROR(One("t", {uint64_t(1) << 62}, 28, 0, 0),
                    "too many elements");
  {
    Bytes B;
    B.header(2, 0).tensor("a", {16}, 0, 0).tensor("b", {4}, 0, 32).padTo(32);
    B.zeros(64);
    EXPECT_OPEN_ERROR(B, "tensors 'a' and 'b' overlap");
  }
  {
    Bytes B;
    B.header(2, 0).tensor("a", {4}, 0, 0).tensor("a", {4}, 0, 32).padTo(32);
    B.zeros(64);
    EXPECT_OPEN_ERROR(B, "duplicate tensor name 'a'");
  }
}

TEST(GGUFReader, LastTensorNeedNotBePadded) {
  // ollama's writer ends the file right after the last tensor's bytes.
  TempDir Dir;
  Bytes B;
  B.header(1, 0).tensor("t", {3}, 1, 0).padTo(32).zeros(6);
  EXPECT_EQ(openError(Dir, B), "");
}

TEST(GGUFReader, CorruptedFilesNeverCrash) {
  // Every truncation and many single-byte changes of a valid file either
  // open (and then every tensor's data lies inside the file) or fail with
  // an error; run under a sanitizer this also checks every read.
  TempDir Dir;
  Bytes Valid;
  Valid.header(2, 3)
      .str("general.alignment")
      .u32(4)
      .u32(64)
      .str("names")
      .u32(9)
      .u32(8)
      .u64(2)
      .str("ab")
      .str("c")
      .str("f")
      .u32(6)
      .u32(0x3F800000)
      .tensor("a", {4, 2}, 0, 0)
      .tensor("b", {32}, 8, 64)
      .padTo(64);
  Valid.zeros(64 + 34);
  const std::vector<uint8_t> &Good = Valid.bytes();
  std::string Path = Dir.path("c.gguf");
  auto check = [&](const std::vector<uint8_t> &Data) {
    // A new file each time: truncating one in place can force a flush.
    llvm::sys::fs::remove(Path);
    writeFileBytes(Path, Data);
    auto F = GGUFFile::open(Path);
    if (!F) {
      llvm::consumeError(F.takeError());
      return false;
    }
    for (const GGUFTensorInfo &T : (*F)->tensors())
      EXPECT_EQ((*F)->data(T).size(), T.Size);
    return true;
  };
  ASSERT_TRUE(check(Good));
  for (size_t Len = 0; Len < Good.size(); ++Len)
    check(std::vector<uint8_t>(Good.begin(), Good.begin() + Len));
  uint32_t Seed = 12345;
  auto next = [&] { return Seed = Seed * 1664525u + 1013904223u; };
  for (int I = 0; I < 3000; ++I) {
    std::vector<uint8_t> Data = Good;
    Data[next() % Data.size()] = uint8_t(next() >> 24);
    check(Data);
  }
}

TEST(GGUFReader, TypeTable) {
  EXPECT_EQ(ggmlTypeName(0), "F32");
  EXPECT_EQ(ggmlTypeName(1), "F16");
  EXPECT_EQ(ggmlTypeName(30), "BF16");
  EXPECT_EQ(ggmlTypeName(8), "Q8_0");
  EXPECT_EQ(ggmlTypeName(12), "Q4_K");
  EXPECT_EQ(ggmlTypeByteSize(0, 3), 12u);
  EXPECT_EQ(ggmlTypeByteSize(1, 3), 6u);
  EXPECT_EQ(ggmlTypeByteSize(30, 3), 6u);
  // Block types: bytes per block from the block layouts (Q4_0: f16 scale
  // + 16 bytes of nibbles; Q8_0: f16 + 32; Q4_K: 2 f16 + 12 scales + 128;
  // Q6_K: 128 + 64 + 16 + f16; Q8_K: f32 + 256 + 16 i16).
  EXPECT_EQ(ggmlTypeByteSize(2, 64), 2 * 18u);
  EXPECT_EQ(ggmlTypeByteSize(8, 64), 2 * 34u);
  EXPECT_EQ(ggmlTypeByteSize(12, 512), 2 * 144u);
  EXPECT_EQ(ggmlTypeByteSize(14, 256), 210u);
  EXPECT_EQ(ggmlTypeByteSize(15, 256), 292u);
  EXPECT_EQ(ggmlTypeByteSize(4, 32), 0u); // removed type Q4_2
  EXPECT_EQ(ggmlTypeByteSize(1000, 32), 0u);
}

} // namespace
