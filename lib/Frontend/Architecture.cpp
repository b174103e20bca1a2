//===- Architecture.cpp - Architecture registry and renaming rules ----------===//
#include "ggufc/Frontend/Architecture.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>

using namespace llvm;

namespace ggufc {

ArchitectureRegistry &ArchitectureRegistry::get() {
  static ArchitectureRegistry Registry;
  return Registry;
}

void ArchitectureRegistry::add(std::unique_ptr<Architecture> A) {
  Archs.push_back(std::move(A));
}

const Architecture *ArchitectureRegistry::lookupByName(StringRef Name) const {
  for (const auto &A : Archs)
    if (A->name() == Name)
      return A.get();
  return nullptr;
}

const Architecture *
ArchitectureRegistry::lookupByHFClass(StringRef HFClass) const {
  for (const auto &A : Archs)
    if (is_contained(A->hfClasses(), HFClass))
      return A.get();
  return nullptr;
}

std::vector<const Architecture *> ArchitectureRegistry::list() const {
  std::vector<const Architecture *> Out;
  for (const auto &A : Archs)
    Out.push_back(A.get());
  llvm::sort(Out, [](const Architecture *L, const Architecture *R) {
    return L->name() < R->name();
  });
  return Out;
}

/// Matches pattern From (with {N} placeholders) against the start of Name.
/// On success returns the length matched and the captured numbers.
static bool matchStem(StringRef From, StringRef Name, size_t &Matched,
                      SmallVectorImpl<StringRef> &Numbers) {
  size_t Pos = 0;
  while (!From.empty()) {
    if (From.startswith("{N}")) {
      size_t Digits = 0;
      while (Pos + Digits < Name.size() && isDigit(Name[Pos + Digits]))
        ++Digits;
      if (Digits == 0)
        return false;
      Numbers.push_back(Name.substr(Pos, Digits));
      Pos += Digits;
      From = From.drop_front(3);
      continue;
    }
    if (Pos >= Name.size() || Name[Pos] != From.front())
      return false;
    ++Pos;
    From = From.drop_front();
  }
  // The stem must end at a component boundary.
  if (Pos != Name.size() && Name[Pos] != '.')
    return false;
  Matched = Pos;
  return true;
}

Optional<std::string> applyRenameRules(ArrayRef<RenameRule> Rules,
                                       StringRef Name) {
  for (const RenameRule &R : Rules) {
    size_t Matched = 0;
    SmallVector<StringRef, 2> Numbers;
    if (!matchStem(R.From, Name, Matched, Numbers))
      continue;
    StringRef To(R.To);
    if (To.empty())
      return std::string();
    std::string Out;
    size_t NextNumber = 0;
    while (!To.empty()) {
      if (To.startswith("{N}") && NextNumber < Numbers.size()) {
        Out += Numbers[NextNumber++].str();
        To = To.drop_front(3);
      } else {
        Out += To.front();
        To = To.drop_front();
      }
    }
    return Out + Name.substr(Matched).str();
  }
  return None;
}

} // namespace ggufc
