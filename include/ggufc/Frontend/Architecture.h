//===- Architecture.h - Per-architecture lowering ----------------------------===//
//
// Everything ggufc knows about one architecture lives in one file under
// lib/Frontend/Arch/: the HuggingFace class names it accepts, the GGUF keys it
// writes from config.json, its tensor renaming table and its default pass
// pipeline. Adding an architecture means adding such a file and its tests.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_FRONTEND_ARCHITECTURE_H
#define GGUFC_FRONTEND_ARCHITECTURE_H

#include "ggufc/Frontend/Config.h"
#include "ggufc/IR/Module.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace ggufc {

/// One renaming rule on dotted tensor-name stems. `{N}` matches a decimal
/// number and is substituted in To. A rule matches a whole name or a prefix
/// ending at a dot, the rest (".weight", ".bias") is kept:
///   {"model.layers.{N}.self_attn.q_proj", "blk.{N}.attn_q"}
/// renames model.layers.3.self_attn.q_proj.weight to blk.3.attn_q.weight.
/// An empty To drops the tensor.
struct RenameRule {
  const char *From;
  const char *To;
};

/// What tokenizer conversion needs to know from the architecture.
struct TokenizerTraits {
  /// Extra special-token ids some architectures fix (e.g. Gemma's FIM ids),
  /// written as tokenizer.ggml.<key>: {key, id}.
  std::vector<std::pair<std::string, uint32_t>> FixedTokenIds;
  /// The architecture's vocabulary is SentencePiece (e.g. Gemma): read
  /// tokenizer.model in preference to tokenizer.json, as llama.cpp's
  /// converter does. Otherwise tokenizer.json is preferred and
  /// tokenizer.model is only the fallback.
  bool SentencePiece = false;
};

class Architecture {
public:
  virtual ~Architecture() = default;
  /// The GGUF architecture name, e.g. "qwen3".
  virtual llvm::StringRef name() const = 0;
  /// HuggingFace `architectures[0]` values this lowering accepts.
  virtual std::vector<llvm::StringRef> hfClasses() const = 0;
  /// Writes the <arch>.* keys from the config (the frontend has already
  /// written general.architecture and general.type). M already has one
  /// output per checkpoint tensor, under its HuggingFace name, for keys that
  /// depend on which tensors exist.
  virtual llvm::Error lowerConfig(const ConfigView &Config, Module &M) const = 0;
  /// Default pass pipeline, without the final select-types. Called after
  /// lowerConfig succeeded, so the config keys it reads are valid.
  virtual std::string pipeline(const ConfigView &Config) const = 0;
  /// Tensor renaming table used by the rename<arch> pass.
  virtual llvm::ArrayRef<RenameRule> renameRules() const = 0;
  virtual TokenizerTraits tokenizerTraits() const { return {}; }
};

class ArchitectureRegistry {
public:
  static ArchitectureRegistry &get();
  void add(std::unique_ptr<Architecture> A);
  const Architecture *lookupByName(llvm::StringRef Name) const;
  const Architecture *lookupByHFClass(llvm::StringRef HFClass) const;
  /// All, sorted by name.
  std::vector<const Architecture *> list() const;

private:
  std::vector<std::unique_ptr<Architecture>> Archs;
};

template <typename A> struct RegisterArchitecture {
  RegisterArchitecture() {
    ArchitectureRegistry::get().add(std::make_unique<A>());
  }
};

/// Applies Rules to Name: the new name, "" if a rule drops it, None if no
/// rule matches.
llvm::Optional<std::string> applyRenameRules(llvm::ArrayRef<RenameRule> Rules,
                                             llvm::StringRef Name);

} // namespace ggufc

#endif
