//===- Quantize.h - Block quantization of float rows -------------------------===//
//
// Quantizes float32 data into ggml's block formats, byte for byte as ggml's
// reference quantizers (quantize_row_*_ref, no importance matrix) do, so a
// file ggufc quantizes equals one llama.cpp quantizes from the same floats.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_BACKEND_QUANTIZE_H
#define GGUFC_BACKEND_QUANTIZE_H

#include "ggufc/Support/StorageType.h"
#include <cstddef>
#include <cstdint>

namespace ggufc {

/// Whether quantize() supports T (Q4_0, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K).
bool canQuantize(StorageType T);

/// Quantizes the N floats at Src (N a multiple of T's block size) into
/// storageBytes(T, N) bytes at Dst. T must satisfy canQuantize.
void quantize(StorageType T, const float *Src, uint8_t *Dst, size_t N);

/// Lets quantize() use vector instructions where the CPU has them (AVX2 on
/// x86-64), the default, or keeps it on the portable code. Both write the
/// same bytes; tests turn it off to check the portable path too.
void setQuantizeVectorized(bool Enabled);

/// Whether quantize() now takes the vector path: enabled and supported.
bool quantizeIsVectorized();

} // namespace ggufc

#endif
