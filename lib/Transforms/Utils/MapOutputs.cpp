//===- MapOutputs.cpp - Rewriting outputs selected by name ----------------===//
#include "MapOutputs.h"

using namespace llvm;

namespace ggufc {

Expected<uint64_t>
mapSelectedOutputs(Module &M, function_ref<bool(const Output &)> Select,
                   function_ref<Value *(IRBuilder &, Value *)> Map,
                   function_ref<Error(const Output &)> Check) {
  std::vector<Output *> Targets;
  for (Output &O : M.outputs()) {
    if (!Select(O))
      continue;
    if (Check)
      if (Error E = Check(O))
        return E;
    Targets.push_back(&O);
  }
  IRBuilder B(M);
  for (Output *O : Targets)
    O->Def = Map(B, O->Def);
  if (Error E = B.takeError())
    return E;
  return Targets.size();
}

Expected<uint64_t>
mapMatchingOutputs(Module &M, const NamePattern &Match,
                   function_ref<Value *(IRBuilder &, Value *)> Map,
                   function_ref<Error(const Output &)> Check) {
  return mapSelectedOutputs(
      M, [&](const Output &O) { return Match.match(O.Name); }, Map, Check);
}

} // namespace ggufc
