//===- WriteProgress.h - Progress bar of the tensor writer ------*- C++ -*-===//
//
// One line on stderr, redrawn in place: a bar, tensors and bytes written,
// rate and time left. Drawn only when stderr is a terminal, so logs and pipes get
// nothing.
//
//===----------------------------------------------------------------------===//
#ifndef GGUFC_LIB_BACKEND_WRITEPROGRESS_H
#define GGUFC_LIB_BACKEND_WRITEPROGRESS_H

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace ggufc {

class WriteProgress {
public:
  /// Tensors and Bytes are the totals to write.
  WriteProgress(size_t Tensors, uint64_t Bytes);
  /// Ends the line, if one was drawn.
  ~WriteProgress();

  /// Called by the workers, in any thread, when a tensor of Bytes is done.
  void tensorWritten(uint64_t Bytes);

private:
  using Clock = std::chrono::steady_clock;
  void draw();

  const bool Enabled;
  const size_t TotalTensors;
  const uint64_t TotalBytes;
  const Clock::time_point Start;
  std::mutex Lock;
  size_t Tensors = 0;
  uint64_t Bytes = 0;
  Clock::time_point LastDraw;
  bool Drawn = false;
  size_t DrawnTensors = 0; // the count the line shows
};

} // namespace ggufc

#endif
