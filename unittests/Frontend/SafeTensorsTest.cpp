//===- SafeTensorsTest.cpp - SafeTensors header validation ----------------===//
#include "ggufc/Frontend/SafeTensors.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace llvm;

namespace {

class SafeTensorsTest : public ::testing::Test {
protected:
  SmallString<128> Dir;
  void SetUp() override {
    ASSERT_FALSE(sys::fs::createUniqueDirectory("safetensors-test", Dir));
  }
  void TearDown() override { sys::fs::remove_directories(Dir); }

  std::string path(StringRef Name) {
    SmallString<128> P(Dir);
    sys::path::append(P, Name);
    return std::string(P);
  }

  /// Writes raw bytes as file Name and returns its path.
  std::string writeRaw(StringRef Name, StringRef Bytes) {
    std::string P = path(Name);
    std::error_code EC;
    raw_fd_ostream OS(P, EC);
    EXPECT_FALSE(EC);
    OS << Bytes;
    return P;
  }

  /// A SafeTensors file: little-endian header length, Header, then Data.
  std::string write(StringRef Name, StringRef Header, StringRef Data) {
    std::string Bytes;
    uint64_t N = Header.size();
    for (int I = 0; I < 8; ++I)
      Bytes += char((N >> (8 * I)) & 0xff);
    return writeRaw(Name, Bytes + Header.str() + Data.str());
  }

  /// The error open() reports for a file with this header and data size.
  std::string openError(StringRef Header, size_t DataSize = 64) {
    std::string P =
        write("bad.safetensors", Header, std::string(DataSize, '\0'));
    auto F = SafeTensorsFile::open(P);
    EXPECT_FALSE(bool(F)) << "expected an error for " << Header.str();
    if (F)
      return "";
    std::string Msg = toString(F.takeError());
    // Every message starts with the file's path.
    EXPECT_EQ(Msg.rfind(P + ": ", 0), 0u) << Msg;
    return Msg.substr(P.size() + 2);
  }
};

TEST_F(SafeTensorsTest, ValidFileKeepsHeaderOrderAndLocatesData) {
  // Header order b, a; __metadata__ is skipped. Data: a = 12 bytes of bf16
  // [2, 3] at [0, 12), b = 8 bytes of f32 [2] at [12, 20).
  std::string Header =
      R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]},)"
      R"("__metadata__":{"format":"pt"},)"
      R"("a":{"dtype":"BF16","shape":[2,3],"data_offsets":[0,12]}})";
  std::string Data;
  for (int I = 0; I < 20; ++I)
    Data += char(I);
  auto F = SafeTensorsFile::open(write("ok.safetensors", Header, Data));
  ASSERT_TRUE(bool(F)) << toString(F.takeError());
  const auto &Ts = (*F)->tensors();
  ASSERT_EQ(Ts.size(), 2u);
  EXPECT_EQ(Ts[0].Name, "b");
  EXPECT_EQ(Ts[1].Name, "a");

  const SafeTensorInfo *A = (*F)->find("a");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->Type, (TensorType{DType::BF16, {2, 3}}));
  EXPECT_EQ(A->Offset, 8 + Header.size());
  EXPECT_EQ(A->Size, 12u);
  const SafeTensorInfo *B = (*F)->find("b");
  ASSERT_TRUE(B);
  EXPECT_EQ(B->Type, (TensorType{DType::F32, {2}}));
  EXPECT_EQ(B->Offset, 8 + Header.size() + 12);
  ArrayRef<uint8_t> BBytes = (*F)->bytes(*B);
  ASSERT_EQ(BBytes.size(), 8u);
  EXPECT_EQ(BBytes[0], 12);
  EXPECT_EQ(BBytes[7], 19);
  EXPECT_EQ((*F)->find("__metadata__"), nullptr);
  EXPECT_EQ((*F)->find("c"), nullptr);
}

TEST_F(SafeTensorsTest, RankZeroAndEmptyTensors) {
  // A scalar (4 bytes) and a zero-element tensor (0 bytes) at the same
  // offset do not overlap.
  auto F = SafeTensorsFile::open(
      write("s.safetensors",
            R"({"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},)"
            R"("e":{"dtype":"F16","shape":[0,5],"data_offsets":[0,0]}})",
            "abcd"));
  ASSERT_TRUE(bool(F)) << toString(F.takeError());
  EXPECT_EQ((*F)->find("s")->Type, (TensorType{DType::F32, {}}));
  EXPECT_EQ((*F)->find("e")->Size, 0u);
}

TEST_F(SafeTensorsTest, Truncated) {
  std::string P = writeRaw("t.safetensors", "abcde");
  auto F = SafeTensorsFile::open(P);
  ASSERT_FALSE(bool(F));
  EXPECT_EQ(toString(F.takeError()),
            P + ": truncated: 5 bytes, but a SafeTensors file starts with an "
                "8-byte header length");
}

TEST_F(SafeTensorsTest, HeaderLengthPastEnd) {
  // Header length 100, but only 4 bytes follow it.
  std::string P =
      writeRaw("h.safetensors", std::string("d\0\0\0\0\0\0\0{}  ", 12));
  auto F = SafeTensorsFile::open(P);
  ASSERT_FALSE(bool(F));
  EXPECT_EQ(toString(F.takeError()),
            P + ": header length 100 goes past the end of the file (4 bytes "
                "follow it)");
}

TEST_F(SafeTensorsTest, MalformedHeader) {
  std::string Msg = openError(R"({"a": {)");
  EXPECT_EQ(Msg.rfind("header: malformed JSON: ", 0), 0u) << Msg;
  EXPECT_EQ(openError("[1, 2]"), "header is not a JSON object");
}

TEST_F(SafeTensorsTest, MissingFields) {
  EXPECT_EQ(openError(R"({"w":{"shape":[2],"data_offsets":[0,8]}})"),
            "tensor 'w': missing 'dtype'");
  EXPECT_EQ(openError(R"({"w":{"dtype":"F32","data_offsets":[0,8]}})"),
            "tensor 'w': missing 'shape'");
  EXPECT_EQ(openError(R"({"w":{"dtype":"F32","shape":[2]}})"),
            "tensor 'w': missing 'data_offsets'");
  EXPECT_EQ(openError(R"({"w":[1]})"),
            "tensor 'w': entry is not a JSON object");
}

TEST_F(SafeTensorsTest, UnsupportedDType) {
  EXPECT_EQ(
      openError(R"({"w":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}})"),
      "tensor 'w' has dtype I8; supported: F32, F16, BF16");
  EXPECT_EQ(openError(R"({"w":{"dtype":7,"shape":[2],"data_offsets":[0,2]}})"),
            "tensor 'w': 'dtype' is not a string");
}

TEST_F(SafeTensorsTest, BadShapes) {
  EXPECT_EQ(
      openError(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})"),
      "tensor 'w': 'shape' is not a list of non-negative integers");
  EXPECT_EQ(
      openError(R"({"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})"),
      "tensor 'w': 'shape' is not a list of non-negative integers");
  EXPECT_EQ(
      openError(R"({"w":{"dtype":"F32","shape":3,"data_offsets":[0,8]}})"),
      "tensor 'w': 'shape' is not a list of non-negative integers");
}

TEST_F(SafeTensorsTest, ShapeByteSizeMismatch) {
  // f16 [2, 3] needs 2 * 3 * 2 = 12 bytes.
  EXPECT_EQ(
      openError(R"({"w":{"dtype":"F16","shape":[2,3],"data_offsets":[0,10]}})"),
      "tensor 'w': shape and byte-size mismatch: f16[2, 3] needs 12 "
      "bytes, data offsets give 10");
  // 2^62 * 2^3 elements of 4 bytes overflows 64 bits; must not wrap to 0.
  EXPECT_EQ(
      openError(R"({"w":{"dtype":"F32","shape":[4611686018427387904,8],)"
                R"("data_offsets":[0,0]}})"),
      "tensor 'w': shape and byte-size mismatch: f32[4611686018427387904, "
      "8] needs more than 2^64 bytes, data offsets give 0");
}

TEST_F(SafeTensorsTest, OffsetsOutOfRange) {
  EXPECT_EQ(
      openError(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[60,68]}})",
                64),
      "tensor 'w': data offsets [60, 68] out of range (the data section "
      "has 64 bytes)");
  EXPECT_EQ(
      openError(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})"),
      "tensor 'w': data offsets [8, 0] out of range (the data section "
      "has 64 bytes)");
  EXPECT_EQ(
      openError(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}})"),
      "tensor 'w': 'data_offsets' is not a pair of non-negative integers");
}

TEST_F(SafeTensorsTest, OverlappingData) {
  EXPECT_EQ(
      openError(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},)"
                R"("y":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})"),
      "tensors 'y' and 'x' have overlapping data ranges");
}

TEST_F(SafeTensorsTest, DuplicateTensorNames) {
  EXPECT_EQ(
      openError(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                R"("w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})"),
      "duplicate tensor name 'w' in header");
}

TEST_F(SafeTensorsTest, StoreChecksDeclaredType) {
  write("m.safetensors",
        R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})", "wxyz");
  TensorStore Store{std::string(Dir)};
  auto Bytes = Store.tensorBytes("m.safetensors", "w", {DType::F16, {2}});
  ASSERT_TRUE(bool(Bytes)) << toString(Bytes.takeError());
  EXPECT_EQ(
      StringRef(reinterpret_cast<const char *>(Bytes->data()), Bytes->size()),
      "wxyz");

  auto Wrong = Store.tensorBytes("m.safetensors", "w", {DType::F32, {2}});
  ASSERT_FALSE(bool(Wrong));
  EXPECT_EQ(toString(Wrong.takeError()),
            path("m.safetensors") +
                ": tensor 'w' is f16[2], but the IR declares f32[2]");
  auto Missing = Store.tensorBytes("m.safetensors", "v", {DType::F16, {2}});
  ASSERT_FALSE(bool(Missing));
  EXPECT_EQ(toString(Missing.takeError()),
            path("m.safetensors") + ": no tensor 'v'");
  auto NoFile = Store.file("none.safetensors");
  ASSERT_FALSE(bool(NoFile));
  EXPECT_EQ(toString(NoFile.takeError())
                .rfind(path("none.safetensors") + ": cannot open: ", 0),
            0u);
}

} // namespace
