//===- CPUFeatures.h - What the running CPU can execute -------------------===//
//
// The one run-time check behind every vector path (float conversions,
// quantizers): the binary is built for the baseline x86-64 target and
// uses AVX2/F16C code only where these say the CPU has it. Always false
// on other architectures and compilers.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_SUPPORT_CPUFEATURES_H
#define GGUFC_SUPPORT_CPUFEATURES_H

namespace ggufc {

bool cpuHasAVX2();
bool cpuHasF16C();

} // namespace ggufc

#endif
