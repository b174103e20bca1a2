//===- CPUFeatures.cpp - What the running CPU can execute -----------------===//
#include "ggufc/Support/CPUFeatures.h"

namespace ggufc {

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
bool cpuHasAVX2() {
  static const bool Has = __builtin_cpu_supports("avx2");
  return Has;
}
bool cpuHasF16C() {
  static const bool Has = __builtin_cpu_supports("f16c");
  return Has;
}
#else
bool cpuHasAVX2() { return false; }
bool cpuHasF16C() { return false; }
#endif

} // namespace ggufc
