//===- TokenizerPre.cpp - Identifying the BPE pre-tokenizer
//----------------===//
//
// llama.cpp implements each known pre-tokenizer natively and selects it by
// the name in tokenizer.ggml.pre. Its converter finds the name by tokenizing
// a probe text with the HuggingFace tokenizer; without that tokenizer we use
// ollama's method instead: the SHA-256 of the concatenated regexes of the
// Split pre-tokenizers, which is what distinguishes the known ones.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Frontend/Tokenizer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA256.h"

using namespace llvm;
using nlohmann::json;

namespace ggufc {

namespace {
struct KnownPreTokenizer {
  const char *Digest;
  const char *Name;
};
} // namespace

// Digests of known regex sets and llama.cpp's names for them.
static const KnownPreTokenizer KnownPreTokenizers[] = {
    {"d98f9631be1e9607a9848c26c1f9eac1aa9fc21ac6ba82a2fc0741af9780a48f",
     "llama-bpe"},
    {"03df5c5863ad70781dcfdef491ead25140f895fe8010964be0daefe27be32b02",
     "deepseek-llm"},
    {"21cde974d587f0d54dc8d56b183cc1e6239600172035c68fbd6d4b9f8da0576e",
     "deepseek-coder"},
    {"1ff7f41064896984db5d1bb6ff64fa4bc29007d08c1b439e505b7392777a319e",
     "qwen2"},
    {"00431aed57e696b747435f734d1e3b9b1bfd931a121fb5cac7129e97c181e9ba",
     "qwen35"},
    {"b92c0824a58e1d8dc3221cf3e12c433c3a86f57e46d57229993489f0798e7702",
     "laguna"},
};

/// Feeds the regex of a Split pre-tokenizer (a string pattern has none).
static void hashSplitRegex(const json &PreTokenizer, SHA256 &Hash) {
  if (!PreTokenizer.is_object())
    return;
  auto Type = PreTokenizer.find("type");
  if (Type == PreTokenizer.end() || *Type != "Split")
    return;
  auto Pattern = PreTokenizer.find("pattern");
  if (Pattern == PreTokenizer.end() || !Pattern->is_object())
    return;
  auto Regex = Pattern->find("Regex");
  if (Regex != Pattern->end() && Regex->is_string())
    Hash.update(StringRef(Regex->get_ref<const std::string &>()));
}

std::string identifyPreTokenizer(const json &PreTokenizer) {
  SHA256 Hash;
  auto Steps = PreTokenizer.is_object() ? PreTokenizer.find("pretokenizers")
                                        : PreTokenizer.end();
  if (Steps != PreTokenizer.end() && Steps->is_array()) {
    for (const json &Step : *Steps)
      hashSplitRegex(Step, Hash);
  } else {
    // A lone Split is the same pre-tokenizer as a Sequence of one (ollama
    // only looks inside a Sequence).
    hashSplitRegex(PreTokenizer, Hash);
  }
  std::string Digest = toHex(Hash.final(), /*LowerCase=*/true);
  for (const KnownPreTokenizer &K : KnownPreTokenizers)
    if (Digest == K.Digest)
      return K.Name;
  return "default";
}

} // namespace ggufc
