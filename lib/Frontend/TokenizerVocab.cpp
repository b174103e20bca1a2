//===- TokenizerVocab.cpp - BPE tokens, token types and merges
//-------------===//
//
// tokenizer.json's model.vocab (content -> id) overlaid by added_tokens,
// emitted by id as llama.cpp's converter does: gaps and the tail up to the
// model's vocab_size become "[PAD<id>]" UNUSED tokens so that token ids line
// up with embedding rows; added tokens are typed by typeAddedToken. Merges come
// as "a b" strings or, since transformers 4.45, as ["a", "b"] pairs whose parts
// may contain spaces.
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
    case Origin::Added:
    case Origin::AddedSpecial: {
      TypedToken T =
          typeAddedToken(Out.Tokens[Id], From[Id] == Origin::AddedSpecial);
      Out.Tokens[Id] = std::move(T.Text);
      Type = T.Type;
      break;
    }
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
