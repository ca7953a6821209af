// One guest thread: its architected state and the runner's per-thread data.
#pragma once

#include "lifter/riscv/state.h"
#include "runtime/linux/linux_state.h"

#include <atomic>
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
  // Guest pc of the instruction being interpreted, for faults the hardware
  // reports (host SIGSEGV inside guest memory). Translated code has no
  // such store: the fault's host pc names the guest instruction
  // (jit::HostPcMap), or for an atomic in LLVM code state.access_pc.
  uint64_t currentPc = 0;
  bool interpreting = false;
  // Set by the host signal handler when a signal for the guest arrived;
  // polled by the run loops at instruction or block boundaries.
  std::atomic<bool> signalPending{false};
  // The Linux ABI's view of the thread: signal mask, pending signals,
  // alternate stack, set_tid_address.
  linux_abi::LinuxThreadState abi;
};

// The thread running on this host thread (null outside guest execution).
GuestThread *currentThread();
void setCurrentThread(GuestThread *t);

} // namespace xlat
