//===- DeadCodeElimination.cpp - Removing values no output uses -------------===//
//
// dce: deletes every value no output reaches (passes that replace or drop
// outputs leave their old values behind), so printed IR shows only what
// will be computed.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Pass/Pass.h"

using namespace llvm;

namespace ggufc {
namespace {

class DeadCodeEliminationPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions("dce", Options, {});
    if (!Opts)
      return Opts.takeError();
    return std::make_unique<DeadCodeEliminationPass>();
  }

  Error run(Module &M, Statistics &Stats) override {
    Stats.add("dce", "values removed", M.removeDeadValues());
    return Error::success();
  }
};

} // namespace

static RegisterPass<DeadCodeEliminationPass>
    X("dce", "remove values that no output uses");

} // namespace ggufc
