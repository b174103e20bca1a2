//===- RewriteOutputs.h - Replacing the values of selected outputs --------===//
//
// The common shape of passes that transform some outputs in place (squeeze,
// qk-permute, gate-fold): select outputs by name, check every selected one
// before anything changes, then give each a new value built on its old one.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_TRANSFORMS_REWRITEOUTPUTS_H
#define GGUFC_TRANSFORMS_REWRITEOUTPUTS_H

#include "ggufc/IR/IRBuilder.h"
#include "ggufc/Transforms/NamePattern.h"
#include "llvm/ADT/STLExtras.h"

namespace ggufc {

/// For every output whose name matches Match: runs Check on all of them (the
/// first error is returned and the module is unchanged), then replaces each
/// output's value by Rewrite(builder, old value). Returns how many outputs
/// were rewritten.
llvm::Expected<uint64_t> rewriteMatchingOutputs(
    Module &M, const NamePattern &Match,
    llvm::function_ref<llvm::Error(const Output &)> Check,
    llvm::function_ref<Value *(IRBuilder &, Value *)> Rewrite);

} // namespace ggufc

#endif
