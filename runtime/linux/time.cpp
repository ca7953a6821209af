// Clocks and sleeping. struct timespec and struct timeval are two 64-bit
// words on riscv64 and x86-64 alike; values are copied through host locals
// so that a bad guest pointer gives EFAULT instead of a host fault (glibc's
// vDSO clock_gettime would write to the pointer in user space).
#include "runtime/linux/syscall_impl.h"

#include <ctime>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

namespace xlat::linux_abi {

int64_t sys_clock_gettime(SyscallCtx &c) {
  struct timespec ts;
  if (::clock_gettime((clockid_t)c.a[0], &ts) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[1], ts) ? 0 : -EFAULT;
}

// The host's clocks are the guest's: setting one (with the privilege to)
// sets the host's, as the guest asked.
int64_t sys_clock_settime(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_clock_settime, (clockid_t)c.a[0],
                               kernelPtr(c.mem, c.a[1], sizeof(struct timespec))));
}

int64_t sys_clock_getres(SyscallCtx &c) {
  struct timespec ts;
  if (::clock_getres((clockid_t)c.a[0], &ts) < 0)
    return -errno;
  if (c.a[1] && !writeGuest(c.mem, c.a[1], ts))
    return -EFAULT;
  return 0;
}

int64_t sys_gettimeofday(SyscallCtx &c) {
  struct timeval tv;
  struct timezone tz;
  if (::syscall(SYS_gettimeofday, &tv, &tz) < 0)
    return -errno;
  if (c.a[0] && !writeGuest(c.mem, c.a[0], tv))
    return -EFAULT;
  if (c.a[1] && !writeGuest(c.mem, c.a[1], tz))
    return -EFAULT;
  return 0;
}

namespace {

// Sleeps on the host; on EINTR stores the remaining time if asked.
int64_t sleepAndReport(SyscallCtx &c, clockid_t clock, int flags,
                       uint64_t reqAddr, uint64_t remAddr) {
  struct timespec req, rem{};
  if (!readGuest(c.mem, reqAddr, req))
    return -EFAULT;
  // The raw call: glibc's refuses some clocks itself, with other errors.
  int err = ::syscall(SYS_clock_nanosleep, clock, flags, &req, &rem) < 0 ? errno : 0;
  if (err == EINTR && remAddr && !(flags & TIMER_ABSTIME) &&
      !writeGuest(c.mem, remAddr, rem))
    return -EFAULT;
  return -err;
}

} // namespace

int64_t sys_nanosleep(SyscallCtx &c) {
  return sleepAndReport(c, CLOCK_MONOTONIC, 0, c.a[0], c.a[1]);
}

int64_t sys_clock_nanosleep(SyscallCtx &c) {
  return sleepAndReport(c, (clockid_t)c.a[0], (int)c.a[1], c.a[2], c.a[3]);
}

} // namespace xlat::linux_abi
