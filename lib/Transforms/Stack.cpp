//===- Stack.cpp - Joining numbered outputs into one tensor ------------------===//
//
// stack<pattern=P;name=NAME>: P is a name template with an {E} placeholder
// (and usually others, e.g. blk.{N}.altup_proj.{E}.weight). Outputs matching
// P are grouped by the values of every placeholder except {E}; each group
// must have exactly the indices E = 0..k-1. Its members, ordered by numeric
// E, are stacked along a new axis 0 and replaced by one output named NAME
// with the group's placeholders filled in (blk.{N}.altup_proj.weight). The
// new output takes the place of the group's first output. Everything is
// checked before the module changes.
//
//===----------------------------------------------------------------------===//
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/IR/Printer.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace llvm;

namespace ggufc {
namespace {

/// The placeholder that numbers the members of a group.
constexpr const char *IndexPlaceholder = "E";

struct Member {
  uint64_t Index;
  size_t OutputPos;
};

struct Group {
  std::string Name;
  std::vector<Member> Members;
};

Error stackError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg.str());
}

class StackPass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options);
  Error run(Module &M, Statistics &Stats) override;

private:
  StackPass(NamePattern Pattern, std::string NameTemplate)
      : Pattern(std::move(Pattern)), NameTemplate(std::move(NameTemplate)) {}

  Expected<std::vector<Group>> collectGroups(const Module &M) const;
  Error checkGroup(const Module &M, Group &G) const;

  NamePattern Pattern;
  std::string NameTemplate;
};

Expected<std::unique_ptr<Pass>> StackPass::create(StringRef Options) {
  const char *Example = "stack<pattern=blk.{N}.altup_proj.{E}.weight;"
                        "name=blk.{N}.altup_proj.weight>";
  auto Opts = parsePassOptions("stack", Options, {"pattern", "name"});
  if (!Opts)
    return Opts.takeError();
  Expected<std::string> PatternText =
      requireOption("stack", *Opts, "pattern", Example);
  if (!PatternText)
    return PatternText.takeError();
  Expected<std::string> Name = requireOption("stack", *Opts, "name", Example);
  if (!Name)
    return Name.takeError();
  Expected<NamePattern> P = NamePattern::fromTemplate(*PatternText);
  if (!P)
    return P.takeError();
  if (!P->hasPlaceholder(IndexPlaceholder))
    return stackError("pass 'stack': pattern '" + *PatternText +
                      "' has no {E} placeholder to number the stacked tensors");
  Expected<std::vector<std::string>> NameUses = templatePlaceholders(*Name);
  if (!NameUses)
    return NameUses.takeError();
  for (const std::string &Used : *NameUses)
    if (Used == IndexPlaceholder || !P->hasPlaceholder(Used))
      return stackError("pass 'stack': name '" + *Name + "' uses {" + Used +
                        "}, which must be a placeholder of the pattern other "
                        "than {E}");
  return std::unique_ptr<Pass>(new StackPass(std::move(*P), *Name));
}

Expected<std::vector<Group>> StackPass::collectGroups(const Module &M) const {
  std::vector<Group> Groups;
  StringMap<size_t> GroupOfKey;
  const std::vector<Output> &Outputs = M.outputs();
  for (size_t Pos = 0; Pos < Outputs.size(); ++Pos) {
    PlaceholderValues Values;
    if (!Pattern.match(Outputs[Pos].Name, &Values))
      continue;
    uint64_t Index = 0;
    if (StringRef(Values[IndexPlaceholder]).getAsInteger(10, Index))
      return stackError("cannot stack '" + Outputs[Pos].Name +
                        "': index {E} = " + Values[IndexPlaceholder] +
                        " is too large");
    // Members of one group agree on every placeholder except {E}.
    std::string Key;
    for (const auto &KV : Values)
      if (KV.first != IndexPlaceholder)
        Key += KV.first + "=" + KV.second + ";";
    auto Ins = GroupOfKey.try_emplace(Key, Groups.size());
    if (Ins.second) {
      Expected<std::string> Name = substitutePlaceholders(NameTemplate, Values);
      if (!Name)
        return Name.takeError();
      Groups.push_back(Group{std::move(*Name), {}});
    }
    Groups[Ins.first->second].Members.push_back(Member{Index, Pos});
  }
  return Groups;
}

Error StackPass::checkGroup(const Module &M, Group &G) const {
  const std::vector<Output> &Outputs = M.outputs();
  llvm::stable_sort(G.Members, [](const Member &L, const Member &R) {
    return L.Index < R.Index;
  });
  auto NameOf = [&](const Member &Mb) -> const std::string & {
    return Outputs[Mb.OutputPos].Name;
  };
  for (size_t K = 0; K < G.Members.size(); ++K) {
    if (G.Members[K].Index == K)
      continue;
    if (K > 0 && G.Members[K].Index == G.Members[K - 1].Index)
      return stackError("cannot stack '" + G.Name + "': tensors '" +
                        NameOf(G.Members[K - 1]) + "' and '" +
                        NameOf(G.Members[K]) + "' both have {E} = " +
                        Twine(G.Members[K].Index));
    std::string Found;
    for (const Member &Mb : G.Members)
      Found += (Found.empty() ? "" : ", ") + std::to_string(Mb.Index);
    return stackError("cannot stack '" + G.Name + "': no tensor matching '" +
                      Pattern.source() + "' has {E} = " + Twine(K) +
                      " (found " + Found + ")");
  }
  const TensorType &First = Outputs[G.Members.front().OutputPos].Def->Type;
  for (const Member &Mb : G.Members) {
    const TensorType &T = Outputs[Mb.OutputPos].Def->Type;
    if (T != First)
      return stackError("cannot stack '" + G.Name + "': '" +
                        NameOf(G.Members.front()) + "' has type " +
                        formatType(First) + " but '" + NameOf(Mb) + "' has " +
                        formatType(T));
  }
  return Error::success();
}

/// The storage type the stacked output keeps: the members' if they agree.
Optional<StorageType> commonStorageType(const std::vector<Output> &Outputs,
                                  const Group &G) {
  Optional<StorageType> T = Outputs[G.Members.front().OutputPos].Type;
  for (const Member &Mb : G.Members)
    if (Outputs[Mb.OutputPos].Type != T)
      return None;
  return T;
}

Error StackPass::run(Module &M, Statistics &Stats) {
  Expected<std::vector<Group>> GroupsOr = collectGroups(M);
  if (!GroupsOr)
    return GroupsOr.takeError();
  std::vector<Group> &Groups = *GroupsOr;
  std::vector<Output> &Outputs = M.outputs();

  // Which group, if any, each output belongs to.
  std::vector<int> GroupOf(Outputs.size(), -1);
  for (size_t G = 0; G < Groups.size(); ++G)
    for (const Member &Mb : Groups[G].Members)
      GroupOf[Mb.OutputPos] = int(G);

  StringSet<> Taken;
  for (size_t Pos = 0; Pos < Outputs.size(); ++Pos)
    if (GroupOf[Pos] < 0)
      Taken.insert(Outputs[Pos].Name);
  for (Group &G : Groups) {
    if (Error E = checkGroup(M, G))
      return E;
    if (!Taken.insert(G.Name).second)
      return stackError("cannot stack into '" + G.Name +
                        "': an output of that name already exists");
  }

  IRBuilder B(M);
  std::vector<Value *> Stacked;
  for (const Group &G : Groups) {
    std::vector<Value *> Parts;
    for (const Member &Mb : G.Members)
      Parts.push_back(Outputs[Mb.OutputPos].Def);
    Stacked.push_back(B.stack(Parts, /*Axis=*/0));
  }
  if (Error E = B.takeError())
    return E;

  std::vector<Output> Result;
  std::vector<bool> Emitted(Groups.size(), false);
  uint64_t Members = 0;
  for (size_t Pos = 0; Pos < Outputs.size(); ++Pos) {
    int G = GroupOf[Pos];
    if (G < 0) {
      Result.push_back(std::move(Outputs[Pos]));
      continue;
    }
    ++Members;
    if (Emitted[G])
      continue;
    Emitted[G] = true;
    Result.push_back(Output{Groups[G].Name, Stacked[G],
                            commonStorageType(Outputs, Groups[G])});
  }
  Outputs = std::move(Result);

  Stats.add("stack", "tensors stacked", Members);
  Stats.add("stack", "stacked tensors created", Groups.size());
  return Error::success();
}

} // namespace

static RegisterPass<StackPass>
    X("stack", "stack numbered outputs into one tensor along a new axis 0 "
               "(stack<pattern=P;name=NAME>, P with an {E} placeholder)");

} // namespace ggufc
