// Thread lifetime and synchronization: clone (threads), exit, exit_group,
// set_tid_address, set_robust_list, futex.
#include "runtime/dispatcher.h"
#include "runtime/linux/linux_state.h"
#include "runtime/linux/syscall_impl.h"

#include <memory>
#include <vector>
#include <sched.h>

#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace xlat::linux_abi {
namespace {

long hostFutex(void *uaddr, int op, uint32_t val, const void *timeoutOrVal2,
               void *uaddr2, uint32_t val3) {
  return ::syscall(SYS_futex, uaddr, op, val, timeoutOrVal2, uaddr2, val3);
}

// Does this futex command take a struct timespec pointer as argument 4?
bool takesTimeout(int cmd) {
  return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET ||
         cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
         cmd == FUTEX_WAIT_REQUEUE_PI;
}

// Does it use the second futex word (uaddr2)?
bool takesSecondAddr(int cmd) {
  return cmd == FUTEX_REQUEUE || cmd == FUTEX_CMP_REQUEUE ||
         cmd == FUTEX_WAKE_OP || cmd == FUTEX_CMP_REQUEUE_PI ||
         cmd == FUTEX_WAIT_REQUEUE_PI;
}

void *futexWord(const GuestMemory &mem, uint64_t g) {
  if (g & 3)
    return nullptr;
  return hostPtr(mem, g, 4);
}

} // namespace

int64_t sys_exit(SyscallCtx &c) {
  LinuxThreadState &ts = threadState(c.t);
  // CLONE_CHILD_CLEARTID: clear the word and wake a joiner.
  if (uint64_t tidAddr = ts.clearChildTid) {
    uint32_t zero = 0;
    if (void *w = futexWord(c.mem, tidAddr);
        w && writeGuest(c.mem, tidAddr, zero))
      hostFutex(w, FUTEX_WAKE, 1, nullptr, nullptr, 0);
  }
  c.result.action = SyscallAction::ExitThread;
  c.result.exitStatus = (int)(c.a[0] & 0xff);
  return 0;
}

// clone for threads: a new host thread runs a copy of the caller's
// registers in the same address space. riscv64 and aarch64 pass (flags,
// newsp, parent_tid, tls, child_tid).
int64_t sys_clone(SyscallCtx &c) {
  uint64_t flags = c.a[0], newsp = c.a[1], ptid = c.a[2], tls = c.a[3],
           ctid = c.a[4];
  constexpr uint64_t kThread = CLONE_VM | CLONE_THREAD | CLONE_SIGHAND;
  if ((flags & kThread) != kThread)
    return sys_clone_process(c);
  auto child = std::make_unique<GuestThread>();
  child->process = &c.proc;
  child->isa = c.t.isa;
  child->state = c.t.state;
  child->a64 = c.t.a64;
  const LinuxAbi &abi = *c.proc.abi;
  abi.setSyscallResult(*child, 0); // the child sees clone return 0
  abi.cloneRegisters(*child, newsp, flags & CLONE_SETTLS, tls);
  child->setExitReason(exits::kNone);
  // Same mask, no alternate stack, nothing pending.
  child->abi.signals.blocked = threadState(c.t).signals.blocked;
  if (flags & CLONE_CHILD_CLEARTID)
    child->abi.clearChildTid = ctid;
  GuestMemory &mem = c.mem;
  return c.proc.dispatcher->spawnThread(
      std::move(child), [&mem, flags, ptid, ctid](GuestThread &t) {
        uint32_t tid = (uint32_t)t.tid;
        if (flags & CLONE_PARENT_SETTID)
          writeGuest(mem, ptid, tid);
        if (flags & CLONE_CHILD_SETTID)
          writeGuest(mem, ctid, tid);
      });
}

// clone without a shared address space: fork (glibc's fork passes
// CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD). vfork and
// posix_spawn's CLONE_VM | CLONE_VFORK become a fork too: the child gets a
// copy instead of a share, which is indistinguishable until it execs.
int64_t sys_clone_process(SyscallCtx &c) {
  uint64_t flags = c.a[0], newsp = c.a[1], ptid = c.a[2], tls = c.a[3],
           ctid = c.a[4];
  constexpr uint64_t kUnsupported = CLONE_THREAD | CLONE_SIGHAND | CLONE_FS |
                                    CLONE_FILES | CLONE_NEWNS | CLONE_PIDFD;
  if (flags & kUnsupported)
    return -EINVAL;
  int exitSignal = (int)(flags & CSIGNAL);
  pid_t pid = c.proc.dispatcher->forkProcess(exitSignal);
  if (pid < 0)
    return pid;
  if (pid > 0) {
    if (flags & CLONE_PARENT_SETTID)
      writeGuest(c.mem, ptid, (uint32_t)pid);
    return pid;
  }
  // The child: one thread, the caller's, in a copy of everything.
  c.t.tid = (int)::syscall(SYS_gettid);
  c.proc.abi->cloneRegisters(c.t, newsp, flags & CLONE_SETTLS, tls);
  if (flags & CLONE_CHILD_SETTID)
    writeGuest(c.mem, ctid, (uint32_t)c.t.tid);
  if (flags & CLONE_CHILD_CLEARTID)
    threadState(c.t).clearChildTid = ctid;
  return 0;
}

int64_t sys_exit_group(SyscallCtx &c) {
  c.result.action = SyscallAction::ExitGroup;
  c.result.exitStatus = (int)(c.a[0] & 0xff);
  return 0;
}

int64_t sys_set_tid_address(SyscallCtx &c) {
  threadState(c.t).clearChildTid = c.a[0];
  return guestTid(c.t);
}

int64_t sys_set_robust_list(SyscallCtx &c) {
  // sizeof(struct robust_list_head) on a 64-bit guest.
  constexpr uint64_t kRobustHeadSize = 24;
  if (c.a[1] != kRobustHeadSize)
    return -EINVAL;
  LinuxThreadState &ts = threadState(c.t);
  ts.robustListHead = c.a[0];
  ts.robustListLen = c.a[1];
  return 0;
}

int64_t sys_futex(SyscallCtx &c) {
  int op = (int)c.a[1];
  int cmd = op & FUTEX_CMD_MASK;
  void *uaddr = futexWord(c.mem, c.a[0]);
  if (!uaddr)
    return (c.a[0] & 3) ? -EINVAL : -EFAULT;

  const void *arg4 = reinterpret_cast<const void *>(c.a[3]); // val2
  struct timespec timeout;
  if (takesTimeout(cmd)) {
    arg4 = nullptr;
    if (c.a[3]) {
      // struct timespec: same layout on riscv64 and x86-64.
      if (!readGuest(c.mem, c.a[3], timeout))
        return -EFAULT;
      arg4 = &timeout;
    }
  }
  void *uaddr2 = nullptr;
  if (takesSecondAddr(cmd)) {
    uaddr2 = futexWord(c.mem, c.a[4]);
    if (!uaddr2)
      return (c.a[4] & 3) ? -EINVAL : -EFAULT;
  }
  return errnoResult(
      hostFutex(uaddr, op, (uint32_t)c.a[2], arg4, uaddr2, (uint32_t)c.a[5]));
}

} // namespace xlat::linux_abi

namespace xlat::linux_abi {
namespace {

// struct futex_waitv: the same on every 64-bit ABI, but it holds a guest
// address.
struct FutexWaitv {
  uint64_t val, uaddr;
  uint32_t flags, reserved;
};
constexpr uint64_t kFutexWaitvMax = 128;

// The host's array for `n` guest waiters at g, each word made a host
// pointer (one the kernel refuses if it leaves the guest space). If the
// array cannot be read, the kernel gets an address it cannot read either,
// so that it reports EFAULT after the checks it makes first.
const void *hostWaitv(SyscallCtx &c, uint64_t g, uint64_t n,
                      std::vector<FutexWaitv> &out) {
  if (!g || n == 0 || n > kFutexWaitvMax)
    return reinterpret_cast<const void *>(g); // refused before it is read
  out.resize(n);
  if (!c.mem.read(g, out.data(), n * sizeof(FutexWaitv)))
    return faultingPtr();
  for (FutexWaitv &w : out)
    w.uaddr = reinterpret_cast<uint64_t>(kernelPtr(c.mem, w.uaddr, 1));
  return out.data();
}

} // namespace

// The futex2 calls (Linux 6.7; futex_waitv 5.16): futex words are passed as
// host pointers and the host kernel checks sizes, alignment and flags.
int64_t sys_futex_wake(SyscallCtx &c) {
  return errnoResult(::syscall(454, kernelPtr(c.mem, c.a[0], 1), c.a[1],
                               (int)c.a[2], (unsigned)c.a[3]));
}

int64_t sys_futex_wait(SyscallCtx &c) {
  return errnoResult(::syscall(455, kernelPtr(c.mem, c.a[0], 1), c.a[1], c.a[2],
                               (unsigned)c.a[3], kernelPtr(c.mem, c.a[4], 16),
                               (int)c.a[5]));
}

int64_t sys_futex_waitv(SyscallCtx &c) {
  std::vector<FutexWaitv> waiters;
  const void *w = hostWaitv(c, c.a[0], (unsigned)c.a[1], waiters);
  return errnoResult(::syscall(449, w, (unsigned)c.a[1], (unsigned)c.a[2],
                               kernelPtr(c.mem, c.a[3], 16), (int)c.a[4]));
}

int64_t sys_futex_requeue(SyscallCtx &c) {
  std::vector<FutexWaitv> waiters;
  const void *w = hostWaitv(c, c.a[0], 2, waiters);
  return errnoResult(::syscall(456, w, (unsigned)c.a[1], (int)c.a[2], (int)c.a[3]));
}

} // namespace xlat::linux_abi
