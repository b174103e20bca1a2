//===- Config.h - Reading a checkpoint's JSON files ------------------------===//
//
// JSON files of a HuggingFace checkpoint, parsed with nlohmann/json after
// turning the non-standard literals NaN, Infinity and -Infinity (outside
// strings) into null. Lookups report "<path>: <key>: <problem>".
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_FRONTEND_CONFIG_H
#define GGUFC_FRONTEND_CONFIG_H

#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <nlohmann/json.hpp>
#include <string>

namespace ggufc {

/// "<path>: <message>" as an error: the form of every frontend diagnostic.
llvm::Error fileError(const llvm::Twine &Path, const llvm::Twine &Message);

/// Replaces bare NaN / Infinity / -Infinity tokens outside strings by null.
std::string sanitizeNonFiniteJSON(llvm::StringRef Text);

/// Parses JSON text after sanitizeNonFiniteJSON; Path names it in errors
/// ("<path>: malformed JSON: ..."). Callback, if set, sees every parse event
/// (the SafeTensors reader uses it to reject duplicate keys).
llvm::Expected<nlohmann::json>
parseJSON(llvm::StringRef Text, llvm::StringRef Path,
          const nlohmann::json::parser_callback_t &Callback = nullptr);

/// Reads and parses a JSON file. Errors: "<path>: cannot open: ...",
/// "<path>: malformed JSON: ...".
llvm::Expected<nlohmann::json> readJSONFile(llvm::StringRef Path);

/// A view of one JSON object (config.json, or its text_config), remembering
/// the file it came from for diagnostics.
class ConfigView {
public:
  ConfigView(std::string Path, const nlohmann::json &Object,
             std::string KeyPrefix = "")
      : Path(std::move(Path)), Obj(&Object), KeyPrefix(std::move(KeyPrefix)) {}

  llvm::StringRef path() const { return Path; }
  const nlohmann::json &json() const { return *Obj; }
  bool has(llvm::StringRef Key) const; // present and not null

  /// Required values: missing or mistyped keys are errors.
  llvm::Expected<uint64_t> getUInt(llvm::StringRef Key) const;
  llvm::Expected<double> getFloat(llvm::StringRef Key) const;
  llvm::Expected<std::string> getString(llvm::StringRef Key) const;
  llvm::Expected<bool> getBool(llvm::StringRef Key) const;

  /// Optional values: absent (or null) gives None, mistyped is an error.
  llvm::Expected<llvm::Optional<uint64_t>> getOptUInt(llvm::StringRef Key) const;
  llvm::Expected<llvm::Optional<double>> getOptFloat(llvm::StringRef Key) const;
  llvm::Expected<llvm::Optional<std::string>>
  getOptString(llvm::StringRef Key) const;
  llvm::Expected<llvm::Optional<bool>> getOptBool(llvm::StringRef Key) const;

  /// A nested object (e.g. "text_config", "rope_scaling"); None if absent.
  llvm::Optional<ConfigView> sub(llvm::StringRef Key) const;

  /// "<path>: <prefix><key>: <message>" as an error.
  llvm::Error error(llvm::StringRef Key, const llvm::Twine &Message) const;

private:
  std::string Path;
  const nlohmann::json *Obj;
  std::string KeyPrefix; // e.g. "text_config." for nested views
};

} // namespace ggufc

#endif
