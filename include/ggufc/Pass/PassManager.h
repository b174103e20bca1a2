//===- PassManager.h - Running pipelines with instrumentation ---------------===//
#ifndef GGUFC_PASS_PASSMANAGER_H
#define GGUFC_PASS_PASSMANAGER_H

#include "ggufc/IR/Printer.h"
#include "ggufc/Pass/Pass.h"
#include "llvm/Support/raw_ostream.h"

namespace ggufc {

struct PipelineElement {
  std::string Name;
  std::string Options;
  std::string text() const; // "name" or "name<options>"
};

/// Splits "a,b<x;y>,c" into elements; commas inside <> do not split.
llvm::Expected<std::vector<PipelineElement>>
parsePipeline(llvm::StringRef Text);

struct Instrumentation {
  bool PrintBeforeAll = false;
  bool PrintAfterAll = false;
  std::vector<std::string> PrintAfter;  // pass names
  std::vector<std::string> PrintBefore; // pass names
  bool VerifyEach = false;
  bool TimePasses = false;
  PrintOptions Print;
  llvm::raw_ostream *PrintStream = nullptr; // defaults to errs()
};

class PassManager {
public:
  /// Builds every pass of the pipeline (unknown names and bad options are
  /// errors before anything runs).
  static llvm::Expected<PassManager> create(llvm::StringRef Pipeline);

  llvm::Error run(Module &M, const Instrumentation &Instr, Statistics &Stats,
                  llvm::raw_ostream &TimingOS);
  const std::vector<PipelineElement> &elements() const { return Elements; }

private:
  std::vector<PipelineElement> Elements;
  std::vector<std::unique_ptr<Pass>> Passes;
};

/// Writes "-stats" output: one line per counter, LLVM style.
void printStatistics(const Statistics &Stats, llvm::raw_ostream &OS);

} // namespace ggufc

#endif
