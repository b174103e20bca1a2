//===- PassManagerTest.cpp - Pipelines and instrumentation -------------------===//
//
// Uses passes registered only in this test binary (names start with
// "test-"), so the pass manager is tested independently of the real passes.
//
//===----------------------------------------------------------------------===//
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/Pass/PassManager.h"
#include "gtest/gtest.h"

using namespace ggufc;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

namespace {

/// Appends `tanh` of the first output's value and re-points the output;
/// counts its runs. Option "n=<k>" repeats it k times.
class TestTanhPass : public Pass {
public:
  explicit TestTanhPass(unsigned N) : N(N) {}
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions("test-tanh", Options, {"n"});
    if (!Opts)
      return Opts.takeError();
    unsigned N = 1;
    if (Opts->count("n") && StringRef((*Opts)["n"]).getAsInteger(10, N))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "test-tanh: n must be a number");
    return std::make_unique<TestTanhPass>(N);
  }
  Error run(Module &M, Statistics &Stats) override {
    IRBuilder B(M);
    for (unsigned I = 0; I < N; ++I) {
      Output &O = M.outputs().front();
      O.Def = B.tanh(O.Def);
      Stats.add("test-tanh", "Number of tanh values added");
    }
    return B.takeError();
  }

private:
  unsigned N;
};

/// Leaves the module malformed: a duplicate output name.
class TestBreakPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef) {
    return std::make_unique<TestBreakPass>();
  }
  Error run(Module &M, Statistics &) override {
    M.addOutput(M.outputs().front().Name, M.outputs().front().Def);
    return Error::success();
  }
};

/// Fails with an error.
class TestFailPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef) {
    return std::make_unique<TestFailPass>();
  }
  Error run(Module &, Statistics &) override {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "blk.0.x: cannot do it");
  }
};

RegisterPass<TestTanhPass> RegTanh("test-tanh", "append tanh (test only)");
RegisterPass<TestBreakPass> RegBreak("test-break",
                                     "duplicate an output (test only)");
RegisterPass<TestFailPass> RegFail("test-fail", "always fails (test only)");

std::string pipelineText(StringRef Text) {
  auto Elements = parsePipeline(Text);
  if (!Elements)
    return "error: " + llvm::toString(Elements.takeError());
  std::string S;
  for (const PipelineElement &E : *Elements)
    S += "[" + E.Name + "|" + E.Options + "]";
  return S;
}

TEST(ParsePipelineTest, SplitsOnTopLevelCommas) {
  EXPECT_EQ(pipelineText(""), "");
  EXPECT_EQ(pipelineText("  "), "");
  EXPECT_EQ(pipelineText("dce"), "[dce|]");
  EXPECT_EQ(pipelineText("a, b ,c"), "[a|][b|][c|]");
  EXPECT_EQ(pipelineText("rename<gemma>,norm-offset"),
            "[rename|gemma][norm-offset|]");
  EXPECT_EQ(pipelineText("x<a=1;b=2,3>,y"), "[x|a=1;b=2,3][y|]");
  EXPECT_EQ(pipelineText("x<a<b,c>>,y<>"), "[x|a<b,c>][y|]");
}

TEST(ParsePipelineTest, RejectsMalformedPipelines) {
  EXPECT_EQ(pipelineText("a,,b"),
            "error: invalid pass pipeline 'a,,b': empty pass name");
  EXPECT_EQ(pipelineText("a,"),
            "error: invalid pass pipeline 'a,': empty pass name");
  EXPECT_EQ(pipelineText("a<x"),
            "error: invalid pass pipeline 'a<x': unbalanced '<'");
  EXPECT_EQ(pipelineText("a>x"),
            "error: invalid pass pipeline 'a>x': unbalanced '>'");
  EXPECT_EQ(pipelineText("<x>"),
            "error: invalid pass pipeline '<x>': missing pass name before '<'");
  EXPECT_EQ(pipelineText("a<x>b"), "error: invalid pass pipeline 'a<x>b': "
                                   "text after the options of 'a<x>b'");
  EXPECT_EQ(pipelineText("a<x>b<y>"), "error: invalid pass pipeline "
                                      "'a<x>b<y>': text after the options of "
                                      "'a<x>b<y>'");
}

TEST(PipelineElementTest, TextShowsOptions) {
  EXPECT_EQ((PipelineElement{"dce", ""}).text(), "dce");
  EXPECT_EQ((PipelineElement{"rename", "gemma"}).text(), "rename<gemma>");
}

TEST(PassManagerTest, UnknownPassesAndBadOptionsFailBeforeRunning) {
  auto PM = PassManager::create("test-tanh,nosuchpass");
  ASSERT_FALSE(bool(PM));
  EXPECT_EQ(llvm::toString(PM.takeError()),
            "unknown pass 'nosuchpass' in -passes (see --print-passes)");
  PM = PassManager::create("test-tanh<bogus=1>");
  ASSERT_FALSE(bool(PM));
  EXPECT_EQ(llvm::toString(PM.takeError()),
            "pass 'test-tanh' has no option 'bogus' (options: n)");
}

class PassManagerRunTest : public ::testing::Test {
protected:
  Module M{"t"};
  Statistics Stats;
  std::string Dumps, Timing;
  llvm::raw_string_ostream DumpOS{Dumps}, TimingOS{Timing};
  Instrumentation Instr;

  void SetUp() override {
    IRBuilder B(M);
    Value *X = B.load("f.safetensors", "x", {DType::F32, {2}});
    M.addOutput("out", X);
    ASSERT_FALSE(B.hasError());
    Instr.PrintStream = &DumpOS;
  }

  std::string run(StringRef Pipeline) {
    auto PM = PassManager::create(Pipeline);
    if (!PM)
      return "create: " + llvm::toString(PM.takeError());
    Error E = PM->run(M, Instr, Stats, TimingOS);
    DumpOS.flush();
    TimingOS.flush();
    return E ? llvm::toString(std::move(E)) : "";
  }
};

TEST_F(PassManagerRunTest, EmptyPipelineChangesNothing) {
  Instr.PrintAfterAll = Instr.PrintBeforeAll = Instr.VerifyEach = true;
  EXPECT_EQ(run(""), "");
  EXPECT_EQ(M.values().size(), 1u);
  EXPECT_EQ(Dumps, "");
}

TEST_F(PassManagerRunTest, PassesRunInOrderWithTheirOptions) {
  EXPECT_EQ(run("test-tanh,test-tanh<n=2>"), "");
  // load + 1 + 2 tanh values, the output at the end of the chain.
  ASSERT_EQ(M.values().size(), 4u);
  EXPECT_EQ(M.outputs().front().Def, M.values().back().get());
  EXPECT_EQ(Stats.all().at({"test-tanh", "Number of tanh values added"}), 3u);
}

TEST_F(PassManagerRunTest, PrintAfterAllDumpsAfterEachPass) {
  Instr.PrintAfterAll = true;
  EXPECT_EQ(run("test-tanh,test-tanh<n=1>"), "");
  EXPECT_EQ(Dumps, "; *** IR Dump After test-tanh ***\n"
                   "module \"t\" {\n"
                   "  %0 = load \"f.safetensors\" \"x\" : f32[2]\n"
                   "  %1 = tanh %0 : f32[2]\n"
                   "  output \"out\" = %1\n"
                   "}\n"
                   "; *** IR Dump After test-tanh<n=1> ***\n"
                   "module \"t\" {\n"
                   "  %0 = load \"f.safetensors\" \"x\" : f32[2]\n"
                   "  %1 = tanh %0 : f32[2]\n"
                   "  %2 = tanh %1 : f32[2]\n"
                   "  output \"out\" = %2\n"
                   "}\n");
}

TEST_F(PassManagerRunTest, PrintBeforeAllDumpsBeforeEachPass) {
  Instr.PrintBeforeAll = true;
  EXPECT_EQ(run("test-tanh"), "");
  EXPECT_EQ(Dumps, "; *** IR Dump Before test-tanh ***\n"
                   "module \"t\" {\n"
                   "  %0 = load \"f.safetensors\" \"x\" : f32[2]\n"
                   "  output \"out\" = %0\n"
                   "}\n");
}

TEST_F(PassManagerRunTest, PrintAfterSelectsPassesByNameOrText) {
  Instr.PrintAfter = {"test-tanh<n=2>"};
  Instr.PrintBefore = {"test-break"};
  EXPECT_EQ(run("test-tanh,test-tanh<n=2>"), "");
  EXPECT_EQ(Dumps.find("After test-tanh ***"), std::string::npos);
  EXPECT_NE(Dumps.find("; *** IR Dump After test-tanh<n=2> ***\n"),
            std::string::npos);
  EXPECT_EQ(Dumps.find("Before"), std::string::npos);
  Dumps.clear();
  Instr.PrintAfter = {"test-tanh"}; // the bare name selects every instance
  EXPECT_EQ(run("test-tanh,test-tanh<n=2>"), "");
  EXPECT_NE(Dumps.find("After test-tanh ***"), std::string::npos);
  EXPECT_NE(Dumps.find("After test-tanh<n=2> ***"), std::string::npos);
}

TEST_F(PassManagerRunTest, DumpsHonorPrintOptions) {
  llvm::Regex Nothing("^none$");
  Instr.Print.TensorFilter = &Nothing;
  Instr.PrintAfterAll = true;
  EXPECT_EQ(run("test-tanh"), "");
  EXPECT_EQ(Dumps, "; *** IR Dump After test-tanh ***\nmodule \"t\" {\n}\n");
}

TEST_F(PassManagerRunTest, VerifyEachNamesThePassThatBrokeTheIR) {
  Instr.VerifyEach = true;
  EXPECT_EQ(run("test-tanh,test-break,test-tanh"),
            "after pass 'test-break': output 'out' is defined more than once");
  // The pipeline stopped: only the first test-tanh ran.
  EXPECT_EQ(M.values().size(), 2u);
}

TEST_F(PassManagerRunTest, WithoutVerifyEachBrokenIRIsNotDetected) {
  EXPECT_EQ(run("test-break"), "");
}

TEST_F(PassManagerRunTest, PassErrorsNameThePass) {
  Instr.PrintAfterAll = true;
  EXPECT_EQ(run("test-tanh,test-fail,test-tanh"),
            "pass 'test-fail': blk.0.x: cannot do it");
  EXPECT_EQ(M.values().size(), 2u);
  // No dump after the failing pass.
  EXPECT_EQ(Dumps.find("After test-fail"), std::string::npos);
}

TEST_F(PassManagerRunTest, TimePassesListsEveryPassAndTheTotal) {
  Instr.TimePasses = true;
  EXPECT_EQ(run("test-tanh,test-tanh<n=3>"), "");
  EXPECT_NE(Timing.find("Pass execution timing report"), std::string::npos);
  size_t First = Timing.find("%)  test-tanh\n");
  size_t Second = Timing.find("%)  test-tanh<n=3>\n");
  size_t Total = Timing.find("%)  Total\n");
  EXPECT_NE(First, std::string::npos);
  EXPECT_NE(Second, std::string::npos);
  EXPECT_NE(Total, std::string::npos);
  EXPECT_LT(First, Second);
  EXPECT_LT(Second, Total);
}

TEST_F(PassManagerRunTest, NoTimingReportUnlessAsked) {
  EXPECT_EQ(run("test-tanh"), "");
  EXPECT_EQ(Timing, "");
}

TEST(PrintStatisticsTest, LLVMStyleAlignedLines) {
  Statistics Stats;
  Stats.add("rename", "Number of tensors renamed", 120);
  Stats.add("dce", "Number of values removed", 3);
  Stats.add("rename", "Number of tensors dropped", 2);
  std::string S;
  llvm::raw_string_ostream OS(S);
  printStatistics(Stats, OS);
  OS.flush();
  // Sorted by pass then counter; counts right-aligned, pass names padded.
  EXPECT_NE(S.find("Statistics Collected"), std::string::npos);
  EXPECT_NE(S.find("\n  3 dce    - Number of values removed\n"
                   "  2 rename - Number of tensors dropped\n"
                   "120 rename - Number of tensors renamed\n"),
            std::string::npos);
}

TEST(PrintStatisticsTest, NothingWhenNoCounters) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printStatistics(Statistics(), OS);
  EXPECT_EQ(OS.str(), "");
}

} // namespace
