//===- TokenizerTestSupport.h - Checkpoint directories for tokenizer tests ===//
#ifndef GGUFC_UNITTESTS_TOKENIZERTESTSUPPORT_H
#define GGUFC_UNITTESTS_TOKENIZERTESTSUPPORT_H

#include "ggufc/Frontend/Tokenizer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Error.h"
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ggufc {
namespace testing {

/// A temporary checkpoint directory, removed when the object dies.
class TempCheckpoint {
public:
  TempCheckpoint();
  ~TempCheckpoint();
  const std::string &dir() const { return Dir; }
  /// Writes Dir/Name (creating parent directories).
  void write(llvm::StringRef Name, llvm::StringRef Text) const;
  void writeJSON(llvm::StringRef Name, const nlohmann::json &J) const {
    write(Name, J.dump());
  }

  /// Runs lowerTokenizer on the directory with Config as config.json.
  llvm::Expected<Metadata>
  lower(const nlohmann::json &Config = nlohmann::json::object(),
        const TokenizerTraits &Traits = {}) const;

private:
  std::string Dir;
};

/// Keys of Meta in order.
std::vector<std::string> keysOf(const Metadata &Meta);

/// A minimal BPE tokenizer.json: Vocab (content -> id), Merges, AddedTokens.
nlohmann::json
bpeTokenizer(const nlohmann::json &Vocab, const nlohmann::json &Merges,
             const nlohmann::json &AddedTokens = nlohmann::json::array());

/// An added_tokens entry.
nlohmann::json addedToken(uint32_t Id, const std::string &Content,
                          bool Special);

/// The error message of E (consumed); "" for success.
std::string errorText(llvm::Error E);

} // namespace testing
} // namespace ggufc

#endif
