//===- Frontend.cpp - Checkpoint directory to IR --------------------------===//
//
// config.json picks the architecture, which writes the hyperparameters; the
// SafeTensors headers give one `load` per tensor; the tokenizer files give
// the tokenizer.* keys. Only headers are read here: tensor data stays on
// disk until the backend needs it.
//
//===----------------------------------------------------------------------===//
#include "ggufc/Frontend/Frontend.h"
#include "ggufc/Frontend/SafeTensors.h"
#include "ggufc/Frontend/Tokenizer.h"
#include "ggufc/IR/IRBuilder.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <map>
#include <set>

using namespace llvm;

namespace ggufc {

static std::string joinPath(StringRef Dir, StringRef Name) {
  SmallString<256> P(Dir);
  sys::path::append(P, Name);
  return std::string(P);
}

static constexpr const char *IndexName = "model.safetensors.index.json";

//===----------------------------------------------------------------------===//
// Architecture
//===----------------------------------------------------------------------===//

static Expected<const Architecture *> findArchitecture(const ConfigView &C) {
  const nlohmann::json &J = C.json();
  auto It = J.find("architectures");
  if (It == J.end())
    return C.error("architectures", "missing");
  if (!It->is_array() || It->empty() || !(*It)[0].is_string())
    return C.error("architectures", "expected a non-empty list of class names");
  std::string Class = (*It)[0].get<std::string>();
  if (const Architecture *A =
          ArchitectureRegistry::get().lookupByHFClass(Class))
    return A;
  std::vector<StringRef> Known;
  for (const Architecture *A : ArchitectureRegistry::get().list())
    append_range(Known, A->hfClasses());
  llvm::sort(Known);
  return fileError(C.path(), "unknown architecture '" + Class +
                                 "' (supported: " + join(Known, ", ") + ")");
}

//===----------------------------------------------------------------------===//
// SafeTensors discovery
//===----------------------------------------------------------------------===//

namespace {
/// A source tensor and the file (relative to the checkpoint) holding it.
struct SourceTensor {
  std::string File;
  SafeTensorInfo Info;
};
using TensorMap = std::map<std::string, SourceTensor>;
} // namespace

/// Maps File (relative to the store's directory) and adds its tensors to
/// Tensors; a name already taken by another file is an error naming both.
static Error addFile(TensorStore &Store, StringRef File, TensorMap &Tensors) {
  auto F = Store.file(File);
  if (!F)
    return F.takeError();
  StringRef Path = (*F)->path();
  for (const SafeTensorInfo &T : (*F)->tensors()) {
    auto [It, New] = Tensors.try_emplace(T.Name, SourceTensor{File.str(), T});
    if (!New)
      return fileError(Path,
                       "tensor '" + T.Name + "' is also in " + It->second.File);
  }
  return Error::success();
}

/// Every *.safetensors file of Dir, in name order.
static Expected<TensorMap> tensorsFromDirectory(TensorStore &Store) {
  StringRef Dir = Store.dir();
  std::vector<std::string> Files;
  std::error_code EC;
  for (sys::fs::directory_iterator I(Dir, EC), E; I != E && !EC;
       I.increment(EC)) {
    StringRef Name = sys::path::filename(I->path());
    if (Name.endswith(".safetensors") &&
        I->type() != sys::fs::file_type::directory_file)
      Files.push_back(Name.str());
  }
  if (EC)
    return fileError(Dir, "cannot list: " + EC.message());
  if (Files.empty())
    return fileError(Dir, Twine("no *.safetensors files (and no ") + IndexName +
                              ")");
  llvm::sort(Files);
  TensorMap Tensors;
  for (const std::string &File : Files)
    if (Error E = addFile(Store, File, Tensors))
      return E;
  return Tensors;
}

/// The shards model.safetensors.index.json names, checked against their
/// contents: the index and the headers must list the same tensors.
static Expected<TensorMap> tensorsFromIndex(TensorStore &Store,
                                            StringRef IndexPath) {
  StringRef Dir = Store.dir();
  auto Index = readJSONFile(IndexPath);
  if (!Index)
    return Index.takeError();
  ConfigView View(IndexPath.str(), *Index);
  if (!Index->is_object() || !Index->contains("weight_map"))
    return View.error("weight_map", "missing");
  const nlohmann::json &Map = Index->at("weight_map");
  if (!Map.is_object())
    return View.error("weight_map", "expected an object");

  std::map<std::string, std::string> Listed; // tensor -> shard
  std::set<std::string> Shards;
  for (const auto &KV : Map.items()) {
    if (!KV.value().is_string())
      return View.error("weight_map",
                        "entry '" + KV.key() + "' is not a file name");
    std::string Shard = KV.value().get<std::string>();
    // Shards are files of the checkpoint directory itself.
    if (Shard.empty() || StringRef(Shard).contains('/') ||
        StringRef(Shard).contains('\\') || Shard == "." || Shard == "..")
      return View.error("weight_map", "shard '" + Shard + "' of tensor '" +
                                          KV.key() + "' is not a file name");
    Listed[KV.key()] = Shard;
    Shards.insert(Shard);
  }

  TensorMap Tensors;
  for (const std::string &Shard : Shards) {
    std::string Path = joinPath(Dir, Shard);
    if (!sys::fs::exists(Path))
      return fileError(Path,
                       Twine("missing shard (listed in ") + IndexName + ")");
    if (Error E = addFile(Store, Shard, Tensors))
      return E;
  }
  for (const auto &[Name, Shard] : Listed) {
    auto It = Tensors.find(Name);
    if (It == Tensors.end() || It->second.File != Shard)
      return fileError(joinPath(Dir, Shard), "tensor '" + Name +
                                                 "' listed in " + IndexName +
                                                 " is not in this file");
  }
  for (const auto &[Name, T] : Tensors)
    if (!Listed.count(Name))
      return fileError(joinPath(Dir, T.File),
                       "tensor '" + Name + "' is not listed in " + IndexName);
  return Tensors;
}

static Expected<TensorMap> findTensors(TensorStore &Store) {
  std::string IndexPath = joinPath(Store.dir(), IndexName);
  if (sys::fs::exists(IndexPath))
    return tensorsFromIndex(Store, IndexPath);
  return tensorsFromDirectory(Store);
}

/// Orders names with embedded numbers by value: layers.2 before layers.10.
static bool naturalLess(StringRef A, StringRef B) {
  StringRef L = A, R = B;
  while (!L.empty() && !R.empty()) {
    if (isDigit(L.front()) && isDigit(R.front())) {
      size_t LN = std::min(L.find_if_not(isDigit), L.size());
      size_t RN = std::min(R.find_if_not(isDigit), R.size());
      StringRef LV = L.take_front(LN).ltrim('0'),
                RV = R.take_front(RN).ltrim('0');
      if (LV.size() != RV.size())
        return LV.size() < RV.size();
      if (LV != RV)
        return LV < RV;
      L = L.drop_front(LN);
      R = R.drop_front(RN);
      continue;
    }
    if (L.front() != R.front())
      return (unsigned char)L.front() < (unsigned char)R.front();
    L = L.drop_front();
    R = R.drop_front();
  }
  if (L.empty() != R.empty())
    return L.empty();
  return A < B; // equal but for leading zeros
}

//===----------------------------------------------------------------------===//
// Lowering
//===----------------------------------------------------------------------===//

static Error lowerTensors(const TensorMap &Tensors, Module &M) {
  std::vector<const std::pair<const std::string, SourceTensor> *> Order;
  for (const auto &KV : Tensors)
    Order.push_back(&KV);
  llvm::stable_sort(Order, [](const auto *L, const auto *R) {
    return naturalLess(L->first, R->first);
  });
  IRBuilder B(M);
  for (const auto *KV : Order) {
    const SourceTensor &T = KV->second;
    if (Value *V = B.load(T.File, KV->first, T.Info.Type))
      M.addOutput(KV->first, V);
  }
  return B.takeError();
}

/// The checkpoint directory's own name ("Qwen3-0.6B" for ./Qwen3-0.6B/).
static std::string checkpointName(StringRef Dir) {
  SmallString<256> Path(Dir);
  sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  while (Path.size() > 1 && sys::path::is_separator(Path.back()))
    Path.pop_back();
  StringRef Name = sys::path::filename(Path);
  return Name.empty() || Name == "." ? "model" : Name.str();
}

Expected<LoweredCheckpoint> lowerCheckpoint(StringRef Dir) {
  if (!sys::fs::is_directory(Dir))
    return fileError(Dir, sys::fs::exists(Dir) ? "not a directory"
                                               : "no such directory");
  std::string ConfigPath = joinPath(Dir, "config.json");
  if (!sys::fs::exists(ConfigPath))
    return fileError(ConfigPath, "missing (a HuggingFace checkpoint "
                                 "directory has config.json)");
  auto ConfigJSON = readJSONFile(ConfigPath);
  if (!ConfigJSON)
    return ConfigJSON.takeError();
  if (!ConfigJSON->is_object())
    return fileError(ConfigPath, "expected a JSON object");
  ConfigView Config(ConfigPath, *ConfigJSON);

  auto Arch = findArchitecture(Config);
  if (!Arch)
    return Arch.takeError();
  LoweredCheckpoint Out;
  Out.Arch = *Arch;
  Out.M = std::make_unique<Module>(Out.Arch->name().str());
  Module &M = *Out.M;
  M.SourceDir = Dir.str();

  // Tensors first: some hyperparameters depend on which tensors a checkpoint
  // has (Qwen3-Next's optional MTP layers).
  Out.Store = std::make_unique<TensorStore>(Dir.str());
  auto Tensors = findTensors(*Out.Store);
  if (!Tensors)
    return Tensors.takeError();
  if (Error E = lowerTensors(*Tensors, M))
    return E;

  // llama.cpp's order: architecture, type, hyperparameters, tokenizer.
  M.Meta.set("general.architecture", MetaValue::str(Out.Arch->name().str()));
  M.Meta.set("general.type", MetaValue::str("model"));
  // llama.cpp's converter names the model after its model card or, without
  // one, its directory; runtimes show it when loading.
  M.Meta.set("general.name", MetaValue::str(checkpointName(Dir)));
  if (Error E = Out.Arch->lowerConfig(Config, M))
    return E;
  Out.Pipeline = Out.Arch->pipeline(Config); // after lowerConfig validated

  if (Error E =
          lowerTokenizer(Dir, Config, Out.Arch->tokenizerTraits(), M.Meta))
    return E;
  return Out;
}

} // namespace ggufc
