//===- GGUFWriterTest.cpp - Writing GGUF files and reading them back ------===//
//
// Expected bytes and bit patterns are worked out by hand from the GGUF
// layout and the IEEE formats (f16: 0.5 = 0x3800, 1 = 0x3C00, -2 = 0xC000;
// bf16: 1 = 0x3F80, -1 = 0xBF80, 0.5 = 0x3F00, 3 = 0x4040).
//
//===----------------------------------------------------------------------===//
#include "ggufc/Backend/GGUFWriter.h"
#include "../TestUtil.h"
#include "ggufc/Backend/GGUFReader.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace ggufc::test;

namespace {

/// Writes M to Dir/out.gguf; returns the error text ("" on success).
std::string writeTo(const Module &M, const TempDir &Dir, unsigned Threads = 2) {
  TensorStore Store(std::string(Dir.dir()));
  WriterOptions Opts;
  Opts.Threads = Threads;
  return errorText(writeGGUF(M, Store, Dir.path("out.gguf"), Opts));
}

std::unique_ptr<GGUFFile> openOrFail(const std::string &Path) {
  auto F = GGUFFile::open(Path);
  if (!F) {
    ADD_FAILURE() << llvm::toString(F.takeError());
    return nullptr;
  }
  return std::move(*F);
}

std::vector<uint16_t> words(llvm::ArrayRef<uint8_t> B) {
  std::vector<uint16_t> W;
  for (size_t I = 0; I + 1 < B.size(); I += 2)
    W.push_back(uint16_t(B[I] | (B[I + 1] << 8)));
  return W;
}

std::vector<float> floats(llvm::ArrayRef<uint8_t> B) {
  std::vector<float> F(B.size() / 4);
  std::memcpy(F.data(), B.data(), F.size() * 4);
  return F;
}

/// f16 bits of a non-negative integer below 2048 (exact in f16), from
/// the format: exponent floor(log2 V) biased by 15, 10 fraction bits.
uint16_t halfBitsOfInt(int V) {
  if (V == 0)
    return 0;
  int E = 0;
  while ((2 << E) <= V)
    ++E;
  return uint16_t(((E + 15) << 10) | (((V << 10) >> E) & 0x3FF));
}

Output &addOutput(Module &M, std::string Name, Value *V, StorageType T) {
  Output &O = M.addOutput(std::move(Name), V);
  O.Type = T;
  return O;
}

Output &addOutput(Module &M, std::string Name, Value *V, DType T) {
  return addOutput(M, std::move(Name), V, storageTypeOf(T));
}

TEST(GGUFWriter, HeaderBytesAreExact) {
  Module M;
  M.Meta.set("a", MetaValue::u32(7));
  addOutput(M, "t", addConst(M, {2}, {1, 2}), DType::F32);
  TempDir Dir;
  ASSERT_EQ(writeTo(M, Dir), "");
  std::vector<uint8_t> Expected = {
      'G', 'G', 'U', 'F', 3, 0, 0, 0,      // magic, version
      1,   0,   0,   0,   0, 0, 0, 0,      // tensor count
      1,   0,   0,   0,   0, 0, 0, 0,      // metadata count
      1,   0,   0,   0,   0, 0, 0, 0, 'a', // key
      4,   0,   0,   0,   7, 0, 0, 0,      // u32 7
      1,   0,   0,   0,   0, 0, 0, 0, 't', // tensor name
      1,   0,   0,   0,                    // n_dims
      2,   0,   0,   0,   0, 0, 0, 0,      // ne0
      0,   0,   0,   0,                    // F32
      0,   0,   0,   0,   0, 0, 0, 0,      // offset
  };
  ASSERT_EQ(Expected.size(), 74u);
  Expected.resize(96, 0); // data section aligned to 32
  for (uint8_t B : {0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40})
    Expected.push_back(B); // 1.0f, 2.0f
  Expected.resize(128, 0); // the last tensor is padded too
  EXPECT_EQ(readFileBytes(Dir.path("out.gguf")), Expected);
  // Nothing but the output is left in the directory.
  EXPECT_EQ(Dir.entries(), std::vector<std::string>{"out.gguf"});
}

Module &addAllMetadataTypes(Module &M) {
  Metadata &Meta = M.Meta;
  Meta.set("general.architecture", MetaValue::str("test"));
  Meta.set("u8", MetaValue::u8(200));
  Meta.set("i8", MetaValue::i8(-100));
  Meta.set("u16", MetaValue::u16(60000));
  Meta.set("i16", MetaValue::i16(-30000));
  Meta.set("u32", MetaValue::u32(4000000000u));
  Meta.set("i32", MetaValue::i32(-2000000000));
  Meta.set("f32", MetaValue::f32(0.1));
  Meta.set("bool", MetaValue::boolean(true));
  Meta.set("str", MetaValue::str("h\xc3\xa9llo\n\"q\""));
  Meta.set("u64", MetaValue::u64((uint64_t(1) << 63) + 5));
  Meta.set("i64", MetaValue::i64(-(int64_t(1) << 62)));
  Meta.set("f64", MetaValue::f64(0.1));
  Meta.set("arr.u8", MetaValue::unsignedArray(MetaType::U8, {0, 255}));
  Meta.set("arr.i8", MetaValue::signedArray(MetaType::I8, {-128, 127}));
  Meta.set("arr.u16", MetaValue::unsignedArray(MetaType::U16, {65535}));
  Meta.set("arr.i16", MetaValue::signedArray(MetaType::I16, {-32768}));
  Meta.set("arr.u32", MetaValue::unsignedArray(MetaType::U32, {}));
  Meta.set("arr.i32", MetaValue::signedArray(MetaType::I32, {1, 1, 3}));
  Meta.set("arr.f32", MetaValue::floatArray(MetaType::F32, {0.5, -2, 1e-6}));
  Meta.set("arr.bool", MetaValue::unsignedArray(MetaType::Bool, {1, 0}));
  Meta.set("arr.str", MetaValue::strArray({"a", "", "b c"}));
  Meta.set("arr.u64", MetaValue::unsignedArray(MetaType::U64, {UINT64_MAX}));
  Meta.set("arr.i64", MetaValue::signedArray(MetaType::I64, {INT64_MIN}));
  Meta.set("arr.f64", MetaValue::floatArray(MetaType::F64, {1e300, -0.25}));
  return M;
}

TEST(GGUFWriter, RoundTripsMetadataAndConstants) {
  Module M;
  addAllMetadataTypes(M);
  addOutput(M, "f32", addIota(M, {2, 3}), DType::F32);
  addOutput(M, "f16", addConst(M, {3}, {0.5f, 1, -2}), DType::F16);
  addOutput(M, "bf16", addConst(M, {2, 2}, {1, -1, 0.5f, 3}), DType::BF16);
  addOutput(M, "scalar", addConst(M, {}, {7}), DType::F32);
  addOutput(M, "rank4", addIota(M, {1, 2, 1, 3}), DType::F32);
  TempDir Dir;
  ASSERT_EQ(writeTo(M, Dir), "");

  auto F = openOrFail(Dir.path("out.gguf"));
  ASSERT_TRUE(F);
  EXPECT_EQ(F->version(), 3u);
  EXPECT_EQ(F->alignment(), 32u);
  EXPECT_TRUE(F->metadata() == M.Meta);

  const auto &T = F->tensors();
  ASSERT_EQ(T.size(), 5u);
  EXPECT_EQ(T[0].Name, "f32");
  EXPECT_EQ(T[0].Ne, (std::vector<uint64_t>{3, 2})); // reversed
  EXPECT_EQ(T[0].GGMLType, 0u);
  EXPECT_EQ(T[0].Size, 24u);
  EXPECT_EQ(T[1].Ne, (std::vector<uint64_t>{3}));
  EXPECT_EQ(T[1].GGMLType, 1u);
  EXPECT_EQ(T[1].Size, 6u);
  EXPECT_EQ(T[2].GGMLType, 30u);
  EXPECT_EQ(T[3].Ne, std::vector<uint64_t>{});
  EXPECT_EQ(T[4].Ne, (std::vector<uint64_t>{3, 1, 2, 1}));
  // Each tensor starts at the previous end rounded up to 32.
  EXPECT_EQ(T[0].Offset, 0u);
  EXPECT_EQ(T[1].Offset, 32u);
  EXPECT_EQ(T[2].Offset, 64u);
  EXPECT_EQ(T[3].Offset, 96u);
  EXPECT_EQ(T[4].Offset, 128u);

  EXPECT_EQ(floats(F->data(T[0])), (std::vector<float>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(words(F->data(T[1])),
            (std::vector<uint16_t>{0x3800, 0x3C00, 0xC000}));
  EXPECT_EQ(words(F->data(T[2])),
            (std::vector<uint16_t>{0x3F80, 0xBF80, 0x3F00, 0x4040}));
  EXPECT_EQ(floats(F->data(T[3])), std::vector<float>{7});
  EXPECT_EQ(floats(F->data(T[4])), (std::vector<float>{0, 1, 2, 3, 4, 5}));

  uint64_t Size = 0;
  ASSERT_FALSE(llvm::sys::fs::file_size(Dir.path("out.gguf"), Size));
  EXPECT_EQ(Size % 32, 0u);
}

TEST(GGUFWriter, CustomAlignment) {
  Module M;
  M.Meta.set("general.alignment", MetaValue::u32(64));
  addOutput(M, "a", addConst(M, {2}, {1, 2}), DType::F32); // 8 bytes
  addOutput(M, "b", addIota(M, {25}), DType::F32);         // 100 bytes
  addOutput(M, "c", addConst(M, {1}, {3}), DType::F16);    // 2 bytes
  TempDir Dir;
  ASSERT_EQ(writeTo(M, Dir), "");
  auto F = openOrFail(Dir.path("out.gguf"));
  ASSERT_TRUE(F);
  EXPECT_EQ(F->alignment(), 64u);
  EXPECT_EQ(F->tensors()[0].Offset, 0u);
  EXPECT_EQ(F->tensors()[1].Offset, 64u);
  EXPECT_EQ(F->tensors()[2].Offset, 192u); // 64 + 100 -> 192
  EXPECT_EQ(floats(F->data(F->tensors()[1]))[24], 24.0f);

  std::vector<uint8_t> Bytes = readFileBytes(Dir.path("out.gguf"));
  EXPECT_EQ(Bytes.size() % 64, 0u);
  // The data section starts at a multiple of 64: the first tensor's bytes
  // (1.0f) sit at the end of the file minus the three padded tensors.
  size_t DataStart = Bytes.size() - 256;
  EXPECT_EQ(DataStart % 64, 0u);
  EXPECT_EQ(floats(llvm::ArrayRef<uint8_t>(Bytes).slice(DataStart, 8)),
            (std::vector<float>{1, 2}));
}

TEST(GGUFWriter, RejectsBadAlignment) {
  TempDir Dir;
  Module M;
  M.Meta.set("general.alignment", MetaValue::u32(48));
  EXPECT_NE(writeTo(M, Dir).find("power of two"), std::string::npos);
  M.Meta.set("general.alignment", MetaValue::u64(64));
  EXPECT_NE(writeTo(M, Dir).find("must be a u32"), std::string::npos);
  EXPECT_TRUE(Dir.entries().empty());
}

/// Each invalid module is refused with a message naming the output file
/// and the problem, and nothing is left behind.
TEST(GGUFWriter, ValidatesBeforeWriting) {
  TempDir Dir;
  std::string Out = Dir.path("out.gguf");
  auto expectError = [&](const Module &M, llvm::StringRef Needle) {
    std::string Msg = writeTo(M, Dir);
    EXPECT_NE(Msg.find(Out + ": "), std::string::npos) << Msg;
    EXPECT_NE(Msg.find(Needle.str()), std::string::npos) << Msg;
    EXPECT_TRUE(Dir.entries().empty());
  };
  {
    Module M;
    M.addOutput("t", addConst(M, {1}, {1})); // no storage type
    expectError(M, "no storage type");
  }
  {
    Module M;
    M.Meta.set("tokenizer.ggml.tokens",
               MetaValue::elidedArray(MetaType::Str, 99));
    expectError(M, "'tokenizer.ggml.tokens' was elided");
  }
  {
    Module M;
    Value *C = addValue(M, Opcode::Const, DType::F32, {64, 64});
    C->DataElided = true;
    Value *T = addValue(M, Opcode::Tanh, DType::F32, {64, 64}, {C});
    addOutput(M, "t", T, DType::F16);
    expectError(M, "constant whose data was elided");
  }
  {
    Module M;
    Value *C = addConst(M, {1}, {1});
    addOutput(M, "t", C, DType::F32);
    addOutput(M, "t", C, DType::F32);
    expectError(M, "'t' is defined twice");
  }
  {
    Module M;
    addOutput(M, std::string(64, 'x'), addConst(M, {1}, {1}), DType::F32);
    expectError(M, "longer than 63 bytes");
  }
  {
    Module M;
    addOutput(M, "t", addIota(M, {1, 1, 1, 1, 2}), DType::F32);
    expectError(M, "5 dimensions");
  }
  {
    Module M;
    M.Meta.set("k", MetaValue::unsignedArray(MetaType::U8, {1, 300}));
    expectError(M, "metadata 'k': value 300 does not fit u8");
  }
}

TEST(GGUFWriter, QuantizesRowsAsQ8_0) {
  // Q8_0 block: f16 scale d = max|x| / 127, then 32 int8 x/d rounded.
  // Row 0 is 127 - 8j (max 127, so d = 1 = 0x3C00 and the quants are the
  // values), row 1 half of it (d = 0.5 = 0x3800, same quants).
  std::vector<float> Data;
  for (int R = 0; R < 2; ++R)
    for (int J = 0; J < 32; ++J)
      Data.push_back(float(127 - 8 * J) / float(1 + R));
  Module M;
  addOutput(M, "q", addConst(M, {2, 32}, Data), StorageType::Q8_0);
  TempDir Dir;
  ASSERT_EQ(writeTo(M, Dir), "");
  auto F = openOrFail(Dir.path("out.gguf"));
  ASSERT_TRUE(F);
  const GGUFTensorInfo &T = F->tensors()[0];
  EXPECT_EQ(T.GGMLType, 8u);
  EXPECT_EQ(T.Ne, (std::vector<uint64_t>{32, 2}));
  ASSERT_EQ(T.Size, 2 * 34u);
  llvm::ArrayRef<uint8_t> B = F->data(T);
  for (int R = 0; R < 2; ++R) {
    llvm::ArrayRef<uint8_t> Block = B.slice(34 * R, 34);
    EXPECT_EQ(words(Block.take_front(2))[0], R == 0 ? 0x3C00 : 0x3800);
    for (int J = 0; J < 32; ++J)
      EXPECT_EQ(int8_t(Block[2 + J]), 127 - 8 * J) << R << "," << J;
  }
}

TEST(GGUFWriter, RefusesQuantizedTensorsItCannotWrite) {
  TempDir Dir;
  {
    Module M;
    addOutput(M, "t", addIota(M, {2, 48}), StorageType::Q8_0);
    std::string Msg = writeTo(M, Dir);
    EXPECT_NE(Msg.find("'t' has rows of 48 values, not a multiple of Q8_0's "
                       "block of 32"),
              std::string::npos)
        << Msg;
  }
  {
    Module M;
    addOutput(M, "t", addIota(M, {1, 256}), StorageType::Q2_K);
    std::string Msg = writeTo(M, Dir);
    EXPECT_NE(Msg.find("'t': ggufc cannot write Q2_K data"), std::string::npos)
        << Msg;
  }
  EXPECT_TRUE(Dir.entries().empty());
}

TEST(GGUFWriter, FailedWriteLeavesNoFileAndKeepsTheOldOne) {
  TempDir Dir;
  Module M;
  // Validation passes; the data phase fails: the load's file is missing.
  addOutput(M, "ok", addConst(M, {1}, {1}), DType::F32);
  addOutput(M, "w", addLoad(M, "missing.safetensors", "w", DType::F32, {2}),
            DType::F32);
  std::string Msg = writeTo(M, Dir);
  EXPECT_NE(Msg.find("tensor 'w'"), std::string::npos) << Msg;
  EXPECT_TRUE(Dir.entries().empty()) << "temporary file left behind";

  writeFileBytes(Dir.path("out.gguf"), {'o', 'l', 'd'});
  EXPECT_NE(writeTo(M, Dir), "");
  EXPECT_EQ(readFileBytes(Dir.path("out.gguf")),
            (std::vector<uint8_t>{'o', 'l', 'd'}));
  EXPECT_EQ(Dir.entries(), std::vector<std::string>{"out.gguf"});
}

TEST(GGUFWriter, ReplacesAnExistingFile) {
  TempDir Dir;
  writeFileBytes(Dir.path("out.gguf"), {'o', 'l', 'd'});
  Module M;
  addOutput(M, "t", addConst(M, {1}, {1}), DType::F32);
  ASSERT_EQ(writeTo(M, Dir), "");
  auto F = openOrFail(Dir.path("out.gguf"));
  ASSERT_TRUE(F);
  EXPECT_EQ(F->tensors().size(), 1u);
}

/// bf16 source: 1, 2, 3, -0.5, 0.25, 2^20 (0x4980; too large for f16).
SafeTensor bf16Source() {
  return {"w",
          "BF16",
          {2, 3},
          wordBytes({0x3F80, 0x4000, 0x4040, 0xBF00, 0x3E80, 0x4980})};
}

TEST(GGUFWriter, StreamsLoadsFromSafeTensors) {
  TempDir Dir;
  writeSafeTensors(Dir.path("model.safetensors"), {bf16Source()});
  Module M;
  Value *W = addLoad(M, "model.safetensors", "w", DType::BF16, {2, 3});
  Value *Flat = addValue(M, Opcode::Reshape, DType::BF16, {6}, {W});
  Value *T = addValue(M, Opcode::Transpose, DType::BF16, {3, 2}, {W});
  T->Perm = {1, 0};
  addOutput(M, "copy", W, DType::BF16);
  addOutput(M, "half", W, DType::F16);
  addOutput(M, "flat", Flat, DType::F32);
  addOutput(M, "transposed", T, DType::F32);
  ASSERT_EQ(writeTo(M, Dir), "");
  auto F = openOrFail(Dir.path("out.gguf"));
  ASSERT_TRUE(F);
  const auto &Ts = F->tensors();
  EXPECT_EQ(
      words(F->data(Ts[0])),
      (std::vector<uint16_t>{0x3F80, 0x4000, 0x4040, 0xBF00, 0x3E80, 0x4980}));
  EXPECT_EQ(
      words(F->data(Ts[1])),
      (std::vector<uint16_t>{0x3C00, 0x4000, 0x4200, 0xB800, 0x3400, 0x7C00}));
  EXPECT_EQ(Ts[2].Ne, std::vector<uint64_t>{6});
  EXPECT_EQ(floats(F->data(Ts[2])),
            (std::vector<float>{1, 2, 3, -0.5f, 0.25f, 1048576}));
  EXPECT_EQ(Ts[3].Ne, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(floats(F->data(Ts[3])),
            (std::vector<float>{1, -0.5f, 2, 0.25f, 3, 1048576}));
}

TEST(GGUFWriter, ManyTensorsInParallel) {
  // 40 slices of one loaded f32 matrix, written by 1 and by 4 threads:
  // tensor i holds 50 i + 0..9 (all below 2048, exact in f16).
  TempDir Dir;
  std::vector<float> Rows(40 * 10);
  for (size_t I = 0; I < Rows.size(); ++I)
    Rows[I] = float(I / 10 * 50 + I % 10);
  writeSafeTensors(Dir.path("m.safetensors"),
                   {{"m", "F32", {40, 10}, floatBytes(Rows)}});
  Module M;
  Value *L = addLoad(M, "m.safetensors", "m", DType::F32, {40, 10});
  for (int I = 0; I < 40; ++I) {
    Value *S = addValue(M, Opcode::Slice, DType::F32, {1, 10}, {L});
    S->Axis = 0;
    S->Start = I;
    S->End = I + 1;
    addOutput(M, "row." + std::to_string(I), S,
              I % 2 ? DType::F16 : DType::F32);
  }
  EXPECT_EQ(halfBitsOfInt(1), 0x3C00); // the formula itself, by hand
  EXPECT_EQ(halfBitsOfInt(1959), 0x67A7);
  for (unsigned Threads : {1u, 4u}) {
    ASSERT_EQ(writeTo(M, Dir, Threads), "");
    auto F = openOrFail(Dir.path("out.gguf"));
    ASSERT_TRUE(F);
    for (int I = 0; I < 40; ++I) {
      const GGUFTensorInfo &T = F->tensors()[I];
      ASSERT_EQ(T.Name, "row." + std::to_string(I));
      std::vector<float> WantF;
      std::vector<uint16_t> WantH;
      for (int J = 0; J < 10; ++J) {
        WantF.push_back(float(I * 50 + J));
        WantH.push_back(halfBitsOfInt(I * 50 + J));
      }
      if (I % 2)
        EXPECT_EQ(words(F->data(T)), WantH) << T.Name;
      else
        EXPECT_EQ(floats(F->data(T)), WantF) << T.Name;
    }
  }
}

TEST(GGUFWriter, LargeTensorIsConvertedInChunks) {
  // More elements than one conversion chunk (2^20): every element must
  // arrive, in order. Values i mod 2048 are exact in f16.
  TempDir Dir;
  const size_t N = (size_t(1) << 20) + 4099;
  std::vector<float> Src(N);
  for (size_t I = 0; I < N; ++I)
    Src[I] = float(I % 2048);
  writeSafeTensors(Dir.path("big.safetensors"),
                   {{"big", "F32", {int64_t(N)}, floatBytes(Src)}});
  Module M;
  addOutput(M, "big",
            addLoad(M, "big.safetensors", "big", DType::F32, {int64_t(N)}),
            DType::F16);
  ASSERT_EQ(writeTo(M, Dir), "");
  auto F = openOrFail(Dir.path("out.gguf"));
  ASSERT_TRUE(F);
  std::vector<uint16_t> W = words(F->data(F->tensors()[0]));
  ASSERT_EQ(W.size(), N);
  size_t Mismatches = 0;
  for (size_t I = 0; I < N; ++I)
    if (W[I] != halfBitsOfInt(int(I % 2048)))
      ++Mismatches;
  EXPECT_EQ(Mismatches, 0u);
  EXPECT_EQ(W[N - 1], 0x4000); // (N - 1) mod 2048 = 2
}

} // namespace
