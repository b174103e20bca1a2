//===- Config.cpp - Reading a checkpoint's JSON files ---------------------===//
#include "ggufc/Frontend/Config.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include <limits>

using namespace llvm;
using JSON = nlohmann::json;

namespace ggufc {

Error fileError(const Twine &Path, const Twine &Message) {
  return createStringError(inconvertibleErrorCode(), Path + ": " + Message);
}

std::string sanitizeNonFiniteJSON(StringRef Text) {
  static const StringRef Literals[] = {"-Infinity", "Infinity", "NaN"};
  auto IsWordChar = [](char C) { return isAlnum(C) || C == '_'; };
  std::string Out;
  Out.reserve(Text.size());
  bool InString = false;
  for (size_t I = 0; I < Text.size();) {
    char C = Text[I];
    if (InString) {
      Out += C;
      if (C == '\\' && I + 1 < Text.size()) {
        Out += Text[I + 1]; // an escaped quote does not end the string
        I += 2;
        continue;
      }
      InString = C != '"';
      ++I;
      continue;
    }
    if (C == '"') {
      InString = true;
      Out += C;
      ++I;
      continue;
    }
    // A literal counts only as a whole word, so "xNaN" stays malformed.
    bool Replaced = false;
    if (I == 0 || !IsWordChar(Text[I - 1])) {
      for (StringRef Lit : Literals) {
        size_t End = I + Lit.size();
        if (Text.substr(I).startswith(Lit) &&
            (End == Text.size() || !IsWordChar(Text[End]))) {
          Out += "null";
          I = End;
          Replaced = true;
          break;
        }
      }
    }
    if (!Replaced) {
      Out += C;
      ++I;
    }
  }
  return Out;
}

Expected<JSON> parseJSON(StringRef Text, StringRef Path,
                         const JSON::parser_callback_t &Callback) {
  std::string Clean = sanitizeNonFiniteJSON(Text);
  try {
    return JSON::parse(Clean, Callback);
  } catch (const JSON::exception &E) {
    // Drop nlohmann's "[json.exception.parse_error.101] " tag.
    StringRef Msg(E.what());
    if (Msg.startswith("["))
      Msg = Msg.split("] ").second;
    return fileError(Path, "malformed JSON: " + Msg);
  }
}

Expected<JSON> readJSONFile(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                   /*RequiresNullTerminator=*/false);
  if (!Buf)
    return fileError(Path, "cannot open: " + Buf.getError().message());
  return parseJSON((*Buf)->getBuffer(), Path);
}

//===----------------------------------------------------------------------===//
// ConfigView
//===----------------------------------------------------------------------===//

Error ConfigView::error(StringRef Key, const Twine &Message) const {
  return fileError(Path, KeyPrefix + Key + ": " + Message);
}

/// The value of Key, or null if absent (callers distinguish missing/null).
static const JSON *lookup(const JSON &Obj, StringRef Key) {
  if (!Obj.is_object())
    return nullptr;
  auto It = Obj.find(Key.str());
  return It == Obj.end() ? nullptr : &*It;
}

bool ConfigView::has(StringRef Key) const {
  const JSON *V = lookup(*Obj, Key);
  return V && !V->is_null();
}

namespace {
/// How one C++ type is read from a JSON value: whether the value fits, and
/// what to call the expected type in an error.
template <typename T> struct JSONKind;
template <> struct JSONKind<uint64_t> {
  static constexpr const char *Name = "an unsigned integer";
  static bool fits(const JSON &V) { return V.is_number_unsigned(); }
};
template <> struct JSONKind<double> {
  static constexpr const char *Name = "a number";
  static bool fits(const JSON &V) { return V.is_number(); }
};
template <> struct JSONKind<std::string> {
  static constexpr const char *Name = "a string";
  static bool fits(const JSON &V) { return V.is_string(); }
};
template <> struct JSONKind<bool> {
  static constexpr const char *Name = "a boolean";
  static bool fits(const JSON &V) { return V.is_boolean(); }
};
} // namespace

/// How a mistyped value is shown in an error: scalars as written, containers
/// by kind.
static std::string describe(const JSON &V) {
  if (V.is_object())
    return "an object";
  if (V.is_array())
    return "an array";
  std::string Text = V.dump();
  if (Text.size() > 40)
    Text = Text.substr(0, 37) + "...";
  return Text;
}

/// Reads Key as T: None if absent or null, an error if it has another type.
template <typename T>
static Expected<Optional<T>> getOptional(const ConfigView &View,
                                         StringRef Key) {
  const JSON *V = lookup(View.json(), Key);
  if (!V || V->is_null())
    return None;
  if (!JSONKind<T>::fits(*V))
    return View.error(Key, Twine("expected ") + JSONKind<T>::Name + ", got " +
                               describe(*V));
  return V->get<T>();
}

/// Reads Key as T; absence is an error.
template <typename T>
static Expected<T> getRequired(const ConfigView &View, StringRef Key) {
  const JSON *V = lookup(View.json(), Key);
  if (!V)
    return View.error(Key, "missing");
  if (V->is_null())
    return View.error(Key,
                      Twine("expected ") + JSONKind<T>::Name + ", got null");
  auto Opt = getOptional<T>(View, Key);
  if (!Opt)
    return Opt.takeError();
  return **Opt;
}

Expected<uint64_t> ConfigView::getUInt(StringRef Key) const {
  return getRequired<uint64_t>(*this, Key);
}
Expected<double> ConfigView::getFloat(StringRef Key) const {
  return getRequired<double>(*this, Key);
}
Expected<std::string> ConfigView::getString(StringRef Key) const {
  return getRequired<std::string>(*this, Key);
}
Expected<bool> ConfigView::getBool(StringRef Key) const {
  return getRequired<bool>(*this, Key);
}

Expected<Optional<uint64_t>> ConfigView::getOptUInt(StringRef Key) const {
  return getOptional<uint64_t>(*this, Key);
}
Expected<Optional<double>> ConfigView::getOptFloat(StringRef Key) const {
  return getOptional<double>(*this, Key);
}
Expected<Optional<std::string>> ConfigView::getOptString(StringRef Key) const {
  return getOptional<std::string>(*this, Key);
}
Expected<Optional<bool>> ConfigView::getOptBool(StringRef Key) const {
  return getOptional<bool>(*this, Key);
}

Optional<ConfigView> ConfigView::sub(StringRef Key) const {
  const JSON *V = lookup(*Obj, Key);
  if (!V || !V->is_object())
    return None;
  return ConfigView(Path, *V, KeyPrefix + Key.str() + ".");
}

} // namespace ggufc
