//===- Rename.cpp - HuggingFace tensor names to GGUF names -------------------===//
//
// rename<ARCH>: renames every output with the architecture's rename table
// (Architecture::renameRules). A rule with an empty target drops the
// output. An output no rule matches is an error unless allow-unmapped is
// given, in which case it keeps its name (ollama's pass-through behaviour).
// All new names are decided before any output changes, so a failing run
// leaves the module as it was.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Frontend/Architecture.h"
#include "ggufc/Pass/Pass.h"
#include "ggufc/Transforms/PassOptionValues.h"
#include "llvm/ADT/StringMap.h"

using namespace llvm;

namespace ggufc {
namespace {

class RenamePass : public Pass {
public:
  static Expected<std::unique_ptr<Pass>> create(StringRef Options);
  Error run(Module &M, Statistics &Stats) override;

private:
  RenamePass(const Architecture &Arch, bool AllowUnmapped)
      : Arch(Arch), AllowUnmapped(AllowUnmapped) {}

  const Architecture &Arch;
  bool AllowUnmapped;
};

std::string knownArchitectures() {
  std::string List;
  for (const Architecture *A : ArchitectureRegistry::get().list())
    List += (List.empty() ? "" : ", ") + A->name().str();
  return List.empty() ? "none registered" : List;
}

Expected<std::unique_ptr<Pass>> RenamePass::create(StringRef Options) {
  auto Opts = parsePassOptions("rename", Options, {"arch", "allow-unmapped"});
  if (!Opts)
    return Opts.takeError();
  Expected<std::string> ArchName =
      requireOption("rename", *Opts, "arch", "rename<qwen3>");
  if (!ArchName)
    return ArchName.takeError();
  Expected<bool> AllowUnmapped = flagOption("rename", *Opts, "allow-unmapped");
  if (!AllowUnmapped)
    return AllowUnmapped.takeError();
  const Architecture *Arch = ArchitectureRegistry::get().lookupByName(*ArchName);
  if (!Arch)
    return createStringError(inconvertibleErrorCode(),
                             "pass 'rename': unknown architecture '%s' (known: %s)",
                             ArchName->c_str(), knownArchitectures().c_str());
  return std::unique_ptr<Pass>(new RenamePass(*Arch, *AllowUnmapped));
}

Error RenamePass::run(Module &M, Statistics &Stats) {
  ArrayRef<RenameRule> Rules = Arch.renameRules();
  std::vector<Output> &Outputs = M.outputs();

  // New name per output: a name, "" to drop, None when no rule matched.
  // Problems are reported as one line: the first, and how many more.
  std::vector<Optional<std::string>> NewNames;
  std::vector<std::string> Problems;
  for (const Output &O : Outputs) {
    NewNames.push_back(applyRenameRules(Rules, O.Name));
    if (!NewNames.back() && !AllowUnmapped)
      Problems.push_back("no GGUF name for tensor '" + O.Name + "'");
  }
  // Two tensors mapped onto one name would silently lose one of them.
  StringMap<StringRef> SourceOf;
  for (size_t I = 0; I < Outputs.size(); ++I) {
    StringRef Final = NewNames[I] ? StringRef(*NewNames[I]) : Outputs[I].Name;
    if (Final.empty())
      continue;
    auto Ins = SourceOf.try_emplace(Final, Outputs[I].Name);
    if (!Ins.second)
      Problems.push_back("tensors '" + Ins.first->second.str() + "' and '" +
                         Outputs[I].Name + "' are both renamed to '" +
                         Final.str() + "'");
  }
  if (!Problems.empty()) {
    std::string More;
    if (Problems.size() > 1)
      More = ", and " + std::to_string(Problems.size() - 1) +
             " more problem(s) (-passes='rename<" + Arch.name().str() +
             ";allow-unmapped>' -emit=ir shows the unmapped names)";
    return createStringError(inconvertibleErrorCode(),
                             Problems.front() + " (architecture " +
                                 Arch.name().str() + ")" + More);
  }

  std::vector<Output> Kept;
  uint64_t Renamed = 0, Dropped = 0, Unmapped = 0;
  for (size_t I = 0; I < Outputs.size(); ++I) {
    Output O = std::move(Outputs[I]);
    if (!NewNames[I]) {
      ++Unmapped;
    } else if (NewNames[I]->empty()) {
      ++Dropped;
      continue;
    } else {
      O.Name = std::move(*NewNames[I]);
      ++Renamed;
    }
    Kept.push_back(std::move(O));
  }
  Outputs = std::move(Kept);

  Stats.add("rename", "tensors renamed", Renamed);
  Stats.add("rename", "tensors dropped", Dropped);
  if (Unmapped)
    Stats.add("rename", "tensors kept under their source name", Unmapped);
  return Error::success();
}

} // namespace

static RegisterPass<RenamePass>
    X("rename", "rename tensors to GGUF names with an architecture's table "
                "(rename<ARCH>; allow-unmapped keeps unmatched names)");

} // namespace ggufc
