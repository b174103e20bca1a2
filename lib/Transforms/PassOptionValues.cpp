//===- PassOptionValues.cpp - Typed values of a pass's options --------------===//
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

Expected<int64_t> requireIndexOption(StringRef Pass, const PassOptionMap &Opts,
                                     StringRef Key, StringRef Example) {
  Expected<std::string> Text = requireOption(Pass, Opts, Key, Example);
  if (!Text)
    return Text.takeError();
  int64_t N = 0;
  if (StringRef(*Text).getAsInteger(10, N) || N < 0)
    return createStringError(
        inconvertibleErrorCode(),
        "pass '%s': option '%s' must be a non-negative integer, got '%s'",
        Pass.str().c_str(), Key.str().c_str(), Text->c_str());
  return N;
}

Expected<double> requireNumberOption(StringRef Pass, const PassOptionMap &Opts,
                                     StringRef Key, StringRef Example) {
  Expected<std::string> Text = requireOption(Pass, Opts, Key, Example);
  if (!Text)
    return Text.takeError();
  double D = 0;
  if (StringRef(*Text).getAsDouble(D) || !std::isfinite(D))
    return createStringError(
        inconvertibleErrorCode(),
        "pass '%s': option '%s' must be a finite number, got '%s'",
        Pass.str().c_str(), Key.str().c_str(), Text->c_str());
  return D;
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
