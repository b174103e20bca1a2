//===- TokenizerParts.h - Pieces of tokenizer lowering (private) ----------===//
//
// lowerTokenizer (Tokenizer.cpp) reads the tokenizer files of a checkpoint
// once and hands the parsed data to one file per job:
//   TokenizerAddedTokens.cpp        added tokens of every source, and their
//                                   GGUF types
//   TokenizerVocab.cpp              tokens, token types and merges of a
//                                   byte-level BPE model ("gpt2")
//   TokenizerSentencePiece.cpp      reading tokenizer.model
//   TokenizerSentencePieceVocab.cpp the "llama" vocabulary of tokenizer.model
//   TokenizerSentencePieceJSON.cpp  the "llama" vocabulary of a SentencePiece
//                                   style tokenizer.json (BPE, byte_fallback)
//   TokenizerPre.cpp                tokenizer.ggml.pre from the pre-tokenizer
//   TokenizerSpecial.cpp            special token ids and add_* flags
//   TokenizerChatTemplate.cpp       tokenizer.chat_template*
// The output follows what llama.cpp's converter writes (gguf-py vocab.py,
// TextModel.get_vocab_base and _create_vocab_sentencepiece), which is what
// llama.cpp's loader expects.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_FRONTEND_TOKENIZERPARTS_H
#define GGUFC_LIB_FRONTEND_TOKENIZERPARTS_H

#include "ggufc/Frontend/Config.h"
#include "ggufc/Frontend/Tokenizer.h"
#include "ggufc/IR/Metadata.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ggufc {
namespace tokenizer {


/// A JSON file of the checkpoint that may be absent.
struct OptionalJSONFile {
  std::string Path;
  llvm::Optional<nlohmann::json> JSON; // None when the file does not exist
};

/// Reads Dir/Name if it exists; a malformed file or one that is not a JSON
/// object is an error.
llvm::Expected<OptionalJSONFile> readOptionalJSONFile(llvm::StringRef Dir,
                                                      llvm::StringRef Name);

/// A JSON integer usable as a token id (0 .. INT32_MAX), or None.
llvm::Optional<uint32_t> jsonTokenId(const nlohmann::json &V);

/// One entry of tokenizer.json's added_tokens.
struct AddedToken {
  std::string Content;
  uint32_t Id = 0;
  bool Special = false;
};

/// Parses tokenizer.json's added_tokens (absent means none).
llvm::Expected<std::vector<AddedToken>>
readAddedTokens(llvm::StringRef Path, const nlohmann::json &TokenizerJSON);

/// Parses added_tokens.json ({content: id}; absent means none), sorted by
/// id. Two contents with one id are an error.
llvm::Expected<std::vector<AddedToken>>
readAddedTokensFile(const OptionalJSONFile &File);

/// Parses tokenizer_config.json's added_tokens_decoder ({"<id>": {content,
/// special, ...}}; absent means none).
llvm::Expected<std::vector<AddedToken>>
readAddedTokensDecoder(const OptionalJSONFile &TokenizerConfig);

/// A token's text and GGUF type.
struct TypedToken {
  std::string Text;
  TokenType Type;
};

/// An added token's GGUF type: CONTROL when the tokenizer marks it
/// special, else USER_DEFINED with its text normalized by
/// normalizeUserDefined.
TypedToken typeAddedToken(llvm::StringRef Content, bool Special);

/// llama.cpp matches user-defined tokens in the raw text, so the
/// SentencePiece word marker U+2581 in them becomes a plain space.
std::string normalizeUserDefined(llvm::StringRef Token);

/// A byte-level BPE vocabulary in llama.cpp's "gpt2" form.
struct BPEVocabulary {
  std::vector<std::string> Tokens; // indexed by id, without gaps
  std::vector<int64_t> Types;      // TokenType of each token
  std::vector<std::string> Merges; // "left right", spaces in parts escaped
};

/// Builds the vocabulary of a tokenizer.json whose model is BPE: ids missing
/// below max(MinSize, largest id + 1) become "[PAD<id>]" tokens of type
/// UNUSED.
llvm::Expected<BPEVocabulary>
readBPEVocabulary(llvm::StringRef Path, const nlohmann::json &TokenizerJSON,
                  llvm::ArrayRef<AddedToken> Added, uint64_t MinSize);

/// A vocabulary in llama.cpp's SentencePiece form (tokenizer.ggml.model
/// "llama"), indexed by id without gaps.
struct SentencePieceVocabulary {
  std::vector<std::string> Tokens;
  std::vector<double> Scores;  // float32 values
  std::vector<int64_t> Types;  // TokenType of each token
  bool AddSpacePrefix = false; // tokenizer.ggml.add_space_prefix
};

/// The contents of a tokenizer.model file.
struct SentencePieceModel {
  std::vector<std::string> Pieces;
  std::vector<float> Scores;
  std::vector<TokenType> Types;
  bool AddDummyPrefix = true; // normalizer_spec.add_dummy_prefix
};

/// Reads a SentencePiece tokenizer.model, whose pieces must be non-empty and
/// distinct, with exactly one of type UNKNOWN.
llvm::Expected<SentencePieceModel> readSentencePieceModel(llvm::StringRef Path);

/// The vocabulary llama.cpp's converter makes of a tokenizer.model: VocabSize
/// entries (the model's piece count when 0), ids the model lacks being
/// "[PAD<id>]" UNUSED tokens of score -10000 and pieces beyond dropped
/// (user-defined pieces keep their type, with normalizeUserDefined text); then
/// AddedTokensFile (added_tokens.json) entries as USER_DEFINED and
/// AddedTokensDecoder (tokenizer_config.json) entries typed by
/// typeAddedToken replace the tokens at their ids, with score -1000; ids
/// beyond the vocabulary are ignored. ConfigPath names VocabSize's source.
llvm::Expected<SentencePieceVocabulary>
buildSentencePieceVocabulary(SentencePieceModel Model,
                             llvm::ArrayRef<AddedToken> AddedTokensFile,
                             llvm::ArrayRef<AddedToken> AddedTokensDecoder,
                             uint64_t VocabSize, llvm::StringRef ConfigPath);

/// Whether tokenizer.json's model is BPE with byte_fallback: a SentencePiece
/// vocabulary in tokenizer.json form (Gemma 3, Llama 2, Mistral).
bool isSentencePieceStyleBPE(const nlohmann::json &TokenizerJSON);

/// The "llama" vocabulary of a SentencePiece-style tokenizer.json: tokens and
/// types as readBPEVocabulary (padding included) with <0xXX> model tokens
/// typed BYTE and model.unk_token UNKNOWN; scores rank the model tokens by
/// the first merge that produces them, so that llama.cpp's highest score
/// first merging reproduces the BPE merge order.
llvm::Expected<SentencePieceVocabulary> readSentencePieceBPEVocabulary(
    llvm::StringRef Path, const nlohmann::json &TokenizerJSON,
    llvm::ArrayRef<AddedToken> Added, uint64_t MinSize);

/// What the special-token part reads.
struct SpecialTokenSources {
  const nlohmann::json *TokenizerJSON;      // tokenizer.json, or null
  llvm::ArrayRef<AddedToken> Added;         // content -> id lookups
  const OptionalJSONFile *TokenizerConfig;  // tokenizer_config.json
  const OptionalJSONFile *GenerationConfig; // generation_config.json
  const ConfigView *ModelConfig;            // *_token_id fallbacks
  uint64_t NumTokens = 0;                   // ids at or above are dropped
};

/// Appends tokenizer.ggml.<key>_token_id(s) and tokenizer.ggml.add_*_token.
llvm::Error lowerSpecialTokens(const SpecialTokenSources &Sources,
                               Metadata &Meta);

/// Appends tokenizer.chat_template (and named templates) from
/// tokenizer_config.json, else chat_template.jinja (with
/// additional_chat_templates/*.jinja), else chat_template.json.
llvm::Error lowerChatTemplate(llvm::StringRef Dir,
                              const OptionalJSONFile &TokenizerConfig,
                              Metadata &Meta);

} // namespace tokenizer
} // namespace ggufc

#endif
