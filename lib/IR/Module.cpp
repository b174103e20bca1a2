//===- Module.cpp - The IR module -------------------------------------------===//
#include "ggufc/IR/Module.h"
#include "llvm/ADT/DenseSet.h"

using namespace llvm;

namespace ggufc {

Value *Module::append(std::unique_ptr<Value> V) {
  V->Id = unsigned(Values.size());
  Values.push_back(std::move(V));
  return Values.back().get();
}

Output &Module::addOutput(std::string OutName, Value *Def) {
  Outputs.push_back(Output{std::move(OutName), Def, None});
  return Outputs.back();
}

Output *Module::findOutput(StringRef OutName) {
  for (Output &O : Outputs)
    if (O.Name == OutName)
      return &O;
  return nullptr;
}

unsigned Module::removeDeadValues() {
  DenseSet<const Value *> Live;
  SmallVector<const Value *, 64> Work;
  for (const Output &O : Outputs)
    if (O.Def && Live.insert(O.Def).second)
      Work.push_back(O.Def);
  while (!Work.empty()) {
    const Value *V = Work.pop_back_val();
    for (const Value *Op : V->Operands)
      if (Live.insert(Op).second)
        Work.push_back(Op);
  }
  size_t Before = Values.size();
  Values.erase(std::remove_if(Values.begin(), Values.end(),
                              [&](const std::unique_ptr<Value> &V) {
                                return !Live.count(V.get());
                              }),
               Values.end());
  renumber();
  return unsigned(Before - Values.size());
}

void Module::renumber() {
  // Values are only ever appended after their operands, so vector order is
  // already a definition order; ids just follow it.
  unsigned Id = 0;
  for (auto &V : Values)
    V->Id = Id++;
}

} // namespace ggufc
