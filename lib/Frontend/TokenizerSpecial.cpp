//===- TokenizerSpecial.cpp - Special token ids and add_* flags
//------------===//
//
// Follows llama.cpp's converter (gguf-py SpecialVocab):
//  * tokenizer_config.json names each special token (`<t>_token`, a string
//    or {"content": ...}); its id is that of the first tokenizer.json
//    added_tokens entry with the same content (none without tokenizer.json,
//    even for a SentencePiece model, as in llama.cpp). A missing bos falls back
//    to cls, eos to sep.
//  * Ids still unknown come from config.json's `<t>_token_id` (or its
//    text_config's); values that are not token ids there (lists, -1) are
//    ignored.
//    Without tokenizer_config.json, config.json is the only source.
//  * add_bos/add_eos/add_sep: first from tokenizer.json's post-processor
//    (RobertaProcessing adds all three; TemplateProcessing adds bos when its
//    single-sequence template starts with the bos or cls token, eos when it
//    ends with the eos token; nothing without tokenizer.json), then
//    overridden by tokenizer_config.json's `add_<t>_token` booleans. Only
//    these three flags exist in llama.cpp.
//  * From ollama: a list-valued `<t>_token_id` in generation_config.json is
//    written as tokenizer.ggml.<key>_token_ids (ignored by llama.cpp).
// Ids at or above the token count are dropped (llama.cpp's loader would
// ignore them with a warning). Not reproduced: llama.cpp moving a trailing
// TemplateProcessing token other than eos into eos (and the old eos into
// eot), and its pair-template sep detection.
//
//===----------------------------------------------------------------------===//
#include "TokenizerParts.h"
#include "llvm/ADT/StringMap.h"
#include <array>

using namespace llvm;
using nlohmann::json;

namespace ggufc {
namespace tokenizer {

namespace {
enum SpecialKind { Bos, Eos, Unk, Sep, Pad, Cls, Mask, NumSpecialKinds };

struct SpecialKindInfo {
  const char *Name; // in HuggingFace files: <Name>_token, <Name>_token_id
  const char *Key;  // in GGUF: tokenizer.ggml.<Key>_token_id
};

template <typename T> using PerKind = std::array<T, NumSpecialKinds>;
} // namespace

// GGUF spells "separator" as "seperator".
static const SpecialKindInfo Kinds[NumSpecialKinds] = {
    {"bos", "bos"},       {"eos", "eos"},     {"unk", "unknown"},
    {"sep", "seperator"}, {"pad", "padding"}, {"cls", "cls"},
    {"mask", "mask"}};

/// The add_<t>_token flags llama.cpp reads.
static const SpecialKind AddFlagKinds[] = {Bos, Eos, Sep};

/// Content of a `<t>_token` entry: a string or an object with "content".
static Optional<std::string> tokenContent(const json &Object, StringRef Key) {
  auto It = Object.find(Key.str());
  if (It == Object.end())
    return None;
  const json *Content = &*It;
  if (It->is_object()) {
    auto C = It->find("content");
    if (C == It->end())
      return None;
    Content = &*C;
  }
  if (!Content->is_string() || Content->get_ref<const std::string &>().empty())
    return None;
  return Content->get<std::string>();
}

/// The special token named by a post-processor template item
/// ({"SpecialToken": {"id": "<s>", ...}}), or None.
static Optional<std::string> templateSpecialToken(const json &Item) {
  if (!Item.is_object())
    return None;
  auto Special = Item.find("SpecialToken");
  if (Special == Item.end() || !Special->is_object())
    return None;
  auto Id = Special->find("id");
  if (Id == Special->end() || !Id->is_string() ||
      Id->get_ref<const std::string &>().empty())
    return None;
  return Id->get<std::string>();
}

/// First element of a RobertaProcessing ["<s>", 0] entry, or None.
static Optional<std::string> robertaToken(const json &Processor,
                                          StringRef Key) {
  auto It = Processor.find(Key.str());
  if (It == Processor.end() || !It->is_array() || It->empty() ||
      !(*It)[0].is_string())
    return None;
  return (*It)[0].get<std::string>();
}

/// Applies tokenizer.json's post-processor: add flags, and (when there is a
/// tokenizer_config.json to complete) the tokens it names.
static void applyPostProcessor(const json &TokenizerJSON, bool HaveConfig,
                               PerKind<Optional<std::string>> &Content,
                               PerKind<Optional<bool>> &Add) {
  auto Post = TokenizerJSON.find("post_processor");
  if (Post == TokenizerJSON.end() || !Post->is_object())
    return;
  std::vector<const json *> Processors;
  auto List = Post->find("processors");
  if (List != Post->end() && List->is_array()) {
    for (const json &P : *List)
      Processors.push_back(&P);
  } else {
    Processors.push_back(&*Post);
  }

  for (const json *P : Processors) {
    if (!P->is_object())
      continue;
    auto Type = P->find("type");
    if (Type == P->end() || !Type->is_string())
      continue;
    if (*Type == "RobertaProcessing") {
      Add[Bos] = Add[Eos] = Add[Sep] = true;
      if (HaveConfig && !Content[Cls]) {
        Content[Cls] = robertaToken(*P, "cls");
        if (!Content[Cls])
          Content[Cls] = Content[Bos];
      }
      if (HaveConfig && !Content[Sep]) {
        Content[Sep] = robertaToken(*P, "sep");
        if (!Content[Sep])
          Content[Sep] = Content[Eos];
      }
      continue;
    }
    if (*Type != "TemplateProcessing")
      continue;
    auto Single = P->find("single");
    if (Single == P->end() || !Single->is_array() || Single->size() < 2)
      continue;
    if (Optional<std::string> First = templateSpecialToken(Single->front())) {
      if (HaveConfig && First != Content[Bos] && First != Content[Cls]) {
        if (!Content[Bos])
          Content[Bos] = First;
        if (!Content[Cls])
          Content[Cls] = First;
      }
      Add[Bos] = First == Content[Bos] || First == Content[Cls];
    }
    if (Optional<std::string> Last = templateSpecialToken(Single->back())) {
      if (!Content[Eos] && HaveConfig)
        Content[Eos] = Last;
      if (Last == Content[Eos])
        Add[Eos] = true;
    }
  }
}

/// `<t>_token_id` of config.json, else of its text_config (Gemma 3n's
/// config.json has an eos list at the top and the id in text_config).
static Optional<uint32_t> configTokenId(const ConfigView &Config,
                                        StringRef Name) {
  std::string Key = (Name + "_token_id").str();
  const json &Root = Config.json();
  if (!Root.is_object())
    return None;
  auto It = Root.find(Key);
  if (It != Root.end() && !It->is_null())
    if (Optional<uint32_t> Id = jsonTokenId(*It))
      return Id;
  auto Text = Root.find("text_config");
  if (Text == Root.end() || !Text->is_object())
    return None;
  It = Text->find(Key);
  if (It == Text->end())
    return None;
  return jsonTokenId(*It);
}

/// generation_config.json's `<t>_token_id` when it is a list; other values
/// are the scalar ids llama.cpp takes from elsewhere.
static Expected<Optional<std::vector<int64_t>>>
generationTokenIds(const OptionalJSONFile &GenerationConfig, StringRef Name) {
  if (!GenerationConfig.JSON)
    return None;
  std::string Key = (Name + "_token_id").str();
  auto It = GenerationConfig.JSON->find(Key);
  if (It == GenerationConfig.JSON->end() || !It->is_array())
    return None;
  std::vector<int64_t> Ids;
  for (const json &V : *It) {
    Optional<uint32_t> Id = jsonTokenId(V);
    if (!Id)
      return fileError(GenerationConfig.Path,
                       Key + ": expected a list of token ids");
    Ids.push_back(*Id);
  }
  return Optional<std::vector<int64_t>>(std::move(Ids));
}

Error lowerSpecialTokens(const SpecialTokenSources &Sources, Metadata &Meta) {
  const Optional<json> &TokenizerConfig = Sources.TokenizerConfig->JSON;
  PerKind<Optional<std::string>> Content;
  PerKind<Optional<bool>> Add;
  if (TokenizerConfig) {
    for (int K = 0; K < NumSpecialKinds; ++K)
      Content[K] =
          tokenContent(*TokenizerConfig, std::string(Kinds[K].Name) + "_token");
    if (!Content[Bos] && Content[Cls])
      Content[Bos] = Content[Cls];
    if (!Content[Eos] && Content[Sep])
      Content[Eos] = Content[Sep];
  }
  if (Sources.TokenizerJSON)
    applyPostProcessor(*Sources.TokenizerJSON, TokenizerConfig.hasValue(),
                       Content, Add);
  if (TokenizerConfig) {
    for (int K = 0; K < NumSpecialKinds; ++K) {
      auto Flag =
          TokenizerConfig->find(std::string("add_") + Kinds[K].Name + "_token");
      if (Flag != TokenizerConfig->end() && Flag->is_boolean())
        Add[K] = Flag->get<bool>();
    }
  }

  StringMap<uint32_t> AddedIds;
  for (const AddedToken &T : Sources.Added)
    AddedIds.try_emplace(T.Content, T.Id); // the first entry wins

  for (int K = 0; K < NumSpecialKinds; ++K) {
    Optional<uint32_t> Id;
    if (Content[K]) {
      auto It = AddedIds.find(*Content[K]);
      if (It != AddedIds.end())
        Id = It->second;
    }
    if (!Id)
      Id = configTokenId(*Sources.ModelConfig, Kinds[K].Name);
    if (!Id || *Id >= Sources.NumTokens)
      continue;
    std::string Key = std::string("tokenizer.ggml.") + Kinds[K].Key;
    Meta.set(Key + "_token_id", MetaValue::u32(*Id));
    auto Ids = generationTokenIds(*Sources.GenerationConfig, Kinds[K].Name);
    if (!Ids)
      return Ids.takeError();
    if (*Ids)
      Meta.set(Key + "_token_ids",
               MetaValue::signedArray(MetaType::I32, std::move(**Ids)));
  }

  for (SpecialKind K : AddFlagKinds)
    if (Add[K])
      Meta.set(std::string("tokenizer.ggml.add_") + Kinds[K].Name + "_token",
               MetaValue::boolean(*Add[K]));
  return Error::success();
}

} // namespace tokenizer
} // namespace ggufc
