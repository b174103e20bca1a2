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
#include "Utils/OutputGroups.h"
#include "ggufc/IR/IRBuilder.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/NamePattern.h"
#include "ggufc/Transforms/PassOptionValues.h"

using namespace llvm;

namespace ggufc {
namespace {

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
  if (!P->hasPlaceholder(MemberIndexPlaceholder))
    return stackError("pass 'stack': pattern '" + *PatternText +
                      "' has no {E} placeholder to number the stacked tensors");
  Expected<std::vector<std::string>> NameUses = templatePlaceholders(*Name);
  if (!NameUses)
    return NameUses.takeError();
  for (const std::string &Used : *NameUses)
    if (Used == MemberIndexPlaceholder || !P->hasPlaceholder(Used))
      return stackError("pass 'stack': name '" + *Name + "' uses {" + Used +
                        "}, which must be a placeholder of the pattern other "
                        "than {E}");
  return std::unique_ptr<Pass>(new StackPass(std::move(*P), *Name));
}

Error StackPass::run(Module &M, Statistics &Stats) {
  Expected<std::vector<NumberedGroup>> Groups =
      findNumberedGroups(M, Pattern, NameTemplate);
  if (!Groups)
    return Groups.takeError();

  // Names are checked before any value is created.
  std::vector<OutputReplacement> Rs;
  for (const NumberedGroup &G : *Groups)
    Rs.push_back({G.Members,
                  {Output{G.Name, nullptr, commonStorageType(M, G.Members)}}});
  if (Optional<std::string> Taken = findTakenName(M, Rs))
    return stackError("cannot stack into '" + *Taken +
                      "': an output of that name already exists");

  IRBuilder B(M);
  uint64_t Members = 0;
  for (OutputReplacement &R : Rs) {
    std::vector<Value *> Parts;
    for (size_t Pos : R.Removed)
      Parts.push_back(M.outputs()[Pos].Def);
    Members += Parts.size();
    R.Added.front().Def = B.stack(Parts, /*Axis=*/0);
  }
  if (Error E = B.takeError())
    return E;
  replaceOutputs(M, std::move(Rs));

  Stats.add("stack", "tensors stacked", Members);
  Stats.add("stack", "stacked tensors created", Groups->size());
  return Error::success();
}

} // namespace

static RegisterPass<StackPass>
    X("stack", "stack numbered outputs into one tensor along a new axis 0 "
               "(stack<pattern=P;name=NAME>, P with an {E} placeholder)");

} // namespace ggufc
