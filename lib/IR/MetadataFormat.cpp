//===- MetadataFormat.cpp - Text form of metadata types and values --------===//
#include "ggufc/IR/MetadataFormat.h"
#include "ggufc/Support/Format.h"

using namespace llvm;

namespace ggufc {

void printMetaType(raw_ostream &OS, const MetaValue &V) {
  if (V.isArray())
    OS << '[' << metaTypeName(V.elemType()) << "; " << V.size() << ']';
  else
    OS << metaTypeName(V.elemType());
}

static void printElement(raw_ostream &OS, const MetaValue &V, size_t I) {
  MetaType T = V.elemType();
  if (T == MetaType::Bool)
    OS << (V.unsignedValues()[I] ? "true" : "false");
  else if (isUnsignedMetaType(T))
    OS << V.unsignedValues()[I];
  else if (isSignedMetaType(T))
    OS << V.signedValues()[I];
  else if (T == MetaType::F32)
    printFloat(OS, float(V.floatValues()[I]));
  else if (T == MetaType::F64)
    printDouble(OS, V.floatValues()[I]);
  else
    printQuoted(OS, V.strValues()[I]);
}

void printMetaValue(raw_ostream &OS, const MetaValue &V, bool Full,
                    unsigned ElideAbove) {
  if (!V.isArray()) {
    printElement(OS, V, 0);
    return;
  }
  if (V.isElided() || (!Full && V.size() > ElideAbove)) {
    OS << "<elided>";
    return;
  }
  OS << '[';
  for (size_t I = 0, E = V.size(); I != E; ++I) {
    if (I)
      OS << ", ";
    printElement(OS, V, I);
  }
  OS << ']';
}

} // namespace ggufc
