//===- ProtobufWireTest.cpp - Scanning protobuf wire format ---------------===//
#include "../lib/Frontend/ProtobufWire.h"
#include "gtest/gtest.h"
#include <string>
#include <vector>

using namespace ggufc::protobuf;

namespace {

std::string bytes(std::initializer_list<int> Values) {
  std::string Out;
  for (int V : Values)
    Out += char(V);
  return Out;
}

std::vector<WireField> scan(const std::string &Data, std::string &Error) {
  std::vector<WireField> Fields;
  llvm::Error E = forEachField(Data, [&](const WireField &F) {
    Fields.push_back(F);
    return llvm::Error::success();
  });
  Error = llvm::toString(std::move(E));
  return Fields;
}

TEST(ProtobufWire, ReadsEveryWireType) {
  // Encoded by hand from the protobuf encoding rules: field 1 varint 150
  // (the specification's example, 08 96 01), field 2 bytes "hi", field 3
  // fixed32 1, field 4 fixed64 2^56, field 536870911 (the largest number)
  // varint 0.
  std::string Data =
      bytes({0x08, 0x96, 0x01, 0x12, 0x02, 'h',  'i',  0x1d, 0x01,
             0x00, 0x00, 0x00, 0x21, 0,    0,    0,    0,    0,
             0,    0,    0x01, 0xf8, 0xff, 0xff, 0xff, 0x0f, 0x00});
  std::string Error;
  std::vector<WireField> F = scan(Data, Error);
  EXPECT_EQ(Error, "");
  ASSERT_EQ(F.size(), 5u);
  EXPECT_EQ(F[0].Number, 1u);
  EXPECT_EQ(F[0].Type, WireType::Varint);
  EXPECT_EQ(F[0].Value, 150u);
  EXPECT_EQ(F[1].Number, 2u);
  EXPECT_EQ(F[1].Type, WireType::LengthDelimited);
  EXPECT_EQ(F[1].Bytes, "hi");
  EXPECT_EQ(F[2].Type, WireType::Fixed32);
  EXPECT_EQ(F[2].Value, 1u);
  EXPECT_EQ(F[3].Type, WireType::Fixed64);
  EXPECT_EQ(F[3].Value, uint64_t(1) << 56);
  EXPECT_EQ(F[4].Number, 536870911u);
  EXPECT_EQ(F[4].Value, 0u);
}

TEST(ProtobufWire, RejectsMalformedMessages) {
  struct Case {
    std::string Data;
    const char *Error;
  };
  const Case Cases[] = {
      {bytes({0x08, 0x96}), "malformed protobuf: truncated varint in field 1"},
      {bytes({0x12, 0x05, 'h'}),
       "malformed protobuf: truncated bytes in field 2"},
      {bytes({0x1d, 0x01}), "malformed protobuf: truncated fixed32 in field 3"},
      {bytes({0x21, 0x01}), "malformed protobuf: truncated fixed64 in field 4"},
      {bytes({0x00, 0x00}), "malformed protobuf: invalid field number 0"},
      {bytes({0x0b}), "malformed protobuf: unsupported wire type 3 in field 1"},
      {bytes({0x80}), "malformed protobuf: truncated field key"},
  };
  for (const Case &C : Cases) {
    std::string Error;
    scan(C.Data, Error);
    EXPECT_EQ(Error, C.Error);
  }
}

TEST(ProtobufWire, StopsAtTheVisitorsError) {
  std::string Data = bytes({0x08, 0x01, 0x08, 0x02});
  int Seen = 0;
  llvm::Error E = forEachField(Data, [&](const WireField &) {
    ++Seen;
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "stop");
  });
  EXPECT_EQ(llvm::toString(std::move(E)), "stop");
  EXPECT_EQ(Seen, 1);
}

} // namespace
