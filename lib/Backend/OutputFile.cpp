//===- OutputFile.cpp - Positioned writes to the output, one at a time
//-----===//
#include "OutputFile.h"
#include <cerrno>
#include <unistd.h>

namespace ggufc {

std::error_code OutputFile::writeAt(const uint8_t *Data, size_t Size,
                                    uint64_t Pos) {
  std::lock_guard<std::mutex> Guard(Lock);
  while (Size) {
    ssize_t N = ::pwrite(FD, Data, Size, off_t(Pos));
    if (N < 0) {
      if (errno == EINTR)
        continue;
      return std::error_code(errno, std::generic_category());
    }
    Data += N;
    Size -= size_t(N);
    Pos += uint64_t(N);
  }
  return std::error_code();
}

} // namespace ggufc
