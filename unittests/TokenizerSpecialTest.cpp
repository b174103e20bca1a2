//===- TokenizerSpecialTest.cpp - Special token ids and add_* flags
//--------===//
#include "TokenizerTestSupport.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace ggufc::testing;
using nlohmann::json;

namespace {

/// A checkpoint whose tokenizer has plain tokens a..d (ids 0-3) and the
/// added tokens <s>=4, </s>=5, <pad>=6, [CLS]=7, <|im_end|>=8.
struct SpecialCheckpoint : TempCheckpoint {
  explicit SpecialCheckpoint(const json &PostProcessor = nullptr) {
    json T = bpeTokenizer(
        {{"a", 0}, {"b", 1}, {"c", 2}, {"d", 3}}, json::array(),
        {addedToken(4, "<s>", true), addedToken(5, "</s>", true),
         addedToken(6, "<pad>", true), addedToken(7, "[CLS]", true),
         addedToken(8, "<|im_end|>", true)});
    T["post_processor"] = PostProcessor;
    writeJSON("tokenizer.json", T);
  }
};

/// The u32 value of a key, or -1 when absent.
int64_t idOf(const Metadata &M, const std::string &Key) {
  const MetaValue *V = M.get(Key);
  if (!V)
    return -1;
  EXPECT_EQ(V->elemType(), MetaType::U32) << Key;
  return int64_t(V->getUnsigned());
}

/// 1/0 for a bool key, -1 when absent.
int boolOf(const Metadata &M, const std::string &Key) {
  const MetaValue *V = M.get(Key);
  if (!V)
    return -1;
  EXPECT_EQ(V->elemType(), MetaType::Bool) << Key;
  return V->getBool();
}

TEST(TokenizerSpecial, IdsFromTokenizerConfigContents) {
  SpecialCheckpoint C;
  // String and {content} forms; null and unknown types give nothing.
  C.writeJSON("tokenizer_config.json",
              {{"bos_token", "<s>"},
               {"eos_token", {{"content", "</s>"}, {"lstrip", false}}},
               {"unk_token", nullptr},
               {"pad_token", "<pad>"},
               {"sep_token", "</s>"},
               {"cls_token", "[CLS]"},
               {"mask_token", "<|im_end|>"},
               {"add_bos_token", true},
               {"add_eos_token", false}});
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.bos_token_id"), 4);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.eos_token_id"), 5);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.unknown_token_id"), -1);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.seperator_token_id"), 5);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.padding_token_id"), 6);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.cls_token_id"), 7);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.mask_token_id"), 8);
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_bos_token"), 1);
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_eos_token"), 0);
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_sep_token"), -1);
  std::vector<std::string> Keys = keysOf(*M);
  std::vector<std::string> Tail(Keys.begin() + 4, Keys.end());
  EXPECT_EQ(Tail, (std::vector<std::string>{"tokenizer.ggml.bos_token_id",
                                            "tokenizer.ggml.eos_token_id",
                                            "tokenizer.ggml.seperator_token_id",
                                            "tokenizer.ggml.padding_token_id",
                                            "tokenizer.ggml.cls_token_id",
                                            "tokenizer.ggml.mask_token_id",
                                            "tokenizer.ggml.add_bos_token",
                                            "tokenizer.ggml.add_eos_token"}));
}

TEST(TokenizerSpecial, FallsBackToConfigIds) {
  SpecialCheckpoint C;
  // bos is null (as in Qwen3), pad names no added token: both come from
  // config.json. eos_token_id there is a list, which llama.cpp ignores;
  // -1 and out-of-range ids are dropped.
  C.writeJSON("tokenizer_config.json", {{"bos_token", nullptr},
                                        {"eos_token", "<|im_end|>"},
                                        {"pad_token", "<nope>"}});
  auto M = C.lower({{"bos_token_id", 0},
                    {"eos_token_id", json::array({1, 2})},
                    {"pad_token_id", 3},
                    {"unk_token_id", -1},
                    {"mask_token_id", 9}});
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.bos_token_id"), 0);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.eos_token_id"), 8);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.padding_token_id"), 3);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.unknown_token_id"), -1);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.mask_token_id"), -1);
}

TEST(TokenizerSpecial, ConfigIdsFromTextConfigAndWithoutTokenizerConfig) {
  SpecialCheckpoint C;
  auto M =
      C.lower({{"text_config", {{"bos_token_id", 2}}}, {"eos_token_id", 1}});
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.bos_token_id"), 2);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.eos_token_id"), 1);

  // A top-level value that is no token id (Gemma 3n's eos list) leaves the
  // text_config's in charge.
  M = C.lower({{"eos_token_id", json::array({1, 106})},
               {"text_config", {{"eos_token_id", 1}}}});
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.eos_token_id"), 1);
}

TEST(TokenizerSpecial, BosFromClsAndEosFromSep) {
  SpecialCheckpoint C;
  C.writeJSON("tokenizer_config.json",
              {{"cls_token", "[CLS]"}, {"sep_token", "</s>"}});
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.bos_token_id"), 7);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.eos_token_id"), 5);
}

TEST(TokenizerSpecial, GenerationConfigEosList) {
  SpecialCheckpoint C;
  C.writeJSON("tokenizer_config.json", {{"eos_token", "<|im_end|>"}});
  // A list becomes <key>_token_ids after the id; a scalar adds nothing.
  C.writeJSON("generation_config.json",
              {{"bos_token_id", 4}, {"eos_token_id", json::array({8, 5})}});
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  const MetaValue *Ids = M->get("tokenizer.ggml.eos_token_ids");
  ASSERT_NE(Ids, nullptr);
  EXPECT_TRUE(Ids->isArray());
  EXPECT_EQ(Ids->elemType(), MetaType::I32);
  EXPECT_EQ(Ids->signedValues(), (std::vector<int64_t>{8, 5}));
  EXPECT_EQ(M->get("tokenizer.ggml.bos_token_ids"), nullptr);
  std::vector<std::string> Keys = keysOf(*M);
  std::vector<std::string> Tail(Keys.begin() + 4, Keys.end());
  EXPECT_EQ(Tail, (std::vector<std::string>{"tokenizer.ggml.eos_token_id",
                                            "tokenizer.ggml.eos_token_ids"}));

  C.writeJSON("generation_config.json",
              {{"eos_token_id", json::array({8, "x"})}});
  auto Bad = C.lower();
  ASSERT_FALSE(bool(Bad));
  EXPECT_EQ(errorText(Bad.takeError()),
            C.dir() + "/generation_config.json: eos_token_id: expected a "
                      "list of token ids");
}

TEST(TokenizerSpecial, TemplateProcessingAddsBos) {
  // Llama 3 style: the template starts with the bos token; nothing in
  // tokenizer_config.json says add_bos_token.
  json Post = {{"type", "Sequence"},
               {"processors",
                {{{"type", "ByteLevel"}},
                 {{"type", "TemplateProcessing"},
                  {"single",
                   {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
                    {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}}}}}};
  SpecialCheckpoint C(Post);
  C.writeJSON("tokenizer_config.json",
              {{"bos_token", "<s>"}, {"eos_token", "</s>"}});
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_bos_token"), 1);
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_eos_token"), -1);

  // tokenizer_config.json's flag wins.
  C.writeJSON("tokenizer_config.json",
              {{"bos_token", "<s>"}, {"add_bos_token", false}});
  M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_bos_token"), 0);
}

TEST(TokenizerSpecial, TemplateProcessingNamesMissingTokens) {
  // bos and eos unset in tokenizer_config.json: the template's first and
  // last special tokens become bos (and cls) and eos, and are added.
  json Post = {{"type", "TemplateProcessing"},
               {"single",
                {{{"SpecialToken", {{"id", "[CLS]"}, {"type_id", 0}}}},
                 {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                 {{"SpecialToken", {{"id", "</s>"}, {"type_id", 0}}}}}}};
  SpecialCheckpoint C(Post);
  C.writeJSON("tokenizer_config.json", json::object());
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.bos_token_id"), 7);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.cls_token_id"), 7);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.eos_token_id"), 5);
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_bos_token"), 1);
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_eos_token"), 1);
}

TEST(TokenizerSpecial, RobertaProcessingAddsBosEosSep) {
  SpecialCheckpoint C({{"type", "RobertaProcessing"},
                       {"sep", json::array({"</s>", 5})},
                       {"cls", json::array({"<s>", 4})}});
  C.writeJSON("tokenizer_config.json",
              {{"bos_token", "<s>"}, {"eos_token", "</s>"}});
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.cls_token_id"), 4);
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.seperator_token_id"), 5);
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_bos_token"), 1);
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_eos_token"), 1);
  EXPECT_EQ(boolOf(*M, "tokenizer.ggml.add_sep_token"), 1);
}

TEST(TokenizerSpecial, ArchitectureFixedIdsFollowSpecialIds) {
  SpecialCheckpoint C;
  C.writeJSON("tokenizer_config.json", {{"eos_token", "</s>"}});
  TokenizerTraits Traits;
  Traits.FixedTokenIds = {{"fim_pre_token_id", 1}, {"fim_suf_token_id", 2}};
  auto M = C.lower(json::object(), Traits);
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  std::vector<std::string> Keys = keysOf(*M);
  std::vector<std::string> Tail(Keys.begin() + 4, Keys.end());
  EXPECT_EQ(Tail,
            (std::vector<std::string>{"tokenizer.ggml.eos_token_id",
                                      "tokenizer.ggml.fim_pre_token_id",
                                      "tokenizer.ggml.fim_suf_token_id"}));
  EXPECT_EQ(idOf(*M, "tokenizer.ggml.fim_suf_token_id"), 2);
}

} // namespace
