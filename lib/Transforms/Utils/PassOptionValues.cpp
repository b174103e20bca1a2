//===- PassOptionValues.cpp - Typed values of a pass's options ------------===//
#include "ggufc/Transforms/PassOptionValues.h"
#include <cmath>

using namespace llvm;

namespace ggufc {

Expected<std::string> requireOption(StringRef Pass, const PassOptionMap &Opts,
                                    StringRef Key, StringRef Example) {
  auto It = Opts.find(Key.str());
  if (It == Opts.end() || It->second.empty())
    return createStringError(inconvertibleErrorCode(),
                             "pass '%s' needs option '%s', e.g. %s",
                             Pass.str().c_str(), Key.str().c_str(),
                             Example.str().c_str());
  return It->second;
}

Expected<NamePattern> requireRegexOption(StringRef Pass,
                                         const PassOptionMap &Opts,
                                         StringRef Key, StringRef Example) {
  Expected<std::string> Regex = requireOption(Pass, Opts, Key, Example);
  if (!Regex)
    return Regex.takeError();
  return NamePattern::fromRegex(*Regex);
}

Expected<Optional<NamePattern>> optionalRegexOption(const PassOptionMap &Opts,
                                                   StringRef Key) {
  auto It = Opts.find(Key.str());
  if (It == Opts.end())
    return Optional<NamePattern>();
  Expected<NamePattern> P = NamePattern::fromRegex(It->second);
  if (!P)
    return P.takeError();
  return Optional<NamePattern>(std::move(*P));
}

/// Key's value read by Parse (false when it does not read), or an error
/// saying that the option must be What.
template <typename T, typename ParseFn>
static Expected<T> requireParsedOption(StringRef Pass, const PassOptionMap &Opts,
                                       StringRef Key, StringRef Example,
                                       StringRef What, ParseFn Parse) {
  Expected<std::string> Text = requireOption(Pass, Opts, Key, Example);
  if (!Text)
    return Text.takeError();
  T Value{};
  if (!Parse(StringRef(*Text), Value))
    return createStringError(inconvertibleErrorCode(),
                             "pass '%s': option '%s' must be %s, got '%s'",
                             Pass.str().c_str(), Key.str().c_str(),
                             What.str().c_str(), Text->c_str());
  return Value;
}

Expected<int64_t> requireIndexOption(StringRef Pass, const PassOptionMap &Opts,
                                     StringRef Key, StringRef Example) {
  return requireParsedOption<int64_t>(
      Pass, Opts, Key, Example, "a non-negative integer",
      [](StringRef Text, int64_t &N) {
        return !Text.getAsInteger(10, N) && N >= 0;
      });
}

Expected<double> requireNumberOption(StringRef Pass, const PassOptionMap &Opts,
                                     StringRef Key, StringRef Example) {
  return requireParsedOption<double>(
      Pass, Opts, Key, Example, "a finite number",
      [](StringRef Text, double &D) {
        return !Text.getAsDouble(D) && std::isfinite(D);
      });
}

Expected<bool> flagOption(StringRef Pass, const PassOptionMap &Opts,
                          StringRef Key) {
  auto It = Opts.find(Key.str());
  if (It == Opts.end())
    return false;
  if (It->second == "true" || It->second == "1")
    return true;
  if (It->second == "false" || It->second == "0")
    return false;
  return createStringError(
      inconvertibleErrorCode(),
      "pass '%s': option '%s' must be true or false, got '%s'",
      Pass.str().c_str(), Key.str().c_str(), It->second.c_str());
}

} // namespace ggufc
