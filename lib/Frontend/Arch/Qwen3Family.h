//===- Qwen3Family.h - Tables Qwen3, Qwen3-MoE and Qwen3-Next share -------===//
//
// Qwen3-MoE is Qwen3 with a mixture-of-experts FFN; Qwen3-Next keeps
// Qwen3's attention and Qwen3-MoE's experts. Each table is defined once, in
// the file of the architecture that introduced it, and reused here.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_FRONTEND_ARCH_QWEN3FAMILY_H
#define GGUFC_LIB_FRONTEND_ARCH_QWEN3FAMILY_H

#include "ggufc/Frontend/Architecture.h"
#include "ggufc/IR/Metadata.h"

namespace ggufc {

/// An error if the config sets attention_bias, which llama.cpp's Qwen3
/// family cannot load (Qwen3.cpp).
llvm::Error rejectAttentionBias(const ConfigView &C, llvm::StringRef Arch);

/// Qwen3's hyperparameters as "<Arch>.*" keys: counts, RMS epsilon, head
/// size, RoPE base and scaling, after rejectAttentionBias (Qwen3.cpp).
llvm::Error lowerQwen3Keys(const ConfigView &C, llvm::StringRef Arch,
                           Metadata &Meta);

/// Qwen3's rename table: embeddings, norms, attention, dense FFN (Qwen3.cpp).
llvm::ArrayRef<RenameRule> qwen3RenameRules();

/// The mixture-of-experts FFN of Qwen3-MoE and Qwen3-Next (Qwen3Moe.cpp):
/// the router, per-expert and fused expert weights under the names
/// expert-fuse reads, the shared expert.
llvm::ArrayRef<RenameRule> qwenMoeRenameRules();

} // namespace ggufc

#endif
