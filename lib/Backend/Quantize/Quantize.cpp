//===- Quantize.cpp - Choosing the quantizer for a storage type ---------------===//
#include "ggufc/Backend/Quantize.h"
#include "Quantizers.h"
#include "ggufc/Support/CPUFeatures.h"
#include <atomic>

namespace ggufc {

using QuantizeBlocks = void (*)(const float *, uint8_t *, size_t);

static QuantizeBlocks quantizerFor(StorageType T) {
  // The k-quants choose their fits themselves (KQuants.cpp).
  const bool Vector = quantizeIsVectorized();
  switch (T) {
  case StorageType::Q4_0:
    return Vector ? quant::quantizeQ4_0AVX2 : quant::quantizeQ4_0;
  case StorageType::Q5_0: return quant::quantizeQ5_0;
  case StorageType::Q5_1: return quant::quantizeQ5_1;
  case StorageType::Q8_0:
    return Vector ? quant::quantizeQ8_0AVX2 : quant::quantizeQ8_0;
  case StorageType::Q4_K: return quant::quantizeQ4_K;
  case StorageType::Q5_K: return quant::quantizeQ5_K;
  case StorageType::Q6_K: return quant::quantizeQ6_K;
  default: return nullptr;
  }
}

bool canQuantize(StorageType T) { return quantizerFor(T) != nullptr; }

void quantize(StorageType T, const float *Src, uint8_t *Dst, size_t N) {
  if (QuantizeBlocks Q = quantizerFor(T))
    Q(Src, Dst, N / storageTypeTraits(T).BlockSize);
}

static std::atomic<bool> VectorizeEnabled{true};

void setQuantizeVectorized(bool Enabled) { VectorizeEnabled = Enabled; }

bool quantizeIsVectorized() {
  return VectorizeEnabled && cpuHasAVX2();
}

} // namespace ggufc
