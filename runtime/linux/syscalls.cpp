// Syscall dispatch through the asm-generic table, for every guest ABI.
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

void logUnimplemented(uint64_t nr, const SyscallEntry *e) {
  if (!log().enabled(kLogUnimp))
    return;
  if (e && e->name)
    log().printf("xlat: unimplemented syscall %llu (%s)\n",
                 (unsigned long long)nr, e->name);
  else
    log().printf("xlat: unimplemented syscall %llu\n", (unsigned long long)nr);
}

} // namespace

SyscallResult dispatchSyscall(GuestThread &t) {
  const LinuxAbi &abi = *t.process->abi;
  uint64_t nr, args[6];
  abi.syscallArgs(t, nr, args);
  SyscallCtx c{t, *t.process, t.process->mem, {args[0], args[1], args[2], args[3], args[4], args[5]},
               {}};
  const SyscallEntry *e = lookupSyscall(abi, nr);
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
    abi.setSyscallResult(t, static_cast<uint64_t>(ret));
  // A host syscall cut short by a signal: delivery decides (SA_RESTART)
  // whether the guest sees EINTR or the syscall again.
  ThreadSignalState &ts = threadState(t).signals;
  ts.interrupted = ret == -EINTR;
  ts.interruptedNr = nr;
  ts.interruptedA0 = c.a[0];
  return c.result;
}

} // namespace linux_abi

const LinuxAbi *linuxAbiFor(uint16_t machine) {
  for (const LinuxAbi *abi : {&riscv64LinuxAbi(), &aarch64LinuxAbi()})
    if (abi->machine == machine)
      return abi;
  return nullptr;
}

} // namespace xlat
