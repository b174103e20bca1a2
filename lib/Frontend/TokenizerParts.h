//===- TokenizerParts.h - Pieces of tokenizer lowering (private)
//-----------===//
//
// lowerTokenizer (Tokenizer.cpp) reads the tokenizer files of a checkpoint
// once and hands the parsed JSON to one file per job:
//   TokenizerVocab.cpp        tokens, token types and merges of a BPE model
//   TokenizerPre.cpp          tokenizer.ggml.pre from the pre-tokenizer
//   TokenizerSpecial.cpp      special token ids and add_* flags
//   TokenizerChatTemplate.cpp tokenizer.chat_template*
// The output follows what llama.cpp's converter writes (gguf-py vocab.py and
// TextModel.get_vocab_base), which is what llama.cpp's loader expects.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_FRONTEND_TOKENIZERPARTS_H
#define GGUFC_LIB_FRONTEND_TOKENIZERPARTS_H

#include "ggufc/Frontend/Config.h"
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

/// "<path>: <message>" as an error.
inline llvm::Error fileError(llvm::StringRef Path, const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (Path + ": " + Message).str());
}

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

/// What the special-token part reads.
struct SpecialTokenSources {
  const nlohmann::json *TokenizerJSON;      // tokenizer.json (post_processor)
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
