// Process identity, limits, accounting and scheduling syscalls.
#include "lifter/core/log.h"
#include "runtime/linux/linux_state.h"
#include "runtime/linux/syscall_impl.h"

#include <algorithm>
#include <cstring>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace xlat::linux_abi {

int64_t sys_getpid(SyscallCtx &c) { return ::getpid(); }
int64_t sys_getppid(SyscallCtx &c) { return ::getppid(); }
int64_t sys_gettid(SyscallCtx &c) { return guestTid(c.t); }
int64_t sys_getuid(SyscallCtx &c) { return ::getuid(); }
int64_t sys_geteuid(SyscallCtx &c) { return ::geteuid(); }
int64_t sys_getgid(SyscallCtx &c) { return ::getgid(); }
int64_t sys_getegid(SyscallCtx &c) { return ::getegid(); }

int64_t sys_uname(SyscallCtx &c) {
  // struct new_utsname: six 65-byte fields on every ABI.
  struct utsname u;
  if (::uname(&u) < 0)
    return -errno;
  memset(u.machine, 0, sizeof u.machine);
  strcpy(u.machine, "riscv64");
  return writeGuest(c.mem, c.a[0], u) ? 0 : -EFAULT;
}

int64_t sys_getrandom(SyscallCtx &c) {
  void *buf = hostPtr(c.mem, c.a[0], c.a[1]);
  if (!buf)
    return -EFAULT;
  return errnoResult(::syscall(SYS_getrandom, buf, c.a[1], (unsigned)c.a[2]));
}

namespace {

// Limits that shape the translator's own address space: the guest may read
// them, but setting them would constrain the host process (qemu does the
// same).
bool limitIsHostOnly(int resource) {
  return resource == RLIMIT_AS || resource == RLIMIT_DATA ||
         resource == RLIMIT_STACK;
}

// prlimit64 for the calling process or another one. struct rlimit64 is two
// u64 on every ABI; resource numbers are asm-generic on both.
int64_t doPrlimit(SyscallCtx &c, int pid, int resource, uint64_t newAddr,
                  uint64_t oldAddr) {
  struct rlimit newLim, oldLim;
  const struct rlimit *newp = nullptr;
  if (newAddr) {
    if (!readGuest(c.mem, newAddr, newLim))
      return -EFAULT;
    bool self = pid == 0 || pid == ::getpid();
    if (!(self && limitIsHostOnly(resource)))
      newp = &newLim;
  }
  if (::syscall(SYS_prlimit64, pid, resource, newp,
                oldAddr ? &oldLim : nullptr) < 0)
    return -errno;
  if (oldAddr && !writeGuest(c.mem, oldAddr, oldLim))
    return -EFAULT;
  return 0;
}

} // namespace

int64_t sys_prlimit64(SyscallCtx &c) {
  return doPrlimit(c, (int)c.a[0], (int)c.a[1], c.a[2], c.a[3]);
}

int64_t sys_getrlimit(SyscallCtx &c) {
  return doPrlimit(c, 0, (int)c.a[0], 0, c.a[1]);
}

int64_t sys_setrlimit(SyscallCtx &c) {
  if (!c.a[1])
    return -EFAULT;
  return doPrlimit(c, 0, (int)c.a[0], c.a[1], 0);
}

int64_t sys_sysinfo(SyscallCtx &c) {
  struct sysinfo si;
  if (::sysinfo(&si) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[0], si) ? 0 : -EFAULT;
}

int64_t sys_getrusage(SyscallCtx &c) {
  struct rusage ru;
  if (::getrusage((int)c.a[0], &ru) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[1], ru) ? 0 : -EFAULT;
}

int64_t sys_times(SyscallCtx &c) {
  struct tms t;
  long ticks = ::syscall(SYS_times, &t);
  if (c.a[0] && !writeGuest(c.mem, c.a[0], t))
    return -EFAULT;
  return ticks;
}

int64_t sys_prctl(SyscallCtx &c) {
  int option = (int)c.a[0];
  LinuxThreadState &ts = threadState(c.t);
  switch (option) {
  case PR_SET_NAME: {
    // Linux copies up to 16 bytes and keeps the first 15.
    char name[16] = {};
    for (size_t i = 0; i + 1 < sizeof name; ++i) {
      if (!c.mem.read(c.a[1] + i, &name[i], 1))
        return -EFAULT;
      if (!name[i])
        break;
    }
    memcpy(ts.name, name, sizeof name);
    ::prctl(PR_SET_NAME, name); // lets ps and top show the guest's name
    return 0;
  }
  case PR_GET_NAME: {
    if (!ts.name[0]) {
      // Linux starts with the executable's basename (comm, 15 chars).
      const std::string &exe = c.proc.exePath;
      std::string base = exe.substr(exe.find_last_of('/') + 1);
      strncpy(ts.name, base.c_str(), sizeof ts.name - 1);
    }
    return c.mem.write(c.a[1], ts.name, sizeof ts.name) ? 0 : -EFAULT;
  }
  default:
    if (log().enabled(kLogUnimp))
      log().printf("xlat: unimplemented prctl option %d\n", option);
    return -EINVAL;
  }
}

int64_t sys_sched_yield(SyscallCtx &c) { return errnoResult(::sched_yield()); }

int64_t sys_sched_getaffinity(SyscallCtx &c) {
  void *mask = hostPtr(c.mem, c.a[2], c.a[1]);
  if (!mask)
    return -EFAULT;
  // The raw syscall returns the mask size in bytes, as the guest expects.
  return errnoResult(
      ::syscall(SYS_sched_getaffinity, (int)c.a[0], c.a[1], mask));
}

int64_t sys_sched_getparam(SyscallCtx &c) {
  struct sched_param sp;
  if (::sched_getparam((int)c.a[0], &sp) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[1], sp) ? 0 : -EFAULT;
}

int64_t sys_sched_getscheduler(SyscallCtx &c) {
  return errnoResult(::sched_getscheduler((int)c.a[0]));
}

int64_t sys_sched_get_priority_max(SyscallCtx &c) {
  return errnoResult(::sched_get_priority_max((int)c.a[0]));
}

int64_t sys_sched_get_priority_min(SyscallCtx &c) {
  return errnoResult(::sched_get_priority_min((int)c.a[0]));
}

} // namespace xlat::linux_abi
