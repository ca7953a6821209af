// One guest thread: its architected state and the runner's per-thread data.
#pragma once

#include "lifter/riscv/state.h"

#include <csetjmp>
#include <cstdint>

namespace xlat {

struct Process;

struct GuestThread {
  rv::RvState state{};
  Process *process = nullptr;
  int tid = 0;
  // Where a faulting guest memory access unwinds to (see dispatcher.cpp).
  sigjmp_buf faultJump;
  bool faultJumpArmed = false;
  // Guest pc of the instruction being interpreted / block being run, for
  // faults the hardware reports (host SIGSEGV inside guest memory).
  uint64_t currentPc = 0;
};

// The thread running on this host thread (null outside guest execution).
GuestThread *currentThread();
void setCurrentThread(GuestThread *t);

} // namespace xlat
