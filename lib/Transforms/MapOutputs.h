//===- MapOutputs.h - Rewriting the values of outputs selected by name
//-----===//
//
// The shape of every pass that rewrites some outputs one by one (squeeze,
// neg-exp): select outputs with a `match=REGEX` option, check them all,
// then replace each one's value by an operation on it.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_TRANSFORMS_MAPOUTPUTS_H
#define GGUFC_LIB_TRANSFORMS_MAPOUTPUTS_H

#include "ggufc/IR/IRBuilder.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace ggufc {

/// The required option `match`, compiled as a whole-name regex; Example
/// shows the pass's syntax in the error for a missing option.
llvm::Expected<NamePattern> matchOption(llvm::StringRef Pass,
                                        const PassOptionMap &Opts,
                                        llvm::StringRef Example);

/// Replaces the value V of every output whose name Match matches by
/// Map(Builder, V). Check, if given, sees every matching output first, and
/// its first error leaves the module unchanged. Returns how many outputs
/// changed.
llvm::Expected<uint64_t> mapMatchingOutputs(
    Module &M, const NamePattern &Match,
    llvm::function_ref<Value *(IRBuilder &, Value *)> Map,
    llvm::function_ref<llvm::Error(const Output &)> Check = nullptr);

} // namespace ggufc

#endif
