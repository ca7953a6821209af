// Signal syscalls. Dispositions, masks and alternate stacks are recorded in
// the guest's terms (signal_state.h); no host handler is installed yet, so
// delivery to a guest handler is still to come.
#include "lifter/core/log.h"
#include "runtime/linux/linux_state.h"
#include "runtime/linux/syscall_impl.h"

#include <csignal>
#include <sys/syscall.h>
#include <unistd.h>

namespace xlat::linux_abi {
namespace {

constexpr uint64_t kGuestSigsetSize = 8;
constexpr uint64_t kUnblockable =
    (1ull << (kSigKill - 1)) | (1ull << (kSigStop - 1));

bool validSignal(uint64_t sig) { return sig >= 1 && sig <= kNumSignals; }

} // namespace

int64_t sys_rt_sigaction(SyscallCtx &c) {
  uint64_t sig = c.a[0];
  if (c.a[3] != kGuestSigsetSize || !validSignal(sig))
    return -EINVAL;
  GuestSigaction act;
  if (c.a[1]) {
    if (!readGuest(c.mem, c.a[1], act))
      return -EFAULT;
    if (sig == kSigKill || sig == kSigStop)
      return -EINVAL;
    act.mask &= ~kUnblockable;
  }
  SignalState &ss = processState(c.proc).signals;
  GuestSigaction old;
  {
    std::lock_guard<std::mutex> lock(ss.mu);
    old = ss.actions[sig - 1];
    if (c.a[1])
      ss.actions[sig - 1] = act;
  }
  if (c.a[2] && !writeGuest(c.mem, c.a[2], old))
    return -EFAULT;
  return 0;
}

int64_t sys_rt_sigprocmask(SyscallCtx &c) {
  if (c.a[3] != kGuestSigsetSize)
    return -EINVAL;
  ThreadSignalState &ts = threadState(c.t).signals;
  uint64_t old = ts.blocked;
  if (c.a[1]) {
    uint64_t set;
    if (!readGuest(c.mem, c.a[1], set))
      return -EFAULT;
    uint64_t next;
    switch (c.a[0]) {
    case SIG_BLOCK:
      next = old | set;
      break;
    case SIG_UNBLOCK:
      next = old & ~set;
      break;
    case SIG_SETMASK:
      next = set;
      break;
    default:
      return -EINVAL;
    }
    ts.blocked = next & ~kUnblockable;
  }
  if (c.a[2] && !writeGuest(c.mem, c.a[2], old))
    return -EFAULT;
  return 0;
}

int64_t sys_sigaltstack(SyscallCtx &c) {
  ThreadSignalState &ts = threadState(c.t).signals;
  uint64_t sp = c.t.state.x[2];
  const GuestStackT &cur = ts.altStack;
  bool onStack = !(cur.flags & kSsDisable) && sp - cur.sp < cur.size;
  GuestStackT old = cur;
  old.flags = onStack ? kSsOnStack : (cur.flags & kSsDisable);
  if (c.a[0]) {
    GuestStackT next;
    if (!readGuest(c.mem, c.a[0], next))
      return -EFAULT;
    if (onStack)
      return -EPERM;
    int32_t mode = next.flags & ~(int32_t)kSsAutoDisarm;
    if (mode != 0 && mode != kSsDisable && mode != kSsOnStack)
      return -EINVAL;
    if (mode == kSsDisable) {
      next.sp = 0;
      next.size = 0;
    } else if (next.size < kGuestMinSigStkSz) {
      return -ENOMEM;
    }
    next.flags = mode == kSsDisable ? kSsDisable : next.flags & kSsAutoDisarm;
    next.pad = 0;
    ts.altStack = next;
  }
  if (c.a[1] && !writeGuest(c.mem, c.a[1], old))
    return -EFAULT;
  return 0;
}

namespace {

// Until guest signal delivery exists, a signal is passed to the host only
// when that gives the guest's result: signal 0 (a probe), and a signal to
// ourselves whose guest disposition is the default action (the host then
// terminates or stops us as the guest kernel would). Ignored signals are
// dropped; blocked or handled ones are left pending for delivery.
// Returns 1 to pass the signal on, 0 when done, or -errno.
int64_t filterSignal(SyscallCtx &c, int sig, bool toSelf, const char *name) {
  if (sig == 0)
    return 1;
  if (sig < 0 || sig > kNumSignals)
    return -EINVAL;
  if (!toSelf) {
    if (log().enabled(kLogUnimp))
      log().printf("xlat: unimplemented %s of signal %d to another process\n",
                   name, sig);
    return -EPERM;
  }
  uint64_t handler;
  {
    SignalState &ss = processState(c.proc).signals;
    std::lock_guard<std::mutex> lock(ss.mu);
    handler = ss.actions[sig - 1].handler;
  }
  if (handler == kSigIgn || (handler == kSigDfl && defaultIgnored(sig)))
    return 0;
  ThreadSignalState &ts = threadState(c.t).signals;
  if (handler != kSigDfl || (ts.blocked & sigBit(sig))) {
    ts.pending |= sigBit(sig);
    if (log().enabled(kLogUnimp) && handler != kSigDfl)
      log().printf("xlat: signal %d left pending (no guest delivery yet)\n",
                   sig);
    return 0;
  }
  return 1;
}

} // namespace

int64_t sys_kill(SyscallCtx &c) {
  int pid = (int)c.a[0], sig = (int)c.a[1];
  bool self = pid == ::getpid();
  int64_t r = filterSignal(c, sig, self, "kill");
  if (r <= 0)
    return r;
  return errnoResult(::kill(pid, sig));
}

int64_t sys_tgkill(SyscallCtx &c) {
  int tgid = (int)c.a[0], tid = (int)c.a[1], sig = (int)c.a[2];
  bool self = tgid == ::getpid() && tid == guestTid(c.t);
  int64_t r = filterSignal(c, sig, self, "tgkill");
  if (r <= 0)
    return r;
  return errnoResult(::syscall(SYS_tgkill, tgid, tid, sig));
}

int64_t sys_tkill(SyscallCtx &c) {
  int tid = (int)c.a[0], sig = (int)c.a[1];
  bool self = tid == guestTid(c.t);
  int64_t r = filterSignal(c, sig, self, "tkill");
  if (r <= 0)
    return r;
  return errnoResult(::syscall(SYS_tkill, tid, sig));
}

} // namespace xlat::linux_abi
