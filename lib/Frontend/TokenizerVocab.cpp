//===- TokenizerVocab.cpp - BPE tokens, token types and merges
//-------------===//
//
// tokenizer.json's model.vocab (content -> id) overlaid by added_tokens,
// emitted by id as llama.cpp's converter does: gaps and the tail up to the
// model's vocab_size become "[PAD<id>]" UNUSED tokens so that token ids line
// up with embedding rows; added tokens are CONTROL when special or when they
// look special, else USER_DEFINED. Merges come as "a b" strings or, since
// transformers 4.45, as ["a", "b"] pairs whose parts may contain spaces.
//
//===----------------------------------------------------------------------===//
#include "TokenizerParts.h"
#include "ggufc/Frontend/Tokenizer.h"
#include <algorithm>
#include <cstdint>
#include <limits>

using namespace llvm;
using nlohmann::json;

namespace ggufc {
namespace tokenizer {

/// Token ids are int32 in llama.cpp.
static constexpr int64_t MaxTokenId = std::numeric_limits<int32_t>::max();

Optional<uint32_t> jsonTokenId(const json &V) {
  if (V.is_number_unsigned())
    return V.get<uint64_t>() <= uint64_t(MaxTokenId)
               ? Optional<uint32_t>(uint32_t(V.get<uint64_t>()))
               : None;
  if (V.is_number_integer() && V.get<int64_t>() >= 0 &&
      V.get<int64_t>() <= MaxTokenId)
    return uint32_t(V.get<int64_t>());
  return None;
}

Expected<std::vector<AddedToken>> readAddedTokens(StringRef Path,
                                                  const json &TokenizerJSON) {
  std::vector<AddedToken> Added;
  auto It = TokenizerJSON.find("added_tokens");
  if (It == TokenizerJSON.end() || It->is_null())
    return Added;
  if (!It->is_array())
    return fileError(Path, "added_tokens: expected a list");
  Added.reserve(It->size());
  for (size_t I = 0; I < It->size(); ++I) {
    const json &Entry = (*It)[I];
    std::string Where = "added_tokens[" + std::to_string(I) + "]";
    if (!Entry.is_object())
      return fileError(Path, Where + ": expected an object");
    auto Id = Entry.find("id");
    auto Content = Entry.find("content");
    auto Special = Entry.find("special");
    Optional<uint32_t> TokenId;
    if (Id != Entry.end())
      TokenId = jsonTokenId(*Id);
    if (!TokenId)
      return fileError(Path, Where + ": 'id' must be a token id");
    if (Content == Entry.end() || !Content->is_string())
      return fileError(Path, Where + ": 'content' must be a string");
    if (Special != Entry.end() && !Special->is_null() && !Special->is_boolean())
      return fileError(Path, Where + ": 'special' must be a boolean");
    AddedToken T;
    T.Content = Content->get<std::string>();
    T.Id = *TokenId;
    T.Special =
        Special != Entry.end() && Special->is_boolean() && Special->get<bool>();
    Added.push_back(std::move(T));
  }
  return Added;
}

/// Added tokens some models fail to mark special although they are control
/// tokens (llama.cpp's does_token_look_special).
static bool looksSpecial(StringRef Token) {
  if (Token == "<pad>" || Token == "<mask>" || Token == "<2mass>" ||
      Token == "[@BOS@]")
    return true;
  if (Token.startswith("<|") && Token.endswith("|>"))
    return true;
  // Full-width bars, as in deepseek-coder's <｜…｜>.
  if (Token.startswith("<\xef\xbd\x9c") && Token.endswith("\xef\xbd\x9c>"))
    return true;
  return Token.startswith("<unused") && Token.endswith(">");
}

/// llama.cpp's tokenizer expects user-defined tokens pre-normalized: the
/// SentencePiece word marker U+2581 becomes a plain space.
static std::string normalizeUserDefined(StringRef Token) {
  static constexpr StringLiteral Marker("\xe2\x96\x81");
  std::string Out;
  Out.reserve(Token.size());
  while (!Token.empty()) {
    if (Token.startswith(Marker)) {
      Out += ' ';
      Token = Token.drop_front(Marker.size());
    } else {
      Out += Token.front();
      Token = Token.drop_front();
    }
  }
  return Out;
}

/// Joins a merge pair; a space inside a part is written as U+0120 (the
/// byte-level symbol of a space) so that the single separating space stays
/// unambiguous, as llama.cpp's converter does.
static std::string joinMergePair(StringRef Left, StringRef Right) {
  static constexpr StringLiteral EscapedSpace("\xc4\xa0");
  std::string Out;
  Out.reserve(Left.size() + Right.size() + 1);
  auto Append = [&Out](StringRef Part) {
    for (char C : Part) {
      if (C == ' ')
        Out += EscapedSpace;
      else
        Out += C;
    }
  };
  Append(Left);
  Out += ' ';
  Append(Right);
  return Out;
}

static Expected<std::vector<std::string>> readMerges(StringRef Path,
                                                     const json &Model) {
  std::vector<std::string> Merges;
  auto It = Model.find("merges");
  if (It == Model.end() || It->is_null())
    return Merges;
  if (!It->is_array())
    return fileError(Path, "model.merges: expected a list");
  Merges.reserve(It->size());
  for (size_t I = 0; I < It->size(); ++I) {
    const json &M = (*It)[I];
    if (M.is_string()) {
      Merges.push_back(M.get<std::string>());
      continue;
    }
    if (M.is_array() && M.size() == 2 && M[0].is_string() && M[1].is_string()) {
      Merges.push_back(joinMergePair(M[0].get_ref<const std::string &>(),
                                     M[1].get_ref<const std::string &>()));
      continue;
    }
    return fileError(Path, "model.merges[" + Twine(I) +
                               "]: expected \"a b\" or [\"a\", \"b\"]");
  }
  return Merges;
}

namespace {
/// Where the token at an id came from.
enum class Origin : uint8_t { None, Model, Added, AddedSpecial };
} // namespace

Expected<BPEVocabulary> readBPEVocabulary(StringRef Path,
                                          const json &TokenizerJSON,
                                          ArrayRef<AddedToken> Added,
                                          uint64_t MinSize) {
  auto ModelIt = TokenizerJSON.find("model");
  if (ModelIt == TokenizerJSON.end() || !ModelIt->is_object())
    return fileError(Path, "'model' must be an object");
  const json &Model = *ModelIt;
  auto Vocab = Model.find("vocab");
  if (Vocab == Model.end() || !Vocab->is_object())
    return fileError(Path, "model.vocab: expected an object of token ids");

  // First pass: validate ids and size the table.
  int64_t MaxId = -1;
  for (auto It = Vocab->begin(); It != Vocab->end(); ++It) {
    Optional<uint32_t> Id = jsonTokenId(It.value());
    if (!Id)
      return fileError(Path,
                       "model.vocab: token '" + It.key() + "' has no valid id");
    MaxId = std::max<int64_t>(MaxId, *Id);
  }
  for (const AddedToken &T : Added)
    MaxId = std::max<int64_t>(MaxId, T.Id);
  uint64_t Entries = Vocab->size() + Added.size();
  uint64_t Count = std::max<uint64_t>(MinSize, uint64_t(MaxId + 1));
  // A corrupt id would otherwise make us pad billions of tokens.
  if (Count > std::max<uint64_t>(MinSize, 2 * Entries))
    return fileError(Path, "token id " + Twine(MaxId) + " is far beyond the " +
                               Twine(Entries) + " tokens of the vocabulary");

  BPEVocabulary Out;
  Out.Tokens.resize(Count);
  std::vector<Origin> From(Count, Origin::None);
  for (auto It = Vocab->begin(); It != Vocab->end(); ++It) {
    uint32_t Id = *jsonTokenId(It.value());
    if (From[Id] != Origin::None)
      return fileError(Path, "model.vocab: tokens '" + Out.Tokens[Id] +
                                 "' and '" + It.key() + "' share id " +
                                 Twine(Id));
    Out.Tokens[Id] = It.key();
    From[Id] = Origin::Model;
  }
  // An added token replaces whatever model token has its id.
  for (const AddedToken &T : Added) {
    Out.Tokens[T.Id] = T.Content;
    From[T.Id] = T.Special ? Origin::AddedSpecial : Origin::Added;
  }

  Out.Types.resize(Count);
  for (uint64_t Id = 0; Id < Count; ++Id) {
    TokenType Type = TokenType::Normal;
    switch (From[Id]) {
    case Origin::None:
      Out.Tokens[Id] = "[PAD" + std::to_string(Id) + "]";
      Type = TokenType::Unused;
      break;
    case Origin::Model:
      break;
    case Origin::AddedSpecial:
      Type = TokenType::Control;
      break;
    case Origin::Added:
      if (looksSpecial(Out.Tokens[Id])) {
        Type = TokenType::Control;
      } else {
        Out.Tokens[Id] = normalizeUserDefined(Out.Tokens[Id]);
        Type = TokenType::UserDefined;
      }
      break;
    }
    Out.Types[Id] = int64_t(Type);
  }

  auto Merges = readMerges(Path, Model);
  if (!Merges)
    return Merges.takeError();
  Out.Merges = std::move(*Merges);
  return Out;
}

} // namespace tokenizer
} // namespace ggufc
