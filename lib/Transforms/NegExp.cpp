//===- NegExp.cpp - Decay rates from their logarithms ---------------------===//
//
// neg-exp<match=REGEX>: every output whose whole name matches REGEX gets
// its value replaced by `neg_exp` (-exp(x), as f32). Mamba-style state
// space layers store A_log = log(-A); llama.cpp wants A itself (ssm_a).
//
//===----------------------------------------------------------------------===//
#include "Utils/MapOutputs.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/PassOptionValues.h"

using namespace llvm;

namespace ggufc {
namespace {

class NegExpPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions("neg-exp", Options, {"match"});
    if (!Opts)
      return Opts.takeError();
    Expected<NamePattern> P = requireRegexOption(
        "neg-exp", *Opts, "match", "neg-exp<match=blk\\.[0-9]+\\.ssm_a>");
    if (!P)
      return P.takeError();
    return std::unique_ptr<Pass>(new NegExpPass(std::move(*P)));
  }

  Error run(Module &M, Statistics &Stats) override {
    Expected<uint64_t> N = mapMatchingOutputs(
        M, Match, [](IRBuilder &B, Value *V) { return B.negExp(V); });
    if (!N)
      return N.takeError();
    Stats.add("neg-exp", "tensors negated and exponentiated", *N);
    return Error::success();
  }

private:
  explicit NegExpPass(NamePattern Match) : Match(std::move(Match)) {}
  NamePattern Match;
};

} // namespace

static RegisterPass<NegExpPass>
    X("neg-exp", "replace matching outputs x by -exp(x), e.g. A_log by A "
                 "(neg-exp<match=REGEX>)");

} // namespace ggufc
