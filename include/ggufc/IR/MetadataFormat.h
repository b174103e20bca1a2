//===- MetadataFormat.h - Text form of metadata types and values ----------===//
//
// How a metadata value's type and contents are spelled, shared by the IR
// printer (`meta "k" : <type> = <value>`) and gguf-dump (`k : <type> =
// <value>`): types as `u32`, `str`, `[i32; 3]`; values as `28`, `true`,
// `1e-06`, `"text"`, `[1, 1, 3]`, or `<elided>`.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_IR_METADATAFORMAT_H
#define GGUFC_IR_METADATAFORMAT_H

#include "ggufc/IR/Metadata.h"
#include "llvm/Support/raw_ostream.h"

namespace ggufc {

void printMetaType(llvm::raw_ostream &OS, const MetaValue &V);
/// Arrays with more than ElideAbove elements print as `<elided>` unless
/// Full is set; an already elided array always does.
void printMetaValue(llvm::raw_ostream &OS, const MetaValue &V, bool Full,
                    unsigned ElideAbove = 16);

} // namespace ggufc

#endif
