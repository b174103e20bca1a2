//===- Tokenizer.cpp - Tokenizer files to tokenizer.* metadata
//-------------===//
//
// Reads each tokenizer file once and assembles the tokenizer.* keys in
// llama.cpp's order: model, pre, tokens, token_type, merges, special token
// ids, add_* flags, the architecture's fixed ids, chat templates. Nothing is
// added to the caller's metadata unless every file was read successfully.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Frontend/Tokenizer.h"
#include "TokenizerParts.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;
using nlohmann::json;

namespace ggufc {
namespace tokenizer {

Expected<OptionalJSONFile> readOptionalJSONFile(StringRef Dir, StringRef Name) {
  SmallString<256> Path(Dir);
  sys::path::append(Path, Name);
  OptionalJSONFile File;
  File.Path = Path.str().str();
  if (!sys::fs::exists(Path))
    return File;
  auto JSON = readJSONFile(Path);
  if (!JSON)
    return JSON.takeError();
  if (!JSON->is_object())
    return fileError(Path, "expected a JSON object");
  File.JSON = std::move(*JSON);
  return File;
}

} // namespace tokenizer

using namespace tokenizer;

/// Rejects tokenizer.json models that are not byte-level BPE.
static Error checkModelKind(StringRef Path, const json &TokenizerJSON) {
  auto Model = TokenizerJSON.find("model");
  if (Model == TokenizerJSON.end() || !Model->is_object())
    return fileError(Path, "'model' must be an object");
  std::string Type;
  auto TypeIt = Model->find("type");
  if (TypeIt != Model->end() && TypeIt->is_string())
    Type = TypeIt->get<std::string>();
  if (Type.empty())
    return fileError(Path, "model.type: missing");
  if (Type != "BPE")
    return fileError(Path, "unsupported tokenizer model '" + Type + "'");
  auto ByteFallback = Model->find("byte_fallback");
  if (ByteFallback != Model->end() && ByteFallback->is_boolean() &&
      ByteFallback->get<bool>())
    return fileError(Path, "unsupported tokenizer model 'BPE' with "
                           "byte_fallback (a SentencePiece vocabulary)");
  return Error::success();
}

/// config.json's vocab_size (or text_config's): the number of embedding rows
/// the token list is padded to. 0 when the config has none.
static Expected<uint64_t> configVocabSize(const ConfigView &Config) {
  auto Size = Config.getOptUInt("vocab_size");
  if (!Size)
    return Size.takeError();
  if (*Size)
    return **Size;
  if (Optional<ConfigView> Text = Config.sub("text_config")) {
    auto TextSize = Text->getOptUInt("vocab_size");
    if (!TextSize)
      return TextSize.takeError();
    if (*TextSize)
      return **TextSize;
  }
  return 0;
}

static Error noTokenizerError(StringRef Dir) {
  SmallString<256> SentencePiece(Dir);
  sys::path::append(SentencePiece, "tokenizer.model");
  std::string Message = "no tokenizer found (looked for tokenizer.json)";
  if (sys::fs::exists(SentencePiece))
    Message += "; tokenizer.model (SentencePiece) is not supported";
  return fileError(Dir, Message);
}

Error lowerTokenizer(StringRef Dir, const ConfigView &Config,
                     const TokenizerTraits &Traits, Metadata &Meta) {
  auto TokenizerFile = readOptionalJSONFile(Dir, "tokenizer.json");
  if (!TokenizerFile)
    return TokenizerFile.takeError();
  if (!TokenizerFile->JSON)
    return noTokenizerError(Dir);
  StringRef Path = TokenizerFile->Path;
  const json &TokenizerJSON = *TokenizerFile->JSON;
  if (Error E = checkModelKind(Path, TokenizerJSON))
    return E;

  auto VocabSize = configVocabSize(Config);
  if (!VocabSize)
    return VocabSize.takeError();
  auto Added = readAddedTokens(Path, TokenizerJSON);
  if (!Added)
    return Added.takeError();
  auto Vocab = readBPEVocabulary(Path, TokenizerJSON, *Added, *VocabSize);
  if (!Vocab)
    return Vocab.takeError();
  auto TokenizerConfig = readOptionalJSONFile(Dir, "tokenizer_config.json");
  if (!TokenizerConfig)
    return TokenizerConfig.takeError();
  auto GenerationConfig = readOptionalJSONFile(Dir, "generation_config.json");
  if (!GenerationConfig)
    return GenerationConfig.takeError();

  Metadata Out;
  Out.set("tokenizer.ggml.model", MetaValue::str("gpt2"));
  auto Pre = TokenizerJSON.find("pre_tokenizer");
  Out.set("tokenizer.ggml.pre",
          MetaValue::str(identifyPreTokenizer(
              Pre != TokenizerJSON.end() ? *Pre : json())));
  uint64_t NumTokens = Vocab->Tokens.size();
  Out.set("tokenizer.ggml.tokens",
          MetaValue::strArray(std::move(Vocab->Tokens)));
  Out.set("tokenizer.ggml.token_type",
          MetaValue::signedArray(MetaType::I32, std::move(Vocab->Types)));
  if (!Vocab->Merges.empty())
    Out.set("tokenizer.ggml.merges",
            MetaValue::strArray(std::move(Vocab->Merges)));

  SpecialTokenSources Sources;
  Sources.TokenizerJSON = &TokenizerJSON;
  Sources.Added = *Added;
  Sources.TokenizerConfig = &*TokenizerConfig;
  Sources.GenerationConfig = &*GenerationConfig;
  Sources.ModelConfig = &Config;
  Sources.NumTokens = NumTokens;
  if (Error E = lowerSpecialTokens(Sources, Out))
    return E;
  for (const auto &Fixed : Traits.FixedTokenIds)
    Out.set("tokenizer.ggml." + Fixed.first, MetaValue::u32(Fixed.second));
  if (Error E = lowerChatTemplate(Dir, *TokenizerConfig, Out))
    return E;

  for (const Metadata::Entry &E : Out.entries())
    Meta.set(E.first, E.second);
  return Error::success();
}

} // namespace ggufc
