//===- PadVocab.cpp - One embedding row per token ----------------------------===//
//
// pad-vocab<match=REGEX>: llama.cpp requires token embedding tables to have
// exactly one row (source axis 0) per token of tokenizer.ggml.tokens. A
// checkpoint may have fewer: Gemma 3n's per-layer embedding table covers
// only the text vocabulary (262144 rows) while the token list includes the
// image and audio tokens (262400). Every matching output with fewer rows
// than tokens becomes `concat` of itself and a zero constant (the missing
// rows are never looked up by text); more rows than tokens is an error.
// Everything is checked before the module changes.
//
//===----------------------------------------------------------------------===//
#include "Utils/MapOutputs.h"
#include "ggufc/IR/Printer.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"

using namespace llvm;

namespace ggufc {
namespace {

constexpr const char *TokensKey = "tokenizer.ggml.tokens";

Error padError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg.str());
}

class PadVocabPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions("pad-vocab", Options, {"match"});
    if (!Opts)
      return Opts.takeError();
    Expected<NamePattern> P = requireRegexOption(
        "pad-vocab", *Opts, "match",
        "pad-vocab<match=per_layer_token_embd\\.weight>");
    if (!P)
      return P.takeError();
    return std::unique_ptr<Pass>(new PadVocabPass(std::move(*P)));
  }

  Error run(Module &M, Statistics &Stats) override {
    const MetaValue *Tokens = M.Meta.get(TokensKey);
    if (!Tokens || !Tokens->isArray())
      return padError(Twine("no ") + TokensKey +
                      " array: the number of rows to pad to is unknown");
    const int64_t NumTokens = int64_t(Tokens->size());

    // Tables that already have one row per token are left alone.
    auto Selected = [&](const Output &O) {
      const Shape &Dims = O.Def->Type.Dims;
      return Match.match(O.Name) && (Dims.empty() || Dims[0] != NumTokens);
    };
    auto Check = [&](const Output &O) -> Error {
      const TensorType &Ty = O.Def->Type;
      if (Ty.Dims.empty())
        return padError("tensor '" + O.Name + "' of type " + formatType(Ty) +
                        " has no rows to pad");
      if (Ty.Dims[0] > NumTokens)
        return padError("tensor '" + O.Name + "' of type " + formatType(Ty) +
                        " has more rows than the " + Twine(NumTokens) +
                        " tokens of " + TokensKey);
      return Error::success();
    };
    uint64_t RowsAdded = 0;
    auto Pad = [&](IRBuilder &B, Value *V) {
      TensorType Zeros = V->Type;
      Zeros.Dims[0] = NumTokens - Zeros.Dims[0];
      RowsAdded += Zeros.Dims[0];
      Value *Pad =
          B.constant(Zeros, std::vector<float>(Zeros.numElements(), 0));
      return B.concat({V, Pad}, 0);
    };
    Expected<uint64_t> N = mapSelectedOutputs(M, Selected, Pad, Check);
    if (!N)
      return N.takeError();
    Stats.add("pad-vocab", "tensors padded", *N);
    Stats.add("pad-vocab", "rows added", RowsAdded);
    return Error::success();
  }

private:
  explicit PadVocabPass(NamePattern Match) : Match(std::move(Match)) {}
  NamePattern Match;
};

} // namespace

static RegisterPass<PadVocabPass>
    X("pad-vocab", "pad embedding tables with zero rows to one row per token "
                   "(pad-vocab<match=REGEX>)");

} // namespace ggufc
