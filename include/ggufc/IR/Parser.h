//===- Parser.h - Textual IR input ---------------------------------------===//
#ifndef GGUFC_IR_PARSER_H
#define GGUFC_IR_PARSER_H

#include "ggufc/IR/Module.h"
#include "llvm/Support/Error.h"
#include <memory>

namespace ggufc {

/// Parses the textual form printModule writes. Errors read
/// "<BufferName>:<line>:<col>: <message>".
llvm::Expected<std::unique_ptr<Module>> parseModule(llvm::StringRef Text,
                                                    llvm::StringRef BufferName);

} // namespace ggufc

#endif
