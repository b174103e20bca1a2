//===- Printer.cpp - Textual IR output ---------------------------------------===//
//
// Writes the syntax of docs/LangRef.md. The output parses back to a module
// that prints identically; Parser.cpp is the other half of that contract.
//
//===----------------------------------------------------------------------===//
#include "ggufc/IR/Printer.h"
#include "ggufc/IR/MetadataFormat.h"
#include "ggufc/Support/Format.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace ggufc {

std::string formatType(const TensorType &T) {
  std::string S;
  raw_string_ostream OS(S);
  OS << dtypeName(T.Elem) << '[';
  interleaveComma(T.Dims, OS);
  OS << ']';
  return OS.str();
}

namespace {

class ModulePrinter {
public:
  ModulePrinter(raw_ostream &OS, const PrintOptions &Opts)
      : OS(OS), Opts(Opts) {}

  void print(const Module &M) {
    OS << "module ";
    printQuoted(OS, M.Name);
    if (!M.SourceDir.empty()) {
      OS << " source ";
      printQuoted(OS, M.SourceDir);
    }
    OS << " {\n";
    for (const Metadata::Entry &E : M.Meta.entries())
      printMeta(E.first, E.second);
    DenseSet<const Value *> Shown = valuesToShow(M);
    for (const auto &V : M.values())
      if (!Opts.TensorFilter || Shown.count(V.get()))
        printValue(*V);
    for (const Output &O : M.outputs())
      if (shows(O))
        printOutput(O);
    OS << "}\n";
  }

private:
  bool elide(uint64_t NumElements) const {
    return !Opts.Full && NumElements > Opts.ElideAbove;
  }

  bool shows(const Output &O) const {
    return !Opts.TensorFilter || Opts.TensorFilter->match(O.Name);
  }

  /// With a tensor filter: the values the selected outputs use.
  DenseSet<const Value *> valuesToShow(const Module &M) const {
    DenseSet<const Value *> Shown;
    if (!Opts.TensorFilter)
      return Shown;
    SmallVector<const Value *, 32> Work;
    for (const Output &O : M.outputs())
      if (O.Def && shows(O) && Shown.insert(O.Def).second)
        Work.push_back(O.Def);
    while (!Work.empty())
      for (const Value *Op : Work.pop_back_val()->Operands)
        if (Op && Shown.insert(Op).second)
          Work.push_back(Op);
    return Shown;
  }

  void printMeta(StringRef Key, const MetaValue &V) {
    OS << "  meta ";
    printQuoted(OS, Key);
    OS << " : ";
    printMetaType(OS, V);
    OS << " = ";
    printMetaValue(OS, V, Opts.Full, Opts.ElideAbove);
    OS << '\n';
  }

  void printRef(const Value *V) {
    if (V)
      OS << '%' << V->Id;
    else
      OS << "<null>";
  }

  void printOperands(const Value &V) {
    for (size_t I = 0; I < V.Operands.size(); ++I) {
      OS << (I ? ", " : " ");
      printRef(V.Operands[I]);
    }
  }

  void printConstData(const Value &V) {
    if (V.DataElided || elide(V.Data.size())) {
      OS << " <elided>";
      return;
    }
    OS << " [";
    for (size_t I = 0; I < V.Data.size(); ++I) {
      if (I)
        OS << ", ";
      printFloat(OS, V.Data[I]);
    }
    OS << ']';
  }

  void printValue(const Value &V) {
    OS << "  %" << V.Id << " = " << opcodeName(V.Op);
    switch (V.Op) {
    case Opcode::Load:
      OS << ' ';
      printQuoted(OS, V.File);
      OS << ' ';
      printQuoted(OS, V.Key);
      break;
    case Opcode::Const:
      printConstData(V);
      break;
    case Opcode::AddScalar:
    case Opcode::Scale:
      printOperands(V);
      OS << ", ";
      printFloat(OS, float(V.A));
      break;
    case Opcode::Clamp:
      printOperands(V);
      OS << ", ";
      printFloat(OS, float(V.A));
      OS << ", ";
      printFloat(OS, float(V.B));
      break;
    case Opcode::Transpose:
      printOperands(V);
      OS << " [";
      interleaveComma(V.Perm, OS);
      OS << ']';
      break;
    case Opcode::Slice:
      printOperands(V);
      OS << " axis " << V.Axis << " [" << V.Start << ':' << V.End << ']';
      break;
    case Opcode::Concat:
    case Opcode::Stack:
    case Opcode::Squeeze:
      printOperands(V);
      OS << " axis " << V.Axis;
      break;
    case Opcode::Tanh:
    case Opcode::OneMinus:
    case Opcode::NegExp:
    case Opcode::Cast:
    case Opcode::Reshape:
      printOperands(V);
      break;
    }
    OS << " : " << formatType(V.Type) << '\n';
  }

  void printOutput(const Output &O) {
    OS << "  output ";
    printQuoted(OS, O.Name);
    OS << " = ";
    printRef(O.Def);
    if (O.Type)
      OS << " : " << storageTypeName(*O.Type);
    OS << '\n';
  }

  raw_ostream &OS;
  const PrintOptions &Opts;
};

} // namespace

void printModule(const Module &M, raw_ostream &OS, const PrintOptions &Opts) {
  ModulePrinter(OS, Opts).print(M);
}

} // namespace ggufc
