//===- SHA256Test.cpp - Known answers from FIPS 180-4 / NIST --------------===//
#include "ggufc/Support/SHA256.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA256.h"
#include "gtest/gtest.h"

using namespace ggufc;

namespace {

llvm::ArrayRef<uint8_t> bytes(llvm::StringRef S) {
  return llvm::arrayRefFromStringRef(S);
}

TEST(SHA256, KnownAnswers) {
  EXPECT_EQ(SHA256::hex({}),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(SHA256::hex(bytes("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(SHA256::hex(bytes(
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::string Million(1000000, 'a');
  EXPECT_EQ(SHA256::hex(bytes(Million)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(SHA256, StreamingMatchesOneShotAndLLVM) {
  // Below 4 GiB llvm::SHA256 is right; every length around the padding
  // boundaries, fed in uneven pieces, must agree with it.
  std::vector<uint8_t> Data(300);
  for (size_t I = 0; I < Data.size(); ++I)
    Data[I] = uint8_t(I * 7 + 3);
  for (size_t Len = 0; Len <= Data.size(); ++Len) {
    llvm::ArrayRef<uint8_t> In(Data.data(), Len);
    SHA256 H;
    for (size_t Pos = 0, Step = 1; Pos < Len; Pos += Step, Step = Step * 3 % 71)
      H.update(In.slice(Pos, std::min(Step, Len - Pos)));
    std::array<uint8_t, 32> Got = H.final();
    std::array<uint8_t, 32> Want = llvm::SHA256::hash(In);
    ASSERT_EQ(Got, Want) << "length " << Len;
  }
}

} // namespace
