//===- OutputGroups.cpp - Numbered groups, output replacement -------------===//
#include "OutputGroups.h"
#include "ggufc/IR/Printer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace llvm;

namespace ggufc {

namespace {
struct Member {
  uint64_t Index;
  size_t OutputPos;
};
} // namespace

static Error groupError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg.str());
}

/// Orders Members by index and checks they are exactly 0..k-1, of one type.
static Error checkMembers(const Module &M, const NamePattern &Pattern,
                          const std::string &GroupName,
                          std::vector<Member> &Members) {
  const std::vector<Output> &Outputs = M.outputs();
  llvm::stable_sort(Members, [](const Member &L, const Member &R) {
    return L.Index < R.Index;
  });
  auto NameOf = [&](const Member &Mb) -> const std::string & {
    return Outputs[Mb.OutputPos].Name;
  };
  for (size_t K = 0; K < Members.size(); ++K) {
    if (Members[K].Index == K)
      continue;
    if (K > 0 && Members[K].Index == Members[K - 1].Index)
      return groupError("cannot stack '" + GroupName + "': tensors '" +
                        NameOf(Members[K - 1]) + "' and '" +
                        NameOf(Members[K]) +
                        "' both have {E} = " + Twine(Members[K].Index));
    std::string Found;
    for (const Member &Mb : Members)
      Found += (Found.empty() ? "" : ", ") + std::to_string(Mb.Index);
    return groupError("cannot stack '" + GroupName + "': no tensor matching '" +
                      Pattern.source() + "' has {E} = " + Twine(K) +
                      " (found " + Found + ")");
  }
  const TensorType &First = Outputs[Members.front().OutputPos].Def->Type;
  for (const Member &Mb : Members) {
    const TensorType &T = Outputs[Mb.OutputPos].Def->Type;
    if (T != First)
      return groupError("cannot stack '" + GroupName + "': '" +
                        NameOf(Members.front()) + "' has type " +
                        formatType(First) + " but '" + NameOf(Mb) + "' has " +
                        formatType(T));
  }
  return Error::success();
}

Expected<std::vector<NumberedGroup>>
findNumberedGroups(const Module &M, const NamePattern &Pattern,
                   StringRef NameTemplate) {
  std::vector<NumberedGroup> Groups;
  std::vector<std::vector<Member>> Members;
  StringMap<size_t> GroupOfKey;
  const std::vector<Output> &Outputs = M.outputs();
  for (size_t Pos = 0; Pos < Outputs.size(); ++Pos) {
    PlaceholderValues Values;
    if (!Pattern.match(Outputs[Pos].Name, &Values))
      continue;
    uint64_t Index = 0;
    std::string IndexText = Values[MemberIndexPlaceholder];
    if (StringRef(IndexText).getAsInteger(10, Index))
      return groupError("cannot stack '" + Outputs[Pos].Name +
                        "': index {E} = " + IndexText + " is too large");
    Values.erase(MemberIndexPlaceholder);
    // Members of one group agree on every placeholder except {E}.
    std::string Key;
    for (const auto &KV : Values)
      Key += KV.first + "=" + KV.second + ";";
    auto Ins = GroupOfKey.try_emplace(Key, Groups.size());
    if (Ins.second) {
      Expected<std::string> Name = substitutePlaceholders(NameTemplate, Values);
      if (!Name)
        return Name.takeError();
      Groups.push_back(NumberedGroup{std::move(*Name), Values, {}});
      Members.emplace_back();
    }
    Members[Ins.first->second].push_back(Member{Index, Pos});
  }
  for (size_t G = 0; G < Groups.size(); ++G) {
    if (Error E = checkMembers(M, Pattern, Groups[G].Name, Members[G]))
      return E;
    for (const Member &Mb : Members[G])
      Groups[G].Members.push_back(Mb.OutputPos);
  }
  return Groups;
}

Optional<StorageType> commonStorageType(const Module &M, ArrayRef<size_t> Positions) {
  const std::vector<Output> &Outputs = M.outputs();
  Optional<StorageType> T = Outputs[Positions.front()].Type;
  for (size_t Pos : Positions)
    if (Outputs[Pos].Type != T)
      return None;
  return T;
}

Optional<std::string> findTakenName(const Module &M,
                                    ArrayRef<OutputReplacement> Rs) {
  std::vector<bool> Removed(M.outputs().size(), false);
  for (const OutputReplacement &R : Rs)
    for (size_t Pos : R.Removed)
      Removed[Pos] = true;
  StringSet<> Taken;
  for (size_t Pos = 0; Pos < M.outputs().size(); ++Pos)
    if (!Removed[Pos])
      Taken.insert(M.outputs()[Pos].Name);
  for (const OutputReplacement &R : Rs)
    for (const Output &O : R.Added)
      if (!Taken.insert(O.Name).second)
        return O.Name;
  return None;
}

void replaceOutputs(Module &M, std::vector<OutputReplacement> Rs) {
  std::vector<Output> &Outputs = M.outputs();
  // -1: kept; otherwise the replacement the output belongs to.
  std::vector<int> ReplacementOf(Outputs.size(), -1);
  for (size_t R = 0; R < Rs.size(); ++R)
    for (size_t Pos : Rs[R].Removed)
      ReplacementOf[Pos] = int(R);
  std::vector<Output> Result;
  std::vector<bool> Placed(Rs.size(), false);
  for (size_t Pos = 0; Pos < Outputs.size(); ++Pos) {
    int R = ReplacementOf[Pos];
    if (R < 0) {
      Result.push_back(std::move(Outputs[Pos]));
      continue;
    }
    if (Placed[R])
      continue;
    Placed[R] = true;
    for (Output &O : Rs[R].Added)
      Result.push_back(std::move(O));
  }
  Outputs = std::move(Result);
}

} // namespace ggufc
