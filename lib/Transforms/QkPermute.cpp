//===- QKPermute.cpp - Llama's rotary-half permutation of Q/K rows --------===//
//
// qk-permute<match=REGEX;heads=N>: HuggingFace Llama checkpoints keep the
// rows of each attention head as [first halves of the rotary pairs, second
// halves] (rotate_half RoPE), while llama.cpp's (and ollama's) normal RoPE
// rotates adjacent rows. So inside every head the two halves are
// interleaved: with W of shape [rows, ...] and d = rows / N / 2,
//   reshape [N, 2, d, ...] -> transpose axes 1 and 2 -> reshape [rows, ...]
// which moves row (h, half, i) to row (h, i, half). Every matching output
// must have rows divisible by 2N; all are checked before anything changes.
//
//===----------------------------------------------------------------------===//
#include "Utils/MapOutputs.h"
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/IR/Printer.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"
#include <numeric>

using namespace llvm;

namespace ggufc {
namespace {

class QKPermutePass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    const char *Example =
        "qk-permute<match=blk\\.[0-9]+\\.attn_q\\.weight;heads=32>";
    auto Opts = parsePassOptions("qk-permute", Options, {"match", "heads"});
    if (!Opts)
      return Opts.takeError();
    Expected<NamePattern> P =
        requireRegexOption("qk-permute", *Opts, "match", Example);
    if (!P)
      return P.takeError();
    Expected<int64_t> Heads =
        requireIndexOption("qk-permute", *Opts, "heads", Example);
    if (!Heads)
      return Heads.takeError();
    if (*Heads == 0)
      return createStringError(inconvertibleErrorCode(),
                               "pass 'qk-permute': option 'heads' must be "
                               "positive");
    return std::unique_ptr<Pass>(new QKPermutePass(std::move(*P), *Heads));
  }

  Error run(Module &M, Statistics &Stats) override {
    auto Check = [&](const Output &O) -> Error {
      const Shape &Dims = O.Def->Type.Dims;
      if (!Dims.empty() && Dims[0] % (2 * Heads) == 0)
        return Error::success();
      return createStringError(
          inconvertibleErrorCode(),
          "cannot permute the Q/K rows of tensor '%s' of type %s for %lld "
          "heads: its first dimension must be a multiple of 2 * heads",
          O.Name.c_str(), formatType(O.Def->Type).c_str(), (long long)Heads);
    };
    Expected<uint64_t> Permuted = mapMatchingOutputs(
        M, Match, [&](IRBuilder &B, Value *W) { return permuteRows(B, W); },
        Check);
    if (!Permuted)
      return Permuted.takeError();
    Stats.add("qk-permute", "tensors permuted", *Permuted);
    return Error::success();
  }

private:
  QKPermutePass(NamePattern Match, int64_t Heads)
      : Match(std::move(Match)), Heads(Heads) {}

  Value *permuteRows(IRBuilder &B, Value *W) const {
    const Shape &Dims = W->Type.Dims;
    Shape Split = {Heads, 2, Dims[0] / Heads / 2};
    Split.insert(Split.end(), Dims.begin() + 1, Dims.end());
    std::vector<int64_t> Perm(Split.size());
    std::iota(Perm.begin(), Perm.end(), 0);
    std::swap(Perm[1], Perm[2]);
    return B.reshape(B.transpose(B.reshape(W, Split), Perm), Dims);
  }

  NamePattern Match;
  int64_t Heads;
};

} // namespace

static RegisterPass<QKPermutePass>
    X("qk-permute", "interleave the rotary halves of each head's Q/K rows "
                    "for llama.cpp's RoPE (qk-permute<match=REGEX;heads=N>)");

} // namespace ggufc
