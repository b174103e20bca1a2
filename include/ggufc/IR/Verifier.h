//===- Verifier.h - IR well-formedness checks -------------------------------===//
#ifndef GGUFC_IR_VERIFIER_H
#define GGUFC_IR_VERIFIER_H

#include "ggufc/IR/Module.h"
#include "llvm/Support/Error.h"

namespace ggufc {

/// Checks every value's type against its operation (inferResultType),
/// operands defined before use, output names unique and non-empty, output
/// storage types, and the types of well-known metadata keys
/// (general.architecture: str, general.alignment: u32 power of two, ...).
/// Returns all problems found, one per line.
llvm::Error verifyModule(const Module &M);

} // namespace ggufc

#endif
