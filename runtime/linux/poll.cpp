// Waiting on file descriptors: ppoll, pselect6, epoll.
//
// struct pollfd, fd_set, timespec and sigset_t have the same layout on
// riscv64 and x86-64 and pass by pointer. struct epoll_event does not: it is
// packed (12 bytes) on x86-64 and naturally aligned (16 bytes) on riscv64.
//
// A signal mask given to ppoll/pselect6/epoll_pwait becomes the host
// thread's mask for the wait, so the signals it unblocks cut the wait short
// (EINTR) and are then delivered by the signal layer.
#include "runtime/linux/syscall_impl.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <vector>

namespace xlat::linux_abi {
namespace {

struct GuestEpollEvent {
  uint32_t events;
  uint32_t pad;
  uint64_t data;
};
static_assert(sizeof(GuestEpollEvent) == 16);
static_assert(sizeof(epoll_event) == 12, "host epoll_event is packed");

constexpr uint64_t kSigsetSize = 8;

// The host pointer of an optional guest signal mask.
int64_t sigmaskPtr(const GuestMemory &mem, uint64_t g, uint64_t size,
                   void *&out) {
  out = nullptr;
  if (!g)
    return 0;
  if (size != kSigsetSize)
    return -EINVAL;
  out = hostPtr(mem, g, kSigsetSize);
  return out ? 0 : -EFAULT;
}

// Waits on an epoll fd with a host buffer, then widens the events into the
// guest's array.
int64_t epollWait(SyscallCtx &c, const void *timeout, bool useTimespec) {
  int maxEvents = (int)c.a[2];
  constexpr int kMaxEvents = INT32_MAX / (int)sizeof(GuestEpollEvent);
  if (maxEvents <= 0 || maxEvents > kMaxEvents)
    return -EINVAL;
  if (!hostPtr(c.mem, c.a[1], (uint64_t)maxEvents * sizeof(GuestEpollEvent)))
    return -EFAULT;
  void *mask;
  if (int64_t err = sigmaskPtr(c.mem, c.a[4], c.a[5], mask))
    return err;
  std::vector<epoll_event> ev((size_t)maxEvents);
  long n = useTimespec ? ::syscall(SYS_epoll_pwait2, (int)c.a[0], ev.data(),
                                   maxEvents, timeout, mask, kSigsetSize)
                       : ::syscall(SYS_epoll_pwait, (int)c.a[0], ev.data(),
                                   maxEvents, (int)c.a[3], mask, kSigsetSize);
  if (n < 0)
    return -errno;
  for (long i = 0; i < n; ++i) {
    GuestEpollEvent g{ev[i].events, 0, ev[i].data.u64};
    if (!writeGuest(c.mem, c.a[1] + i * sizeof g, g))
      return -EFAULT;
  }
  return n;
}

} // namespace

int64_t sys_ppoll(SyscallCtx &c) {
  // The host checks the count against RLIMIT_NOFILE before the array.
  uint64_t nfds = c.a[1];
  void *fds = nfds <= (1u << 20)
                  ? kernelPtr(c.mem, c.a[0], nfds * sizeof(struct pollfd))
                  : nullptr;
  void *ts = nullptr, *mask;
  if (c.a[2] && !(ts = hostPtr(c.mem, c.a[2], sizeof(struct timespec))))
    return -EFAULT;
  if (int64_t err = sigmaskPtr(c.mem, c.a[3], c.a[4], mask))
    return err;
  return errnoResult(
      ::syscall(SYS_ppoll, fds, nfds, ts, mask, mask ? kSigsetSize : 0));
}

int64_t sys_pselect6(SyscallCtx &c) {
  int n = (int)c.a[0];
  if (n < 0)
    return -EINVAL;
  uint64_t setBytes = ((uint64_t)n + 63) / 64 * 8;
  void *sets[3];
  for (int i = 0; i < 3; ++i) {
    sets[i] = nullptr;
    if (c.a[1 + i] && !(sets[i] = hostPtr(c.mem, c.a[1 + i], setBytes)))
      return -EFAULT;
  }
  void *ts = nullptr;
  if (c.a[4] && !(ts = hostPtr(c.mem, c.a[4], sizeof(struct timespec))))
    return -EFAULT;
  // The sixth argument points at { const sigset_t *ss; size_t ss_len; }.
  struct {
    const void *ss;
    size_t len;
  } sig = {nullptr, 0}, *sigp = nullptr;
  if (c.a[5]) {
    uint64_t guestSig[2];
    if (!c.mem.read(c.a[5], guestSig, sizeof guestSig))
      return -EFAULT;
    void *mask;
    if (int64_t err = sigmaskPtr(c.mem, guestSig[0], guestSig[1], mask))
      return err;
    sig = {mask, mask ? kSigsetSize : 0};
    sigp = &sig;
  }
  return errnoResult(
      ::syscall(SYS_pselect6, n, sets[0], sets[1], sets[2], ts, sigp));
}

int64_t sys_epoll_create1(SyscallCtx &c) {
  return errnoResult(::epoll_create1((int)c.a[0]));
}

int64_t sys_epoll_ctl(SyscallCtx &c) {
  epoll_event ev{}, *evp = nullptr;
  if (c.a[3]) {
    GuestEpollEvent g;
    if (!readGuest(c.mem, c.a[3], g))
      return -EFAULT;
    ev.events = g.events;
    ev.data.u64 = g.data;
    evp = &ev;
  }
  return errnoResult(::epoll_ctl((int)c.a[0], (int)c.a[1], (int)c.a[2], evp));
}

int64_t sys_epoll_pwait(SyscallCtx &c) { return epollWait(c, nullptr, false); }

int64_t sys_epoll_pwait2(SyscallCtx &c) {
  struct timespec ts;
  if (c.a[3] && !readGuest(c.mem, c.a[3], ts))
    return -EFAULT;
  return epollWait(c, c.a[3] ? &ts : nullptr, true);
}

} // namespace xlat::linux_abi
