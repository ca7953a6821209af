// The Linux user ABI as the guest sees it: one table per guest ABI.
//
// Like FreeBSD's sysentvec, a LinuxAbi bundles what differs between guest
// ABIs: the syscall table (number -> handler, name, argument kinds for
// -strace), errno numbering, struct layouts (translated inside the
// handlers), and the auxv/HWCAP values. riscv64 and (later) aarch64 both use
// the asm-generic numbering and share most handlers.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>
#include <string>

namespace xlat {

struct GuestThread;
struct Process;

// What the runner must do after a syscall.
enum class SyscallAction {
  Continue,   // result already in a0
  ExitThread, // the thread called exit
  ExitGroup,  // the process called exit_group; status in exitStatus
};

struct SyscallResult {
  SyscallAction action = SyscallAction::Continue;
  int exitStatus = 0;
  // Guest addresses [start, end) whose code was unmapped, replaced or made
  // non-executable: the runner drops the translations made from them.
  std::vector<std::pair<uint64_t, uint64_t>> codeGone;
  // riscv_flush_icache: the runner synchronizes as for fence.i.
  bool fenceI = false;
  // The syscall set the registers itself (rt_sigreturn): a0 is not the
  // result.
  bool registersSet = false;
};

struct LinuxAbi {
  const char *name;
  // Performs the syscall whose number and arguments are in the thread's
  // registers (a7, a0..a5) and writes the result (or -errno) to a0.
  SyscallResult (*dispatch)(GuestThread &t);
  // Sets up what the process needs before its first instruction (the
  // signal return trampoline). False with a reason on failure.
  bool (*initProcess)(Process &p, std::string &err);
  // At a safe point: delivers pending, unblocked signals to guest handlers
  // (building signal frames) or applies their default action. Returns the
  // signal the process must die of, or 0.
  int (*deliverSignals)(GuestThread &t);
  // A synchronous trap of the instruction at state.pc (SIGSEGV, SIGBUS,
  // SIGILL, SIGTRAP with si_code and si_addr): delivered at once. Returns
  // the signal the process must die of, or 0.
  int (*raiseTrap)(GuestThread &t, int sig, int code, uint64_t addr);
  uint64_t hwcap;
};

const LinuxAbi &riscv64LinuxAbi();

} // namespace xlat
