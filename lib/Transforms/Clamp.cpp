//===- Clamp.cpp - Bounding the values of outputs ------------------------------===//
//
// clamp<match=REGEX;min=LO;max=HI>: every output whose whole name matches
// REGEX gets its value replaced by `clamp %x, LO, HI` (computed and stored
// as f32). Gemma 3n's AltUp coefficients are bounded this way by
// altup_coef_clip; the architecture writes the bound into its pipeline, so
// the printed pipeline shows it.
//
//===----------------------------------------------------------------------===//
#include "Utils/MapOutputs.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"

using namespace llvm;

namespace ggufc {
namespace {

class ClampPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    const char *Example = "clamp<match=blk\\..*\\.altup_predict_coef\\.weight;"
                          "min=-120;max=120>";
    auto Opts = parsePassOptions("clamp", Options, {"match", "min", "max"});
    if (!Opts)
      return Opts.takeError();
    Expected<NamePattern> P =
        requireRegexOption("clamp", *Opts, "match", Example);
    if (!P)
      return P.takeError();
    Expected<double> Lo = requireNumberOption("clamp", *Opts, "min", Example);
    if (!Lo)
      return Lo.takeError();
    Expected<double> Hi = requireNumberOption("clamp", *Opts, "max", Example);
    if (!Hi)
      return Hi.takeError();
    if (*Lo > *Hi)
      return createStringError(inconvertibleErrorCode(),
                               "pass 'clamp': min %g is greater than max %g",
                               *Lo, *Hi);
    return std::unique_ptr<Pass>(new ClampPass(std::move(*P), *Lo, *Hi));
  }

  Error run(Module &M, Statistics &Stats) override {
    Expected<uint64_t> N = mapMatchingOutputs(
        M, Match, [&](IRBuilder &B, Value *V) { return B.clamp(V, Lo, Hi); });
    if (!N)
      return N.takeError();
    Stats.add("clamp", "tensors clamped", *N);
    return Error::success();
  }

private:
  ClampPass(NamePattern Match, double Lo, double Hi)
      : Match(std::move(Match)), Lo(Lo), Hi(Hi) {}
  NamePattern Match;
  double Lo, Hi;
};

} // namespace

static RegisterPass<ClampPass>
    X("clamp", "bound the values of matching outputs to [min, max] "
               "(clamp<match=REGEX;min=LO;max=HI>)");

} // namespace ggufc
