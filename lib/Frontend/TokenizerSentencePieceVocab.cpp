//===- TokenizerSentencePieceVocab.cpp - llama vocab of a model -----------===//
//
// As llama.cpp's converter (_create_vocab_sentencepiece): the token list is
// sized to config.json's vocab_size so that token ids line up with embedding
// rows, and tokens added by the checkpoint's JSON files replace pieces at
// their ids. Unlike llama.cpp's converter, user-defined pieces of the model
// stay USER_DEFINED (llama.cpp's converter cannot see that type and writes
// NORMAL): llama.cpp then matches them in the text whole, as SentencePiece
// does, and their U+2581 markers become spaces because that match happens
// on the raw text.
//
//===----------------------------------------------------------------------===//
#include "TokenizerParts.h"
#include <algorithm>
#include <limits>

using namespace llvm;

namespace ggufc {
namespace tokenizer {

/// Scores llama.cpp's converter gives to padding and added tokens.
static constexpr double PaddingScore = -10000.0;
static constexpr double AddedTokenScore = -1000.0;

Expected<SentencePieceVocabulary>
buildSentencePieceVocabulary(SentencePieceModel Model,
                             ArrayRef<AddedToken> AddedTokensFile,
                             ArrayRef<AddedToken> AddedTokensDecoder,
                             uint64_t VocabSize, StringRef ConfigPath) {
  uint64_t Size = VocabSize ? VocabSize : Model.Pieces.size();
  // Token ids are int32 in llama.cpp.
  if (Size > uint64_t(std::numeric_limits<int32_t>::max()))
    return fileError(ConfigPath,
                     "vocab_size: " + Twine(Size) + " is not a token count");

  SentencePieceVocabulary Out;
  Out.AddSpacePrefix = Model.AddDummyPrefix;
  Out.Tokens.resize(Size);
  Out.Scores.assign(Size, PaddingScore);
  Out.Types.assign(Size, int64_t(TokenType::Unused));
  uint64_t NumPieces = std::min<uint64_t>(Size, Model.Pieces.size());
  for (uint64_t Id = 0; Id < NumPieces; ++Id) {
    TokenType Type = Model.Types[Id];
    Out.Tokens[Id] = Type == TokenType::UserDefined
                         ? normalizeUserDefined(Model.Pieces[Id])
                         : std::move(Model.Pieces[Id]);
    Out.Scores[Id] = Model.Scores[Id];
    Out.Types[Id] = int64_t(Type);
  }
  for (uint64_t Id = NumPieces; Id < Size; ++Id)
    Out.Tokens[Id] = "[PAD" + std::to_string(Id) + "]";

  for (const AddedToken &T : AddedTokensFile) {
    if (T.Id >= Size)
      continue;
    Out.Tokens[T.Id] = T.Content;
    Out.Scores[T.Id] = AddedTokenScore;
    Out.Types[T.Id] = int64_t(TokenType::UserDefined);
  }
  for (const AddedToken &T : AddedTokensDecoder) {
    if (T.Id >= Size)
      continue;
    TypedToken Typed = typeAddedToken(T.Content, T.Special);
    Out.Tokens[T.Id] = std::move(Typed.Text);
    Out.Scores[T.Id] = AddedTokenScore;
    Out.Types[T.Id] = int64_t(Typed.Type);
  }
  return Out;
}

} // namespace tokenizer
} // namespace ggufc
