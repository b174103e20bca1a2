//===- Printer.h - Textual IR output -------------------------------------===//
#ifndef GGUFC_IR_PRINTER_H
#define GGUFC_IR_PRINTER_H

#include "ggufc/IR/Module.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

namespace ggufc {

struct PrintOptions {
  /// Print every constant element and array element (-print-full).
  bool Full = false;
  /// Arrays longer than this and constants with more elements are printed
  /// as <elided> unless Full is set.
  unsigned ElideAbove = 16;
  /// If set, only outputs whose name matches (and the values they use) are
  /// printed (-print-tensors=REGEX). Metadata is always printed.
  const llvm::Regex *TensorFilter = nullptr;
};

/// "f32[2, 2]", "bf16[]": the spelling of a type in the IR and in messages.
std::string formatType(const TensorType &T);

void printModule(const Module &M, llvm::raw_ostream &OS,
                 const PrintOptions &Opts = PrintOptions());

} // namespace ggufc

#endif
