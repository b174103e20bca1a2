//===- TokenizerSentencePieceTest.cpp - tokenizer.model lowering ----------===//
//
// Each test trains a tiny SentencePiece model with Debian's
// python3-sentencepiece (utils/make-spm-model.py), which also writes what
// the SentencePiece library reports about every piece; the lowered
// vocabulary is checked against that independent view.
//
//===----------------------------------------------------------------------===//
#include "TokenizerTestSupport.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace ggufc::testing;
using nlohmann::json;

namespace {

/// Trains a model into C's directory as tokenizer.model; returns the
/// library's view of it (expected.json), or null after a test failure.
json trainModel(const TempCheckpoint &C, std::vector<std::string> Options) {
  std::string Script = std::string(GGUFC_UTILS_DIR) + "/make-spm-model.py";
  std::vector<llvm::StringRef> Args = {GGUFC_PYTHON3, Script, C.dir()};
  for (const std::string &O : Options)
    Args.push_back(O);
  std::string Message;
  int RC = llvm::sys::ExecuteAndWait(GGUFC_PYTHON3, Args, llvm::None, {}, 0, 0,
                                     &Message);
  EXPECT_EQ(RC, 0) << "make-spm-model.py failed: " << Message;
  auto Buffer = llvm::MemoryBuffer::getFile(C.dir() + "/expected.json");
  EXPECT_TRUE(bool(Buffer));
  if (RC != 0 || !Buffer)
    return nullptr;
  llvm::sys::fs::remove(C.dir() + "/expected.json");
  return json::parse((*Buffer)->getBuffer().str());
}

/// A BPE model shaped like Gemma's: byte fallback, no dummy prefix, no
/// normalization, Gemma's reserved ids, user-defined pieces (one with a word
/// marker) and a control piece.
json trainGemmaLikeModel(const TempCheckpoint &C) {
  return trainModel(
      C, {"--byte-fallback", "--no-dummy-prefix", "--identity", "--gemma-ids",
          "--user-defined",
          "<start_of_turn>,\xe2\x96\x81\xe2\x96\x81,<u\xe2\x96\x81x>",
          "--control", "<ctrl>"});
}

TokenizerTraits sentencePieceTraits() {
  TokenizerTraits T;
  T.SentencePiece = true;
  return T;
}

const std::vector<std::string> &tokens(const Metadata &M) {
  return M.get("tokenizer.ggml.tokens")->strValues();
}
const std::vector<double> &scores(const Metadata &M) {
  return M.get("tokenizer.ggml.scores")->floatValues();
}
const std::vector<int64_t> &types(const Metadata &M) {
  return M.get("tokenizer.ggml.token_type")->signedValues();
}

/// The pieces as llama.cpp must see them: user-defined pieces are matched in
/// the raw text, so their word markers are spaces.
std::vector<std::string> expectedTokens(const json &Expected) {
  std::vector<std::string> Out;
  for (size_t I = 0; I < Expected["pieces"].size(); ++I) {
    std::string Piece = Expected["pieces"][I];
    if (Expected["types"][I] == 4) {
      for (size_t Pos; (Pos = Piece.find("\xe2\x96\x81")) != std::string::npos;)
        Piece.replace(Pos, 3, " ");
    }
    Out.push_back(Piece);
  }
  return Out;
}

TEST(TokenizerSentencePiece, PiecesScoresAndTypesAreTheLibrarys) {
  TempCheckpoint C;
  json Expected = trainGemmaLikeModel(C);
  ASSERT_FALSE(Expected.is_null());
  auto M = C.lower(json::object(), sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());

  EXPECT_EQ(M->get("tokenizer.ggml.model")->getStr(), "llama");
  EXPECT_EQ(M->get("tokenizer.ggml.pre")->getStr(), "default");
  EXPECT_EQ(tokens(*M), expectedTokens(Expected));
  EXPECT_EQ(M->get("tokenizer.ggml.scores")->elemType(), MetaType::F32);
  EXPECT_EQ(scores(*M), Expected["scores"].get<std::vector<double>>());
  EXPECT_EQ(M->get("tokenizer.ggml.token_type")->elemType(), MetaType::I32);
  EXPECT_EQ(types(*M), Expected["types"].get<std::vector<int64_t>>());
  // The model was trained to be like Gemma's, which llama.cpp must not
  // prefix with a space.
  ASSERT_FALSE(Expected["add_dummy_prefix"].get<bool>());
  EXPECT_FALSE(M->get("tokenizer.ggml.add_space_prefix")->getBool());
  EXPECT_EQ(keysOf(*M), (std::vector<std::string>{
                            "tokenizer.ggml.model", "tokenizer.ggml.pre",
                            "tokenizer.ggml.tokens", "tokenizer.ggml.scores",
                            "tokenizer.ggml.token_type",
                            "tokenizer.ggml.add_space_prefix"}));
  // The hand-picked facts the comparison relies on.
  EXPECT_EQ(tokens(*M)[6], "  ");
  EXPECT_EQ(tokens(*M)[7], "<u x>");
  EXPECT_EQ(types(*M)[6], 4);
}

TEST(TokenizerSentencePiece, UnigramScoresAndDummyPrefix) {
  TempCheckpoint C;
  json Expected =
      trainModel(C, {"--model-type", "unigram", "--user-defined", "<sep>"});
  ASSERT_FALSE(Expected.is_null());
  auto M = C.lower(json::object(), sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(tokens(*M), expectedTokens(Expected));
  // Unigram scores are log probabilities: every float32 bit must survive.
  EXPECT_EQ(scores(*M), Expected["scores"].get<std::vector<double>>());
  EXPECT_EQ(types(*M), Expected["types"].get<std::vector<int64_t>>());
  ASSERT_TRUE(Expected["add_dummy_prefix"].get<bool>());
  EXPECT_TRUE(M->get("tokenizer.ggml.add_space_prefix")->getBool());
}

TEST(TokenizerSentencePiece, PadsToConfigVocabSize) {
  TempCheckpoint C;
  json Expected = trainGemmaLikeModel(C);
  ASSERT_FALSE(Expected.is_null());
  size_t N = Expected["pieces"].size();
  // Gemma 3n keeps vocab_size in text_config.
  auto M = C.lower({{"text_config", {{"vocab_size", N + 3}}}},
                   sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  ASSERT_EQ(tokens(*M).size(), N + 3);
  for (size_t Id = N; Id < N + 3; ++Id) {
    EXPECT_EQ(tokens(*M)[Id], "[PAD" + std::to_string(Id) + "]");
    EXPECT_EQ(scores(*M)[Id], -10000.0);
    EXPECT_EQ(types(*M)[Id], 5);
  }
  EXPECT_EQ(tokens(*M)[N - 1], Expected["pieces"][N - 1]);
}

TEST(TokenizerSentencePiece, DropsPiecesBeyondConfigVocabSize) {
  TempCheckpoint C;
  json Expected = trainGemmaLikeModel(C);
  ASSERT_FALSE(Expected.is_null());
  size_t N = Expected["pieces"].size();
  auto M = C.lower({{"vocab_size", N - 10}}, sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  std::vector<std::string> Kept = expectedTokens(Expected);
  Kept.resize(N - 10);
  EXPECT_EQ(tokens(*M), Kept);
  EXPECT_EQ(scores(*M).size(), N - 10);
  EXPECT_EQ(types(*M).size(), N - 10);
}

TEST(TokenizerSentencePiece, AddedTokensReplacePiecesAndPadding) {
  TempCheckpoint C;
  json Expected = trainGemmaLikeModel(C);
  ASSERT_FALSE(Expected.is_null());
  size_t N = Expected["pieces"].size();
  // added_tokens.json: USER_DEFINED, text as is; ids beyond the vocabulary
  // are ignored.
  C.writeJSON("added_tokens.json", {{"<extra\xe2\x96\x81one>", N},
                                    {"<replaced>", 20},
                                    {"<decoded later>", N + 1},
                                    {"<beyond>", N + 50}});
  // added_tokens_decoder wins over added_tokens.json and over pieces:
  // special or special-looking -> CONTROL, else USER_DEFINED with spaces.
  C.writeJSON(
      "tokenizer_config.json",
      {{"added_tokens_decoder",
        {{"4", {{"content", "<ctrl>"}, {"special", true}}},
         {"21", {{"content", "<unused7>"}, {"special", false}}},
         {"22",
          {{"content", "\xe2\x96\x81hi\xe2\x96\x81"}, {"special", false}}},
         {std::to_string(N + 1), {{"content", "<|im|>"}, {"special", false}}},
         {std::to_string(N + 9),
          {{"content", "<beyond>"}, {"special", true}}}}}});
  auto M = C.lower({{"vocab_size", N + 3}}, sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  ASSERT_EQ(tokens(*M).size(), N + 3);

  struct Row {
    size_t Id;
    std::string Token;
    double Score;
    int64_t Type;
  };
  const Row Rows[] = {
      {4, "<ctrl>", -1000.0, 3},
      {20, "<replaced>", -1000.0, 4},
      {21, "<unused7>", -1000.0, 4}, // "special": false
      {22, " hi ", -1000.0, 4},
      {N, "<extra\xe2\x96\x81one>", -1000.0, 4},
      {N + 1, "<|im|>", -1000.0, 4}, // "special": false
      {N + 2, "[PAD" + std::to_string(N + 2) + "]", -10000.0, 5}};
  for (const Row &R : Rows) {
    EXPECT_EQ(tokens(*M)[R.Id], R.Token) << R.Id;
    EXPECT_EQ(scores(*M)[R.Id], R.Score) << R.Id;
    EXPECT_EQ(types(*M)[R.Id], R.Type) << R.Id;
  }
  // Untouched pieces keep the library's score.
  EXPECT_EQ(scores(*M)[23], Expected["scores"][23].get<double>());
}

TEST(TokenizerSentencePiece, SpecialIdsFlagsAndChatTemplate) {
  TempCheckpoint C;
  json Expected = trainGemmaLikeModel(C);
  ASSERT_FALSE(Expected.is_null());
  // Without tokenizer.json, token names cannot be resolved (as in
  // llama.cpp's converter): the ids come from config.json.
  C.writeJSON("tokenizer_config.json", {{"bos_token", "<s>"},
                                        {"eos_token", "</s>"},
                                        {"add_bos_token", true},
                                        {"add_eos_token", false},
                                        {"chat_template", "{{ messages }}"}});
  json Config = {{"bos_token_id", Expected["bos_id"]},
                 {"eos_token_id", Expected["eos_id"]},
                 {"pad_token_id", Expected["pad_id"]},
                 {"unk_token_id", Expected["unk_id"]}};
  auto M = C.lower(Config, sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  // --gemma-ids: pad 0, eos 1, bos 2, unk 3.
  EXPECT_EQ(M->get("tokenizer.ggml.bos_token_id")->getUnsigned(), 2u);
  EXPECT_EQ(M->get("tokenizer.ggml.eos_token_id")->getUnsigned(), 1u);
  EXPECT_EQ(M->get("tokenizer.ggml.padding_token_id")->getUnsigned(), 0u);
  EXPECT_EQ(M->get("tokenizer.ggml.unknown_token_id")->getUnsigned(), 3u);
  EXPECT_TRUE(M->get("tokenizer.ggml.add_bos_token")->getBool());
  EXPECT_FALSE(M->get("tokenizer.ggml.add_eos_token")->getBool());
  EXPECT_EQ(M->get("tokenizer.chat_template")->getStr(), "{{ messages }}");

  // With tokenizer.json, its added_tokens name the ids.
  C.writeJSON("tokenizer.json", bpeTokenizer({{"a", 0}}, json::array(),
                                             {addedToken(5, "<s>", true),
                                              addedToken(6, "</s>", true)}));
  M = C.lower(Config, sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(M->get("tokenizer.ggml.model")->getStr(), "llama");
  EXPECT_EQ(M->get("tokenizer.ggml.bos_token_id")->getUnsigned(), 5u);
  EXPECT_EQ(M->get("tokenizer.ggml.eos_token_id")->getUnsigned(), 6u);
}

TEST(TokenizerSentencePiece, ArchitectureFixedIdsFollowTheVocabulary) {
  TempCheckpoint C;
  ASSERT_FALSE(trainGemmaLikeModel(C).is_null());
  // Gemma's FIM and end-of-turn ids, as its architecture file fixes them.
  TokenizerTraits Traits = sentencePieceTraits();
  Traits.FixedTokenIds = {{"eot_token_id", 107},
                          {"prefix_token_id", 67},
                          {"middle_token_id", 68},
                          {"suffix_token_id", 69}};
  auto M = C.lower({{"eos_token_id", 1}}, Traits);
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  for (const auto &Fixed : Traits.FixedTokenIds) {
    const MetaValue *V = M->get("tokenizer.ggml." + Fixed.first);
    ASSERT_NE(V, nullptr) << Fixed.first;
    EXPECT_EQ(V->elemType(), MetaType::U32);
    EXPECT_EQ(V->getUnsigned(), Fixed.second);
  }
  std::vector<std::string> Keys = keysOf(*M);
  std::vector<std::string> Tail(Keys.end() - 6, Keys.end());
  EXPECT_EQ(Tail, (std::vector<std::string>{"tokenizer.ggml.eos_token_id",
                                            "tokenizer.ggml.add_space_prefix",
                                            "tokenizer.ggml.eot_token_id",
                                            "tokenizer.ggml.prefix_token_id",
                                            "tokenizer.ggml.middle_token_id",
                                            "tokenizer.ggml.suffix_token_id"}));
}

TEST(TokenizerSentencePiece, ArchitectureChoosesBetweenModelAndJSON) {
  TempCheckpoint C;
  ASSERT_FALSE(trainGemmaLikeModel(C).is_null());
  // Only tokenizer.model: read whatever the architecture prefers.
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(M->get("tokenizer.ggml.model")->getStr(), "llama");

  // Both: a SentencePiece architecture reads tokenizer.model, others
  // tokenizer.json.
  C.writeJSON("tokenizer.json",
              bpeTokenizer({{"a", 0}, {"b", 1}}, json::array({"a b"})));
  M = C.lower(json::object(), sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(M->get("tokenizer.ggml.model")->getStr(), "llama");
  M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(M->get("tokenizer.ggml.model")->getStr(), "gpt2");
  EXPECT_EQ(tokens(*M), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(M->contains("tokenizer.ggml.add_space_prefix"));
}

/// One ModelProto.pieces entry, encoded by hand from the protobuf encoding
/// rules (tag byte = field number << 3 | wire type; lengths below 128 are
/// one byte): field 1 (length-delimited, tag 0a) holding the piece text
/// (field 1, tag 0a), then the little-endian float32 bytes of the score if
/// given (field 2, fixed32, tag 15) and the type if not 0 (field 3, varint,
/// tag 18).
std::string pieceField(const std::string &Text, int Type = 0,
                       const std::string &ScoreBytes = "") {
  std::string Body = "\x0a" + std::string(1, char(Text.size())) + Text;
  if (!ScoreBytes.empty())
    Body += "\x15" + ScoreBytes;
  if (Type)
    Body += "\x18" + std::string(1, char(Type));
  return "\x0a" + std::string(1, char(Body.size())) + Body;
}

TEST(TokenizerSentencePiece, ReadsHandEncodedModel) {
  TempCheckpoint C;
  // -1.5f is 0xbfc00000. Type 9 is no SentencePiece type; the library reads
  // it as normal. Without a normalizer spec, add_dummy_prefix has its
  // default, true. (python3-sentencepiece loads both models below and
  // reports these pieces, scores and types, and a dummy prefix only for the
  // first.)
  std::string Pieces = pieceField("<unk>", 2) +
                       pieceField("a", 0, std::string("\0\0\xc0\xbf", 4)) +
                       pieceField("<c>", 3) + pieceField("b", 9) +
                       pieceField("<x>", 4) + pieceField("<n>", 5);
  C.write("tokenizer.model", Pieces);
  auto M = C.lower(json::object(), sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(tokens(*M),
            (std::vector<std::string>{"<unk>", "a", "<c>", "b", "<x>", "<n>"}));
  EXPECT_EQ(scores(*M), (std::vector<double>{0.0, -1.5, 0.0, 0.0, 0.0, 0.0}));
  EXPECT_EQ(types(*M), (std::vector<int64_t>{2, 1, 3, 1, 4, 5}));
  EXPECT_TRUE(M->get("tokenizer.ggml.add_space_prefix")->getBool());

  // ModelProto.normalizer_spec (field 3, tag 1a) with add_dummy_prefix
  // (field 3, varint, tag 18) false, before the pieces: field order does
  // not matter.
  C.write("tokenizer.model", std::string("\x1a\x02\x18\x00", 4) + Pieces);
  M = C.lower(json::object(), sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_FALSE(M->get("tokenizer.ggml.add_space_prefix")->getBool());
  EXPECT_EQ(tokens(*M).size(), 6u);
}

/// Expects lowering to fail with "<dir>/<File>: " and Needle, leaving the
/// caller's metadata untouched.
void expectError(const TempCheckpoint &C, const std::string &File,
                 const std::string &Needle) {
  Metadata Meta;
  Meta.set("general.architecture", MetaValue::str("gemma"));
  json Config = json::object();
  ConfigView View(C.dir() + "/config.json", Config);
  std::string Text =
      errorText(lowerTokenizer(C.dir(), View, sentencePieceTraits(), Meta));
  EXPECT_EQ(Text.rfind(C.dir() + "/" + File + ": ", 0), 0u) << Text;
  EXPECT_NE(Text.find(Needle), std::string::npos) << Text;
  EXPECT_EQ(keysOf(Meta), std::vector<std::string>{"general.architecture"});
}

TEST(TokenizerSentencePiece, RejectsBrokenModels) {
  TempCheckpoint C;
  const std::string NotAModel = "not a SentencePiece model (";
  // A length of 255 with no bytes after it.
  C.write("tokenizer.model", "\x0a\xff");
  expectError(C, "tokenizer.model", NotAModel + "malformed protobuf message)");
  // Text, as in a tiktoken tokenizer.model: '#' is field 4 with wire type 3
  // (start group), which is never closed.
  C.write("tokenizer.model", "#version 2\n");
  expectError(C, "tokenizer.model", NotAModel + "malformed protobuf message)");
  // Well-formed messages that SentencePiece refuses (python3-sentencepiece
  // rejects each of them on loading).
  C.write("tokenizer.model", "");
  expectError(C, "tokenizer.model", NotAModel + "no pieces)");
  C.write("tokenizer.model", pieceField("<unk>", 2) + pieceField(""));
  expectError(C, "tokenizer.model", NotAModel + "piece 1 is empty)");
  C.write("tokenizer.model",
          pieceField("a") + pieceField("<unk>", 2) + pieceField("a", 4));
  expectError(C, "tokenizer.model", NotAModel + "pieces 0 and 2 are both 'a')");
  C.write("tokenizer.model", pieceField("a") + pieceField("b", 3));
  expectError(C, "tokenizer.model", NotAModel + "no piece of type UNKNOWN)");
  C.write("tokenizer.model",
          pieceField("<unk>", 2) + pieceField("a") + pieceField("<u>", 2));
  expectError(C, "tokenizer.model",
              NotAModel + "pieces 0 and 2 are both of type UNKNOWN)");
}

TEST(TokenizerSentencePiece, RejectsBrokenAddedTokens) {
  TempCheckpoint C;
  ASSERT_FALSE(trainGemmaLikeModel(C).is_null());
  C.writeJSON("added_tokens.json", {{"<a>", "seven"}});
  expectError(C, "added_tokens.json", "'<a>': expected a token id");
  C.writeJSON("added_tokens.json", {{"<a>", 7}, {"<b>", 7}});
  expectError(C, "added_tokens.json", "tokens '<a>' and '<b>' share id 7");
  C.writeJSON("added_tokens.json", json::array());
  expectError(C, "added_tokens.json", "expected a JSON object");
  llvm::sys::fs::remove(C.dir() + "/added_tokens.json");

  C.writeJSON("tokenizer_config.json",
              {{"added_tokens_decoder", {{"x1", {{"content", "<a>"}}}}}});
  expectError(C, "tokenizer_config.json",
              "added_tokens_decoder.x1: key must be a token id");
  C.writeJSON("tokenizer_config.json",
              {{"added_tokens_decoder", {{"1", {{"special", true}}}}}});
  expectError(C, "tokenizer_config.json",
              "added_tokens_decoder.1: 'content' must be a string");
  C.writeJSON("tokenizer_config.json", {{"added_tokens_decoder", 3}});
  expectError(C, "tokenizer_config.json",
              "added_tokens_decoder: expected an object");
}

} // namespace
