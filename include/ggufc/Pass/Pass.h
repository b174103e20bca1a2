//===- Pass.h - Passes and their registry ----------------------------------===//
//
// A pass rewrites a module in place and does one job. Passes are registered
// by name with a one-line description; a pass instance is created from its
// option string (the text between < and > in a pipeline, possibly empty).
//
//   static RegisterPass<NormOffsetPass> X("norm-offset",
//       "add 1.0 to RMSNorm weights stored as offsets from one");
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_PASS_PASS_H
#define GGUFC_PASS_PASS_H

#include "ggufc/IR/Module.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ggufc {

/// Counters passes report for -stats, keyed by (pass name, counter name).
class Statistics {
public:
  void add(llvm::StringRef Pass, llvm::StringRef Counter, uint64_t N = 1);
  const std::map<std::pair<std::string, std::string>, uint64_t> &all() const {
    return Counters;
  }

private:
  std::map<std::pair<std::string, std::string>, uint64_t> Counters;
};

class Pass {
public:
  virtual ~Pass() = default;
  /// Rewrites M. An error aborts the pipeline; its message should name what
  /// in the module was wrong (tensor name, metadata key).
  virtual llvm::Error run(Module &M, Statistics &Stats) = 0;
};

using PassFactory =
    std::function<llvm::Expected<std::unique_ptr<Pass>>(llvm::StringRef Options)>;

struct PassInfo {
  std::string Name;
  std::string Description;
  PassFactory Create;
};

class PassRegistry {
public:
  static PassRegistry &get();
  void add(PassInfo Info);
  const PassInfo *lookup(llvm::StringRef Name) const;
  /// All passes, sorted by name.
  std::vector<const PassInfo *> list() const;

private:
  std::map<std::string, PassInfo, std::less<>> Passes;
};

/// Registers pass class P, which must have a static
///   llvm::Expected<std::unique_ptr<Pass>> create(llvm::StringRef Options);
template <typename P> struct RegisterPass {
  RegisterPass(llvm::StringRef Name, llvm::StringRef Description) {
    PassRegistry::get().add(
        {Name.str(), Description.str(),
         [](llvm::StringRef Options) { return P::create(Options); }});
  }
};

/// Parses a pass option string of the form "key=value;key=value" or a bare
/// positional value. Keys are checked against Allowed; unknown keys are an
/// error naming the pass. Allowed.front() is the positional key; a bare word
/// equal to one of the other keys is a flag and reads as "key=true".
llvm::Expected<std::map<std::string, std::string>>
parsePassOptions(llvm::StringRef PassName, llvm::StringRef Options,
                 llvm::ArrayRef<llvm::StringRef> Allowed);

} // namespace ggufc

#endif
