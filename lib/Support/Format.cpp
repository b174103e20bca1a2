//===- Format.cpp - Text forms of scalars and strings ---------------------===//
#include "ggufc/Support/Format.h"
#include "llvm/Support/Format.h"
#include <charconv>
#include <cmath>

using namespace llvm;

namespace ggufc {

template <typename T> static void printShortest(raw_ostream &OS, T V) {
  if (std::isnan(V)) {
    OS << "nan"; // to_chars would print "-nan" for a negative NaN
    return;
  }
  char Buf[64];
  auto Res = std::to_chars(Buf, Buf + sizeof(Buf), V);
  OS << StringRef(Buf, Res.ptr - Buf);
}

void printFloat(raw_ostream &OS, float F) { printShortest(OS, F); }
void printDouble(raw_ostream &OS, double D) { printShortest(OS, D); }

void printQuoted(raw_ostream &OS, StringRef S) {
  OS << '"';
  for (unsigned char C : S) {
    switch (C) {
    case '"':
      OS << "\\\"";
      break;
    case '\\':
      OS << "\\\\";
      break;
    case '\n':
      OS << "\\n";
      break;
    case '\t':
      OS << "\\t";
      break;
    default:
      if (C < 0x20 || C == 0x7f)
        OS << "\\x" << format_hex_no_prefix(C, 2, /*Upper=*/true);
      else
        OS << C;
    }
  }
  OS << '"';
}

} // namespace ggufc
