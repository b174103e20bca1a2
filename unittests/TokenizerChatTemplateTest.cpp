//===- TokenizerChatTemplateTest.cpp - tokenizer.chat_template*
//------------===//
#include "TokenizerTestSupport.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace ggufc::testing;
using nlohmann::json;

namespace {

struct TemplateCheckpoint : TempCheckpoint {
  TemplateCheckpoint() {
    writeJSON("tokenizer.json", bpeTokenizer({{"a", 0}}, json::array()));
  }
  /// The keys after the four vocabulary keys, and the metadata.
  std::vector<std::string> templateKeys(const Metadata &M) const {
    std::vector<std::string> Keys = keysOf(M);
    return std::vector<std::string>(Keys.begin() + 4, Keys.end());
  }
};

std::string strOf(const Metadata &M, const char *Key) {
  const MetaValue *V = M.get(Key);
  return V ? V->getStr() : "<absent>";
}

TEST(TokenizerChatTemplate, StringFromTokenizerConfig) {
  TemplateCheckpoint C;
  C.writeJSON("tokenizer_config.json", {{"chat_template", "{{ x }}"}});
  // tokenizer_config.json wins over chat_template.jinja.
  C.write("chat_template.jinja", "ignored");
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(C.templateKeys(*M),
            std::vector<std::string>{"tokenizer.chat_template"});
  EXPECT_EQ(strOf(*M, "tokenizer.chat_template"), "{{ x }}");
}

TEST(TokenizerChatTemplate, NamedListFromTokenizerConfig) {
  TemplateCheckpoint C;
  C.writeJSON("tokenizer_config.json",
              {{"chat_template",
                {{{"name", "default"}, {"template", "D"}},
                 {{"name", "tool use"}, {"template", "T"}},
                 {{"name", "rag"}, {"template", "R"}},
                 {{"template", "nameless, skipped"}}}}});
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(C.templateKeys(*M),
            (std::vector<std::string>{
                "tokenizer.chat_template", "tokenizer.chat_template.tool_use",
                "tokenizer.chat_template.rag", "tokenizer.chat_templates"}));
  EXPECT_EQ(strOf(*M, "tokenizer.chat_template"), "D");
  EXPECT_EQ(strOf(*M, "tokenizer.chat_template.tool_use"), "T");
  EXPECT_EQ(strOf(*M, "tokenizer.chat_template.rag"), "R");
  EXPECT_EQ(M->get("tokenizer.chat_templates")->strValues(),
            (std::vector<std::string>{"tool_use", "rag"}));
}

TEST(TokenizerChatTemplate, JinjaFileWithAdditionalTemplates) {
  TemplateCheckpoint C;
  C.writeJSON("tokenizer_config.json", {{"eos_token", "a"}});
  C.write("chat_template.jinja", "J\n");
  C.write("additional_chat_templates/tool_use.jinja", "T\n");
  C.write("additional_chat_templates/notes.txt", "not a template");
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(strOf(*M, "tokenizer.chat_template"), "J\n");
  EXPECT_EQ(strOf(*M, "tokenizer.chat_template.tool_use"), "T\n");
  EXPECT_EQ(M->get("tokenizer.chat_templates")->strValues(),
            std::vector<std::string>{"tool_use"});
  EXPECT_EQ(M->get("tokenizer.chat_template.notes"), nullptr);
}

TEST(TokenizerChatTemplate, ChatTemplateJSONFile) {
  TemplateCheckpoint C;
  C.writeJSON("chat_template.json", {{"chat_template", "C"}});
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(strOf(*M, "tokenizer.chat_template"), "C");
}

TEST(TokenizerChatTemplate, NoTemplateNoKey) {
  TemplateCheckpoint C;
  C.writeJSON("tokenizer_config.json", {{"chat_template", nullptr}});
  auto M = C.lower();
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_TRUE(C.templateKeys(*M).empty());
}

TEST(TokenizerChatTemplate, BadTypeIsAnError) {
  TemplateCheckpoint C;
  C.writeJSON("tokenizer_config.json", {{"chat_template", 42}});
  auto M = C.lower();
  ASSERT_FALSE(bool(M));
  EXPECT_EQ(errorText(M.takeError()),
            C.dir() + "/tokenizer_config.json: chat_template: expected a "
                      "string or a list of {name, template}");
}

} // namespace
