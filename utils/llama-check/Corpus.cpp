//===- Corpus.cpp - Tokenizer test corpus reader --------------------------===//
#include "Corpus.h"
#include "llvm/Support/MemoryBuffer.h"
#include <nlohmann/json.hpp>

using namespace llvm;

namespace llama_check {

Expected<std::vector<CorpusCase>> readCorpus(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return createStringError(Buffer.getError(), "%s: %s", Path.str().c_str(),
                             Buffer.getError().message().c_str());
  std::vector<CorpusCase> Cases;
  SmallVector<StringRef, 0> Lines;
  (*Buffer)->getBuffer().split(Lines, '\n');
  for (unsigned I = 0; I < Lines.size(); ++I) {
    StringRef Line = Lines[I].rtrim('\r');
    if (Line.trim().empty())
      continue;
    nlohmann::json Value =
        nlohmann::json::parse(Line.begin(), Line.end(), nullptr,
                              /*allow_exceptions=*/false);
    if (!Value.is_string())
      return createStringError(inconvertibleErrorCode(),
                               "%s:%u: expected one JSON string per line",
                               Path.str().c_str(), I + 1);
    Cases.push_back({I + 1, Value.get<std::string>()});
  }
  return Cases;
}

} // namespace llama_check
