//===- Corpus.h - Tokenizer test corpus reader ------------------*- C++ -*-===//
//
// A corpus is a text file with one test case per line, each line a JSON
// string literal ("Hello\tworld", "\u00e9", raw UTF-8 allowed). JSON gives
// every reader (this checker, utils/ref-tokenize.mjs,
// utils/ref-tokenize-spm.py) the same, standard escape decoding. Empty lines
// are skipped.
//
//===----------------------------------------------------------------------===//
#ifndef LLAMA_CHECK_CORPUS_H
#define LLAMA_CHECK_CORPUS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace llama_check {

struct CorpusCase {
  unsigned Line; // 1-based line number in the corpus file
  std::string Text;
};

llvm::Expected<std::vector<CorpusCase>> readCorpus(llvm::StringRef Path);

} // namespace llama_check

#endif
