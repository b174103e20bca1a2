//===- SparsityQuantile.cpp - Activation sparsity as normal quantiles --------===//
//
// sparsity-quantile<from=KEY;to=KEY>: Gemma 3n keeps the top (1 - p) of each
// layer's gate activations, cutting at mean + std * z where z is the
// standard normal quantile of the layer's target sparsity p. The config
// gives p per layer (activation_sparsity_pattern); llama.cpp wants z
// (gemma3n.activation_sparsity_scale). The frontend stores p as metadata
// KEY `from` (f64, as written in config.json); this pass replaces it, in
// place, by metadata `to`: z for every p, computed in double precision with
// Boost.Math and rounded to float32. p = 0 gives -inf and p = 1 gives +inf
// (no cut-off / everything cut); p outside [0, 1] is an error.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/PassOptionValues.h"
#include "ggufc/Support/Format.h"
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

using namespace llvm;

namespace ggufc {
namespace {

// Report problems through the checks below, never by throwing.
using NoThrow = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>>;

double standardNormalQuantile(double P) {
  if (P == 0)
    return -std::numeric_limits<double>::infinity();
  if (P == 1)
    return std::numeric_limits<double>::infinity();
  return boost::math::quantile(boost::math::normal_distribution<double, NoThrow>(),
                               P);
}

// The pass manager names the pass in front of these.
Error quantileError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg.str());
}

class SparsityQuantilePass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    const char *Example =
        "sparsity-quantile<from=gemma3n.activation_sparsity_pattern;"
        "to=gemma3n.activation_sparsity_scale>";
    auto Opts = parsePassOptions("sparsity-quantile", Options, {"from", "to"});
    if (!Opts)
      return Opts.takeError();
    Expected<std::string> From =
        requireOption("sparsity-quantile", *Opts, "from", Example);
    if (!From)
      return From.takeError();
    Expected<std::string> To =
        requireOption("sparsity-quantile", *Opts, "to", Example);
    if (!To)
      return To.takeError();
    return std::unique_ptr<Pass>(new SparsityQuantilePass(*From, *To));
  }

  Error run(Module &M, Statistics &Stats) override {
    const MetaValue *Pattern = M.Meta.get(From);
    if (!Pattern)
      return quantileError("no metadata key '" + From + "'");
    if (!Pattern->isArray() || !isFloatMetaType(Pattern->elemType()) ||
        Pattern->isElided())
      return quantileError("metadata '" + From +
                           "' is not an array of probabilities (f32 or f64)");
    if (To != From && M.Meta.contains(To))
      return quantileError("metadata '" + To + "' already exists");

    std::vector<double> Scales;
    const std::vector<double> &Ps = Pattern->floatValues();
    for (size_t I = 0; I < Ps.size(); ++I) {
      if (!(Ps[I] >= 0 && Ps[I] <= 1)) {
        std::string Text;
        raw_string_ostream OS(Text);
        printDouble(OS, Ps[I]);
        return quantileError("metadata '" + From + "' element " + Twine(I) +
                             " is " + OS.str() +
                             ", not a probability in [0, 1]");
      }
      Scales.push_back(standardNormalQuantile(Ps[I]));
    }

    // Rebuild the metadata so that `to` takes the place of `from`.
    Metadata Out;
    for (const Metadata::Entry &E : M.Meta.entries())
      if (E.first == From)
        Out.set(To, MetaValue::floatArray(MetaType::F32, Scales));
      else
        Out.set(E.first, E.second);
    M.Meta = std::move(Out);
    Stats.add("sparsity-quantile", "sparsity values converted", Scales.size());
    return Error::success();
  }

private:
  SparsityQuantilePass(std::string From, std::string To)
      : From(std::move(From)), To(std::move(To)) {}
  std::string From, To;
};

} // namespace

static RegisterPass<SparsityQuantilePass>
    X("sparsity-quantile",
      "replace per-layer activation sparsity probabilities by standard normal "
      "quantiles (sparsity-quantile<from=KEY;to=KEY>)");

} // namespace ggufc
