//===- PassOptionsTest.cpp - Command line to Instrumentation -----------------===//
#include "ggufc/Pass/PassOptions.h"
#include "gtest/gtest.h"
#include <iterator>

using namespace ggufc;
namespace cl = llvm::cl;

namespace {

/// Parses Args (after a program name) with the shared options registered.
bool parse(std::vector<const char *> Args) {
  registerPassOptions();
  cl::ResetAllOptionOccurrences();
  Args.insert(Args.begin(), "tool");
  return cl::ParseCommandLineOptions(int(Args.size()), Args.data(), "",
                                     &llvm::nulls());
}

TEST(PassOptionsTest, EveryOptionReachesTheInstrumentation) {
  ASSERT_TRUE(parse({"-passes=a,b<x>", "-print-after=dce,rename",
                     "-print-after=fold-constants", "-print-before=x",
                     "-print-before-all", "-print-after-all", "-verify-each",
                     "-time-passes", "-stats", "-print-full",
                     "-print-tensors=attn_q"}));
  EXPECT_EQ(pipelineFromCommandLine(), llvm::Optional<std::string>("a,b<x>"));
  EXPECT_TRUE(statsRequested());
  llvm::Expected<Instrumentation> I = instrumentationFromCommandLine();
  ASSERT_TRUE(bool(I)) << llvm::toString(I.takeError());
  EXPECT_EQ(I->PrintAfter,
            (std::vector<std::string>{"dce", "rename", "fold-constants"}));
  EXPECT_EQ(I->PrintBefore, (std::vector<std::string>{"x"}));
  EXPECT_TRUE(I->PrintBeforeAll);
  EXPECT_TRUE(I->PrintAfterAll);
  EXPECT_TRUE(I->VerifyEach);
  EXPECT_TRUE(I->TimePasses);
  EXPECT_TRUE(I->Print.Full);
  ASSERT_NE(I->Print.TensorFilter, nullptr);
  EXPECT_TRUE(I->Print.TensorFilter->match("blk.0.attn_q.weight"));
  EXPECT_FALSE(I->Print.TensorFilter->match("blk.0.attn_k.weight"));
  cl::ResetAllOptionOccurrences();
}

TEST(PassOptionsTest, DefaultsWhenNothingIsGiven) {
  ASSERT_TRUE(parse({}));
  EXPECT_EQ(pipelineFromCommandLine(), llvm::None);
  EXPECT_FALSE(statsRequested());
  llvm::Expected<Instrumentation> I = instrumentationFromCommandLine();
  ASSERT_TRUE(bool(I));
  EXPECT_FALSE(I->PrintBeforeAll || I->PrintAfterAll || I->VerifyEach ||
               I->TimePasses || I->Print.Full);
  EXPECT_TRUE(I->PrintAfter.empty());
  EXPECT_EQ(I->Print.TensorFilter, nullptr);
  EXPECT_EQ(I->PrintStream, nullptr);
}

TEST(PassOptionsTest, AnEmptyPassesOptionMeansNoPasses) {
  ASSERT_TRUE(parse({"-passes="}));
  EXPECT_EQ(pipelineFromCommandLine(), llvm::Optional<std::string>(""));
  cl::ResetAllOptionOccurrences();
}

} // namespace
