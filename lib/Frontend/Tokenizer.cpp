//===- Tokenizer.cpp - Tokenizer files to tokenizer.* metadata ------------===//
//
// Reads each tokenizer file once and assembles the tokenizer.* keys in
// llama.cpp's order: model, pre, tokens, scores, token_type, merges, special
// token ids, add_* flags, add_space_prefix, the architecture's fixed ids,
// chat templates. Nothing is added to the caller's metadata unless every
// file was read successfully.
//
// The vocabulary comes from tokenizer.model (SentencePiece, llama.cpp's
// "llama" tokenizer) when the architecture's vocabulary is SentencePiece or
// there is no tokenizer.json; else from tokenizer.json, as "llama" when its
// BPE model has byte_fallback (SentencePiece exported by transformers) and as
// byte-level "gpt2" otherwise. add_space_prefix, which llama.cpp defaults to
// true for "llama", is written from the model's own setting (SentencePiece's
// normalizer add_dummy_prefix, tokenizer.json's Prepend/Metaspace): false
// for Gemma, as llama.cpp's converter writes for it.
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

/// Rejects tokenizer.json models other than BPE.
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

/// Appends the keys of a vocabulary in llama.cpp's SentencePiece form.
static void writeVocabulary(SentencePieceVocabulary Vocab, Metadata &Out) {
  Out.set("tokenizer.ggml.model", MetaValue::str("llama"));
  Out.set("tokenizer.ggml.pre", MetaValue::str("default"));
  Out.set("tokenizer.ggml.tokens",
          MetaValue::strArray(std::move(Vocab.Tokens)));
  Out.set("tokenizer.ggml.scores",
          MetaValue::floatArray(MetaType::F32, std::move(Vocab.Scores)));
  Out.set("tokenizer.ggml.token_type",
          MetaValue::signedArray(MetaType::I32, std::move(Vocab.Types)));
}

/// Appends the keys of a byte-level BPE vocabulary.
static void writeVocabulary(BPEVocabulary Vocab, const json &TokenizerJSON,
                            Metadata &Out) {
  Out.set("tokenizer.ggml.model", MetaValue::str("gpt2"));
  auto Pre = TokenizerJSON.find("pre_tokenizer");
  Out.set("tokenizer.ggml.pre",
          MetaValue::str(identifyPreTokenizer(
              Pre != TokenizerJSON.end() ? *Pre : json())));
  Out.set("tokenizer.ggml.tokens",
          MetaValue::strArray(std::move(Vocab.Tokens)));
  Out.set("tokenizer.ggml.token_type",
          MetaValue::signedArray(MetaType::I32, std::move(Vocab.Types)));
  if (!Vocab.Merges.empty())
    Out.set("tokenizer.ggml.merges",
            MetaValue::strArray(std::move(Vocab.Merges)));
}

/// The "llama" vocabulary of tokenizer.model and the tokens the checkpoint
/// adds to it.
static Expected<SentencePieceVocabulary>
readModelVocabulary(StringRef Dir, StringRef ModelPath,
                    const OptionalJSONFile &TokenizerConfig, uint64_t VocabSize,
                    StringRef ConfigPath) {
  auto Model = readSentencePieceModel(ModelPath);
  if (!Model)
    return Model.takeError();
  auto AddedFile = readOptionalJSONFile(Dir, "added_tokens.json");
  if (!AddedFile)
    return AddedFile.takeError();
  auto FileTokens = readAddedTokensFile(*AddedFile);
  if (!FileTokens)
    return FileTokens.takeError();
  auto DecoderTokens = readAddedTokensDecoder(TokenizerConfig);
  if (!DecoderTokens)
    return DecoderTokens.takeError();
  return buildSentencePieceVocabulary(std::move(*Model), *FileTokens,
                                      *DecoderTokens, VocabSize, ConfigPath);
}

Error lowerTokenizer(StringRef Dir, const ConfigView &Config,
                     const TokenizerTraits &Traits, Metadata &Meta) {
  auto TokenizerFile = readOptionalJSONFile(Dir, "tokenizer.json");
  if (!TokenizerFile)
    return TokenizerFile.takeError();
  SmallString<256> ModelPath(Dir);
  sys::path::append(ModelPath, "tokenizer.model");
  bool HaveModel = sys::fs::exists(ModelPath);
  const json *TokenizerJSON =
      TokenizerFile->JSON ? &*TokenizerFile->JSON : nullptr;
  if (!TokenizerJSON && !HaveModel)
    return fileError(Dir, "no tokenizer found (looked for tokenizer.json and "
                          "tokenizer.model)");
  bool UseModel = HaveModel && (Traits.SentencePiece || !TokenizerJSON);
  StringRef Path = TokenizerFile->Path;
  if (!UseModel)
    if (Error E = checkModelKind(Path, *TokenizerJSON))
      return E;

  auto VocabSize = configVocabSize(Config);
  if (!VocabSize)
    return VocabSize.takeError();
  std::vector<AddedToken> Added;
  if (TokenizerJSON) {
    auto Tokens = readAddedTokens(Path, *TokenizerJSON);
    if (!Tokens)
      return Tokens.takeError();
    Added = std::move(*Tokens);
  }
  auto TokenizerConfig = readOptionalJSONFile(Dir, "tokenizer_config.json");
  if (!TokenizerConfig)
    return TokenizerConfig.takeError();
  auto GenerationConfig = readOptionalJSONFile(Dir, "generation_config.json");
  if (!GenerationConfig)
    return GenerationConfig.takeError();

  Metadata Out;
  Optional<bool> AddSpacePrefix; // SentencePiece vocabularies only
  if (UseModel || isSentencePieceStyleBPE(*TokenizerJSON)) {
    auto Vocab = UseModel
                     ? readModelVocabulary(Dir, ModelPath, *TokenizerConfig,
                                           *VocabSize, Config.path())
                     : readSentencePieceBPEVocabulary(Path, *TokenizerJSON,
                                                      Added, *VocabSize);
    if (!Vocab)
      return Vocab.takeError();
    AddSpacePrefix = Vocab->AddSpacePrefix;
    writeVocabulary(std::move(*Vocab), Out);
  } else {
    auto Vocab = readBPEVocabulary(Path, *TokenizerJSON, Added, *VocabSize);
    if (!Vocab)
      return Vocab.takeError();
    writeVocabulary(std::move(*Vocab), *TokenizerJSON, Out);
  }
  uint64_t NumTokens = Out.get("tokenizer.ggml.tokens")->size();

  SpecialTokenSources Sources;
  Sources.TokenizerJSON = TokenizerJSON;
  Sources.Added = Added;
  Sources.TokenizerConfig = &*TokenizerConfig;
  Sources.GenerationConfig = &*GenerationConfig;
  Sources.ModelConfig = &Config;
  Sources.NumTokens = NumTokens;
  if (Error E = lowerSpecialTokens(Sources, Out))
    return E;
  if (AddSpacePrefix)
    Out.set("tokenizer.ggml.add_space_prefix",
            MetaValue::boolean(*AddSpacePrefix));
  for (const auto &Fixed : Traits.FixedTokenIds)
    Out.set("tokenizer.ggml." + Fixed.first, MetaValue::u32(Fixed.second));
  if (Error E = lowerChatTemplate(Dir, *TokenizerConfig, Out))
    return E;

  for (const Metadata::Entry &E : Out.entries())
    Meta.set(E.first, E.second);
  return Error::success();
}

} // namespace ggufc
