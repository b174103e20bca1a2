//===- CommonRenames.h - Rename rules shared by architectures -------------===//
//
// Checkpoints nest the same modules under different prefixes: a Llama
// decoder is "model." in LlamaForCausalLM, "language_model.model." in
// Mllama and "model.language_model." in its newer layout. A RenameTable
// writes such stems once and places them under each prefix.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_FRONTEND_ARCH_COMMONRENAMES_H
#define GGUFC_LIB_FRONTEND_ARCH_COMMONRENAMES_H

#include "ggufc/Frontend/Architecture.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <deque>
#include <initializer_list>
#include <string>
#include <vector>

namespace ggufc {

/// Stems of a Llama decoder relative to its module (embed_tokens, norm,
/// layers.{N}.*) and their GGUF names (token_embd, output_norm, blk.{N}.*).
llvm::ArrayRef<RenameRule> llamaDecoderRules();

/// Rename rules built at startup; owns the strings its rules point to.
class RenameTable {
public:
  RenameTable() = default;
  /// The rules of Tables, in order (the first matching rule wins).
  explicit RenameTable(
      std::initializer_list<llvm::ArrayRef<RenameRule>> Tables) {
    for (llvm::ArrayRef<RenameRule> T : Tables)
      add("", "", T);
  }
  // A copy would point into the original's strings; moving keeps them.
  RenameTable(const RenameTable &) = delete;
  RenameTable &operator=(const RenameTable &) = delete;
  RenameTable(RenameTable &&) = default;

  /// Adds {FromPrefix.From, ToPrefix.To} for each rule of Rules (an empty
  /// prefix adds nothing; an empty To still drops the tensor).
  RenameTable &add(llvm::StringRef FromPrefix, llvm::StringRef ToPrefix,
                   llvm::ArrayRef<RenameRule> Rules);
  llvm::ArrayRef<RenameRule> rules() const { return Rules; }

private:
  const char *keep(std::string S);
  std::deque<std::string> Strings; // a deque never moves its elements
  std::vector<RenameRule> Rules;
};

} // namespace ggufc

#endif
