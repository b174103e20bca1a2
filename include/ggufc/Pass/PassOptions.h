//===- PassOptions.h - Command-line options shared by the tools -------------===//
//
// The pass-pipeline options (-passes, -print-after-all, -verify-each, ...)
// are defined once, here, and linked into every tool that runs passes
// (ggufc and ggufc-opt), so they spell and behave the same everywhere.
// They appear under "Pass pipeline options" in --help. All accessors below
// require registerPassOptions() to have been called.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_PASS_PASSOPTIONS_H
#define GGUFC_PASS_PASSOPTIONS_H

#include "ggufc/IR/Module.h"
#include "ggufc/Pass/PassManager.h"
#include "llvm/ADT/Optional.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include <string>

namespace ggufc {

/// Creates the options; a tool calls it before cl::ParseCommandLineOptions.
/// (Defining them on demand keeps them out of tools that run no passes.)
void registerPassOptions();

/// The --help category of the shared options, e.g. for
/// cl::HideUnrelatedOptions.
llvm::cl::OptionCategory &passPipelineCategory();

/// The -passes text if it was given (it may be empty: run no passes), None
/// if the tool's default pipeline applies.
llvm::Optional<std::string> pipelineFromCommandLine();

/// Printing options from -print-full and -print-tensors (for the IR dumps
/// and for a tool's final IR output). Fails on an invalid regex.
llvm::Expected<PrintOptions> printOptionsFromCommandLine();

/// The instrumentation the command line asks for: IR dumps (to errs()),
/// -verify-each, -time-passes and the printing options above.
llvm::Expected<Instrumentation> instrumentationFromCommandLine();

/// True if -stats was given.
bool statsRequested();

/// Writes the registered passes and their descriptions (-print-passes).
void printPassList(llvm::raw_ostream &OS);

/// Runs the -passes pipeline (or DefaultPipeline if -passes was not given)
/// on M with the command line's instrumentation; writes the -time-passes
/// and -stats reports to errs(). The one way a tool runs passes.
llvm::Error runPassesFromCommandLine(Module &M,
                                     llvm::StringRef DefaultPipeline = "");

/// Runs exactly Pipeline (a tool that composed it itself, e.g. ggufc
/// appending select-types) with the command line's instrumentation and
/// reports, like runPassesFromCommandLine.
llvm::Error runPipelineFromCommandLine(Module &M, llvm::StringRef Pipeline);

} // namespace ggufc

#endif
