// Interval and POSIX timers. They signal the process, which the host
// handlers pass to the guest (signal_delivery.cpp); struct itimerval,
// itimerspec and sigevent have the same layout on riscv64 and x86-64.
#include "runtime/linux/syscall_impl.h"

#include <csignal>
#include <ctime>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

namespace xlat::linux_abi {

int64_t sys_getitimer(SyscallCtx &c) {
  struct itimerval v;
  if (::getitimer((int)c.a[0], &v) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[1], v) ? 0 : -EFAULT;
}

int64_t sys_setitimer(SyscallCtx &c) {
  struct itimerval v, old;
  if (c.a[1] && !readGuest(c.mem, c.a[1], v))
    return -EFAULT;
  if (::syscall(SYS_setitimer, (int)c.a[0], c.a[1] ? &v : nullptr, &old) < 0)
    return -errno;
  if (c.a[2] && !writeGuest(c.mem, c.a[2], old))
    return -EFAULT;
  return 0;
}

int64_t sys_timer_create(SyscallCtx &c) {
  struct sigevent ev;
  if (c.a[1] && !readGuest(c.mem, c.a[1], ev))
    return -EFAULT;
  int id;
  if (::syscall(SYS_timer_create, (clockid_t)c.a[0], c.a[1] ? &ev : nullptr,
                &id) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[2], id) ? 0 : -EFAULT;
}

int64_t sys_timer_settime(SyscallCtx &c) {
  struct itimerspec v, old;
  if (!readGuest(c.mem, c.a[2], v))
    return -EFAULT;
  if (::syscall(SYS_timer_settime, (int)c.a[0], (int)c.a[1], &v, &old) < 0)
    return -errno;
  if (c.a[3] && !writeGuest(c.mem, c.a[3], old))
    return -EFAULT;
  return 0;
}

int64_t sys_timer_gettime(SyscallCtx &c) {
  struct itimerspec v;
  if (::syscall(SYS_timer_gettime, (int)c.a[0], &v) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[1], v) ? 0 : -EFAULT;
}

int64_t sys_timer_getoverrun(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_timer_getoverrun, (int)c.a[0]));
}

int64_t sys_timer_delete(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_timer_delete, (int)c.a[0]));
}

} // namespace xlat::linux_abi
