//===- ElementConversion.h - Converting element buffers between dtypes ----===//
//
// Converts raw little-endian element bytes from one dtype to another
// through float32 (exact for f16/bf16 sources), rounding to nearest even.
// Neither buffer needs any alignment, so mapped file bytes can be passed
// directly.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_SUPPORT_ELEMENTCONVERSION_H
#define GGUFC_SUPPORT_ELEMENTCONVERSION_H

#include "ggufc/Support/DType.h"
#include <cstddef>
#include <cstdint>

namespace ggufc {

/// Converts N elements at Src (of type From) to Dst (of type To). Equal
/// types copy. The buffers may not overlap.
void convertElements(const uint8_t *Src, DType From, uint8_t *Dst, DType To,
                     size_t N);

} // namespace ggufc

#endif
