//===- FoldConstants.cpp - Evaluating operations on constants ---------------===//
//
// fold-constants: every value whose operands are all (non-elided) `const`
// becomes a `const` holding its evaluated elements, with its dtype and shape
// unchanged; then values no output uses are removed. Values are visited in
// definition order, so a chain of operations on constants folds completely.
// This is what lets a lit test show the numbers a pass produces.
//
//===----------------------------------------------------------------------===//
#include "ggufc/IR/Evaluator.h"
#include "ggufc/Pass/Pass.h"
#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace ggufc {
namespace {

bool isEvaluableConstant(const Value *V) {
  return V->Op == Opcode::Const && !V->DataElided;
}

/// Turns V into a constant in place: users keep pointing at it, and its
/// position (which keeps operands before users) does not change.
void replaceWithConstant(Value &V, std::vector<float> Data) {
  Value Folded(Opcode::Const);
  Folded.Type = V.Type;
  Folded.Id = V.Id;
  Folded.Data = std::move(Data);
  V = std::move(Folded);
}

class FoldConstantsPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions("fold-constants", Options, {});
    if (!Opts)
      return Opts.takeError();
    return std::make_unique<FoldConstantsPass>();
  }

  Error run(Module &M, Statistics &Stats) override {
    uint64_t Folded = 0;
    for (const std::unique_ptr<Value> &V : M.values()) {
      if (V->isLeaf() || !all_of(V->Operands, isEvaluableConstant))
        continue;
      std::vector<float> Data;
      if (Error E = evaluate(*V, /*Reader=*/nullptr, Data))
        return createStringError(inconvertibleErrorCode(),
                                 "cannot fold %%%u (%s): %s", V->Id,
                                 opcodeName(V->Op).str().c_str(),
                                 toString(std::move(E)).c_str());
      replaceWithConstant(*V, std::move(Data));
      ++Folded;
    }
    Stats.add("fold-constants", "values folded", Folded);
    Stats.add("fold-constants", "values removed", M.removeDeadValues());
    return Error::success();
  }
};

} // namespace

static RegisterPass<FoldConstantsPass>
    X("fold-constants",
      "evaluate operations whose operands are all constants, then remove "
      "unused values");

} // namespace ggufc
