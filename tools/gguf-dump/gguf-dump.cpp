//===- gguf-dump.cpp - Print a GGUF file as text --------------------------===//
//
// Prints any GGUF file as stable, diffable text: a header line, every
// metadata entry in file order, then every tensor in file order, optionally
// with a SHA-256 of its data and its decoded elements.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Backend/GGUFReader.h"
#include "ggufc/IR/MetadataFormat.h"
#include "ggufc/Support/ElementConversion.h"
#include "ggufc/Support/Format.h"
#include "ggufc/Support/SHA256.h"
#include "ggufc/Support/StorageType.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace ggufc;

static cl::OptionCategory DumpCategory("gguf-dump options");

static cl::opt<std::string> InputPath(cl::Positional, cl::Required,
                                      cl::desc("<file.gguf>"),
                                      cl::cat(DumpCategory));
static cl::opt<bool> Full("full",
                          cl::desc("Print every element of metadata arrays "
                                   "(by default arrays of more than 16 "
                                   "elements print as <elided>)"),
                          cl::cat(DumpCategory));
static cl::opt<bool> Checksums("checksums",
                               cl::desc("Append sha256=<hex> of each tensor's "
                                        "data bytes to its line"),
                               cl::cat(DumpCategory));
static cl::opt<std::string>
    ValuesRegex("values", cl::value_desc("regex"),
                cl::desc("After each tensor whose name matches (POSIX ERE, "
                         "unanchored), print its elements decoded to float "
                         "(F32, F16, BF16 only), one line per row of ne0 "
                         "values"),
                cl::cat(DumpCategory));
static cl::opt<bool> MetaOnly("meta-only",
                              cl::desc("Print the header and metadata only"),
                              cl::cat(DumpCategory));
static cl::opt<bool> TensorsOnly("tensors-only",
                                 cl::desc("Print the header and tensors only"),
                                 cl::cat(DumpCategory));

static void printHeader(raw_ostream &OS, const GGUFFile &F) {
  OS << "gguf version=" << F.version() << " alignment=" << F.alignment()
     << " tensors=" << F.tensors().size() << " metadata=" << F.metadata().size()
     << '\n';
}

static void printMetadata(raw_ostream &OS, const GGUFFile &F) {
  for (const Metadata::Entry &KV : F.metadata().entries()) {
    OS << KV.first << " : ";
    printMetaType(OS, KV.second);
    OS << " = ";
    printMetaValue(OS, KV.second, Full);
    OS << '\n';
  }
}

/// The elements as rows of ne0 values, each line `  [a, b, ...]`.
static void printValues(raw_ostream &OS, const GGUFFile &F,
                        const GGUFTensorInfo &T) {
  const StorageTypeTraits *Traits = storageTypeTraits(T.GGMLType);
  Optional<DType> Type = Traits ? dtypeOf(Traits->Type) : None;
  if (!Type) {
    OS << "  ; elements of " << ggmlTypeName(T.GGMLType)
       << " tensors are not decoded\n";
    return;
  }
  ArrayRef<uint8_t> Bytes = F.data(T);
  const size_t N = Bytes.size() / dtypeSize(*Type);
  std::vector<float> Values(N);
  convertElements(Bytes.data(), *Type,
                  reinterpret_cast<uint8_t *>(Values.data()), DType::F32, N);
  const size_t Row = T.Ne.empty() ? 1 : size_t(T.Ne[0]);
  for (size_t Start = 0; Row && Start < N; Start += Row) {
    OS << "  [";
    for (size_t I = Start; I < Start + Row; ++I) {
      if (I != Start)
        OS << ", ";
      printFloat(OS, Values[I]);
    }
    OS << "]\n";
  }
}

static void printTensors(raw_ostream &OS, const GGUFFile &F,
                         const Regex *ValuesFilter) {
  for (const GGUFTensorInfo &T : F.tensors()) {
    OS << T.Name << " : " << ggmlTypeName(T.GGMLType) << '[';
    for (size_t I = 0; I < T.Ne.size(); ++I)
      OS << (I ? ", " : "") << T.Ne[I];
    OS << "] offset=" << T.Offset << " size=" << T.Size;
    if (Checksums)
      OS << " sha256=" << ggufc::SHA256::hex(F.data(T));
    OS << '\n';
    if (ValuesFilter && ValuesFilter->match(T.Name))
      printValues(OS, F, T);
  }
}

static int error(const Twine &Message) {
  WithColor::error(errs(), "gguf-dump") << Message << '\n';
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(DumpCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "print a GGUF file as stable, diffable text\n\n"
      "Prints a header line (version, alignment, counts), then each metadata\n"
      "entry as `<key> : <type> = <value>`, then each tensor as\n"
      "`<name> : <type>[ne0, ne1, ...] offset=<n> size=<n>`, all in file\n"
      "order. Dimensions are in GGUF ne order (fastest-varying first, the\n"
      "reverse of PyTorch's); offsets are relative to the data section.\n");

  if (MetaOnly && TensorsOnly)
    return error("--meta-only and --tensors-only exclude each other");
  Optional<Regex> ValuesFilter;
  if (ValuesRegex.getNumOccurrences()) {
    ValuesFilter.emplace(ValuesRegex);
    std::string Why;
    if (!ValuesFilter->isValid(Why))
      return error("invalid --values regex '" + ValuesRegex + "': " + Why);
  }

  Expected<std::unique_ptr<GGUFFile>> F = GGUFFile::open(InputPath);
  if (!F)
    return error(toString(F.takeError()));
  raw_ostream &OS = outs();
  printHeader(OS, **F);
  if (!TensorsOnly)
    printMetadata(OS, **F);
  if (!MetaOnly)
    printTensors(OS, **F, ValuesFilter ? ValuesFilter.getPointer() : nullptr);
  return 0;
}
