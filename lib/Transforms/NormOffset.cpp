//===- NormOffset.cpp - RMSNorm weights stored as offsets from one -----------===//
//
// norm-offset<match=REGEX;exclude=REGEX>: Gemma-style RMSNorm multiplies by
// (1 + w), and checkpoints store w; llama.cpp multiplies by the stored
// weight, so the converter stores 1 + w. Every output whose whole name
// matches `match` (default: every `*_norm.weight`) and not `exclude` gets
// its value replaced by `add %w, 1`, computed in f32 and stored as F32
// (rounding 1 + w back to bf16 would lose the bits that made w small).
//
//===----------------------------------------------------------------------===//
#include "Utils/MapOutputs.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"

using namespace llvm;

namespace ggufc {
namespace {

constexpr const char *DefaultMatch = R"(.*_norm\.weight)";

class NormOffsetPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions("norm-offset", Options, {"match", "exclude"});
    if (!Opts)
      return Opts.takeError();
    auto Match = optionalRegexOption(*Opts, "match");
    if (!Match)
      return Match.takeError();
    auto Exclude = optionalRegexOption(*Opts, "exclude");
    if (!Exclude)
      return Exclude.takeError();
    NamePattern Selected = *Match ? std::move(**Match)
                                  : cantFail(NamePattern::fromRegex(DefaultMatch));
    return std::unique_ptr<Pass>(
        new NormOffsetPass(std::move(Selected), std::move(*Exclude)));
  }

  Error run(Module &M, Statistics &Stats) override {
    auto Selected = [&](const Output &O) {
      return Match.match(O.Name) && !(Exclude && Exclude->match(O.Name));
    };
    Expected<uint64_t> N = mapSelectedOutputs(
        M, Selected, [](IRBuilder &B, Value *V) { return B.addScalar(V, 1.0); });
    if (!N)
      return N.takeError();
    // The sum is f32; keep it so (rounding 1 + w to bf16 loses w's bits).
    for (Output &O : M.outputs())
      if (Selected(O))
        O.Type = StorageType::F32;
    Stats.add("norm-offset", "norm weights offset by one", *N);
    return Error::success();
  }

private:
  NormOffsetPass(NamePattern Match, Optional<NamePattern> Exclude)
      : Match(std::move(Match)), Exclude(std::move(Exclude)) {}
  NamePattern Match;
  Optional<NamePattern> Exclude;
};

} // namespace

static RegisterPass<NormOffsetPass>
    X("norm-offset", "add 1.0 to RMSNorm weights stored as offsets from one "
                     "(norm-offset<match=REGEX;exclude=REGEX>)");

} // namespace ggufc
