//===- ggufc-opt.cpp - Textual IR in, passes, IR or GGUF out --------------===//
//
//   ggufc-opt [options] <input.ir|->
//
// Parses and verifies the input, runs the -passes pipeline with the shared
// instrumentation options, verifies again and prints the module, or with
// -emit=gguf writes it as a GGUF file (loads are read relative to the
// module's source directory). A thin driver: everything it does is a library
// call, as in LLVM's opt.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Backend/GGUFWriter.h"
#include "ggufc/IR/Parser.h"
#include "ggufc/IR/Printer.h"
#include "ggufc/IR/Verifier.h"
#include "ggufc/Pass/PassOptions.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace ggufc;

static cl::OptionCategory ToolCategory("ggufc-opt options");

static cl::opt<std::string> InputFile(cl::Positional, cl::init("-"),
                                      cl::desc("<input.ir|->"),
                                      cl::cat(ToolCategory));

static cl::opt<std::string>
    OutputFile("o", cl::init("-"), cl::value_desc("file"),
               cl::desc("Where to write the result (default: stdout; "
                        "-emit=gguf needs a file)"),
               cl::cat(ToolCategory));

enum class EmitKind { IR, GGUF };
static cl::opt<EmitKind> Emit(
    "emit", cl::init(EmitKind::IR), cl::cat(ToolCategory),
    cl::desc("What to produce"),
    cl::values(clEnumValN(EmitKind::IR, "ir", "the textual IR (default)"),
               clEnumValN(EmitKind::GGUF, "gguf",
                          "a GGUF file: every output needs a storage type "
                          "and nothing it uses may be elided (print IR for "
                          "it with -print-full)")));

/// Prints every message of E (a verifier error holds one per problem) as
/// "ggufc-opt: error: <Prefix><message>".
static int fail(Error E, StringRef Prefix = "") {
  handleAllErrors(std::move(E), [&](const ErrorInfoBase &Info) {
    WithColor::error(errs(), "ggufc-opt") << Prefix << Info.message() << '\n';
  });
  return 1;
}

static int failIO(std::error_code EC, StringRef Path) {
  return fail(createStringError(EC, Path + ": " + EC.message()));
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  registerPassOptions();
  cl::HideUnrelatedOptions({&ToolCategory, &passPipelineCategory()});
  cl::ParseCommandLineOptions(
      argc, argv,
      "ggufc-opt: read textual ggufc IR, run passes on it, print the result\n");
  if (Emit == EmitKind::GGUF && OutputFile == "-")
    return fail(createStringError(inconvertibleErrorCode(),
                                  "-emit=gguf needs an output file: give -o "
                                  "FILE.gguf"));

  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer =
      MemoryBuffer::getFileOrSTDIN(InputFile, /*IsText=*/true);
  if (!Buffer)
    return failIO(Buffer.getError(), InputFile);
  StringRef BufferName = InputFile == "-" ? "<stdin>" : StringRef(InputFile);
  Expected<std::unique_ptr<Module>> M =
      parseModule((*Buffer)->getBuffer(), BufferName);
  if (!M)
    return fail(M.takeError());
  if (Error E = verifyModule(**M))
    return fail(std::move(E));
  if (Error E = runPassesFromCommandLine(**M))
    return fail(std::move(E));
  if (Error E = verifyModule(**M))
    return fail(std::move(E), "after the pass pipeline: ");

  if (Emit == EmitKind::GGUF) {
    // The writer checks what the outputs need and leaves no partial file.
    TensorStore Store((*M)->SourceDir);
    if (Error E = writeGGUF(**M, Store, OutputFile, WriterOptions()))
      return fail(std::move(E));
    return 0;
  }

  Expected<PrintOptions> Print = printOptionsFromCommandLine();
  if (!Print)
    return fail(Print.takeError());
  // Render first so that a failure leaves no partial output file.
  std::string Text;
  raw_string_ostream TextOS(Text);
  printModule(**M, TextOS, *Print);
  TextOS.flush();

  std::error_code EC;
  raw_fd_ostream Out(OutputFile, EC, sys::fs::OF_Text);
  if (EC)
    return failIO(EC, OutputFile);
  Out << Text;
  Out.close();
  if (Out.has_error()) {
    std::error_code WriteError = Out.error();
    Out.clear_error();
    return failIO(WriteError, OutputFile);
  }
  return 0;
}
