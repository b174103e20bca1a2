//===- StoreLoadReader.h - Evaluating loads from mapped SafeTensors -------===//
#ifndef GGUFC_BACKEND_STORELOADREADER_H
#define GGUFC_BACKEND_STORELOADREADER_H

#include "ggufc/Frontend/SafeTensors.h"
#include "ggufc/IR/Evaluator.h"

namespace ggufc {

/// Supplies `load` elements to the evaluator from a TensorStore, converted
/// from the stored dtype to float32. Safe to share between threads.
class StoreLoadReader : public LoadReader {
public:
  explicit StoreLoadReader(TensorStore &Store) : Store(Store) {}
  llvm::Error readAsFloat(const Value &Load, float *Dst) override;

private:
  TensorStore &Store;
};

} // namespace ggufc

#endif
