//===- TokenizerTestSupport.cpp - Checkpoint directories for tests
//---------===//
#include "TokenizerTestSupport.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace llvm;
using nlohmann::json;

namespace ggufc {

// Weak stand-ins for the parts of lib/Frontend/Config.cpp the tokenizer
// uses, so that these tests link on a branch without it; the library's
// definitions take precedence when present.
__attribute__((weak)) Expected<json> readJSONFile(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return createStringError(
        inconvertibleErrorCode(),
        Path + ": cannot open: " + Buffer.getError().message());
  json J = json::parse((*Buffer)->getBuffer().begin(),
                       (*Buffer)->getBuffer().end(), nullptr,
                       /*allow_exceptions=*/false);
  if (J.is_discarded())
    return createStringError(inconvertibleErrorCode(),
                             Path + ": malformed JSON: parse error");
  return J;
}

__attribute__((weak)) Expected<Optional<uint64_t>>
ConfigView::getOptUInt(StringRef Key) const {
  auto It = json().find(Key.str());
  if (It == json().end() || It->is_null())
    return None;
  if (!It->is_number_unsigned())
    return error(Key, "expected an unsigned integer");
  return Optional<uint64_t>(It->get<uint64_t>());
}

__attribute__((weak)) Optional<ConfigView>
ConfigView::sub(StringRef Key) const {
  auto It = json().find(Key.str());
  if (It == json().end() || !It->is_object())
    return None;
  return ConfigView(Path, *It, KeyPrefix + Key.str() + ".");
}

__attribute__((weak)) Error ConfigView::error(StringRef Key,
                                              const Twine &Message) const {
  return createStringError(inconvertibleErrorCode(),
                           Path + ": " + KeyPrefix + Key + ": " + Message);
}

namespace testing {

TempCheckpoint::TempCheckpoint() {
  SmallString<128> Path;
  std::error_code EC =
      sys::fs::createUniqueDirectory("ggufc-tokenizer-test", Path);
  EXPECT_FALSE(EC) << EC.message();
  Dir = Path.str().str();
}

TempCheckpoint::~TempCheckpoint() { sys::fs::remove_directories(Dir); }

void TempCheckpoint::write(StringRef Name, StringRef Text) const {
  SmallString<256> Path(Dir);
  sys::path::append(Path, Name);
  sys::fs::create_directories(sys::path::parent_path(Path));
  std::error_code EC;
  raw_fd_ostream OS(Path, EC);
  ASSERT_FALSE(EC) << EC.message();
  OS << Text;
}

Expected<Metadata> TempCheckpoint::lower(const json &Config,
                                         const TokenizerTraits &Traits) const {
  // Round-trip through text so that numbers are typed as when config.json
  // is read (non-negative integers parse as unsigned).
  json Parsed = json::parse(Config.dump());
  ConfigView View(Dir + "/config.json", Parsed);
  Metadata Meta;
  if (Error E = lowerTokenizer(Dir, View, Traits, Meta))
    return E;
  return Meta;
}

std::vector<std::string> keysOf(const Metadata &Meta) {
  std::vector<std::string> Keys;
  for (const Metadata::Entry &E : Meta.entries())
    Keys.push_back(E.first);
  return Keys;
}

json bpeTokenizer(const json &Vocab, const json &Merges,
                  const json &AddedTokens) {
  return json{{"version", "1.0"},
              {"added_tokens", AddedTokens},
              {"pre_tokenizer", nullptr},
              {"post_processor", nullptr},
              {"model",
               {{"type", "BPE"},
                {"byte_fallback", false},
                {"vocab", Vocab},
                {"merges", Merges}}}};
}

json addedToken(uint32_t Id, const std::string &Content, bool Special) {
  return json{{"id", Id},          {"content", Content}, {"single_word", false},
              {"lstrip", false},   {"rstrip", false},    {"normalized", false},
              {"special", Special}};
}

std::string errorText(Error E) {
  std::string Text;
  handleAllErrors(std::move(E),
                  [&](const ErrorInfoBase &Info) { Text = Info.message(); });
  return Text;
}

} // namespace testing
} // namespace ggufc
