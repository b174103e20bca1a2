//===- TransformsTestSupport.h - Running passes in unit tests ---------------===//
#ifndef GGUFC_UNITTESTS_TRANSFORMSTESTSUPPORT_H
#define GGUFC_UNITTESTS_TRANSFORMSTESTSUPPORT_H

#include "ggufc/IR/IRBuilder.h"
#include "ggufc/Pass/Pass.h"
#include "gtest/gtest.h"
#include <string>
#include <vector>

namespace ggufc {
namespace testing {

/// Creates pass Name from its registered factory with Options and runs it.
/// Creation and run errors come back as the message ("" on success).
inline std::string runPass(Module &M, llvm::StringRef Name,
                           llvm::StringRef Options, Statistics &Stats) {
  const PassInfo *Info = PassRegistry::get().lookup(Name);
  if (!Info)
    return "no pass named " + Name.str();
  auto P = Info->Create(Options);
  if (!P)
    return llvm::toString(P.takeError());
  if (llvm::Error E = (*P)->run(M, Stats))
    return llvm::toString(std::move(E));
  return "";
}

inline std::string runPass(Module &M, llvm::StringRef Name,
                           llvm::StringRef Options = "") {
  Statistics Stats;
  return runPass(M, Name, Options, Stats);
}

/// Only the error of creating pass Name with Options ("" if it succeeds).
inline std::string createError(llvm::StringRef Name, llvm::StringRef Options) {
  auto P = PassRegistry::get().lookup(Name)->Create(Options);
  return P ? "" : llvm::toString(P.takeError());
}

inline uint64_t stat(const Statistics &S, llvm::StringRef Pass,
                     llvm::StringRef Counter) {
  auto It = S.all().find({Pass.str(), Counter.str()});
  return It == S.all().end() ? 0 : It->second;
}

inline std::vector<std::string> outputNames(const Module &M) {
  std::vector<std::string> Names;
  for (const Output &O : M.outputs())
    Names.push_back(O.Name);
  return Names;
}

/// Fails the test with the message of E, if E is an error.
inline void expectSuccess(llvm::Error E) {
  if (E)
    ADD_FAILURE() << llvm::toString(std::move(E));
}

/// Adds output Name defined by a fresh `load` of type Elem[Dims].
inline Value *addLoadOutput(Module &M, const std::string &Name, DType Elem,
                            Shape Dims) {
  IRBuilder B(M);
  Value *V = B.load("model.safetensors", Name, TensorType{Elem, Dims});
  expectSuccess(B.takeError());
  M.addOutput(Name, V);
  return V;
}

} // namespace testing
} // namespace ggufc

#endif
