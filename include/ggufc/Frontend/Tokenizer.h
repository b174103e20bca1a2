//===- Tokenizer.h - Tokenizer files to tokenizer.* metadata ----------------===//
#ifndef GGUFC_FRONTEND_TOKENIZER_H
#define GGUFC_FRONTEND_TOKENIZER_H

#include "ggufc/Frontend/Architecture.h"
#include "ggufc/Frontend/Config.h"
#include "ggufc/IR/Metadata.h"
#include "llvm/Support/Error.h"

namespace ggufc {

/// GGUF token types (llama_token_type).
enum class TokenType : int32_t {
  Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6
};

/// Reads the tokenizer of checkpoint directory Dir (tokenizer.json or
/// tokenizer.model with added_tokens.json, tokenizer_config.json,
/// generation_config.json, chat_template.jinja) and appends the tokenizer.*
/// keys to Meta. Config is the model config (for
/// vocab_size and the *_token_id fallbacks).
llvm::Error lowerTokenizer(llvm::StringRef Dir, const ConfigView &Config,
                           const TokenizerTraits &Traits, Metadata &Meta);

/// tokenizer.ggml.pre for a tokenizer.json pre_tokenizer object: the SHA-256
/// of its Split regexes identifies it, as ollama's converter does; "default"
/// when nothing is known.
std::string identifyPreTokenizer(const nlohmann::json &PreTokenizer);

} // namespace ggufc

#endif
