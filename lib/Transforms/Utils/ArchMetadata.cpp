//===- ArchMetadata.cpp - Hyperparameters passes read ---------------------===//
#include "ArchMetadata.h"
#include "ggufc/IR/Metadata.h"

using namespace llvm;

namespace ggufc {

static Error needsMetadata(StringRef Key, StringRef What) {
  return createStringError(inconvertibleErrorCode(), "needs metadata '%s' (%s)",
                           Key.str().c_str(), What.str().c_str());
}

Expected<uint64_t> archMetaUInt(const Module &M, StringRef Key,
                                Optional<uint64_t> Default) {
  const MetaValue *Arch = M.Meta.get("general.architecture");
  if (!Arch || Arch->isArray() || Arch->elemType() != MetaType::Str)
    return needsMetadata("general.architecture", "a string");
  std::string FullKey = Arch->getStr() + "." + Key.str();
  const MetaValue *V = M.Meta.get(FullKey);
  if (!V && Default)
    return *Default;
  if (!V || V->isArray() || V->elemType() == MetaType::Bool ||
      !isUnsignedMetaType(V->elemType()))
    return needsMetadata(FullKey, "an unsigned integer");
  return V->getUnsigned();
}

} // namespace ggufc
