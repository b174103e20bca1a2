//===- ExpertFuse.cpp - MoE FFN weights in llama.cpp's layout -------------===//
//
// expert-fuse: llama.cpp wants each block's expert FFN as three tensors,
// blk.N.ffn_{gate,up,down}_exps.weight, of source shapes [E, I, H], [E, I, H]
// and [E, H, I] (E experts, H = embedding_length, I =
// expert_feed_forward_length, all read from the module's metadata).
// Checkpoints come in two layouts, which rename<arch> names:
//   - per expert: blk.N.ffn_{gate,up,down}_exps.{E}.weight, [I, H] / [H, I]
//     each, stacked in numeric expert order (the stack mechanism);
//   - fused (transformers v5): blk.N.ffn_gate_up_exps, gate and up halves of
//     one tensor, and blk.N.ffn_down_exps, either as nn.Linear weights
//     ([E, 2I, H] and [E, H, I]) or transposed ([E, H, 2I] and [E, I, H]).
//     The shapes decide which (they differ since I > 0); the halves are
//     slices, transposed when needed.
// Each block's three tensors take the place of its first expert output, in
// the order gate, up, down, so both layouts give the same module.
//
//===----------------------------------------------------------------------===//
#include "Utils/ArchMetadata.h"
#include "Utils/OutputGroups.h"
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/IR/Printer.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "llvm/ADT/StringMap.h"

using namespace llvm;

namespace ggufc {
namespace {

const char *const PassName = "expert-fuse";
const char *const Projections[] = {"gate", "up", "down"};
enum { Gate, Up, Down };

/// The expert tensors of one block, as found.
struct Block {
  std::string N;
  Optional<NumberedGroup> PerExpert[3];
  Optional<size_t> FusedGateUp, FusedDown;
  std::vector<size_t> Positions;
};

/// Hyperparameters from the metadata.
struct Sizes {
  int64_t Experts, Hidden, FF;
};

Error blockError(const Block &B, const Twine &Msg) {
  return createStringError(
      inconvertibleErrorCode(),
      ("cannot fuse the experts of block " + B.N + ": " + Msg).str());
}

std::string fusedName(StringRef N, StringRef What) {
  return ("blk." + N + ".ffn_" + What + "_exps").str();
}

/// "[4, 6, 8]".
std::string shapeText(const Shape &D) {
  std::string S = "[";
  for (size_t K = 0; K < D.size(); ++K)
    S += (K ? ", " : "") + std::to_string(D[K]);
  return S + "]";
}

/// How a block's experts are stored.
enum class Layout { PerExpert, FusedLinear, FusedTransposed };

class ExpertFusePass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions(PassName, Options, {});
    if (!Opts)
      return Opts.takeError();
    return std::unique_ptr<Pass>(new ExpertFusePass());
  }

  Error run(Module &M, Statistics &Stats) override;

private:
  Expected<std::vector<Block>> findBlocks(const Module &M) const;
  Expected<Sizes> readSizes(const Module &M) const;
  Expected<Layout> checkBlock(const Module &M, const Sizes &S,
                              const Block &B) const;
  Error checkPerExpert(const Module &M, const Sizes &S, const Block &B) const;
  Expected<Layout> checkFused(const Module &M, const Sizes &S,
                              const Block &B) const;
  std::vector<Value *> build(const Module &M, const Sizes &S, const Block &B,
                             Layout L, IRBuilder &Builder) const;
};

Expected<std::vector<Block>> ExpertFusePass::findBlocks(const Module &M) const {
  std::vector<Block> Blocks;
  StringMap<size_t> BlockOf;
  auto BlockFor = [&](const std::string &N) -> Block & {
    auto Ins = BlockOf.try_emplace(N, Blocks.size());
    if (Ins.second)
      Blocks.push_back(Block{N, {}, None, None, {}});
    return Blocks[Ins.first->second];
  };

  for (int P = Gate; P <= Down; ++P) {
    std::string Proj = Projections[P];
    Expected<NamePattern> Pattern =
        NamePattern::fromTemplate("blk.{N}.ffn_" + Proj + "_exps.{E}.weight");
    if (!Pattern)
      return Pattern.takeError();
    auto Groups =
        findNumberedGroups(M, *Pattern, "blk.{N}.ffn_" + Proj + "_exps.weight");
    if (!Groups)
      return Groups.takeError();
    for (NumberedGroup &G : *Groups) {
      Block &B = BlockFor(G.Values["N"]);
      append_range(B.Positions, G.Members);
      B.PerExpert[P] = std::move(G);
    }
  }

  Expected<NamePattern> GateUp =
      NamePattern::fromTemplate("blk.{N}.ffn_gate_up_exps");
  if (!GateUp)
    return GateUp.takeError();
  Expected<NamePattern> Down =
      NamePattern::fromTemplate("blk.{N}.ffn_down_exps");
  if (!Down)
    return Down.takeError();
  const std::vector<Output> &Outputs = M.outputs();
  for (size_t Pos = 0; Pos < Outputs.size(); ++Pos) {
    PlaceholderValues V;
    bool IsGateUp = GateUp->match(Outputs[Pos].Name, &V);
    if (!IsGateUp && !Down->match(Outputs[Pos].Name, &V))
      continue;
    Block &B = BlockFor(V["N"]);
    (IsGateUp ? B.FusedGateUp : B.FusedDown) = Pos;
    B.Positions.push_back(Pos);
  }
  return Blocks;
}

Expected<Sizes> ExpertFusePass::readSizes(const Module &M) const {
  Sizes S;
  const std::pair<int64_t *, const char *> Keys[] = {
      {&S.Experts, "expert_count"},
      {&S.Hidden, "embedding_length"},
      {&S.FF, "expert_feed_forward_length"}};
  for (const auto &[Field, Key] : Keys) {
    Expected<uint64_t> V = archMetaUInt(M, Key);
    if (!V)
      return V.takeError();
    if (*V == 0 || *V > uint64_t(INT32_MAX))
      return createStringError(inconvertibleErrorCode(),
                               "metadata '%s' is %llu, expected a positive "
                               "32-bit count",
                               Key, (unsigned long long)*V);
    *Field = int64_t(*V);
  }
  return S;
}

Error ExpertFusePass::checkPerExpert(const Module &M, const Sizes &S,
                                     const Block &B) const {
  for (int P = Gate; P <= Down; ++P) {
    if (!B.PerExpert[P])
      return blockError(B, "no tensor matching 'blk." + B.N + ".ffn_" +
                               Projections[P] + "_exps.{E}.weight'");
    const NumberedGroup &G = *B.PerExpert[P];
    if (int64_t(G.Members.size()) != S.Experts)
      return blockError(B, "found " + Twine(G.Members.size()) +
                               " tensors matching 'blk." + B.N + ".ffn_" +
                               Projections[P] + "_exps.{E}.weight', expected " +
                               Twine(S.Experts) + " (expert_count)");
    // nn.Linear weights: [out, in].
    Shape Want = P == Down ? Shape{S.Hidden, S.FF} : Shape{S.FF, S.Hidden};
    const Output &First = M.outputs()[G.Members.front()];
    if (First.Def->Type.Dims != Want)
      return blockError(B, "'" + First.Name + "' has type " +
                               formatType(First.Def->Type) + ", expected " +
                               shapeText(Want) + " (" +
                               (P == Down ? "H, I" : "I, H") +
                               " with H = embedding_length, I = "
                               "expert_feed_forward_length)");
  }
  return Error::success();
}

Expected<Layout> ExpertFusePass::checkFused(const Module &M, const Sizes &S,
                                            const Block &B) const {
  if (!B.FusedGateUp || !B.FusedDown)
    return blockError(
        B, "'" + fusedName(B.N, B.FusedGateUp ? "gate_up" : "down") +
               "' has no partner '" +
               fusedName(B.N, B.FusedGateUp ? "down" : "gate_up") + "'");
  const Output &GateUp = M.outputs()[*B.FusedGateUp];
  const Output &Down = M.outputs()[*B.FusedDown];
  int64_t E = S.Experts, H = S.Hidden, I = S.FF;
  // nn.Linear orientation (transformers' experts), or its transpose (x @ W,
  // as Qwen3-VL-MoE stores them). Since I > 0 at most one fits.
  Shape LinearGateUp{E, 2 * I, H}, LinearDown{E, H, I};
  Shape TransposedGateUp{E, H, 2 * I}, TransposedDown{E, I, H};
  const Shape &GU = GateUp.Def->Type.Dims, &D = Down.Def->Type.Dims;
  if (GU == LinearGateUp && D == LinearDown)
    return Layout::FusedLinear;
  if (GU == TransposedGateUp && D == TransposedDown)
    return Layout::FusedTransposed;
  return blockError(
      B, "'" + GateUp.Name + "' is " + formatType(GateUp.Def->Type) + " and '" +
             Down.Name + "' is " + formatType(Down.Def->Type) + "; expected " +
             shapeText(LinearGateUp) + " and " + shapeText(LinearDown) +
             " ([E, 2I, H] and [E, H, I]) or " + shapeText(TransposedGateUp) +
             " and " + shapeText(TransposedDown) +
             " ([E, H, 2I] and [E, I, H]) with E = expert_count, H = "
             "embedding_length, I = expert_feed_forward_length");
}

Expected<Layout> ExpertFusePass::checkBlock(const Module &M, const Sizes &S,
                                            const Block &B) const {
  bool PerExpert = B.PerExpert[Gate] || B.PerExpert[Up] || B.PerExpert[Down];
  if (!PerExpert)
    return checkFused(M, S, B);
  if (B.FusedGateUp || B.FusedDown)
    return blockError(B, "it has both per-expert and fused expert tensors");
  if (Error E = checkPerExpert(M, S, B))
    return E;
  return Layout::PerExpert;
}

/// The gate, up and down values of a checked block.
std::vector<Value *> ExpertFusePass::build(const Module &M, const Sizes &S,
                                           const Block &B, Layout L,
                                           IRBuilder &Builder) const {
  const std::vector<Output> &Outputs = M.outputs();
  if (L == Layout::PerExpert) {
    std::vector<Value *> Fused;
    for (int P = Gate; P <= Down; ++P) {
      std::vector<Value *> Parts;
      for (size_t Pos : B.PerExpert[P]->Members)
        Parts.push_back(Outputs[Pos].Def);
      Fused.push_back(Builder.stack(Parts, /*Axis=*/0));
    }
    return Fused;
  }
  bool Transposed = L == Layout::FusedTransposed;
  std::vector<Value *> Fused = Builder.split(Outputs[*B.FusedGateUp].Def,
                                             Transposed ? 2 : 1, {S.FF, S.FF});
  Fused.push_back(Outputs[*B.FusedDown].Def);
  if (Transposed)
    for (Value *&V : Fused)
      V = Builder.transpose(V, {0, 2, 1});
  return Fused;
}

Error ExpertFusePass::run(Module &M, Statistics &Stats) {
  Expected<std::vector<Block>> Blocks = findBlocks(M);
  if (!Blocks)
    return Blocks.takeError();
  if (Blocks->empty())
    return Error::success();
  Expected<Sizes> S = readSizes(M);
  if (!S)
    return S.takeError();

  // Everything, including the new names, is checked before the module
  // changes.
  std::vector<Layout> Layouts;
  std::vector<OutputReplacement> Rs;
  for (const Block &B : *Blocks) {
    Expected<Layout> L = checkBlock(M, *S, B);
    if (!L)
      return L.takeError();
    Layouts.push_back(*L);
    OutputReplacement R{B.Positions, {}};
    for (int P = Gate; P <= Down; ++P) {
      Optional<StorageType> Storage =
          *L == Layout::PerExpert
              ? commonStorageType(M, B.PerExpert[P]->Members)
              : M.outputs()[P == Down ? *B.FusedDown : *B.FusedGateUp].Type;
      R.Added.push_back(
          Output{fusedName(B.N, Projections[P]) + ".weight", nullptr, Storage});
    }
    Rs.push_back(std::move(R));
  }
  if (Optional<std::string> Taken = findTakenName(M, Rs))
    return createStringError(inconvertibleErrorCode(),
                             "cannot fuse experts into '%s': an output of that "
                             "name already exists",
                             Taken->c_str());

  IRBuilder Builder(M);
  uint64_t Stacked = 0;
  for (size_t K = 0; K < Rs.size(); ++K) {
    std::vector<Value *> Values =
        build(M, *S, (*Blocks)[K], Layouts[K], Builder);
    for (int P = Gate; P <= Down && P < int(Values.size()); ++P)
      Rs[K].Added[P].Def = Values[P];
    Stacked += Layouts[K] == Layout::PerExpert;
  }
  if (Error E = Builder.takeError())
    return E;
  replaceOutputs(M, std::move(Rs));

  Stats.add(PassName, "blocks stacked from per-expert tensors", Stacked);
  Stats.add(PassName, "blocks split from fused tensors",
            Blocks->size() - Stacked);
  return Error::success();
}

} // namespace

static RegisterPass<ExpertFusePass>
    X(PassName, "join per-expert or split fused MoE FFN weights into "
                "blk.N.ffn_{gate,up,down}_exps.weight");

} // namespace ggufc
