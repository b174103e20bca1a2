//===- QKVZSplit.cpp - Qwen3-Next's linear-attention input projection -----===//
//
// qkvz-split: Qwen3-Next's Gated DeltaNet projects the input with one
// matrix, in_proj_qkvz (renamed blk.N.ssm_in.weight), whose rows are grouped
// by key head: for each of the nk key heads, its query rows (hk), key rows
// (hk), then the value rows (r * hv) and gate rows (r * hv) of the r = nv /
// nk value heads that share it. llama.cpp wants all queries, then all keys,
// then all values in one tensor, blk.N.attn_qkv.weight, and the gate rows
// apart, blk.N.attn_gate.weight. In the IR: reshape to [nk, D, H], split
// axis 1 into the four parts, flatten each, concat q, k, v.
// The sizes come from the metadata llama.cpp reads: ssm.group_count (nk),
// ssm.time_step_rank (nv), ssm.state_size (hk), ssm.inner_size (nv * hv).
//
//===----------------------------------------------------------------------===//
#include "Utils/ArchMetadata.h"
#include "Utils/OutputGroups.h"
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/IR/Printer.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"

using namespace llvm;

namespace ggufc {
namespace {

const char *const PassName = "qkvz-split";

/// Head counts and sizes of the linear-attention layers.
struct Heads {
  int64_t KeyHeads, ValueHeads, KeyDim, ValueDim;
  int64_t valuesPerKey() const { return ValueHeads / KeyHeads; }
  /// Rows of one key head's group: q, k, v, z.
  int64_t groupRows() const {
    return 2 * KeyDim + 2 * valuesPerKey() * ValueDim;
  }
};

Error splitError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg.str());
}

Expected<Heads> readHeads(const Module &M) {
  uint64_t V[4];
  const char *Keys[] = {"ssm.group_count", "ssm.time_step_rank",
                        "ssm.state_size", "ssm.inner_size"};
  for (int K = 0; K < 4; ++K) {
    Expected<uint64_t> X = archMetaUInt(M, Keys[K]);
    if (!X)
      return X.takeError();
    if (*X == 0 || *X > uint64_t(INT32_MAX))
      return splitError("metadata '" + Twine(Keys[K]) + "' is " + Twine(*X) +
                        ", expected a positive 32-bit count");
    V[K] = *X;
  }
  if (V[1] % V[0] != 0)
    return splitError("ssm.time_step_rank (" + Twine(V[1]) +
                      " value heads) is not a multiple of ssm.group_count (" +
                      Twine(V[0]) + " key heads)");
  if (V[3] % V[1] != 0)
    return splitError("ssm.inner_size (" + Twine(V[3]) +
                      ") is not a multiple of ssm.time_step_rank (" +
                      Twine(V[1]) + ")");
  return Heads{int64_t(V[0]), int64_t(V[1]), int64_t(V[2]),
               int64_t(V[3] / V[1])};
}

class QKVZSplitPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions(PassName, Options, {});
    if (!Opts)
      return Opts.takeError();
    return std::unique_ptr<Pass>(new QKVZSplitPass());
  }

  Error run(Module &M, Statistics &Stats) override {
    Expected<NamePattern> Pattern =
        NamePattern::fromTemplate("blk.{N}.ssm_in.weight");
    if (!Pattern)
      return Pattern.takeError();
    std::vector<OutputReplacement> Rs;
    Optional<Heads> H;
    for (size_t Pos = 0; Pos < M.outputs().size(); ++Pos) {
      const Output &O = M.outputs()[Pos];
      PlaceholderValues V;
      if (!Pattern->match(O.Name, &V))
        continue;
      if (!H) {
        Expected<Heads> Read = readHeads(M);
        if (!Read)
          return Read.takeError();
        H = *Read;
      }
      const Shape &Dims = O.Def->Type.Dims;
      int64_t Rows = H->KeyHeads * H->groupRows();
      if (Dims.size() != 2 || Dims[0] != Rows)
        return splitError(
            "cannot split '" + O.Name + "' of type " + formatType(O.Def->Type) +
            ": expected " + Twine(Rows) + " rows, " + Twine(H->KeyHeads) +
            " key heads x (2 x " + Twine(H->KeyDim) + " + 2 x " +
            Twine(H->valuesPerKey()) + " x " + Twine(H->ValueDim) +
            ") (ssm.group_count x (2 x ssm.state_size + 2 x value heads per "
            "key head x value head size))");
      std::string Block = "blk." + V["N"];
      Rs.push_back({{Pos},
                    {Output{Block + ".attn_qkv.weight", nullptr, O.Type},
                     Output{Block + ".attn_gate.weight", nullptr, O.Type}}});
    }
    if (Optional<std::string> Taken = findTakenName(M, Rs))
      return splitError("cannot split into '" + *Taken +
                        "': an output of that name already exists");

    IRBuilder B(M);
    for (OutputReplacement &R : Rs) {
      Value *X = M.outputs()[R.Removed.front()].Def;
      int64_t Hidden = X->Type.Dims[1];
      int64_t QK = H->KeyHeads * H->KeyDim;
      int64_t VZ = H->ValueHeads * H->ValueDim;
      Value *Grouped = B.reshape(X, {H->KeyHeads, H->groupRows(), Hidden});
      int64_t Part = H->valuesPerKey() * H->ValueDim;
      std::vector<Value *> P =
          B.split(Grouped, 1, {H->KeyDim, H->KeyDim, Part, Part});
      if (P.size() != 4)
        break; // the builder recorded why
      Value *Q = B.reshape(P[0], {QK, Hidden});
      Value *K = B.reshape(P[1], {QK, Hidden});
      Value *Vs = B.reshape(P[2], {VZ, Hidden});
      R.Added[0].Def = B.concat({Q, K, Vs}, 0);
      R.Added[1].Def = B.reshape(P[3], {VZ, Hidden});
    }
    if (Error E = B.takeError())
      return E;
    Stats.add(PassName, "projections split", Rs.size());
    replaceOutputs(M, std::move(Rs));
    return Error::success();
  }
};

} // namespace

static RegisterPass<QKVZSplitPass>
    X(PassName, "split Qwen3-Next's in_proj_qkvz (blk.N.ssm_in.weight) into "
                "attn_qkv (all q, k, v) and attn_gate (z)");

} // namespace ggufc
