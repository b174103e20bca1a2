//===- Format.h - Text forms of scalars and strings -----------------------===//
//
// The one spelling of numbers and strings shared by everything that prints
// them (the IR printer, gguf-dump), so that equal values always print alike
// and the IR parser can read them back.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_SUPPORT_FORMAT_H
#define GGUFC_SUPPORT_FORMAT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace ggufc {

/// The shortest text that reads back as the same float: `1`, `0.5`,
/// `1e-06`, `inf`, `-inf`, `nan` (the sign of a NaN is not printed).
void printFloat(llvm::raw_ostream &OS, float F);
/// As printFloat, for doubles.
void printDouble(llvm::raw_ostream &OS, double D);
/// S in double quotes; `"`, `\`, newline and tab escaped as `\"`, `\\`,
/// `\n`, `\t`, other bytes below 0x20 and 0x7f as `\xHH`, all other bytes
/// (UTF-8 included) as they are.
void printQuoted(llvm::raw_ostream &OS, llvm::StringRef S);

} // namespace ggufc

#endif
