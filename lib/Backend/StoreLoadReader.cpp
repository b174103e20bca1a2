//===- StoreLoadReader.cpp - Evaluating loads from mapped SafeTensors -----===//
#include "ggufc/Backend/StoreLoadReader.h"
#include "ggufc/Support/ElementConversion.h"

using namespace llvm;

namespace ggufc {

Error StoreLoadReader::readAsFloat(const Value &Load, float *Dst) {
  Expected<ArrayRef<uint8_t>> Bytes =
      Store.tensorBytes(Load.File, Load.Key, Load.Type);
  if (!Bytes)
    return Bytes.takeError();
  size_t N = size_t(Load.Type.numElements());
  if (Bytes->size() != N * dtypeSize(Load.Type.Elem))
    return createStringError(inconvertibleErrorCode(),
                             "%s: tensor '%s' has %zu bytes, expected %zu",
                             Load.File.c_str(), Load.Key.c_str(), Bytes->size(),
                             N * dtypeSize(Load.Type.Elem));
  convertElements(Bytes->data(), Load.Type.Elem,
                  reinterpret_cast<uint8_t *>(Dst), DType::F32, N);
  Store.releaseTensor(Load.File, Load.Key);
  return Error::success();
}

} // namespace ggufc
