//===- MTPBlocks.cpp - Multi-token prediction layers as extra blocks ------===//
//
// mtp-blocks: Qwen3-Next (and Qwen3.5) checkpoints keep their multi-token
// prediction (MTP) layers apart, under mtp.*. llama.cpp loads them as the
// last n blocks of the model, L .. L+n-1 (block_count = L + n,
// nextn_predict_layers = n, both read from the metadata), with the layers'
// own extra tensors under blk.N.nextn.*. This pass renames them, still in
// HuggingFace spelling (DeepSeek-V3's, whose checkpoints number MTP layers
// this way), so that the rename table treats them like every other block:
//   mtp.layers.J.REST            -> model.layers.(L+J).REST
//   mtp.fc                       -> model.layers.(L+j).eh_proj
//   mtp.pre_fc_norm_embedding    -> model.layers.(L+j).enorm
//   mtp.pre_fc_norm_hidden       -> model.layers.(L+j).hnorm
//   mtp.norm, mtp.shared_head.norm -> model.layers.(L+j).shared_head.norm
//   mtp.shared_head.head         -> model.layers.(L+j).shared_head.head
//   mtp.embed_tokens             -> model.layers.(L+j).embed_tokens
// The shared tensors go to every MTP block j (llama.cpp requires them in
// each). Other mtp.* names are left for rename to report.
//
//===----------------------------------------------------------------------===//
#include "Utils/ArchMetadata.h"
#include "Utils/OutputGroups.h"
#include "ggufc/Pass/Pass.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace ggufc {
namespace {

const char *const PassName = "mtp-blocks";

/// mtp.<From> -> model.layers.B.<To> for every MTP block B.
const std::pair<const char *, const char *> SharedStems[] = {
    {"fc", "eh_proj"},
    {"pre_fc_norm_embedding", "enorm"},
    {"pre_fc_norm_hidden", "hnorm"},
    {"norm", "shared_head.norm"},
    {"shared_head.norm", "shared_head.norm"},
    {"shared_head.head", "shared_head.head"},
    {"embed_tokens", "embed_tokens"},
};

Error mtpError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg.str());
}

std::string blockName(uint64_t Block, StringRef Rest) {
  return ("model.layers." + Twine(Block) + "." + Rest).str();
}

/// The new names of MTP tensor Name (after "mtp."), for MTP blocks First ..
/// First+Count-1; none if llama.cpp does not know it.
Expected<std::vector<std::string>> newNames(StringRef Name, uint64_t First,
                                            uint64_t Count) {
  StringRef Rest = Name.drop_front(strlen("mtp."));
  if (Rest.consume_front("layers.")) {
    StringRef Digits = Rest.take_while(isDigit);
    StringRef Tail = Rest.drop_front(Digits.size());
    uint64_t Layer = 0;
    if (Digits.empty() || Digits.getAsInteger(10, Layer) ||
        !Tail.consume_front("."))
      return std::vector<std::string>();
    if (Layer >= Count)
      return mtpError("'" + Name + "' is in MTP layer " + Twine(Layer) +
                      ", but nextn_predict_layers is " + Twine(Count));
    return std::vector<std::string>{blockName(First + Layer, Tail)};
  }
  for (const auto &[From, To] : SharedStems) {
    StringRef Suffix = Rest;
    if (!Suffix.consume_front(From) ||
        !(Suffix.empty() || Suffix.startswith(".")))
      continue;
    std::vector<std::string> Names;
    for (uint64_t J = 0; J < Count; ++J)
      Names.push_back(blockName(First + J, (To + Suffix).str()));
    return Names;
  }
  return std::vector<std::string>();
}

class MTPBlocksPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options) {
    auto Opts = parsePassOptions(PassName, Options, {});
    if (!Opts)
      return Opts.takeError();
    return std::unique_ptr<Pass>(new MTPBlocksPass());
  }

  Error run(Module &M, Statistics &Stats) override {
    std::vector<size_t> Found;
    for (size_t Pos = 0; Pos < M.outputs().size(); ++Pos)
      if (StringRef(M.outputs()[Pos].Name).startswith("mtp."))
        Found.push_back(Pos);
    if (Found.empty())
      return Error::success();

    Expected<uint64_t> Blocks = archMetaUInt(M, "block_count");
    if (!Blocks)
      return Blocks.takeError();
    Expected<uint64_t> MTP = archMetaUInt(M, "nextn_predict_layers", 0);
    if (!MTP)
      return MTP.takeError();
    if (*MTP == 0)
      return mtpError("found MTP tensors ('" + M.outputs()[Found[0]].Name +
                      "') but the metadata declares no nextn_predict_layers");
    if (*MTP > *Blocks)
      return mtpError("nextn_predict_layers (" + Twine(*MTP) +
                      ") exceeds block_count (" + Twine(*Blocks) + ")");

    std::vector<OutputReplacement> Rs;
    for (size_t Pos : Found) {
      const Output &O = M.outputs()[Pos];
      Expected<std::vector<std::string>> Names =
          newNames(O.Name, *Blocks - *MTP, *MTP);
      if (!Names)
        return Names.takeError();
      if (Names->empty())
        continue; // rename reports names it does not know
      OutputReplacement R{{Pos}, {}};
      for (std::string &N : *Names)
        R.Added.push_back(Output{std::move(N), O.Def, O.Type});
      Rs.push_back(std::move(R));
    }
    if (Optional<std::string> Taken = findTakenName(M, Rs))
      return mtpError("cannot move an MTP tensor to '" + *Taken +
                      "': an output of that name already exists");
    Stats.add(PassName, "MTP tensors moved", Rs.size());
    replaceOutputs(M, std::move(Rs));
    return Error::success();
  }
};

} // namespace

static RegisterPass<MTPBlocksPass>
    X(PassName, "move Qwen-style multi-token prediction tensors (mtp.*) to "
                "the extra blocks after the model's own, as llama.cpp loads "
                "them");

} // namespace ggufc
