//===- TokenizerAddedTokens.cpp - Added tokens and their types ------------===//
//
// Tokens added on top of a tokenizer model come from tokenizer.json's
// added_tokens, and for SentencePiece checkpoints also from added_tokens.json
// and tokenizer_config.json's added_tokens_decoder. typeAddedToken is the one
// rule (llama.cpp's converter's) for what GGUF type such a token gets.
//
//===----------------------------------------------------------------------===//
#include "TokenizerParts.h"
#include "llvm/ADT/STLExtras.h"
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

/// Content and special flag of an added-token object ({"content": ...,
/// "special": ...}); Where names it in errors.
static Expected<AddedToken> parseAddedToken(StringRef Path,
                                            const std::string &Where,
                                            const json &Entry, uint32_t Id) {
  if (!Entry.is_object())
    return fileError(Path, Where + ": expected an object");
  auto Content = Entry.find("content");
  auto Special = Entry.find("special");
  if (Content == Entry.end() || !Content->is_string())
    return fileError(Path, Where + ": 'content' must be a string");
  if (Special != Entry.end() && !Special->is_null() && !Special->is_boolean())
    return fileError(Path, Where + ": 'special' must be a boolean");
  AddedToken T;
  T.Content = Content->get<std::string>();
  T.Id = Id;
  T.Special =
      Special != Entry.end() && Special->is_boolean() && Special->get<bool>();
  return T;
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
    Optional<uint32_t> TokenId;
    auto Id = Entry.is_object() ? Entry.find("id") : Entry.end();
    if (Id != Entry.end())
      TokenId = jsonTokenId(*Id);
    if (Entry.is_object() && !TokenId)
      return fileError(Path, Where + ": 'id' must be a token id");
    auto T = parseAddedToken(Path, Where, Entry, TokenId.getValueOr(0));
    if (!T)
      return T.takeError();
    Added.push_back(std::move(*T));
  }
  return Added;
}

/// llama.cpp's tokenizer expects user-defined tokens pre-normalized: the
/// SentencePiece word marker U+2581 becomes a plain space.
std::string normalizeUserDefined(StringRef Token) {
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

TypedToken typeAddedToken(StringRef Content, bool Special) {
  // The tokenizer's own "special" flag decides, not how the text looks
  // (llama.cpp's converter also makes <|...|>, <mask>, ... CONTROL): the
  // source tokenizer matches a non-special added token even when special
  // tokens are plain text, and so does llama.cpp for USER_DEFINED ones.
  if (Special)
    return {Content.str(), TokenType::Control};
  return {normalizeUserDefined(Content), TokenType::UserDefined};
}

Expected<std::vector<AddedToken>>
readAddedTokensFile(const OptionalJSONFile &File) {
  std::vector<AddedToken> Added;
  if (!File.JSON)
    return Added;
  for (auto It = File.JSON->begin(); It != File.JSON->end(); ++It) {
    Optional<uint32_t> Id = jsonTokenId(It.value());
    if (!Id)
      return fileError(File.Path, "'" + It.key() + "': expected a token id");
    AddedToken T;
    T.Content = It.key();
    T.Id = *Id;
    Added.push_back(std::move(T));
  }
  // Keys are unique, ids need not be; which token would win is unclear.
  llvm::sort(Added, [](const AddedToken &A, const AddedToken &B) {
    return A.Id < B.Id;
  });
  for (size_t I = 1; I < Added.size(); ++I)
    if (Added[I].Id == Added[I - 1].Id)
      return fileError(File.Path, "tokens '" + Added[I - 1].Content +
                                      "' and '" + Added[I].Content +
                                      "' share id " + Twine(Added[I].Id));
  return Added;
}

Expected<std::vector<AddedToken>>
readAddedTokensDecoder(const OptionalJSONFile &TokenizerConfig) {
  std::vector<AddedToken> Added;
  if (!TokenizerConfig.JSON)
    return Added;
  auto Decoder = TokenizerConfig.JSON->find("added_tokens_decoder");
  if (Decoder == TokenizerConfig.JSON->end() || Decoder->is_null())
    return Added;
  if (!Decoder->is_object())
    return fileError(TokenizerConfig.Path,
                     "added_tokens_decoder: expected an object");
  for (auto It = Decoder->begin(); It != Decoder->end(); ++It) {
    std::string Where = "added_tokens_decoder." + It.key();
    uint64_t Id;
    if (StringRef(It.key()).getAsInteger(10, Id) || Id > uint64_t(MaxTokenId))
      return fileError(TokenizerConfig.Path,
                       Where + ": key must be a token id");
    auto T =
        parseAddedToken(TokenizerConfig.Path, Where, It.value(), uint32_t(Id));
    if (!T)
      return T.takeError();
    Added.push_back(std::move(*T));
  }
  return Added;
}

} // namespace tokenizer
} // namespace ggufc
