//===- ggufc.cpp - The ggufc compiler driver ------------------------------===//
//
// A thin driver over the libraries, like LLVM's opt: lower a checkpoint
// directory (Frontend), run the architecture's pass pipeline (or -passes)
// ending in select-types, then write GGUF (Backend) or print the IR.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Backend/GGUFWriter.h"
#include "ggufc/Frontend/Frontend.h"
#include "ggufc/Frontend/SafeTensors.h"
#include "ggufc/IR/Printer.h"
#include "ggufc/Pass/PassManager.h"
#include "ggufc/Pass/PassOptions.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;
using namespace ggufc;

static const char *const Version = "0.1.0";

static cl::OptionCategory DriverCategory("ggufc options");

static cl::opt<std::string> InputDir(cl::Positional, cl::Required,
                                     cl::value_desc("model dir"),
                                     cl::desc("<model dir>"),
                                     cl::cat(DriverCategory));

static cl::opt<std::string>
    OutputPath("o", cl::value_desc("file"), cl::cat(DriverCategory),
               cl::desc("Output file. Required for -emit=gguf; with -emit=ir "
                        "the IR goes to stdout when omitted or '-'"));

enum class EmitKind { GGUF, IR };
static cl::opt<EmitKind>
    Emit("emit", cl::init(EmitKind::GGUF), cl::cat(DriverCategory),
         cl::desc("What to produce"),
         cl::values(
             clEnumValN(EmitKind::GGUF, "gguf", "a GGUF file (default)"),
             clEnumValN(EmitKind::IR, "ir",
                        "the textual IR after the pipeline, no tensor data")));

/// select-types<...> takes the same spellings (the enumerators' names).
enum class OutTypeKind { Auto, F32, F16, BF16, Q8_0, Q4_0, Q4_K_M, Q5_K_M, Q6_K };
static cl::opt<OutTypeKind> OutType(
    "outtype", cl::init(OutTypeKind::Auto), cl::cat(DriverCategory),
    cl::desc("Storage type of the weight matrices (1-D tensors such as norms "
             "and biases stay f32)"),
    cl::values(clEnumValN(OutTypeKind::Auto, "auto",
                          "keep bf16 and f16 checkpoints as they are, store "
                          "f32 ones as f16 (default)"),
               clEnumValN(OutTypeKind::F32, "f32", "32-bit float"),
               clEnumValN(OutTypeKind::F16, "f16", "16-bit float"),
               clEnumValN(OutTypeKind::BF16, "bf16", "bfloat16"),
               clEnumValN(OutTypeKind::Q8_0, "q8_0", "8-bit blocks of 32"),
               clEnumValN(OutTypeKind::Q4_0, "q4_0",
                          "4-bit blocks of 32 (llama.cpp's Q4_0 mix)"),
               clEnumValN(OutTypeKind::Q4_K_M, "q4_k_m",
                          "llama.cpp's Q4_K_M mix (Q4_K, some Q6_K)"),
               clEnumValN(OutTypeKind::Q5_K_M, "q5_k_m",
                          "llama.cpp's Q5_K_M mix (Q5_K, some Q6_K)"),
               clEnumValN(OutTypeKind::Q6_K, "q6_k", "llama.cpp's Q6_K mix")));

/// The spelling of K: cl::values above lists the kinds in enumerator order.
static StringRef outTypeName(OutTypeKind K) {
  return OutType.getParser().getOption(unsigned(K));
}

static cl::opt<unsigned>
    Threads("j", cl::init(0), cl::value_desc("N"), cl::cat(DriverCategory),
            cl::desc("Threads writing tensor data; at most N tensors are in "
                     "memory at once (default: all cores)"));

static int fail(const Twine &Message) {
  WithColor::error(errs(), "ggufc") << Message << '\n';
  return 1;
}

static int fail(Error E) {
  std::string Message = toString(std::move(E));
  return fail(Message);
}

static std::string overview() {
  std::string Archs;
  for (const Architecture *A : ArchitectureRegistry::get().list())
    for (StringRef Class : A->hfClasses())
      Archs += "  " + Class.str() + " (" + A->name().str() + ")\n";
  return R"(ggufc: compile a HuggingFace checkpoint into a GGUF file for llama.cpp

  ggufc MODEL_DIR -o model.gguf

MODEL_DIR is a checkpoint directory as downloaded from the Hugging Face hub:
config.json, the weights as SafeTensors (one file, or shards listed in
model.safetensors.index.json) and the tokenizer files (tokenizer.json,
tokenizer_config.json). ggufc works like a compiler:
  1. the frontend reads the directory into ggufc's IR: metadata, and one
     `load` per tensor (tensor data stays on disk);
  2. the architecture's pass pipeline rewrites it (renaming tensors to
     llama.cpp's names, ...), ending with select-types (see -outtype);
  3. the backend writes the GGUF file, streaming tensor data.
Each step can be looked at: -emit=ir prints the IR instead of writing the
file, -print-after-all shows it after every pass, -print-tensors=REGEX
limits what is printed.

Examples:
  ggufc ./Qwen3-0.6B -o qwen3-0.6b.gguf
  ggufc ./Qwen3-0.6B -o qwen3-0.6b-f16.gguf -outtype=f16
  ggufc ./Qwen3-0.6B -emit=ir -print-tensors='blk\.0\.attn_q'
  ggufc ./Qwen3-0.6B -emit=ir -print-after-all -stats -o /dev/null

Supported architectures (config.json "architectures"):
)" + Archs;
}

/// The pipeline to run: -passes or the architecture's default, then
/// select-types unless an explicit -passes already chose types.
static Expected<std::string> pipelineFor(const LoweredCheckpoint &L) {
  Optional<std::string> Given = pipelineFromCommandLine();
  std::string Pipeline = Given ? *Given : L.Pipeline;
  if (Given) {
    auto Elements = parsePipeline(Pipeline);
    if (!Elements)
      return Elements.takeError();
    if (any_of(*Elements, [](const PipelineElement &E) {
          return E.Name == "select-types";
        }))
      return Pipeline;
  }
  return Pipeline + (Pipeline.empty() ? "" : ",") + "select-types<" +
         outTypeName(OutType).str() + ">";
}

static Error emitIR(const Module &M) {
  auto Print = printOptionsFromCommandLine();
  if (!Print)
    return Print.takeError();
  std::error_code EC;
  ToolOutputFile Out(OutputPath.empty() ? "-" : OutputPath.getValue(), EC,
                     sys::fs::OF_Text);
  if (EC)
    return createStringError(EC,
                             OutputPath + ": cannot write: " + EC.message());
  printModule(M, Out.os(), *Print);
  Out.keep();
  return Error::success();
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  registerPassOptions();
  cl::HideUnrelatedOptions({&DriverCategory, &passPipelineCategory()});
  cl::SetVersionPrinter(
      [](raw_ostream &OS) { OS << "ggufc version " << Version << "\n"; });
  cl::ParseCommandLineOptions(argc, argv, overview());

  if (Emit == EmitKind::GGUF && (OutputPath.empty() || OutputPath == "-"))
    return fail("no output file: give -o FILE.gguf (or -emit=ir to print "
                "the IR)");

  auto Lowered = lowerCheckpoint(InputDir);
  if (!Lowered)
    return fail(Lowered.takeError());
  Module &M = *Lowered->M;
  auto Pipeline = pipelineFor(*Lowered);
  if (!Pipeline)
    return fail(Pipeline.takeError());
  if (Error E = runPipelineFromCommandLine(M, *Pipeline))
    return fail(std::move(E));

  if (Emit == EmitKind::IR) {
    if (Error E = emitIR(M))
      return fail(std::move(E));
    return 0;
  }
  WriterOptions Opts;
  Opts.Threads = Threads;
  if (Error E = writeGGUF(M, *Lowered->Store, OutputPath, Opts))
    return fail(std::move(E));
  return 0;
}
