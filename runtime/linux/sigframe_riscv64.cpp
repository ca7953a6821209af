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

// li a7, 139 (rt_sigreturn); ecall
const uint32_t kSigreturnTrampoline[2] = {0x08b00893, 0x00000073};

namespace {

constexpr uint64_t kUcOffset = 128;
constexpr uint64_t kUcStack = 16;
constexpr uint64_t kUcSigmask = 40;
constexpr uint64_t kUcMcontext = 176;
constexpr uint64_t kMcFregs = 256;
constexpr uint64_t kMcFcsr = 512;
constexpr uint64_t kMcSize = 784;
constexpr uint64_t kFrameSize = kUcOffset + kUcMcontext + kMcSize; // 1088

struct Frame {
  uint8_t b[kFrameSize];
  template <typename T> void put(uint64_t off, T v) { memcpy(b + off, &v, sizeof v); }
  template <typename T> T get(uint64_t off) const {
    T v;
    memcpy(&v, b + off, sizeof v);
    return v;
  }
};
static_assert(sizeof(Frame) == 1088);

constexpr uint64_t kMc = kUcOffset + kUcMcontext;

bool onAltStack(const GuestStackT &ss, uint64_t sp) {
  return !(ss.flags & kSsDisable) && sp - ss.sp <= ss.size && sp > ss.sp;
}

} // namespace

bool setupRtFrame(GuestThread &t, int sig, const RawSiginfo &info,
                  const GuestSigaction &act, uint64_t savedMask) {
  rv::RvState &s = t.state;
  ThreadSignalState &ts = threadState(t).signals;
  GuestStackT &alt = ts.altStack;
  uint64_t sp = s.x[2];
  bool wasOnAlt = onAltStack(alt, sp);
  if ((act.flags & kSaOnStack) && !(alt.flags & kSsDisable) && !wasOnAlt)
    sp = alt.sp + alt.size;
  sp = (sp - kFrameSize) & ~uint64_t(15);

  Frame f{};
  memcpy(f.b, info.bytes, kSiginfoSize);
  // uc_stack describes the alternate stack as it was on entry.
  f.put<uint64_t>(kUcOffset + kUcStack, alt.sp);
  f.put<int32_t>(kUcOffset + kUcStack + 8,
                 (alt.flags & kSsDisable) ? kSsDisable
                                          : (wasOnAlt ? kSsOnStack : 0) |
                                                (alt.flags & (int32_t)kSsAutoDisarm));
  f.put<uint64_t>(kUcOffset + kUcStack + 16, alt.size);
  f.put<uint64_t>(kUcOffset + kUcSigmask, savedMask);
  f.put<uint64_t>(kMc, s.pc);
  for (int r = 1; r < 32; ++r)
    f.put<uint64_t>(kMc + 8 * r, s.x[r]);
  for (int r = 0; r < 32; ++r)
    f.put<uint64_t>(kMc + kMcFregs + 8 * r, s.f[r]);
  f.put<uint32_t>(kMc + kMcFcsr, (s.fflags & 0x1f) | (s.frm & 7) << 5);

  if (!t.process->mem.write(sp, f.b, kFrameSize))
    return false;
  if ((alt.flags & kSsAutoDisarm) && sp >= alt.sp && sp < alt.sp + alt.size)
    alt = GuestStackT{0, kSsDisable, 0, 0};

  s.x[1] = processState(*t.process).sigreturnTrampoline;
  s.x[2] = sp;
  s.x[10] = (uint64_t)sig;
  s.x[11] = sp;
  s.x[12] = sp + kUcOffset;
  s.pc = act.handler;
  return true;
}

bool restoreRtFrame(GuestThread &t) {
  rv::RvState &s = t.state;
  Frame f;
  if (!t.process->mem.read(s.x[2], f.b, kFrameSize))
    return false;
  ThreadSignalState &ts = threadState(t).signals;
  ts.blocked = f.get<uint64_t>(kUcOffset + kUcSigmask) &
               ~(sigBit(kSigKill) | sigBit(kSigStop));
  s.pc = f.get<uint64_t>(kMc);
  for (int r = 1; r < 32; ++r)
    s.x[r] = f.get<uint64_t>(kMc + 8 * r);
  for (int r = 0; r < 32; ++r)
    s.f[r] = f.get<uint64_t>(kMc + kMcFregs + 8 * r);
  uint32_t fcsr = f.get<uint32_t>(kMc + kMcFcsr);
  s.fflags = fcsr & 0x1f;
  s.frm = (fcsr >> 5) & 7;
  s.reserve_addr = ~0ull;

  // The alternate stack as uc_stack describes it (what sigaltstack would
  // accept), unless we are running on the current one.
  GuestStackT saved{f.get<uint64_t>(kUcOffset + kUcStack),
                    f.get<int32_t>(kUcOffset + kUcStack + 8), 0,
                    f.get<uint64_t>(kUcOffset + kUcStack + 16)};
  if (!onAltStack(ts.altStack, s.x[2])) {
    int32_t mode = saved.flags & ~(int32_t)kSsAutoDisarm & ~kSsOnStack;
    if (saved.flags & kSsDisable)
      ts.altStack = GuestStackT{0, kSsDisable, 0, 0};
    else if (mode == 0 && saved.size >= kGuestMinSigStkSz)
      ts.altStack = GuestStackT{saved.sp, saved.flags & (int32_t)kSsAutoDisarm,
                                0, saved.size};
  }
  return true;
}

} // namespace xlat::linux_abi
