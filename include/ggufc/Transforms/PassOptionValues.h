//===- PassOptionValues.h - Typed values of a pass's options --------------===//
//
// Readers on top of parsePassOptions (Pass.h), so that every pass reports a
// missing or malformed option the same way ("pass 'NAME' ...").
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_TRANSFORMS_PASSOPTIONVALUES_H
#define GGUFC_TRANSFORMS_PASSOPTIONVALUES_H

#include "ggufc/Transforms/NamePattern.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <string>

namespace ggufc {

using PassOptionMap = std::map<std::string, std::string>;

/// The value of Key, or an error that shows Example (e.g. "drop<match=...>").
llvm::Expected<std::string> requireOption(llvm::StringRef Pass,
                                          const PassOptionMap &Opts,
                                          llvm::StringRef Key,
                                          llvm::StringRef Example);

/// Key as a whole-name regex (NamePattern::fromRegex).
llvm::Expected<NamePattern> requireRegexOption(llvm::StringRef Pass,
                                               const PassOptionMap &Opts,
                                               llvm::StringRef Key,
                                               llvm::StringRef Example);

/// Key as a whole-name regex if given, None if absent.
llvm::Expected<llvm::Optional<NamePattern>>
optionalRegexOption(const PassOptionMap &Opts, llvm::StringRef Key);

/// Key as a non-negative decimal integer.
llvm::Expected<int64_t> requireIndexOption(llvm::StringRef Pass,
                                           const PassOptionMap &Opts,
                                           llvm::StringRef Key,
                                           llvm::StringRef Example);

/// Key as a finite number, e.g. "-120" or "0.5".
llvm::Expected<double> requireNumberOption(llvm::StringRef Pass,
                                           const PassOptionMap &Opts,
                                           llvm::StringRef Key,
                                           llvm::StringRef Example);

/// A flag: false when absent; "true"/"1" or "false"/"0" when given.
llvm::Expected<bool> flagOption(llvm::StringRef Pass, const PassOptionMap &Opts,
                                llvm::StringRef Key);

} // namespace ggufc

#endif
