// Signal syscalls. Dispositions live in the process, masks and alternate
// stacks in the thread (signal_state.h); signal_delivery.cpp mirrors them on
// the host and delivers.
#include "runtime/linux/linux_state.h"
#include "runtime/linux/signal_delivery.h"
#include "runtime/linux/signal_frame.h"
#include "runtime/linux/syscall_impl.h"

#include <csignal>
#include <cstring>
#include <ctime>
#include <sys/syscall.h>
#include <unistd.h>

namespace xlat::linux_abi {
namespace {

constexpr uint64_t kGuestSigsetSize = 8;
constexpr uint64_t kUnblockable = sigBit(kSigKill) | sigBit(kSigStop);

bool validSignal(uint64_t sig) { return sig >= 1 && sig <= kNumSignals; }

uint64_t hostPendingAsGuest() {
  sigset_t set;
  sigpending(&set);
  uint64_t m = 0;
  for (int sig = 1; sig <= kNumSignals; ++sig)
    if (sigismember(&set, sig) == 1)
      m |= sigBit(sig);
  return m;
}

// The signals the calling thread's host mask blocks.
uint64_t hostBlockedAsGuest() {
  uint64_t m = 0;
  ::syscall(SYS_rt_sigprocmask, SIG_BLOCK, nullptr, &m, sizeof m);
  return m;
}

} // namespace

// Blocked signals wait in the host kernel, as the host mask follows the
// guest's. The exception is a signal that a host handler queued guest-side
// while it was unblocked, and that the guest blocked before it could be
// delivered: by rt_sigprocmask, or by the mask of a handler entered for
// another signal first. Left in ThreadSignalState::pending, only xlat would
// know of it; a guest signalfd (a host signalfd, so that read, poll, epoll
// and fork behave as the kernel's) would not see it, nor become readable.
// So it is queued again on the host, with its siginfo, where it waits like
// any other blocked signal: to the thread if it was sent to the thread
// (tkill/tgkill: SI_TKILL), else to the process, so that whichever thread
// unblocks it first takes it, as from Linux's shared pending queue. Only
// signals the host mask really blocks are moved: the fault signals xlat
// keeps unblocked would come straight back.
void parkBlockedSignals(ThreadSignalState &ts) {
  uint64_t park = ts.pending.load() & ts.blocked;
  if (!park || !(park &= hostBlockedAsGuest()))
    return;
  pid_t pid = ::getpid();
  pid_t tid = (pid_t)::syscall(SYS_gettid);
  while (park) {
    int sig = __builtin_ctzll(park) + 1;
    park &= park - 1;
    // The host blocks sig, so no handler rewrites info[sig - 1] meanwhile.
    RawSiginfo info = ts.info[sig - 1];
    ts.pending.fetch_and(~sigBit(sig));
    int32_t code;
    memcpy(&code, info.bytes + 8, sizeof code);
    long r = code == SI_TKILL
                 ? ::syscall(SYS_rt_tgsigqueueinfo, pid, tid, sig, info.bytes)
                 : ::syscall(SYS_rt_sigqueueinfo, pid, sig, info.bytes);
    if (r < 0) // the host's queue is full (RLIMIT_SIGPENDING): keep it here
      ts.pending.fetch_or(sigBit(sig));
  }
}

int64_t sys_rt_sigaction(SyscallCtx &c) {
  uint64_t sig = c.a[0];
  if (c.a[3] != kGuestSigsetSize || !validSignal(sig))
    return -EINVAL;
  // The guest's struct: handler, flags[, restorer], mask.
  const bool hasRestorer = c.proc.abi->sigactionHasRestorer;
  GuestSigaction act{};
  if (c.a[1]) {
    uint64_t raw[4];
    if (!c.mem.read(c.a[1], raw, (hasRestorer ? 4 : 3) * sizeof(uint64_t)))
      return -EFAULT;
    act = {raw[0], raw[1], raw[hasRestorer ? 3 : 2], hasRestorer ? raw[2] : 0};
    if (sig == kSigKill || sig == kSigStop)
      return -EINVAL;
    act.mask &= ~kUnblockable;
  }
  SignalState &ss = processState(c.proc).signals;
  GuestSigaction old;
  {
    std::lock_guard<std::mutex> lock(ss.mu);
    old = ss.actions[sig - 1];
    if (c.a[1]) {
      ss.actions[sig - 1] = act;
      setHostDisposition((int)sig, act);
    }
  }
  if (c.a[2]) {
    uint64_t raw[4] = {old.handler, old.flags, hasRestorer ? old.restorer : old.mask, old.mask};
    if (!c.mem.write(c.a[2], raw, (hasRestorer ? 4 : 3) * sizeof(uint64_t)))
      return -EFAULT;
  }
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
    case SIG_BLOCK: next = old | set; break;
    case SIG_UNBLOCK: next = old & ~set; break;
    case SIG_SETMASK: next = set; break;
    default: return -EINVAL;
    }
    ts.blocked = next & ~kUnblockable;
    // Unblocking lets the host deliver what it kept pending, right here.
    applyHostMask(ts.blocked);
  }
  if (c.a[2] && !writeGuest(c.mem, c.a[2], old))
    return -EFAULT;
  return 0;
}

int64_t sys_rt_sigpending(SyscallCtx &c) {
  if (c.a[1] != kGuestSigsetSize)
    return -EINVAL;
  ThreadSignalState &ts = threadState(c.t).signals;
  uint64_t m = (ts.pending.load() | hostPendingAsGuest()) & ts.blocked;
  return writeGuest(c.mem, c.a[0], m) ? 0 : -EFAULT;
}

int64_t sys_rt_sigsuspend(SyscallCtx &c) {
  if (c.a[1] != kGuestSigsetSize)
    return -EINVAL;
  uint64_t mask;
  if (!readGuest(c.mem, c.a[0], mask))
    return -EFAULT;
  ThreadSignalState &ts = threadState(c.t).signals;
  // The handler runs with `mask`; its frame restores the old one.
  ts.savedMask = ts.blocked;
  ts.restoreMask = true;
  ts.blocked = mask & ~kUnblockable;
  if (!(ts.pending.load() & ~ts.blocked)) {
    sigset_t host;
    guestMaskToHost(ts.blocked, &host);
    sigsuspend(&host);
  }
  return -EINTR;
}

int64_t sys_rt_sigtimedwait(SyscallCtx &c) {
  if (c.a[3] != kGuestSigsetSize)
    return -EINVAL;
  uint64_t want;
  if (!readGuest(c.mem, c.a[0], want))
    return -EFAULT;
  ThreadSignalState &ts = threadState(c.t).signals;
  RawSiginfo info{};
  int sig = 0;
  if (uint64_t queued = ts.pending.load() & want) {
    sig = __builtin_ctzll(queued) + 1;
    ts.pending.fetch_and(~sigBit(sig));
    info = ts.info[sig - 1];
  } else {
    sigset_t host;
    guestMaskToHost(want, &host);
    struct timespec timeout, *tp = nullptr;
    if (c.a[2]) {
      if (!readGuest(c.mem, c.a[2], timeout))
        return -EFAULT;
      tp = &timeout;
    }
    siginfo_t si{};
    sig = sigtimedwait(&host, &si, tp);
    if (sig < 0)
      return -errno;
    memcpy(info.bytes, &si, kSiginfoSize);
  }
  if (c.a[1] && !c.mem.write(c.a[1], info.bytes, kSiginfoSize))
    return -EFAULT;
  return sig;
}

int64_t sys_rt_sigreturn(SyscallCtx &c) {
  const LinuxAbi &abi = *c.proc.abi;
  uint64_t mask;
  GuestStackT saved;
  if (!abi.restoreRtFrame(c.t, &mask, &saved)) {
    // A corrupt frame: the kernel forces SIGSEGV.
    c.result.action = SyscallAction::Continue;
    c.result.registersSet = true;
    RawSiginfo info{};
    int32_t head[3] = {SIGSEGV, 0, SI_KERNEL};
    memcpy(info.bytes, head, sizeof head);
    queueSignal(c.t, SIGSEGV, info);
    return 0;
  }
  ThreadSignalState &ts = threadState(c.t).signals;
  ts.blocked = mask & ~(sigBit(kSigKill) | sigBit(kSigStop));
  // The alternate stack as uc_stack describes it (what sigaltstack would
  // accept), unless we are running on the current one.
  if (!onAltStack(ts.altStack, abi.stackPointer(c.t))) {
    int32_t mode = saved.flags & ~(int32_t)kSsAutoDisarm & ~kSsOnStack;
    if (saved.flags & kSsDisable)
      ts.altStack = GuestStackT{0, kSsDisable, 0, 0};
    else if (mode == 0 && saved.size >= abi.minSigStackSize)
      ts.altStack = GuestStackT{saved.sp, saved.flags & (int32_t)kSsAutoDisarm, 0, saved.size};
  }
  applyHostMask(threadState(c.t).signals.blocked);
  c.result.registersSet = true;
  return 0;
}

int64_t sys_sigaltstack(SyscallCtx &c) {
  ThreadSignalState &ts = threadState(c.t).signals;
  uint64_t sp = c.proc.abi->stackPointer(c.t);
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
    } else if (next.size < c.proc.abi->minSigStackSize) {
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

// Guest pids and tids are host pids and tids, and the host handlers queue
// what the guest handles, so sending a signal is the host's business.
int64_t sys_kill(SyscallCtx &c) {
  return errnoResult(::kill((pid_t)c.a[0], (int)c.a[1]));
}

int64_t sys_tgkill(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_tgkill, (int)c.a[0], (int)c.a[1], (int)c.a[2]));
}

int64_t sys_tkill(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_tkill, (int)c.a[0], (int)c.a[1]));
}

int64_t sys_pidfd_send_signal(SyscallCtx &c) {
  RawSiginfo info;
  if (c.a[2] && !c.mem.read(c.a[2], info.bytes, kSiginfoSize))
    return -EFAULT;
  return errnoResult(::syscall(SYS_pidfd_send_signal, (int)c.a[0], (int)c.a[1],
                               c.a[2] ? info.bytes : nullptr, (unsigned)c.a[3]));
}

int64_t sys_rt_sigqueueinfo(SyscallCtx &c) {
  RawSiginfo info;
  if (!c.mem.read(c.a[2], info.bytes, kSiginfoSize))
    return -EFAULT;
  return errnoResult(::syscall(SYS_rt_sigqueueinfo, (int)c.a[0], (int)c.a[1],
                               info.bytes));
}

int64_t sys_rt_tgsigqueueinfo(SyscallCtx &c) {
  RawSiginfo info;
  if (!c.mem.read(c.a[3], info.bytes, kSiginfoSize))
    return -EFAULT;
  return errnoResult(::syscall(SYS_rt_tgsigqueueinfo, (int)c.a[0], (int)c.a[1],
                               (int)c.a[2], info.bytes));
}

} // namespace xlat::linux_abi
