// The Linux user ABI as the guest sees it: one table per guest ABI.
//
// Like FreeBSD's sysentvec, a LinuxAbi bundles what differs between guest
// ABIs: the syscall table (number -> handler, name, argument kinds for
// -strace), errno numbering, struct layouts (translated inside the
// handlers), the registers syscalls and signal frames use, and the
// auxv/HWCAP values. riscv64 and aarch64 both use the asm-generic
// numbering and share the handlers; abi_riscv64.cpp and abi_aarch64.cpp
// hold what is each one's own.
#pragma once

#include "runtime/elf_loader.h"

#include <cstdint>
#include <utility>
#include <vector>
#include <string>

namespace xlat {

struct GuestThread;
struct Process;
namespace linux_abi {
struct RawSiginfo;
struct GuestSigaction;
struct GuestStackT;
struct SyscallEntry;
} // namespace linux_abi

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
  uint16_t machine; // the ELF e_machine of its programs
  // Debian's cross sysroot for its programs: where an interpreter is
  // looked for last, and the guest's root when -L gives none.
  const char *defaultSysroot;

  // The registers of a system call: its number and six arguments; where
  // its result goes.
  void (*syscallArgs)(const GuestThread &t, uint64_t &nr, uint64_t args[6]);
  void (*setSyscallResult)(GuestThread &t, uint64_t v);
  // Makes the thread run the system call it just made again, with its
  // first argument as it was (a restart after a signal handler).
  void (*restartSyscall)(GuestThread &t, uint64_t arg0);
  uint64_t (*stackPointer)(const GuestThread &t);
  // The registers a thread made by clone starts with, from a copy of its
  // parent's: the new stack if newsp is not 0, the thread pointer if
  // setTls, and no exclusive reservation.
  void (*cloneRegisters)(GuestThread &t, uint64_t newsp, bool setTls, uint64_t tls);
  // Builds the rt_sigframe this ABI's kernel builds for `sig` on `sp`
  // (already moved to the alternate stack if the handler wants it) and
  // points the registers at the handler; the frame's address, or 0 if it
  // cannot be written. `savedMask` goes to uc_sigmask, `altStack` to
  // uc_stack as the thread saw it on entry.
  uint64_t (*setupRtFrame)(GuestThread &t, uint64_t sp, int sig, const linux_abi::RawSiginfo &info,
                           const linux_abi::GuestSigaction &act, uint64_t savedMask,
                           const linux_abi::GuestStackT &altStack);
  // rt_sigreturn: restores registers and FP state from the frame at the
  // stack pointer; the signal mask and the uc_stack it saved go to
  // *mask and *stack. False if the frame is unreadable.
  bool (*restoreRtFrame)(GuestThread &t, uint64_t *mask, linux_abi::GuestStackT *stack);
  // The code the handler returns to when sigaction gave no restorer: a
  // page of it is mapped at start (the kernel's vDSO sigreturn).
  const uint32_t *sigreturnCode;
  unsigned sigreturnWords;
  // struct sigaction has sa_restorer between sa_flags and sa_mask.
  bool sigactionHasRestorer;
  AuxvArch auxv; // HWCAP: only what is implemented
  // The MINSIGSTKSZ sigaltstack requires.
  uint64_t minSigStackSize;
  // /proc/cpuinfo's entry for cpu n, as this ABI's kernel words it for
  // what is implemented.
  std::string (*cpuinfoEntry)(long n);
  // open(2) flags whose values differ from the host's (x86-64's, the
  // asm-generic ones): {guest bit, host bit} pairs, none where they agree.
  const std::pair<uint32_t, uint32_t> *openFlagBits;
  unsigned openFlagCount;
  // Arch-specific syscalls (244 + n in the asm-generic numbering) and the
  // optional asm-generic ones the ABI's kernel enables (__ARCH_WANT_*):
  // the entry for nr, or null to use the shared table.
  const linux_abi::SyscallEntry *(*archSyscall)(uint64_t nr);
};

// What every ABI does with its table (runtime/linux/).
namespace linux_abi {
// Performs the syscall whose number and arguments are in the thread's
// registers (LinuxAbi::syscallArgs) and writes the result (or -errno) back.
SyscallResult dispatchSyscall(GuestThread &t);
// Sets up what the process needs before its first instruction (the
// signal return trampoline, the dispositions it inherits). False with a
// reason on failure.
bool initSignals(Process &p, std::string &err);
// At a safe point: delivers pending, unblocked signals to guest handlers
// (building signal frames) or applies their default action. Returns the
// signal the process must die of, or 0.
int deliverSignals(GuestThread &t);
// A synchronous trap of the instruction at the thread's pc (SIGSEGV,
// SIGBUS, SIGILL, SIGTRAP with si_code and si_addr): delivered at once.
// Returns the signal the process must die of, or 0.
int raiseTrap(GuestThread &t, int sig, int code, uint64_t addr);
} // namespace linux_abi

const LinuxAbi &riscv64LinuxAbi();
const LinuxAbi &aarch64LinuxAbi();
// The ABI of programs for ELF machine `machine`, or null.
const LinuxAbi *linuxAbiFor(uint16_t machine);

} // namespace xlat
