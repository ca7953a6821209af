// Delivering signals to guest handlers.
//
// Asynchronous signals reach a host handler that only queues them for the
// guest thread it interrupted and sets that thread's signalPending flag; the
// run loop polls the flag at every block (or instruction) boundary and on
// return from every syscall, where the guest state is exact, and calls
// deliverSignals. A host syscall cut short by the signal returns -EINTR,
// which SA_RESTART turns back into the syscall. Synchronous traps (faults,
// illegal instructions, ebreak) go through raiseTrap with the exact pc.
#include "runtime/linux/signal_delivery.h"

#include "lifter/core/log.h"
#include "runtime/guest_thread.h"
#include "runtime/linux/linux_state.h"
#include "runtime/linux/signal_frame.h"
#include "runtime/linux/syscalls.h"
#include "runtime/process.h"

#include <csignal>
#include <cstring>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <unistd.h>

namespace xlat::linux_abi {
namespace {

// Signals the host glibc keeps for itself (SIGCANCEL, SIGSETXID). xlat
// never cancels host threads and makes set*id calls as raw syscalls, so the
// guest may have them (its glibc uses them for pthread_cancel and setxid);
// the host glibc's sigaction refuses them, so they are installed with the
// raw syscall.
bool hostGlibcInternal(int sig) { return sig == 32 || sig == 33; }

// rt_sigreturn for handlers installed with the raw syscall (x86-64 needs
// SA_RESTORER; glibc's own restorer is not exported).
extern "C" void xlat_host_sigreturn();
asm(".text\n"
    ".globl xlat_host_sigreturn\n"
    ".type xlat_host_sigreturn, @function\n"
    "xlat_host_sigreturn:\n"
    "  mov $15, %rax\n" // __NR_rt_sigreturn
    "  syscall\n"
    ".size xlat_host_sigreturn, .-xlat_host_sigreturn\n");

struct KernelSigaction {
  void *handler;
  unsigned long flags;
  void (*restorer)();
  uint64_t mask;
};
constexpr unsigned long kHostSaRestorer = 0x04000000;

void setRawDisposition(int sig, void *handler, unsigned long flags) {
  KernelSigaction ka{handler, flags | kHostSaRestorer, xlat_host_sigreturn,
                     ~0ull};
  syscall(SYS_rt_sigaction, sig, &ka, nullptr, sizeof ka.mask);
}

// xlat's own fault handling needs these on the host, always unblocked.
bool hostFaultSignal(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
         sig == SIGTRAP;
}

void hostSignalHandler(int sig, siginfo_t *si, void *) {
  GuestThread *t = currentThread();
  if (!t)
    return;
  RawSiginfo raw;
  memcpy(raw.bytes, si, kSiginfoSize);
  queueSignal(*t, sig, raw);
}

enum class DefaultAction { Ignore, Terminate, Stop, Continue };

DefaultAction defaultAction(int sig) {
  switch (sig) {
  case SIGCHLD: case SIGURG: case SIGWINCH:
    return DefaultAction::Ignore;
  case SIGCONT:
    return DefaultAction::Continue;
  case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
    return DefaultAction::Stop;
  default:
    return DefaultAction::Terminate;
  }
}

// Syscalls that fail with EINTR after a handler even with SA_RESTART, as on
// Linux (timeouts and waits for signals; asm-generic numbers).
bool neverRestarted(uint64_t nr) {
  switch (nr) {
  case 4:   // io_getevents
  case 22:  // epoll_pwait
  case 72:  // pselect6
  case 73:  // ppoll
  case 101: // nanosleep
  case 115: // clock_nanosleep
  case 133: // rt_sigsuspend
  case 137: // rt_sigtimedwait
  case 188: // msgrcv
  case 189: // msgsnd
  case 192: // semtimedop
  case 193: // semop
  case 292: // io_pgetevents
  case 441: // epoll_pwait2
    return true;
  default:
    return false;
  }
}

GuestSigaction actionFor(Process &p, int sig) {
  SignalState &ss = processState(p).signals;
  std::lock_guard<std::mutex> lock(ss.mu);
  return ss.actions[sig - 1];
}

// Runs the guest handler for sig: frame, mask, SA_RESETHAND. Returns the
// signal to die of if the frame cannot be written.
int enterHandler(GuestThread &t, int sig, const RawSiginfo &info,
                 const GuestSigaction &act, uint64_t savedMask) {
  ThreadSignalState &ts = threadState(t).signals;
  const LinuxAbi &abi = *t.process->abi;
  GuestStackT &alt = ts.altStack;
  uint64_t sp = abi.stackPointer(t);
  bool wasOnAlt = onAltStack(alt, sp);
  if ((act.flags & kSaOnStack) && !(alt.flags & kSsDisable) && !wasOnAlt)
    sp = alt.sp + alt.size;
  // uc_stack describes the alternate stack as it was on entry.
  GuestStackT entry{alt.sp,
                    (alt.flags & kSsDisable)
                        ? kSsDisable
                        : (wasOnAlt ? kSsOnStack : 0) | (alt.flags & (int32_t)kSsAutoDisarm),
                    0, alt.size};
  uint64_t frame = abi.setupRtFrame(t, sp, sig, info, act, savedMask, entry);
  if (!frame)
    return SIGSEGV;
  if ((alt.flags & kSsAutoDisarm) && frame >= alt.sp && frame < alt.sp + alt.size)
    alt = GuestStackT{0, kSsDisable, 0, 0};
  ts.blocked |= act.mask;
  if (!(act.flags & kSaNoDefer))
    ts.blocked |= sigBit(sig);
  ts.blocked &= ~(sigBit(kSigKill) | sigBit(kSigStop));
  if (act.flags & kSaResetHand) {
    SignalState &ss = processState(*t.process).signals;
    std::lock_guard<std::mutex> lock(ss.mu);
    ss.actions[sig - 1].handler = kSigDfl; // flags and mask stay, as in Linux
    setHostDisposition(sig, ss.actions[sig - 1]);
  }
  applyHostMask(ts.blocked);
  return 0;
}

} // namespace

void queueSignal(GuestThread &t, int sig, const RawSiginfo &info) {
  ThreadSignalState &ts = threadState(t).signals;
  ts.info[sig - 1] = info;
  ts.pending.fetch_or(sigBit(sig));
  t.signalPending.store(true, std::memory_order_release);
  // Chained translated code polls this one.
  __atomic_store_n(&t.state.interrupt, 1, __ATOMIC_RELAXED);
}

// The kernel's sigset is the first 64 bits of sigset_t, bit (sig - 1); it
// is built by hand because glibc's sigaddset and pthread_sigmask refuse or
// drop its internal signals 32 and 33, which the guest may block.
static uint64_t hostMaskBits(uint64_t guestMask) {
  uint64_t m = guestMask & ~(sigBit(SIGKILL) | sigBit(SIGSTOP));
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP})
    m &= ~sigBit(sig);
  return m;
}

void guestMaskToHost(uint64_t guestMask, void *hostSigset) {
  sigset_t *set = static_cast<sigset_t *>(hostSigset);
  sigemptyset(set);
  uint64_t m = hostMaskBits(guestMask);
  memcpy(set, &m, sizeof m);
}

void applyHostMask(uint64_t guestBlocked) {
  uint64_t m = hostMaskBits(guestBlocked);
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &m, nullptr, sizeof m);
}

void setHostDisposition(int sig, const GuestSigaction &act) {
  if (hostFaultSignal(sig) && sig != SIGILL && sig != SIGFPE && sig != SIGTRAP)
    return; // SIGSEGV/SIGBUS stay with the fault handler, which forwards
  if (sig == SIGKILL || sig == SIGSTOP)
    return;
  if (hostGlibcInternal(sig)) {
    void *h = act.handler == kSigDfl   ? (void *)SIG_DFL
              : act.handler == kSigIgn ? (void *)SIG_IGN
                                       : (void *)hostSignalHandler;
    setRawDisposition(sig, h, h == (void *)hostSignalHandler
                                  ? SA_SIGINFO | SA_ONSTACK
                                  : 0);
    return;
  }
  struct sigaction sa{};
  sigfillset(&sa.sa_mask);
  if (act.handler == kSigDfl) {
    sa.sa_handler = SIG_DFL;
  } else if (act.handler == kSigIgn) {
    sa.sa_handler = SIG_IGN;
  } else {
    sa.sa_sigaction = hostSignalHandler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  }
  if (sig == SIGCHLD)
    sa.sa_flags |= act.flags & (kSaNoCldStop | kSaNoCldWait);
  sigaction(sig, &sa, nullptr);
}

int deliverSignals(GuestThread &t) {
  ThreadSignalState &ts = threadState(t).signals;
  t.signalPending.store(false, std::memory_order_relaxed);
  __atomic_store_n(&t.state.interrupt, 0, __ATOMIC_RELAXED);
  for (;;) {
    uint64_t ready = ts.pending.load() & ~ts.blocked;
    if (!ready)
      break;
    int sig = __builtin_ctzll(ready) + 1;
    ts.pending.fetch_and(~sigBit(sig));
    GuestSigaction act = actionFor(*t.process, sig);
    if (act.handler == kSigIgn)
      continue;
    if (act.handler == kSigDfl) {
      switch (defaultAction(sig)) {
      case DefaultAction::Ignore:
      case DefaultAction::Continue:
        continue;
      case DefaultAction::Stop:
        kill(getpid(), SIGSTOP);
        continue;
      case DefaultAction::Terminate:
        return sig;
      }
    }
    if (ts.interrupted) {
      // The syscall that returned -EINTR runs again after the handler.
      if ((act.flags & kSaRestart) && !neverRestarted(ts.interruptedNr))
        t.process->abi->restartSyscall(t, ts.interruptedA0);
      ts.interrupted = false;
    }
    uint64_t saved = ts.restoreMask ? ts.savedMask : ts.blocked;
    ts.restoreMask = false;
    if (int fatal = enterHandler(t, sig, ts.info[sig - 1], act, saved))
      return fatal;
  }
  if (ts.restoreMask) {
    ts.blocked = ts.savedMask;
    ts.restoreMask = false;
    applyHostMask(ts.blocked);
  }
  parkBlockedSignals(ts); // what is blocked now waits on the host
  ts.interrupted = false;
  return 0;
}

int raiseTrap(GuestThread &t, int sig, int code, uint64_t addr) {
  RawSiginfo info{};
  int32_t head[3] = {sig, 0, code};
  memcpy(info.bytes, head, sizeof head);
  memcpy(info.bytes + 16, &addr, sizeof addr);
  ThreadSignalState &ts = threadState(t).signals;
  GuestSigaction act = actionFor(*t.process, sig);
  // Like the kernel's force_sig: a blocked or ignored trap kills.
  if (act.handler == kSigDfl || act.handler == kSigIgn ||
      (ts.blocked & sigBit(sig)))
    return sig;
  return enterHandler(t, sig, info, act, ts.blocked);
}

bool initSignals(Process &p, std::string &err) {
  // The sigreturn trampoline: where a handler without SA_RESTORER returns
  // (the kernel's vDSO code); xlat maps one read-execute page for it.
  GuestMemory &mem = p.mem;
  int64_t page = mem.mmap(0, GuestMemory::kPageSize, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page < 0) {
    err = "cannot map the signal trampoline";
    return false;
  }
  mem.write(page, p.abi->sigreturnCode, p.abi->sigreturnWords * sizeof(uint32_t));
  mem.mprotect(page, GuestMemory::kPageSize, PROT_READ | PROT_EXEC);
  mem.setName(page, page + GuestMemory::kPageSize, "[sigtramp]");
  processState(p).sigreturnTrampoline = (uint64_t)page;
  // Signals ignored when xlat-run started (nohup, a shell's background job)
  // are ignored by the guest too, as across a native execve.
  SignalState &ss = processState(p).signals;
  for (int sig = 1; sig <= kNumSignals; ++sig) {
    struct sigaction cur{};
    if (sigaction(sig, nullptr, &cur) == 0 && !(cur.sa_flags & SA_SIGINFO) &&
        cur.sa_handler == SIG_IGN)
      ss.actions[sig - 1].handler = kSigIgn;
  }
  return true;
}

} // namespace xlat::linux_abi
