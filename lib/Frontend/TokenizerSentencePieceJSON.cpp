//===- TokenizerSentencePieceJSON.cpp - llama vocab of tokenizer.json -----===//
//
// A SentencePiece BPE model exported to tokenizer.json (BPE with
// byte_fallback, spaces as U+2581; Gemma 3 ships only this form) is written
// as llama.cpp's "llama" vocabulary, whose tokenizer repeatedly merges the
// adjacent pair forming the token of highest score. Scoring each token by
// minus the rank of the first merge producing it makes that order the BPE
// merge order. Tokens no merge produces score below every merge; added
// tokens score -1000 and padding -10000, as in llama.cpp's converter.
//
// add_space_prefix is whether the tokenizer prepends U+2581 to the text: a
// Prepend normalizer, or a Metaspace pre-tokenizer that prepends.
//
//===----------------------------------------------------------------------===//
#include "TokenizerParts.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace llvm;
using nlohmann::json;

namespace ggufc {
namespace tokenizer {

static constexpr StringLiteral WordMarker("\xe2\x96\x81"); // U+2581
static constexpr double PaddingScore = -10000.0;
static constexpr double AddedTokenScore = -1000.0;

/// The string member Key of Object, or "".
static std::string stringMember(const json &Object, const char *Key) {
  if (!Object.is_object())
    return "";
  auto It = Object.find(Key);
  return It != Object.end() && It->is_string() ? It->get<std::string>() : "";
}

bool isSentencePieceStyleBPE(const json &TokenizerJSON) {
  auto Model = TokenizerJSON.find("model");
  if (Model == TokenizerJSON.end() || stringMember(*Model, "type") != "BPE")
    return false;
  auto ByteFallback = Model->find("byte_fallback");
  return ByteFallback != Model->end() && ByteFallback->is_boolean() &&
         ByteFallback->get<bool>();
}

/// Whether a normalizer or pre-tokenizer (or a Sequence of them) prepends
/// the word marker to the text.
static bool prependsWordMarker(const json &Step) {
  if (!Step.is_object())
    return false;
  std::string Type = stringMember(Step, "type");
  if (Type == "Sequence") {
    for (const char *Key : {"normalizers", "pretokenizers"}) {
      auto Steps = Step.find(Key);
      if (Steps != Step.end() && Steps->is_array())
        for (const json &S : *Steps)
          if (prependsWordMarker(S))
            return true;
    }
    return false;
  }
  if (Type == "Prepend")
    return stringMember(Step, "prepend") == WordMarker;
  if (Type == "Metaspace") {
    // tokenizers >= 0.19 write prepend_scheme, older ones add_prefix_space.
    std::string Scheme = stringMember(Step, "prepend_scheme");
    if (!Scheme.empty())
      return Scheme != "never";
    auto Add = Step.find("add_prefix_space");
    return Add == Step.end() || !Add->is_boolean() || Add->get<bool>();
  }
  return false;
}

static bool addsSpacePrefix(const json &TokenizerJSON) {
  for (const char *Key : {"normalizer", "pre_tokenizer"}) {
    auto Step = TokenizerJSON.find(Key);
    if (Step != TokenizerJSON.end() && prependsWordMarker(*Step))
      return true;
  }
  return false;
}

/// A byte-fallback token, "<0xXX>".
static bool isBytePiece(StringRef Token) {
  return Token.size() == 6 && Token.startswith("<0x") && Token.endswith(">") &&
         isHexDigit(Token[3]) && isHexDigit(Token[4]);
}

/// The number of merges of a tokenizer.json model.
static size_t mergeCount(const json &Model) {
  auto Merges = Model.find("merges");
  return Merges != Model.end() && Merges->is_array() ? Merges->size() : 0;
}

/// The token each merge produces mapped to the rank of the first merge
/// producing it. Merges are "a b" strings (split at the first space after
/// the first character, as llama.cpp reads them) or ["a", "b"] pairs;
/// readBPEVocabulary has already rejected other forms.
static StringMap<uint32_t> firstMergeRanks(const json &Model) {
  StringMap<uint32_t> Ranks;
  auto Merges = Model.find("merges");
  if (Merges == Model.end() || !Merges->is_array())
    return Ranks;
  for (size_t Rank = 0; Rank < Merges->size(); ++Rank) {
    const json &M = (*Merges)[Rank];
    std::string Result;
    if (M.is_string()) {
      StringRef Text = M.get_ref<const std::string &>();
      size_t Space = Text.find(' ', 1);
      if (Space == StringRef::npos)
        continue;
      Result = (Text.take_front(Space) + Text.drop_front(Space + 1)).str();
    } else if (M.is_array() && M.size() == 2 && M[0].is_string() &&
               M[1].is_string()) {
      Result = M[0].get<std::string>() + M[1].get<std::string>();
    } else {
      continue;
    }
    Ranks.try_emplace(Result, uint32_t(Rank));
  }
  return Ranks;
}

Expected<SentencePieceVocabulary>
readSentencePieceBPEVocabulary(StringRef Path, const json &TokenizerJSON,
                               ArrayRef<AddedToken> Added, uint64_t MinSize) {
  auto BPE = readBPEVocabulary(Path, TokenizerJSON, Added, MinSize);
  if (!BPE)
    return BPE.takeError();
  const json &Model = *TokenizerJSON.find("model"); // checked by the above
  StringMap<uint32_t> Ranks = firstMergeRanks(Model);
  std::string Unknown = stringMember(Model, "unk_token");
  // 0.0 - n rather than -n: the first merge scores +0, not -0.
  double BelowEveryMerge = 0.0 - double(mergeCount(Model));

  SentencePieceVocabulary Out;
  Out.AddSpacePrefix = addsSpacePrefix(TokenizerJSON);
  Out.Scores.resize(BPE->Tokens.size());
  for (size_t Id = 0; Id < BPE->Tokens.size(); ++Id) {
    const std::string &Token = BPE->Tokens[Id];
    int64_t &Type = BPE->Types[Id];
    if (Type == int64_t(TokenType::Unused)) { // padding
      Out.Scores[Id] = PaddingScore;
      continue;
    }
    if (Type != int64_t(TokenType::Normal)) { // an added token
      Out.Scores[Id] = AddedTokenScore;
      continue;
    }
    auto Rank = Ranks.find(Token);
    Out.Scores[Id] =
        Rank != Ranks.end() ? 0.0 - double(Rank->second) : BelowEveryMerge;
    if (isBytePiece(Token))
      Type = int64_t(TokenType::Byte);
    else if (!Unknown.empty() && Token == Unknown)
      Type = int64_t(TokenType::Unknown);
  }
  Out.Tokens = std::move(BPE->Tokens);
  Out.Types = std::move(BPE->Types);
  return Out;
}

} // namespace tokenizer
} // namespace ggufc
