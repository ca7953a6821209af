// The riscv64 Linux ABI: syscall dispatch through the asm-generic table.
#include "runtime/linux/syscalls.h"

#include "lifter/core/log.h"
#include "runtime/linux/linux_state.h"
#include "runtime/linux/signal_delivery.h"
#include "runtime/linux/syscall_impl.h"

#include <cerrno>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

namespace xlat {
namespace linux_abi {

int64_t readPath(const GuestMemory &m, uint64_t g, std::string &out) {
  constexpr size_t kPathMax = 4096;
  // readString stops at `max`: a path that long has no room for its NUL,
  // which the kernel reports before any fault further on.
  bool ok = m.readString(g, out, kPathMax);
  if (out.size() >= kPathMax)
    return -ENAMETOOLONG;
  return ok ? 0 : -EFAULT;
}

int guestTid(const GuestThread &t) {
  return t.tid ? t.tid : static_cast<int>(::syscall(SYS_gettid));
}

namespace {

// riscv64 calling convention for ecall: a7 = number, a0..a5 = arguments.
constexpr unsigned kRegA0 = 10, kRegA7 = 17;

void logUnimplemented(uint64_t nr, const SyscallEntry *e) {
  if (!log().enabled(kLogUnimp))
    return;
  if (e && e->name)
    log().printf("xlat: unimplemented syscall %llu (%s)\n",
                 (unsigned long long)nr, e->name);
  else
    log().printf("xlat: unimplemented syscall %llu\n", (unsigned long long)nr);
}

SyscallResult dispatchRiscv64(GuestThread &t) {
  rv::RvState &s = t.state;
  uint64_t nr = s.x[kRegA7];
  SyscallCtx c{t,
               *t.process,
               t.process->mem,
               {s.x[kRegA0], s.x[11], s.x[12], s.x[13], s.x[14], s.x[15]},
               {}};
  const SyscallEntry *e = lookupSyscall(nr);
  bool strace = log().enabled(kLogStrace);

  int64_t ret;
  if (!e || !e->handler) {
    logUnimplemented(nr, e);
    ret = -ENOSYS;
    if (strace)
      straceResult(e ? straceCall(c, *e)
                     : "syscall_" + std::to_string(nr) + "(...)",
                   SyscallEntry{}, ret);
  } else if (strace) {
    std::string call = straceCall(c, *e);
    // exit and exit_group do not return: show the call first.
    bool noReturn = e->handler == sys_exit || e->handler == sys_exit_group;
    if (noReturn)
      log().printf("%d %s\n", (int)getpid(), call.c_str());
    ret = e->handler(c);
    if (!noReturn)
      straceResult(call, *e, ret);
  } else {
    ret = e->handler(c);
  }
  if (c.result.action == SyscallAction::Continue && !c.result.registersSet)
    s.x[kRegA0] = static_cast<uint64_t>(ret);
  // A host syscall cut short by a signal: delivery decides (SA_RESTART)
  // whether the guest sees EINTR or the syscall again.
  ThreadSignalState &ts = threadState(t).signals;
  ts.interrupted = ret == -EINTR;
  ts.interruptedNr = nr;
  ts.interruptedA0 = c.a[0];
  return c.result;
}

} // namespace
} // namespace linux_abi

const LinuxAbi &riscv64LinuxAbi() {
  // HWCAP: one bit per single-letter extension, 'a' = bit 0 (RV64IMAFDC).
  constexpr uint64_t kHwcap = (1u << ('i' - 'a')) | (1u << ('m' - 'a')) |
                              (1u << ('a' - 'a')) | (1u << ('f' - 'a')) |
                              (1u << ('d' - 'a')) | (1u << ('c' - 'a'));
  static const LinuxAbi abi{"riscv64",
                            linux_abi::dispatchRiscv64,
                            linux_abi::initSignals,
                            linux_abi::deliverSignals,
                            linux_abi::raiseTrap,
                            kHwcap};
  return abi;
}

} // namespace xlat
