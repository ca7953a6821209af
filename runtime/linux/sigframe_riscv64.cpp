// The riscv64 rt_sigframe, laid out as arch/riscv/kernel/signal.c does:
//
//   struct rt_sigframe { siginfo_t info; struct ucontext uc; }     1088 bytes
//   ucontext:  uc_flags, uc_link, uc_stack (24), uc_sigmask (8 + 120 spare),
//              uc_mcontext at +176: gregs[32] (pc, x1..x31), f[32], fcsr,
//              then padding to the size of the Q-extension state.
//
// glibc's ucontext_t has the same layout (checked with the riscv64 cross
// toolchain: sizeof 960, uc_mcontext at 176, __fpregs at +256, fcsr at
// +512), which is what handlers and unwinders read.
#include "lifter/riscv/state.h"
#include "runtime/guest_thread.h"
#include "runtime/linux/linux_state.h"
#include "runtime/linux/signal_frame.h"
#include "runtime/process.h"

#include <cstddef>
#include <cstring>

namespace xlat::linux_abi {
namespace {

constexpr uint64_t kUcOffset = 128;
constexpr uint64_t kUcStack = 16;
constexpr uint64_t kUcSigmask = 40;
constexpr uint64_t kUcMcontext = 176;
constexpr uint64_t kMcFregs = 256;
constexpr uint64_t kMcFcsr = 512;
constexpr uint64_t kMcSize = 784;
constexpr uint64_t kFrameSize = kUcOffset + kUcMcontext + kMcSize; // 1088
static_assert(kFrameSize == 1088);
using Frame = FrameBytes<kFrameSize>;

constexpr uint64_t kMc = kUcOffset + kUcMcontext;

} // namespace

uint64_t riscv64SetupRtFrame(GuestThread &t, uint64_t sp, int sig, const RawSiginfo &info,
                             const GuestSigaction &act, uint64_t savedMask,
                             const GuestStackT &altStack) {
  rv::RvState &s = t.state;
  sp = (sp - kFrameSize) & ~uint64_t(15);

  Frame f{};
  memcpy(f.b, info.bytes, kSiginfoSize);
  f.put<uint64_t>(kUcOffset + kUcStack, altStack.sp);
  f.put<int32_t>(kUcOffset + kUcStack + 8, altStack.flags);
  f.put<uint64_t>(kUcOffset + kUcStack + 16, altStack.size);
  f.put<uint64_t>(kUcOffset + kUcSigmask, savedMask);
  f.put<uint64_t>(kMc, s.pc);
  for (int r = 1; r < 32; ++r)
    f.put<uint64_t>(kMc + 8 * r, s.x[r]);
  for (int r = 0; r < 32; ++r)
    f.put<uint64_t>(kMc + kMcFregs + 8 * r, s.f[r]);
  f.put<uint32_t>(kMc + kMcFcsr, (s.fflags & 0x1f) | (s.frm & 7) << 5);

  if (!t.process->mem.write(sp, f.b, kFrameSize))
    return 0;

  // No SA_RESTORER on riscv64: handlers return to the kernel's trampoline.
  s.x[1] = processState(*t.process).sigreturnTrampoline;
  s.x[2] = sp;
  s.x[10] = (uint64_t)sig;
  s.x[11] = sp;
  s.x[12] = sp + kUcOffset;
  s.pc = act.handler;
  return sp;
}

bool riscv64RestoreRtFrame(GuestThread &t, uint64_t *mask, GuestStackT *stack) {
  rv::RvState &s = t.state;
  Frame f;
  if (!t.process->mem.read(s.x[2], f.b, kFrameSize))
    return false;
  *mask = f.get<uint64_t>(kUcOffset + kUcSigmask);
  *stack = GuestStackT{f.get<uint64_t>(kUcOffset + kUcStack),
                       f.get<int32_t>(kUcOffset + kUcStack + 8), 0,
                       f.get<uint64_t>(kUcOffset + kUcStack + 16)};
  s.pc = f.get<uint64_t>(kMc);
  for (int r = 1; r < 32; ++r)
    s.x[r] = f.get<uint64_t>(kMc + 8 * r);
  for (int r = 0; r < 32; ++r)
    s.f[r] = f.get<uint64_t>(kMc + kMcFregs + 8 * r);
  uint32_t fcsr = f.get<uint32_t>(kMc + kMcFcsr);
  s.fflags = fcsr & 0x1f;
  s.frm = (fcsr >> 5) & 7;
  s.reserve_addr = ~0ull;
  return true;
}

} // namespace xlat::linux_abi
