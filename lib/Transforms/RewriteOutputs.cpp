//===- RewriteOutputs.cpp - Replacing the values of selected outputs ------===//
#include "ggufc/Transforms/RewriteOutputs.h"

using namespace llvm;

namespace ggufc {

Expected<uint64_t>
rewriteMatchingOutputs(Module &M, const NamePattern &Match,
                       function_ref<Error(const Output &)> Check,
                       function_ref<Value *(IRBuilder &, Value *)> Rewrite) {
  std::vector<Output *> Targets;
  for (Output &O : M.outputs()) {
    if (!Match.match(O.Name))
      continue;
    if (Error E = Check(O))
      return E;
    Targets.push_back(&O);
  }
  IRBuilder B(M);
  for (Output *O : Targets)
    O->Def = Rewrite(B, O->Def);
  if (Error E = B.takeError())
    return E;
  return Targets.size();
}

} // namespace ggufc
