//===- MapOutputs.cpp - Rewriting outputs selected by name ----------------===//
#include "MapOutputs.h"

using namespace llvm;

namespace ggufc {

Expected<uint64_t>
mapMatchingOutputs(Module &M, const NamePattern &Match,
                   function_ref<Value *(IRBuilder &, Value *)> Map,
                   function_ref<Error(const Output &)> Check) {
  std::vector<Output *> Targets;
  for (Output &O : M.outputs()) {
    if (!Match.match(O.Name))
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

} // namespace ggufc
