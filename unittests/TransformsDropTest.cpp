//===- TransformsDropTest.cpp - drop<match=REGEX> ----------------------------===//
#include "TransformsTestSupport.h"

using namespace ggufc;
using namespace ggufc::testing;

namespace {

TEST(DropPassTest, DropsWholeNameMatchesOnly) {
  Module M;
  for (const char *N : {"blk.1.attn_q.weight", "blk.1.attn_q.weight.x",
                        "vblk.1.attn_q.weight", "rope.inv_freq",
                        "blk.2.rope.inv_freq"})
    addLoadOutput(M, N, DType::F32, {2});
  Statistics Stats;
  ASSERT_EQ(runPass(M, "drop", R"(match=blk\.1\.attn_q\.weight|.*inv_freq)", Stats),
            "");
  EXPECT_EQ(outputNames(M), (std::vector<std::string>{"blk.1.attn_q.weight.x",
                                                      "vblk.1.attn_q.weight"}));
  EXPECT_EQ(stat(Stats, "drop", "tensors dropped"), 3u);
  // Values stay until dce.
  EXPECT_EQ(M.values().size(), 5u);
}

TEST(DropPassTest, OptionErrors) {
  EXPECT_NE(createError("drop", "").find("needs option 'match'"),
            std::string::npos);
  EXPECT_NE(createError("drop", "match=(").find("invalid regular expression"),
            std::string::npos);
}

} // namespace
