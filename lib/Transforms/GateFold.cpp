//===- GateFold.cpp - Applying tanh to learned gates ahead of time --------===//
//
// gate-fold<match=REGEX;split=NAME;split-to=NEW>: some models keep a gate g
// as a raw parameter and multiply by tanh(g) at run time; a runtime that
// uses the stored gate as the multiplier needs tanh(g) stored instead.
//   - every output whose whole name matches REGEX becomes tanh(g);
//   - the output NAME is a gate shared by two terms weighted 1 - tanh(g)
//     and tanh(g) (Mllama's position / tile position embeddings): NAME
//     becomes 1 - tanh(g) and a new output NEW, right after it, holds
//     tanh(g).
// Everything is checked before the module changes.
//
//===----------------------------------------------------------------------===//
#include "Utils/MapOutputs.h"
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"
#include "llvm/ADT/Optional.h"

using namespace llvm;

namespace ggufc {
namespace {

Error gateFoldError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(),
                           ("pass 'gate-fold': " + Msg).str());
}

/// A gate shared between two terms: Name gets 1 - tanh(g), To gets tanh(g).
struct SplitGate {
  std::string Name, To;
};

class GateFoldPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts =
        parsePassOptions("gate-fold", Options, {"match", "split", "split-to"});
    if (!Opts)
      return Opts.takeError();
    auto MatchOpt = optionalRegexOption(*Opts, "match");
    if (!MatchOpt)
      return MatchOpt.takeError();
    Optional<NamePattern> Match = std::move(*MatchOpt);
    Optional<SplitGate> Split;
    bool HasSplit = Opts->count("split"), HasTo = Opts->count("split-to");
    if (HasSplit != HasTo)
      return gateFoldError("options 'split' and 'split-to' go together, e.g. "
                           "split=v.position_embd.gate;split-to=v.tile_"
                           "position_embd.gate");
    if (HasSplit)
      Split = SplitGate{Opts->at("split"), Opts->at("split-to")};
    if (!Match && !Split)
      return gateFoldError("needs option 'match' or 'split', e.g. "
                           "gate-fold<match=.*\\.attn_gate>");
    return std::unique_ptr<Pass>(
        new GateFoldPass(std::move(Match), std::move(Split)));
  }

  Error run(Module &M, Statistics &Stats) override {
    std::vector<Output> &Outputs = M.outputs();
    Optional<size_t> SplitPos;
    if (Split) {
      for (size_t I = 0; I < Outputs.size(); ++I) {
        if (Outputs[I].Name == Split->To)
          return gateFoldError("cannot add output '" + Split->To +
                               "': the module already has one");
        if (Outputs[I].Name == Split->Name)
          SplitPos = I;
      }
      if (!SplitPos)
        return gateFoldError("no tensor named '" + Split->Name + "' to split");
    }
    if (Match) {
      auto NotSplit = [&](const Output &O) -> Error {
        // tanh(g) would be folded twice.
        if (Split && O.Name == Split->Name)
          return gateFoldError("tensor '" + O.Name +
                               "' is both matched and split");
        return Error::success();
      };
      Expected<uint64_t> Folded = mapMatchingOutputs(
          M, *Match, [](IRBuilder &B, Value *G) { return B.tanh(G); },
          NotSplit);
      if (!Folded)
        return Folded.takeError();
      Stats.add("gate-fold", "gates folded", *Folded);
    }
    if (SplitPos) {
      IRBuilder B(M);
      Value *Tanh = B.tanh(Outputs[*SplitPos].Def);
      Outputs[*SplitPos].Def = B.oneMinus(Tanh);
      Output Copy;
      Copy.Name = Split->To;
      Copy.Def = Tanh;
      Outputs.insert(Outputs.begin() + *SplitPos + 1, std::move(Copy));
      if (Error E = B.takeError())
        return E;
      Stats.add("gate-fold", "gates split", 1);
    }
    return Error::success();
  }

private:
  GateFoldPass(Optional<NamePattern> Match, Optional<SplitGate> Split)
      : Match(std::move(Match)), Split(std::move(Split)) {}

  Optional<NamePattern> Match;
  Optional<SplitGate> Split;
};

} // namespace

static RegisterPass<GateFoldPass>
    X("gate-fold", "store tanh of learned gates; split a shared gate into "
                   "1 - tanh and tanh (gate-fold<match=REGEX;split=NAME;"
                   "split-to=NEW>)");

} // namespace ggufc
