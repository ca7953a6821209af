// The per-ABI part of signal delivery: each guest's rt_sigframe, and what
// the ABIs' frame code shares.
#pragma once

#include "runtime/linux/signal_state.h"

#include <cstdint>
#include <cstring>

namespace xlat {
struct GuestThread;
} // namespace xlat

namespace xlat::linux_abi {

// Whether sp is on the alternate stack ss.
inline bool onAltStack(const GuestStackT &ss, uint64_t sp) {
  return !(ss.flags & kSsDisable) && sp - ss.sp <= ss.size && sp > ss.sp;
}

// A frame built in host memory and written to the guest stack at once.
template <uint64_t Size> struct FrameBytes {
  uint8_t b[Size];
  template <typename T> void put(uint64_t off, T v) { memcpy(b + off, &v, sizeof v); }
  template <typename T> T get(uint64_t off) const {
    T v;
    memcpy(&v, b + off, sizeof v);
    return v;
  }
};

// LinuxAbi::setupRtFrame and restoreRtFrame (see syscalls.h) of each ABI.
uint64_t riscv64SetupRtFrame(GuestThread &t, uint64_t sp, int sig, const RawSiginfo &info,
                             const GuestSigaction &act, uint64_t savedMask,
                             const GuestStackT &altStack);
bool riscv64RestoreRtFrame(GuestThread &t, uint64_t *mask, GuestStackT *stack);
uint64_t aarch64SetupRtFrame(GuestThread &t, uint64_t sp, int sig, const RawSiginfo &info,
                             const GuestSigaction &act, uint64_t savedMask,
                             const GuestStackT &altStack);
bool aarch64RestoreRtFrame(GuestThread &t, uint64_t *mask, GuestStackT *stack);

} // namespace xlat::linux_abi
