//===- Verifier.cpp - IR well-formedness checks --------------------------------===//
//
// Collects every problem instead of stopping at the first, so one run shows
// all that a pass broke. Type rules come from checkDeclaredType (IRBuilder),
// the same function the parser and builder use.
//
//===----------------------------------------------------------------------===//
#include "ggufc/IR/Verifier.h"
#include "ggufc/IR/IRBuilder.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;

namespace ggufc {

namespace {

/// Well-known GGUF keys and the type llama.cpp reads them as.
struct KeyRule {
  const char *Key;
  MetaType Elem;
  bool IsArray;
};

const KeyRule WellKnownKeys[] = {
    {"general.architecture", MetaType::Str, false},
    {"general.alignment", MetaType::U32, false},
    {"general.file_type", MetaType::U32, false},
    {"general.quantization_version", MetaType::U32, false},
    {"tokenizer.ggml.model", MetaType::Str, false},
    {"tokenizer.ggml.pre", MetaType::Str, false},
    {"tokenizer.ggml.tokens", MetaType::Str, true},
    {"tokenizer.ggml.token_type", MetaType::I32, true},
    {"tokenizer.ggml.scores", MetaType::F32, true},
    {"tokenizer.ggml.merges", MetaType::Str, true},
};

/// Arrays indexed by token id; each must have one element per token.
const char *const PerTokenKeys[] = {"tokenizer.ggml.token_type",
                                    "tokenizer.ggml.scores"};

std::string describeType(MetaType Elem, bool IsArray) {
  return IsArray ? ("an array of " + metaTypeName(Elem)).str()
                 : metaTypeName(Elem).str();
}

class ModuleVerifier {
public:
  explicit ModuleVerifier(const Module &M) : M(M) {}

  Error run() {
    verifyMetadata();
    verifyValues();
    verifyOutputs();
    return std::move(Problems);
  }

private:
  void report(const Twine &Message) {
    Problems = joinErrors(std::move(Problems),
                          createStringError(inconvertibleErrorCode(), Message));
  }

  bool hasType(const MetaValue &V, MetaType Elem, bool IsArray) {
    return V.elemType() == Elem && V.isArray() == IsArray;
  }

  void verifyMetadata() {
    for (const Metadata::Entry &E : M.Meta.entries()) {
      const MetaValue &V = E.second;
      if (E.first.empty())
        report("metadata key is empty");
      if (V.elemType() == MetaType::Array)
        report("metadata '" + E.first + "': arrays of arrays are not supported");
      else if (!V.isArray() && V.size() != 1)
        report("metadata '" + E.first + "': scalar has no value");
    }
    for (const KeyRule &R : WellKnownKeys) {
      const MetaValue *V = M.Meta.get(R.Key);
      if (V && !hasType(*V, R.Elem, R.IsArray))
        report("metadata '" + Twine(R.Key) + "' must be " +
               describeType(R.Elem, R.IsArray) + ", is " +
               describeType(V->elemType(), V->isArray()));
    }
    const MetaValue *Align = M.Meta.get("general.alignment");
    if (Align && hasType(*Align, MetaType::U32, false) && Align->size() == 1 &&
        !isPowerOf2_64(Align->getUnsigned()))
      report("metadata 'general.alignment' must be a power of two, is " +
             Twine(Align->getUnsigned()));
    const MetaValue *Tokens = M.Meta.get("tokenizer.ggml.tokens");
    if (!Tokens || !hasType(*Tokens, MetaType::Str, true))
      return;
    for (const char *Key : PerTokenKeys) {
      const MetaValue *V = M.Meta.get(Key);
      if (V && V->isArray() && V->size() != Tokens->size())
        report("metadata '" + Twine(Key) + "' has " + Twine(V->size()) +
               " elements, but 'tokenizer.ggml.tokens' has " +
               Twine(Tokens->size()));
    }
  }

  void verifyValues() {
    const auto &Values = M.values();
    for (size_t I = 0; I < Values.size(); ++I) {
      const Value *V = Values[I].get();
      if (!V) {
        report("value at position " + Twine(I) + " is null");
        continue;
      }
      std::string Name = "%" + std::to_string(V->Id);
      if (V->Id != I)
        report(Name + ": id does not match its position " + Twine(I) +
               " in the module");
      // A type check dereferences operands: only do it when all of them
      // are values defined above (null ones checkDeclaredType reports).
      bool OperandsDefined = true;
      for (size_t J = 0; J < V->Operands.size(); ++J) {
        const Value *Op = V->Operands[J];
        if (Op && !Position.count(Op)) {
          report(Name + ": " + opcodeName(V->Op) + ": operand " + Twine(J) +
                 " is not defined before its use");
          OperandsDefined = false;
        }
      }
      if (OperandsDefined)
        if (Error E = checkDeclaredType(*V))
          report(Name + ": " + toString(std::move(E)));
      Position[V] = I;
    }
  }

  void verifyOutputs() {
    StringSet<> Seen;
    const auto &Outputs = M.outputs();
    for (size_t I = 0; I < Outputs.size(); ++I) {
      const Output &O = Outputs[I];
      std::string Name = "output '" + O.Name + "'";
      if (O.Name.empty()) {
        Name = "output #" + std::to_string(I);
        report(Name + " has an empty name");
      } else if (!Seen.insert(O.Name).second) {
        report(Name + " is defined more than once");
      }
      if (!O.Def)
        report(Name + " has no value");
      else if (!Position.count(O.Def))
        report(Name + " refers to a value that is not in the module");
    }
  }

  const Module &M;
  DenseMap<const Value *, size_t> Position;
  Error Problems = Error::success();
};

} // namespace

Error verifyModule(const Module &M) { return ModuleVerifier(M).run(); }

} // namespace ggufc
