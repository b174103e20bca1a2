//===- MapOutputs.h - Rewriting outputs selected by name ------------------===//
//
// The shape of every pass that rewrites some outputs one by one (squeeze,
// neg-exp, norm-offset, clamp, pad-vocab, qk-permute, gate-fold): select
// outputs by name, check them all, then replace each one's value by an
// operation on it.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_TRANSFORMS_MAPOUTPUTS_H
#define GGUFC_LIB_TRANSFORMS_MAPOUTPUTS_H

#include "ggufc/IR/IRBuilder.h"
#include "ggufc/Transforms/NamePattern.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace ggufc {

/// Replaces the value V of every output whose name Match matches by
/// Map(Builder, V). Check, if given, sees every matching output first, and
/// its first error leaves the module unchanged. Returns how many outputs
/// changed.
llvm::Expected<uint64_t> mapMatchingOutputs(
    Module &M, const NamePattern &Match,
    llvm::function_ref<Value *(IRBuilder &, Value *)> Map,
    llvm::function_ref<llvm::Error(const Output &)> Check = nullptr);

/// The same for the outputs Select picks (e.g. a name pattern minus an
/// exclusion).
llvm::Expected<uint64_t> mapSelectedOutputs(
    Module &M, llvm::function_ref<bool(const Output &)> Select,
    llvm::function_ref<Value *(IRBuilder &, Value *)> Map,
    llvm::function_ref<llvm::Error(const Output &)> Check = nullptr);

} // namespace ggufc

#endif
