//===- ConfigTest.cpp - JSON reading and ConfigView diagnostics -----------===//
#include "ggufc/Frontend/Config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace ggufc;
using namespace llvm;

namespace {

template <typename T> std::string errorText(Expected<T> E) {
  EXPECT_FALSE(bool(E));
  return E ? "" : toString(E.takeError());
}

TEST(SanitizeNonFiniteJSON, ReplacesLiteralsOutsideStrings) {
  EXPECT_EQ(sanitizeNonFiniteJSON(
                R"({"a": NaN, "b": -Infinity, "c": [Infinity,NaN]})"),
            R"({"a": null, "b": null, "c": [null,null]})");
}

TEST(SanitizeNonFiniteJSON, LeavesStringsAndWordsAlone) {
  // Inside strings (also after an escaped quote) nothing changes; NaNx is
  // not the literal NaN and stays malformed.
  StringRef Text = R"({"s": "NaN \" Infinity", "t": NaNx})";
  EXPECT_EQ(sanitizeNonFiniteJSON(Text), Text.str());
}

TEST(ParseJSON, NonFiniteBecomesNull) {
  auto J = parseJSON(R"({"eps": NaN, "x": 1})", "c.json");
  ASSERT_TRUE(bool(J)) << toString(J.takeError());
  EXPECT_TRUE((*J)["eps"].is_null());
  EXPECT_EQ((*J)["x"], 1);
}

TEST(ParseJSON, MalformedNamesPathWithoutExceptionTag) {
  std::string Msg = errorText(parseJSON("{\"a\": }", "dir/config.json"));
  EXPECT_EQ(
      Msg.rfind("dir/config.json: malformed JSON: parse error at line 1", 0),
      0u)
      << Msg;
}

TEST(ReadJSONFile, MissingFile) {
  std::string Msg = errorText(readJSONFile("/nonexistent/dir/config.json"));
  EXPECT_EQ(Msg.rfind("/nonexistent/dir/config.json: cannot open: ", 0), 0u)
      << Msg;
}

TEST(ReadJSONFile, ReadsFile) {
  SmallString<128> Path;
  int FD;
  ASSERT_FALSE(sys::fs::createTemporaryFile("config", "json", FD, Path));
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << R"({"hidden_size": 64})";
  }
  auto J = readJSONFile(Path);
  sys::fs::remove(Path);
  ASSERT_TRUE(bool(J)) << toString(J.takeError());
  EXPECT_EQ((*J)["hidden_size"], 64);
}

class ConfigViewTest : public ::testing::Test {
protected:
  nlohmann::json J = nlohmann::json::parse(R"({
    "hidden_size": 64, "neg": -1, "frac": 2.5, "name": "qwen3",
    "tied": true, "nothing": null, "eps": 1e-06,
    "rope_scaling": {"rope_type": "yarn", "factor": 4}
  })");
  ConfigView C{"m/config.json", J};
};

TEST_F(ConfigViewTest, RequiredValues) {
  EXPECT_EQ(*C.getUInt("hidden_size"), 64u);
  EXPECT_EQ(*C.getFloat("eps"), 1e-06);
  EXPECT_EQ(*C.getFloat("hidden_size"), 64.0); // integers are numbers too
  EXPECT_EQ(*C.getString("name"), "qwen3");
  EXPECT_EQ(*C.getBool("tied"), true);
}

TEST_F(ConfigViewTest, RequiredErrors) {
  EXPECT_EQ(errorText(C.getUInt("vocab_size")),
            "m/config.json: vocab_size: missing");
  EXPECT_EQ(errorText(C.getUInt("neg")),
            "m/config.json: neg: expected an unsigned integer, got -1");
  EXPECT_EQ(errorText(C.getUInt("frac")),
            "m/config.json: frac: expected an unsigned integer, got 2.5");
  EXPECT_EQ(errorText(C.getString("hidden_size")),
            "m/config.json: hidden_size: expected a string, got 64");
  EXPECT_EQ(errorText(C.getBool("name")),
            "m/config.json: name: expected a boolean, got \"qwen3\"");
  EXPECT_EQ(errorText(C.getFloat("nothing")),
            "m/config.json: nothing: expected a number, got null");
  EXPECT_EQ(errorText(C.getFloat("rope_scaling")),
            "m/config.json: rope_scaling: expected a number, got an object");
}

TEST_F(ConfigViewTest, OptionalValues) {
  EXPECT_FALSE(C.has("absent"));
  EXPECT_FALSE(C.has("nothing"));
  EXPECT_TRUE(C.has("hidden_size"));
  EXPECT_EQ(*C.getOptUInt("absent"), None);
  EXPECT_EQ(*C.getOptUInt("nothing"), None);
  EXPECT_EQ(*C.getOptUInt("hidden_size"), Optional<uint64_t>(64));
  EXPECT_EQ(errorText(C.getOptBool("hidden_size")),
            "m/config.json: hidden_size: expected a boolean, got 64");
}

TEST_F(ConfigViewTest, SubViewPrefixesKeys) {
  Optional<ConfigView> R = C.sub("rope_scaling");
  ASSERT_TRUE(R.hasValue());
  EXPECT_EQ(*R->getString("rope_type"), "yarn");
  EXPECT_EQ(*R->getFloat("factor"), 4.0);
  EXPECT_EQ(
      errorText(R->getUInt("original_max_position_embeddings")),
      "m/config.json: rope_scaling.original_max_position_embeddings: missing");
  EXPECT_FALSE(C.sub("absent").hasValue());
  EXPECT_FALSE(C.sub("hidden_size").hasValue()); // not an object
}

} // namespace
