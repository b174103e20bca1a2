//===- Pass.cpp - Pass registry and option parsing ---------------------------===//
#include "ggufc/Pass/Pass.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace llvm;

namespace ggufc {

void Statistics::add(StringRef Pass, StringRef Counter, uint64_t N) {
  Counters[{Pass.str(), Counter.str()}] += N;
}

PassRegistry &PassRegistry::get() {
  static PassRegistry Registry;
  return Registry;
}

void PassRegistry::add(PassInfo Info) {
  std::string Name = Info.Name;
  Passes.emplace(std::move(Name), std::move(Info));
}

const PassInfo *PassRegistry::lookup(StringRef Name) const {
  auto It = Passes.find(Name);
  return It == Passes.end() ? nullptr : &It->second;
}

std::vector<const PassInfo *> PassRegistry::list() const {
  std::vector<const PassInfo *> Out;
  for (const auto &KV : Passes)
    Out.push_back(&KV.second);
  return Out;
}

Expected<std::map<std::string, std::string>>
parsePassOptions(StringRef PassName, StringRef Options,
                 ArrayRef<StringRef> Allowed) {
  std::map<std::string, std::string> Out;
  SmallVector<StringRef, 4> Parts;
  Options.split(Parts, ';', -1, /*KeepEmpty=*/false);
  for (StringRef Part : Parts) {
    auto [Key, Val] = Part.split('=');
    Key = Key.trim();
    if (!Part.contains('=')) {
      // A bare word naming a non-positional option is a flag: "allow-x"
      // reads as "allow-x=true".
      if (Allowed.size() > 1 && is_contained(Allowed.drop_front(), Key)) {
        Out[Key.str()] = "true";
        continue;
      }
      // Any other bare word is the pass's positional option (first allowed key).
      if (Allowed.empty())
        return createStringError(inconvertibleErrorCode(),
                                 "pass '%s' takes no options, got '%s'",
                                 PassName.str().c_str(), Part.str().c_str());
      Out[Allowed.front().str()] = Key.str();
      continue;
    }
    if (!is_contained(Allowed, Key)) {
      std::string List;
      for (StringRef A : Allowed)
        List += (List.empty() ? "" : ", ") + A.str();
      return createStringError(
          inconvertibleErrorCode(), "pass '%s' has no option '%s'%s%s",
          PassName.str().c_str(), Key.str().c_str(),
          List.empty() ? "" : " (options: ", List.empty() ? "" : (List + ")").c_str());
    }
    Out[Key.str()] = Val.str();
  }
  return Out;
}

} // namespace ggufc
