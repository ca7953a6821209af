// The per-ABI part of signal delivery: the guest's signal frame.
#pragma once

#include "runtime/linux/signal_state.h"

#include <cstdint>

namespace xlat {
struct GuestThread;
} // namespace xlat

namespace xlat::linux_abi {

// Builds the rt_sigframe the riscv64 kernel builds for `sig` on the guest
// stack (or the alternate stack) and points the registers at the handler:
// pc = handler, ra = the process's sigreturn trampoline, a0 = sig, a1 =
// &info, a2 = &ucontext, sp = the frame. `savedMask` goes to uc_sigmask.
// False if the frame cannot be written (the guest then dies of SIGSEGV).
bool setupRtFrame(GuestThread &t, int sig, const RawSiginfo &info,
                  const GuestSigaction &act, uint64_t savedMask);

// rt_sigreturn: restores registers, FP state, the signal mask and the
// alternate stack from the frame at sp. False if the frame is unreadable.
bool restoreRtFrame(GuestThread &t);

// The code of the sigreturn trampoline (riscv64: li a7, 139; ecall).
extern const uint32_t kSigreturnTrampoline[2];

} // namespace xlat::linux_abi
