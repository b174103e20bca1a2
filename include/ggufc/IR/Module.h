//===- Module.h - The IR module --------------------------------------------===//
//
// A module is what one conversion works on: the GGUF metadata to write, a
// graph of tensor values in definition order (operands before users), and
// the outputs, each a GGUF tensor name bound to a value and, once the
// select-types pass has run, a storage type.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_IR_MODULE_H
#define GGUFC_IR_MODULE_H

#include "ggufc/IR/Metadata.h"
#include "ggufc/IR/Value.h"
#include "ggufc/Support/StorageType.h"
#include "llvm/ADT/Optional.h"
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace ggufc {

struct Output {
  std::string Name;
  Value *Def = nullptr;
  /// Storage type in the GGUF file; unset until select-types decides it.
  llvm::Optional<StorageType> Type;
};

class Module {
public:
  explicit Module(std::string Name = "") : Name(std::move(Name)) {}
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;

  /// Usually the architecture, e.g. "qwen3".
  std::string Name;
  /// Directory `load` file names are relative to (the checkpoint directory).
  std::string SourceDir;
  Metadata Meta;

  const std::vector<std::unique_ptr<Value>> &values() const { return Values; }
  std::vector<Output> &outputs() { return Outputs; }
  const std::vector<Output> &outputs() const { return Outputs; }

  /// Appends a value (its operands must already be in the module) and
  /// returns it. Use IRBuilder to create values with checked types.
  Value *append(std::unique_ptr<Value> V);
  Output &addOutput(std::string Name, Value *Def);
  Output *findOutput(llvm::StringRef Name);

  /// Deletes values no output reaches; returns how many were removed.
  unsigned removeDeadValues();
  /// Deletes the outputs for which Pred is true (values stay until
  /// removeDeadValues). Returns how many were removed.
  template <typename Pred> unsigned removeOutputsIf(Pred P) {
    size_t Before = Outputs.size();
    Outputs.erase(std::remove_if(Outputs.begin(), Outputs.end(), P),
                  Outputs.end());
    return unsigned(Before - Outputs.size());
  }
  /// Renumbers value ids to their position (values are always appended
  /// after their operands, so position order is definition order).
  void renumber();

private:
  std::vector<std::unique_ptr<Value>> Values;
  std::vector<Output> Outputs;
};

} // namespace ggufc

#endif
