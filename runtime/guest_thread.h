// One guest thread: its architected state and the runner's per-thread data.
#pragma once

#include "lifter/aarch64/state.h"
#include "lifter/core/guest_isa.h"
#include "lifter/riscv/state.h"
#include "runtime/linux/linux_state.h"

#include <atomic>
#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace xlat {

struct Process;

struct GuestThread {
  // The architected state: `state` for a RISC-V guest, `a64` for an A64
  // one (the other is unused). Code for one ISA uses its member; code for
  // any guest goes through the accessors below.
  GuestIsa isa = GuestIsa::Riscv64;
  rv::RvState state{};
  a64::A64State a64{};
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
  // Whether the last memory fault was a write (arm64's signal frames
  // report it, the WnR bit of their esr_context).
  bool faultWrite = false;
  // Set by the host signal handler when a signal for the guest arrived;
  // polled by the run loops at instruction or block boundaries.
  std::atomic<bool> signalPending{false};
  // The Linux ABI's view of the thread: signal mask, pending signals,
  // alternate stack, set_tid_address.
  linux_abi::LinuxThreadState abi;

  bool isA64() const { return isa == GuestIsa::Aarch64; }
  uint64_t pc() const { return isA64() ? a64.pc : state.pc; }
  void setPc(uint64_t v) { (isA64() ? a64.pc : state.pc) = v; }
  // An exits:: reason (lifter/core/exit_reason.h).
  uint32_t exitReason() const { return isA64() ? a64.exit_reason : state.exit_reason; }
  void setExitReason(uint32_t v) { (isA64() ? a64.exit_reason : state.exit_reason) = v; }
  uint64_t faultAddr() const { return isA64() ? a64.fault_addr : state.fault_addr; }
  void setFaultAddr(uint64_t v) { (isA64() ? a64.fault_addr : state.fault_addr) = v; }
  // The guest address space this thread's accesses go to: host address of
  // guest 0, and the first guest address past it.
  uint8_t *memBase() const { return isA64() ? a64.membase : state.membase; }
  uint64_t memLimit() const { return isA64() ? a64.memlimit : state.memlimit; }
  // f(the state of the thread's ISA): for the runner's fields, which both
  // states have by the same names (interrupt, access_pc, ibtc, the
  // counters; lifter/core/lifter.h).
  template <class F> decltype(auto) withState(F f) { return isA64() ? f(a64) : f(state); }
  template <class F> decltype(auto) withState(F f) const {
    return isA64() ? f(a64) : f(state);
  }
  // Nonzero when the runner wants translated code to come back to it.
  uint32_t *interruptFlag() {
    return withState([](auto &s) { return &s.interrupt; });
  }
  // The state as bytes, for a fault's register spills (field offsets).
  void *stateBytes() {
    return withState([](auto &s) -> void * { return &s; });
  }
  size_t stateSize() const {
    return withState([](const auto &s) { return sizeof s; });
  }
};

// The thread running on this host thread (null outside guest execution).
GuestThread *currentThread();
void setCurrentThread(GuestThread *t);

} // namespace xlat
