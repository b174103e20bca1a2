//===- TransformSupport.h - Helpers shared by the passes --------------------===//
//
// Reading typed pass options on top of parsePassOptions, so that every pass
// reports a missing or malformed option the same way ("pass 'NAME' ..."),
// and describing tensor types in error messages the way the IR prints them.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_TRANSFORMS_TRANSFORMSUPPORT_H
#define GGUFC_TRANSFORMS_TRANSFORMSUPPORT_H

#include "ggufc/IR/Value.h"
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

/// Key as a non-negative decimal integer.
llvm::Expected<int64_t> requireIndexOption(llvm::StringRef Pass,
                                           const PassOptionMap &Opts,
                                           llvm::StringRef Key,
                                           llvm::StringRef Example);

/// A flag: false when absent; "true"/"1" or "false"/"0" when given.
llvm::Expected<bool> flagOption(llvm::StringRef Pass, const PassOptionMap &Opts,
                                llvm::StringRef Key);

/// A type as the textual IR writes it, e.g. "bf16[4, 4]".
std::string typeText(const TensorType &T);

} // namespace ggufc

#endif
