//===- WriteProgress.cpp - Progress bar of the tensor writer --------------===//
#include "WriteProgress.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

using namespace llvm;

namespace ggufc {

// Redraws at most this often, so small tensors do not flood the terminal.
static constexpr std::chrono::milliseconds RedrawInterval(100);

static double mebibytes(uint64_t Bytes) { return double(Bytes) / (1 << 20); }

WriteProgress::WriteProgress(size_t Tensors, uint64_t Bytes)
    : Enabled(sys::Process::StandardErrIsDisplayed()), TotalTensors(Tensors),
      TotalBytes(Bytes), Start(Clock::now()), LastDraw(Start) {}

WriteProgress::~WriteProgress() {
  if (!Drawn)
    return;
  if (DrawnTensors != Tensors) // stopped early: show where
    draw();
  errs() << '\n';
}

void WriteProgress::tensorWritten(uint64_t Written) {
  if (!Enabled)
    return;
  std::lock_guard<std::mutex> Guard(Lock);
  ++Tensors;
  Bytes += Written;
  if (Clock::now() - LastDraw >= RedrawInterval || Tensors == TotalTensors)
    draw();
}

void WriteProgress::draw() {
  LastDraw = Clock::now();
  Drawn = true;
  DrawnTensors = Tensors;
  double Seconds = std::chrono::duration<double>(LastDraw - Start).count();
  double Rate = Seconds > 0 ? mebibytes(Bytes) / Seconds : 0;
  raw_ostream &OS = errs();
  constexpr unsigned BarWidth = 20;
  unsigned Filled =
      TotalBytes ? unsigned(double(Bytes) / TotalBytes * BarWidth) : BarWidth;
  OS << "\r[" << std::string(Filled, '#')
     << std::string(BarWidth - Filled, ' ') << "] ";
  OS << format("%zu/%zu tensors, %.1f/%.1f MiB, %.1f MiB/s", Tensors,
               TotalTensors, mebibytes(Bytes), mebibytes(TotalBytes), Rate);
  if (Rate > 0) {
    unsigned Left =
        unsigned(mebibytes(TotalBytes - Bytes) / Rate + 0.5); // seconds
    OS << format(", ETA %u:%02u", Left / 60, Left % 60);
  }
  OS << "   "; // covers the tail of a longer previous line
  OS.flush();
}

} // namespace ggufc
