//===- TokenizerPreTest.cpp - tokenizer.ggml.pre identification
//------------===//
#include "ggufc/Frontend/Tokenizer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA256.h"
#include "gtest/gtest.h"

using namespace ggufc;
using nlohmann::json;

namespace {

// The Split regexes of Qwen2/Qwen3's and Llama 3's tokenizer.json (the JSON
// string values, i.e. with single backslashes).
const char *const Qwen2Regex =
    R"re((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
const char *const Llama3Regex =
    R"re((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";

json split(const char *Regex) {
  return {{"type", "Split"},
          {"pattern", {{"Regex", Regex}}},
          {"behavior", "Isolated"},
          {"invert", false}};
}

json sequence(std::vector<json> Steps) {
  return {{"type", "Sequence"}, {"pretokenizers", Steps}};
}

const json ByteLevel = {{"type", "ByteLevel"},
                        {"add_prefix_space", false},
                        {"trim_offsets", false},
                        {"use_regex", false}};

std::string sha256Hex(llvm::StringRef Text) {
  llvm::SHA256 Hash;
  Hash.update(Text);
  return llvm::toHex(Hash.final(), /*LowerCase=*/true);
}

// Digests published in ollama's converter (formats.md §1.10) and recomputed
// with Python's hashlib from the regexes of the real tokenizer.json files.
TEST(TokenizerPre, RegexDigestsMatchPublishedValues) {
  EXPECT_EQ(sha256Hex(Qwen2Regex),
            "1ff7f41064896984db5d1bb6ff64fa4bc29007d08c1b439e505b7392777a319e");
  EXPECT_EQ(sha256Hex(Llama3Regex),
            "d98f9631be1e9607a9848c26c1f9eac1aa9fc21ac6ba82a2fc0741af9780a48f");
}

TEST(TokenizerPre, KnownSequences) {
  EXPECT_EQ(identifyPreTokenizer(sequence({split(Qwen2Regex), ByteLevel})),
            "qwen2");
  EXPECT_EQ(identifyPreTokenizer(sequence({split(Llama3Regex), ByteLevel})),
            "llama-bpe");
}

TEST(TokenizerPre, LoneSplitCountsAsSequenceOfOne) {
  EXPECT_EQ(identifyPreTokenizer(split(Qwen2Regex)), "qwen2");
}

TEST(TokenizerPre, StringPatternsAndOtherStepsAreNotHashed) {
  json StringSplit = {{"type", "Split"},
                      {"pattern", {{"String", " "}}},
                      {"behavior", "MergedWithPrevious"}};
  EXPECT_EQ(identifyPreTokenizer(
                sequence({StringSplit, split(Llama3Regex), ByteLevel})),
            "llama-bpe");
}

TEST(TokenizerPre, UnknownOrMissingIsDefault) {
  EXPECT_EQ(identifyPreTokenizer(json()), "default");
  EXPECT_EQ(identifyPreTokenizer(ByteLevel), "default");
  EXPECT_EQ(identifyPreTokenizer(sequence({split("\\s+"), ByteLevel})),
            "default");
  // Both regexes together are neither pre-tokenizer.
  EXPECT_EQ(
      identifyPreTokenizer(sequence({split(Qwen2Regex), split(Llama3Regex)})),
      "default");
}

} // namespace
