//===- TokenizerVocabTest.cpp - BPE tokens, types, merges, padding
//---------===//
#include "TokenizerTestSupport.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace ggufc::testing;
using nlohmann::json;

namespace {

const std::vector<std::string> &strs(const Metadata &M, const char *Key) {
  const MetaValue *V = M.get(Key);
  EXPECT_NE(V, nullptr) << Key;
  static const std::vector<std::string> Empty;
  return V ? V->strValues() : Empty;
}

const std::vector<int64_t> &types(const Metadata &M) {
  return M.get("tokenizer.ggml.token_type")->signedValues();
}

TEST(TokenizerVocab, TokensTypesAndMergesInIdOrder) {
  TempCheckpoint C;
  // Ids deliberately not in key order; added tokens: special -> CONTROL,
  // non-special -> USER_DEFINED unless they look like <|...|> (CONTROL, as
  // llama.cpp); U+2581 in user-defined tokens becomes a space.
  C.writeJSON(
      "tokenizer.json",
      bpeTokenizer({{"b", 1},
                    {"a", 0},
                    {"\xc4\xa0"
                     "c",
                     3},
                    {"ab", 2}},
                   {"a b", "\xc4\xa0 c"},
                   {addedToken(4, "<|end|>", true),
                    addedToken(5, "<think>", false),
                    addedToken(6, "<|fim|>", false),
                    addedToken(7, "\xe2\x96\x81x\xe2\x96\x81", false)}));
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());

  EXPECT_EQ(M->get("tokenizer.ggml.model")->getStr(), "gpt2");
  EXPECT_EQ(M->get("tokenizer.ggml.pre")->getStr(), "default");
  std::vector<std::string> ExpectedTokens = {"a",
                                             "b",
                                             "ab",
                                             "\xc4\xa0"
                                             "c",
                                             "<|end|>",
                                             "<think>",
                                             "<|fim|>",
                                             " x "};
  EXPECT_EQ(strs(*M, "tokenizer.ggml.tokens"), ExpectedTokens);
  const MetaValue *Types = M->get("tokenizer.ggml.token_type");
  ASSERT_NE(Types, nullptr);
  EXPECT_EQ(Types->elemType(), MetaType::I32);
  EXPECT_EQ(Types->signedValues(),
            (std::vector<int64_t>{1, 1, 1, 1, 3, 4, 4, 4})); // "special" decides
  EXPECT_EQ(strs(*M, "tokenizer.ggml.merges"),
            (std::vector<std::string>{"a b", "\xc4\xa0 c"}));
  // llama.cpp writes no scores for BPE; no tokenizer_config -> no ids.
  EXPECT_EQ(keysOf(*M), (std::vector<std::string>{"tokenizer.ggml.model",
                                                  "tokenizer.ggml.pre",
                                                  "tokenizer.ggml.tokens",
                                                  "tokenizer.ggml.token_type",
                                                  "tokenizer.ggml.merges"}));
}

TEST(TokenizerVocab, AddedTokenReplacesModelTokenWithItsId) {
  TempCheckpoint C;
  C.writeJSON(
      "tokenizer.json",
      bpeTokenizer({{"a", 0}, {"<|endoftext|>", 1}}, json::array(),
                   json::array({addedToken(1, "<|endoftext|>", true)})));
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(strs(*M, "tokenizer.ggml.tokens"),
            (std::vector<std::string>{"a", "<|endoftext|>"}));
  EXPECT_EQ(types(*M), (std::vector<int64_t>{1, 3}));
  // No merges -> no merges key.
  EXPECT_EQ(M->get("tokenizer.ggml.merges"), nullptr);
}

TEST(TokenizerVocab, PairMergesEscapeSpacesInsideParts) {
  TempCheckpoint C;
  // ["a b", "c"]: the space inside the first part becomes U+0120 (C4 A0)
  // and one plain space separates the parts.
  C.writeJSON("tokenizer.json",
              bpeTokenizer({{"a", 0}, {"b", 1}},
                           json::array({json::array({"a", "b"}),
                                        json::array({"a b", " c"})})));
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(strs(*M, "tokenizer.ggml.merges"),
            (std::vector<std::string>{"a b", "a\xc4\xa0"
                                             "b \xc4\xa0"
                                             "c"}));
}

TEST(TokenizerVocab, PadsToConfigVocabSizeAndFillsGaps) {
  TempCheckpoint C;
  // Id 2 is missing; vocab_size 7 adds ids 5 and 6.
  C.writeJSON("tokenizer.json",
              bpeTokenizer({{"a", 0}, {"b", 1}, {"c", 3}}, json::array(),
                           json::array({addedToken(4, "<s>", true)})));
  auto M = C.lower({{"vocab_size", 7}});
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(strs(*M, "tokenizer.ggml.tokens"),
            (std::vector<std::string>{"a", "b", "[PAD2]", "c", "<s>", "[PAD5]",
                                      "[PAD6]"}));
  EXPECT_EQ(types(*M), (std::vector<int64_t>{1, 1, 5, 1, 3, 5, 5}));
}

TEST(TokenizerVocab, PadsToTextConfigVocabSize) {
  TempCheckpoint C;
  C.writeJSON("tokenizer.json", bpeTokenizer({{"a", 0}}, json::array()));
  auto M = C.lower({{"text_config", {{"vocab_size", 3}}}});
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(strs(*M, "tokenizer.ggml.tokens"),
            (std::vector<std::string>{"a", "[PAD1]", "[PAD2]"}));
}

TEST(TokenizerVocab, KeepsTokenizerLongerThanVocabSize) {
  TempCheckpoint C;
  C.writeJSON("tokenizer.json",
              bpeTokenizer({{"a", 0}, {"b", 1}, {"c", 2}}, json::array()));
  auto M = C.lower({{"vocab_size", 2}});
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(strs(*M, "tokenizer.ggml.tokens"),
            (std::vector<std::string>{"a", "b", "c"}));
}

TEST(TokenizerVocab, MistypedVocabSizeIsAnError) {
  TempCheckpoint C;
  C.writeJSON("tokenizer.json", bpeTokenizer({{"a", 0}}, json::array()));
  auto M = C.lower({{"vocab_size", "many"}});
  ASSERT_FALSE(bool(M));
  std::string Text = errorText(M.takeError());
  EXPECT_NE(Text.find("config.json: vocab_size"), std::string::npos) << Text;
}

/// Expects lowering to fail with a message starting "<dir>/tokenizer.json: "
/// and containing Needle; and nothing to be written.
void expectTokenizerError(const TempCheckpoint &C, const std::string &Needle,
                          const json &Config = json::object()) {
  auto M = C.lower(Config);
  ASSERT_FALSE(bool(M));
  std::string Text = errorText(M.takeError());
  EXPECT_EQ(Text.rfind(C.dir() + "/tokenizer.json: ", 0), 0u) << Text;
  EXPECT_NE(Text.find(Needle), std::string::npos) << Text;
}

TEST(TokenizerVocab, RejectsNonBPEModels) {
  TempCheckpoint C;
  C.writeJSON("tokenizer.json",
              {{"model", {{"type", "Unigram"}, {"vocab", {{"a", 0.0}}}}}});
  expectTokenizerError(C, "unsupported tokenizer model 'Unigram'");
  C.writeJSON("tokenizer.json",
              {{"model", {{"type", "WordPiece"}, {"vocab", {{"a", 0}}}}}});
  expectTokenizerError(C, "unsupported tokenizer model 'WordPiece'");
}

TEST(TokenizerVocab, RejectsMalformedVocabularies) {
  TempCheckpoint C;
  C.write("tokenizer.json", "{\"model\": {");
  expectTokenizerError(C, "malformed JSON");
  C.writeJSON("tokenizer.json", json::array());
  expectTokenizerError(C, "expected a JSON object");
  C.writeJSON("tokenizer.json", bpeTokenizer({{"a", -1}}, json::array()));
  expectTokenizerError(C, "model.vocab: token 'a' has no valid id");
  C.writeJSON("tokenizer.json",
              bpeTokenizer({{"a", 0}, {"b", 0}}, json::array()));
  expectTokenizerError(C, "share id 0");
  C.writeJSON("tokenizer.json",
              bpeTokenizer({{"a", 0}}, json::array({json::array({"a"})})));
  expectTokenizerError(C, "model.merges[0]");
  C.writeJSON("tokenizer.json",
              bpeTokenizer({{"a", 0}}, json::array(), {{{"id", 1}}}));
  expectTokenizerError(C, "added_tokens[0]: 'content' must be a string");
  // An id far beyond both the token count and vocab_size is corrupt.
  C.writeJSON("tokenizer.json",
              bpeTokenizer({{"a", 0}, {"b", 2000000000}}, json::array()));
  expectTokenizerError(C, "token id 2000000000", {{"vocab_size", 10}});
}

TEST(TokenizerVocab, MissingTokenizerNamesDirectoryAndFiles) {
  TempCheckpoint C;
  auto M = C.lower();
  ASSERT_FALSE(bool(M));
  std::string Text = errorText(M.takeError());
  EXPECT_EQ(Text, C.dir() + ": no tokenizer found (looked for tokenizer.json "
                            "and tokenizer.model)");
}

TEST(TokenizerVocab, ErrorLeavesMetadataUntouched) {
  TempCheckpoint C;
  C.writeJSON("tokenizer.json", bpeTokenizer({{"a", 0}}, json::array()));
  // A malformed file read after the vocabulary is built.
  C.write("generation_config.json", "{");
  json Config = json::object();
  ConfigView View(C.dir() + "/config.json", Config);
  Metadata Meta;
  Meta.set("general.architecture", MetaValue::str("qwen3"));
  llvm::Error E = lowerTokenizer(C.dir(), View, TokenizerTraits(), Meta);
  EXPECT_NE(errorText(std::move(E)).find("generation_config.json"),
            std::string::npos);
  EXPECT_EQ(keysOf(Meta), std::vector<std::string>{"general.architecture"});
}

} // namespace
