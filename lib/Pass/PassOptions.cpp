//===- PassOptions.cpp - Command-line options shared by the tools -----------===//
#include "ggufc/Pass/PassOptions.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cstdlib>

using namespace llvm;

namespace ggufc {

cl::OptionCategory &passPipelineCategory() {
  static cl::OptionCategory Category(
      "Pass pipeline options",
      "Choose the passes that rewrite the IR and look at what they do");
  return Category;
}

namespace {

/// libLLVM registers -print-after-all, -print-before, -time-passes, -stats,
/// ... for its own pass managers, which ggufc never runs. A name can be
/// registered once, so LLVM's definitions are withdrawn in favour of ours.
bool withdrawLLVMOptions() {
  const char *Ours[] = {"passes",      "print-passes",  "print-before-all",
                        "print-after-all", "print-before", "print-after",
                        "print-tensors", "print-full",  "verify-each",
                        "time-passes", "stats"};
  StringMap<cl::Option *> &Registered = cl::getRegisteredOptions();
  for (const char *Name : Ours)
    if (cl::Option *O = Registered.lookup(Name))
      O->removeArgument();
  return true;
}

struct PassCommandLine {
  bool LLVMOptionsWithdrawn = withdrawLLVMOptions();
  cl::OptionCategory &Cat = passPipelineCategory();

  cl::opt<std::string> Passes{
      "passes", cl::value_desc("pipeline"), cl::cat(Cat),
      cl::desc("Passes to run instead of the default pipeline: pass names "
               "separated by commas, options in <>, e.g. "
               "-passes='rename<gemma>,norm-offset'. An empty list runs no "
               "passes. See -print-passes for the names")};

  cl::opt<bool> PrintPasses{
      "print-passes", cl::cat(Cat),
      cl::desc("List every available pass with a one-line description, "
               "then exit"),
      cl::callback([](const bool &Set) {
        if (!Set)
          return;
        printPassList(outs());
        outs().flush();
        std::exit(0);
      })};

  cl::opt<bool> PrintBeforeAll{
      "print-before-all", cl::cat(Cat),
      cl::desc("Print the IR before every pass (to stderr)")};

  cl::opt<bool> PrintAfterAll{
      "print-after-all", cl::cat(Cat),
      cl::desc("Print the IR after every pass (to stderr)")};

  cl::list<std::string> PrintBefore{
      "print-before", cl::value_desc("pass"), cl::CommaSeparated, cl::cat(Cat),
      cl::desc("Print the IR before each run of the named passes (to "
               "stderr); repeat the option or separate names by commas")};

  cl::list<std::string> PrintAfter{
      "print-after", cl::value_desc("pass"), cl::CommaSeparated, cl::cat(Cat),
      cl::desc("Print the IR after each run of the named passes (to "
               "stderr); repeat the option or separate names by commas")};

  cl::opt<std::string> PrintTensors{
      "print-tensors", cl::value_desc("regex"), cl::cat(Cat),
      cl::desc("When printing IR, show only the output tensors whose GGUF "
               "name matches this regular expression (POSIX extended, "
               "matched anywhere in the name) and the values they are "
               "computed from; metadata is always shown")};

  cl::opt<bool> PrintFull{
      "print-full", cl::cat(Cat),
      cl::desc("Print every element of constants and metadata arrays; by "
               "default those with more than 16 elements print as "
               "<elided>")};

  cl::opt<bool> VerifyEach{
      "verify-each", cl::cat(Cat),
      cl::desc("Check the IR after every pass and stop at the first pass "
               "that leaves it malformed")};

  cl::opt<bool> TimePasses{
      "time-passes", cl::cat(Cat),
      cl::desc("Report how long each pass took (to stderr)")};

  cl::opt<bool> Stats{
      "stats", cl::cat(Cat),
      cl::desc("Report what the passes did, e.g. how many tensors each "
               "one changed (to stderr)")};

  /// Compiled -print-tensors; PrintOptions points at it.
  Optional<Regex> TensorRegex;
};

PassCommandLine &options() {
  static PassCommandLine Options;
  return Options;
}

} // namespace

void registerPassOptions() { (void)options(); }

Optional<std::string> pipelineFromCommandLine() {
  const auto &P = options().Passes;
  if (P.getNumOccurrences() == 0)
    return None;
  return P.getValue();
}

Expected<PrintOptions> printOptionsFromCommandLine() {
  PassCommandLine &O = options();
  PrintOptions Print;
  Print.Full = O.PrintFull;
  if (O.PrintTensors.getNumOccurrences()) {
    Regex R(O.PrintTensors.getValue());
    std::string Why;
    if (!R.isValid(Why))
      return createStringError(inconvertibleErrorCode(),
                               "invalid -print-tensors regex '" +
                                   O.PrintTensors.getValue() + "': " + Why);
    O.TensorRegex = std::move(R);
    Print.TensorFilter = O.TensorRegex.getPointer();
  }
  return Print;
}

Expected<Instrumentation> instrumentationFromCommandLine() {
  PassCommandLine &O = options();
  Expected<PrintOptions> Print = printOptionsFromCommandLine();
  if (!Print)
    return Print.takeError();
  Instrumentation I;
  I.Print = *Print;
  I.PrintBeforeAll = O.PrintBeforeAll;
  I.PrintAfterAll = O.PrintAfterAll;
  I.PrintBefore.assign(O.PrintBefore.begin(), O.PrintBefore.end());
  I.PrintAfter.assign(O.PrintAfter.begin(), O.PrintAfter.end());
  I.VerifyEach = O.VerifyEach;
  I.TimePasses = O.TimePasses;
  return I;
}

bool statsRequested() { return options().Stats; }

void printPassList(raw_ostream &OS) {
  std::vector<const PassInfo *> Passes = PassRegistry::get().list();
  size_t Width = 0;
  for (const PassInfo *P : Passes)
    Width = std::max(Width, P->Name.size());
  OS << "Available passes:\n";
  for (const PassInfo *P : Passes)
    OS << "  " << P->Name << std::string(Width - P->Name.size() + 2, ' ')
       << P->Description << '\n';
  if (Passes.empty())
    OS << "  (none)\n";
}

Error runPipelineFromCommandLine(Module &M, StringRef Pipeline) {
  Expected<PassManager> PM = PassManager::create(Pipeline);
  if (!PM)
    return PM.takeError();
  Expected<Instrumentation> Instr = instrumentationFromCommandLine();
  if (!Instr)
    return Instr.takeError();
  Statistics Stats;
  Error Err = PM->run(M, *Instr, Stats, errs());
  if (statsRequested())
    printStatistics(Stats, errs());
  return Err;
}

Error runPassesFromCommandLine(Module &M, StringRef DefaultPipeline) {
  Optional<std::string> Pipeline = pipelineFromCommandLine();
  return runPipelineFromCommandLine(M, Pipeline ? StringRef(*Pipeline)
                                                : DefaultPipeline);
}

} // namespace ggufc
