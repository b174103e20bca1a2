//===- Drop.cpp - Removing outputs by name --------------------------------===//
//
// drop<match=REGEX>: removes the outputs whose whole name matches REGEX
// (POSIX extended). Their values stay until dce or fold-constants removes
// them.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"

using namespace llvm;

namespace ggufc {
namespace {

class DropPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions("drop", Options, {"match"});
    if (!Opts)
      return Opts.takeError();
    Expected<NamePattern> P =
        requireRegexOption("drop", *Opts, "match", "drop<match=.*\\.inv_freq>");
    if (!P)
      return P.takeError();
    return std::unique_ptr<Pass>(new DropPass(std::move(*P)));
  }

  Error run(Module &M, Statistics &Stats) override {
    unsigned Dropped =
        M.removeOutputsIf([&](const Output &O) { return Match.match(O.Name); });
    Stats.add("drop", "tensors dropped", Dropped);
    return Error::success();
  }

private:
  explicit DropPass(NamePattern Match) : Match(std::move(Match)) {}
  NamePattern Match;
};

} // namespace

static RegisterPass<DropPass>
    X("drop", "remove outputs whose name matches a regex (drop<match=REGEX>)");

} // namespace ggufc
