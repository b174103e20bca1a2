//===- Squeeze.cpp - Dropping a size-1 axis of outputs --------------------===//
//
// squeeze<match=REGEX;axis=N>: every output whose whole name matches REGEX
// gets its value replaced by `squeeze` along axis N (source order). The axis
// must exist and have size 1 for every matching output; that is checked for
// all of them before anything changes.
//
//===----------------------------------------------------------------------===//
#include "Utils/MapOutputs.h"
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/IR/Printer.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"

using namespace llvm;

namespace ggufc {
namespace {

class SqueezePass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    const char *Example =
        "squeeze<match=blk\\..*\\.ssm_conv1d\\.weight;axis=1>";
    auto Opts = parsePassOptions("squeeze", Options, {"match", "axis"});
    if (!Opts)
      return Opts.takeError();
    Expected<NamePattern> P =
        requireRegexOption("squeeze", *Opts, "match", Example);
    if (!P)
      return P.takeError();
    Expected<int64_t> Axis =
        requireIndexOption("squeeze", *Opts, "axis", Example);
    if (!Axis)
      return Axis.takeError();
    return std::unique_ptr<Pass>(new SqueezePass(std::move(*P), *Axis));
  }

  Error run(Module &M, Statistics &Stats) override {
    auto Check = [&](const Output &O) -> Error {
      const Shape &Dims = O.Def->Type.Dims;
      if (Axis < int64_t(Dims.size()) && Dims[Axis] == 1)
        return Error::success();
      return createStringError(
          inconvertibleErrorCode(),
          "cannot squeeze axis %lld of tensor '%s' of type %s: the axis "
          "must exist and have size 1",
          (long long)Axis, O.Name.c_str(), formatType(O.Def->Type).c_str());
    };
    Expected<uint64_t> N = mapMatchingOutputs(
        M, Match, [&](IRBuilder &B, Value *V) { return B.squeeze(V, Axis); },
        Check);
    if (!N)
      return N.takeError();
    Stats.add("squeeze", "tensors squeezed", *N);
    return Error::success();
  }

private:
  SqueezePass(NamePattern Match, int64_t Axis)
      : Match(std::move(Match)), Axis(Axis) {}
  NamePattern Match;
  int64_t Axis;
};

} // namespace

static RegisterPass<SqueezePass> X("squeeze",
                                   "remove a size-1 axis from matching outputs "
                                   "(squeeze<match=REGEX;axis=N>)");

} // namespace ggufc
