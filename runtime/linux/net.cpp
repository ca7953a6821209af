// Sockets. struct sockaddr*, msghdr, mmsghdr, cmsghdr (with its 8-byte
// CMSG alignment) and the socket options' values have the same layout on
// riscv64 and x86-64, and SOCK_NONBLOCK/SOCK_CLOEXEC the same values, so the
// handlers pass host pointers; msghdr's embedded pointers (name, iov,
// control) are guest addresses and are rewritten into a host msghdr.
#include "runtime/linux/syscall_impl.h"

#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <vector>

namespace xlat::linux_abi {
namespace {

// A guest buffer whose length the guest passes by value; null stays null.
bool optBuffer(const GuestMemory &mem, uint64_t g, uint64_t len, void *&out) {
  out = g ? hostPtr(mem, g, len) : nullptr;
  return !g || out;
}

// A (struct sockaddr *, socklen_t *) result pair: the buffer's size is the
// value behind the length pointer.
int64_t addrOut(const GuestMemory &mem, uint64_t addr, uint64_t lenAddr,
                void *&addrp, socklen_t *&lenp) {
  addrp = nullptr;
  lenp = nullptr;
  if (!addr)
    return 0;
  // The kernel checks the descriptor, then the length, then the buffer.
  lenp = static_cast<socklen_t *>(kernelPtr(mem, lenAddr, sizeof(socklen_t)));
  socklen_t len = 0;
  readGuest(mem, lenAddr, len);
  addrp = kernelPtr(mem, addr, (int)len > 0 ? len : 1);
  return 0;
}

struct GuestMsghdr {
  uint64_t name;
  uint32_t namelen, pad0;
  uint64_t iov, iovlen;
  uint64_t control, controllen;
  int32_t flags, pad1;
};
static_assert(sizeof(GuestMsghdr) == sizeof(struct msghdr));

// A guest msghdr as a host one; iov holds the host iovecs.
int64_t hostMsghdr(const GuestMemory &mem, const GuestMsghdr &g,
                   struct msghdr &h, std::vector<iovec> &iov) {
  h = {};
  if (!optBuffer(mem, g.name, g.namelen, h.msg_name) ||
      !optBuffer(mem, g.control, g.controllen, h.msg_control))
    return -EFAULT;
  h.msg_namelen = g.namelen;
  h.msg_controllen = g.controllen;
  h.msg_flags = g.flags;
  if (int64_t err = translateIovecs(mem, g.iov, g.iovlen, iov))
    return err;
  h.msg_iov = iov.data();
  h.msg_iovlen = iov.size();
  return 0;
}

// What recvmsg hands back inside the msghdr: the lengths and the flags.
bool updateGuestMsghdr(GuestMemory &mem, uint64_t g, const struct msghdr &h) {
  GuestMsghdr gm;
  if (!readGuest(mem, g, gm))
    return false;
  gm.namelen = h.msg_namelen;
  gm.controllen = h.msg_controllen;
  gm.flags = h.msg_flags;
  return writeGuest(mem, g, gm);
}

} // namespace

int64_t sys_socket(SyscallCtx &c) {
  return errnoResult(::socket((int)c.a[0], (int)c.a[1], (int)c.a[2]));
}

int64_t sys_socketpair(SyscallCtx &c) {
  int fds[2];
  if (::socketpair((int)c.a[0], (int)c.a[1], (int)c.a[2], fds) < 0)
    return -errno;
  if (!c.mem.write(c.a[3], fds, sizeof fds)) {
    ::close(fds[0]);
    ::close(fds[1]);
    return -EFAULT;
  }
  return 0;
}

int64_t sys_bind(SyscallCtx &c) {
  void *addr;
  if (!optBuffer(c.mem, c.a[1], c.a[2], addr))
    return -EFAULT;
  return errnoResult(::syscall(SYS_bind, (int)c.a[0], addr, (socklen_t)c.a[2]));
}

int64_t sys_connect(SyscallCtx &c) {
  void *addr;
  if (!optBuffer(c.mem, c.a[1], c.a[2], addr))
    return -EFAULT;
  return errnoResult(
      ::syscall(SYS_connect, (int)c.a[0], addr, (socklen_t)c.a[2]));
}

int64_t sys_listen(SyscallCtx &c) {
  return errnoResult(::listen((int)c.a[0], (int)c.a[1]));
}

int64_t sys_accept4(SyscallCtx &c) {
  void *addr;
  socklen_t *len;
  if (int64_t err = addrOut(c.mem, c.a[1], c.a[2], addr, len))
    return err;
  return errnoResult(
      ::syscall(SYS_accept4, (int)c.a[0], addr, len, (int)c.a[3]));
}

int64_t sys_accept(SyscallCtx &c) {
  c.a[3] = 0;
  return sys_accept4(c);
}

// getsockname / getpeername: (fd, addr out, addrlen in/out).
static int64_t sockNameCall(SyscallCtx &c, long nr) {
  void *addr;
  socklen_t *len;
  if (int64_t err = addrOut(c.mem, c.a[1], c.a[2], addr, len))
    return err;
  return errnoResult(::syscall(nr, (int)c.a[0], addr, len));
}

int64_t sys_getsockname(SyscallCtx &c) { return sockNameCall(c, SYS_getsockname); }
int64_t sys_getpeername(SyscallCtx &c) { return sockNameCall(c, SYS_getpeername); }

int64_t sys_sendto(SyscallCtx &c) {
  void *buf, *addr;
  if (!optBuffer(c.mem, c.a[1], c.a[2], buf) ||
      !optBuffer(c.mem, c.a[4], c.a[5], addr))
    return -EFAULT;
  return errnoResult(::syscall(SYS_sendto, (int)c.a[0], buf, c.a[2],
                               (int)c.a[3], addr, (socklen_t)c.a[5]));
}

int64_t sys_recvfrom(SyscallCtx &c) {
  void *buf, *addr;
  socklen_t *len;
  if (!optBuffer(c.mem, c.a[1], c.a[2], buf))
    return -EFAULT;
  if (int64_t err = addrOut(c.mem, c.a[4], c.a[5], addr, len))
    return err;
  return errnoResult(::syscall(SYS_recvfrom, (int)c.a[0], buf, c.a[2],
                               (int)c.a[3], addr, len));
}

int64_t sys_setsockopt(SyscallCtx &c) {
  void *val;
  if (!optBuffer(c.mem, c.a[3], c.a[4], val))
    return -EFAULT;
  return errnoResult(::syscall(SYS_setsockopt, (int)c.a[0], (int)c.a[1],
                               (int)c.a[2], val, (socklen_t)c.a[4]));
}

int64_t sys_getsockopt(SyscallCtx &c) {
  void *val;
  socklen_t *len;
  if (int64_t err = addrOut(c.mem, c.a[3], c.a[4], val, len))
    return err;
  return errnoResult(::syscall(SYS_getsockopt, (int)c.a[0], (int)c.a[1],
                               (int)c.a[2], val, len));
}

int64_t sys_shutdown(SyscallCtx &c) {
  return errnoResult(::shutdown((int)c.a[0], (int)c.a[1]));
}

// A msghdr that cannot be read: the host says what it says of the call
// with an unreadable one, the descriptor checked first.
static int64_t unreadableMsghdr(SyscallCtx &c, long nr) {
  return errnoResult(::syscall(nr, (int)c.a[0], faultingPtr(),
                               (int)c.a[2]));
}

int64_t sys_sendmsg(SyscallCtx &c) {
  GuestMsghdr g;
  if (!readGuest(c.mem, c.a[1], g))
    return unreadableMsghdr(c, SYS_sendmsg);
  struct msghdr h;
  std::vector<iovec> iov;
  if (int64_t err = hostMsghdr(c.mem, g, h, iov))
    return err;
  return errnoResult(::sendmsg((int)c.a[0], &h, (int)c.a[2]));
}

int64_t sys_recvmsg(SyscallCtx &c) {
  GuestMsghdr g;
  if (!readGuest(c.mem, c.a[1], g))
    return unreadableMsghdr(c, SYS_recvmsg);
  struct msghdr h;
  std::vector<iovec> iov;
  if (int64_t err = hostMsghdr(c.mem, g, h, iov))
    return err;
  ssize_t n = ::recvmsg((int)c.a[0], &h, (int)c.a[2]);
  if (n < 0)
    return -errno;
  return updateGuestMsghdr(c.mem, c.a[1], h) ? n : -EFAULT;
}

namespace {

// sendmmsg/recvmmsg: struct mmsghdr is a msghdr and an unsigned msg_len.
constexpr uint64_t kGuestMmsgSize = sizeof(GuestMsghdr) + 8;

int64_t hostMmsgs(const GuestMemory &mem, uint64_t g, unsigned n,
                  std::vector<mmsghdr> &h,
                  std::vector<std::vector<iovec>> &iov) {
  constexpr unsigned kUioMaxIov = 1024; // Linux caps vlen here
  n = std::min(n, kUioMaxIov);
  h.resize(n);
  iov.resize(n);
  for (unsigned i = 0; i < n; ++i) {
    GuestMsghdr gm;
    if (!readGuest(mem, g + i * kGuestMmsgSize, gm))
      return -EFAULT;
    if (int64_t err = hostMsghdr(mem, gm, h[i].msg_hdr, iov[i]))
      return err;
    h[i].msg_len = 0;
  }
  return 0;
}

bool updateGuestMmsgs(GuestMemory &mem, uint64_t g, const mmsghdr *h, int n) {
  for (int i = 0; i < n; ++i) {
    uint64_t at = g + i * kGuestMmsgSize;
    uint32_t len = h[i].msg_len;
    if (!updateGuestMsghdr(mem, at, h[i].msg_hdr) ||
        !writeGuest(mem, at + sizeof(GuestMsghdr), len))
      return false;
  }
  return true;
}

} // namespace

int64_t sys_sendmmsg(SyscallCtx &c) {
  std::vector<mmsghdr> h;
  std::vector<std::vector<iovec>> iov;
  if (int64_t err = hostMmsgs(c.mem, c.a[1], (unsigned)c.a[2], h, iov))
    return err;
  int n = ::sendmmsg((int)c.a[0], h.data(), h.size(), (int)c.a[3]);
  if (n < 0)
    return -errno;
  return updateGuestMmsgs(c.mem, c.a[1], h.data(), n) ? n : -EFAULT;
}

int64_t sys_recvmmsg(SyscallCtx &c) {
  std::vector<mmsghdr> h;
  std::vector<std::vector<iovec>> iov;
  if (int64_t err = hostMmsgs(c.mem, c.a[1], (unsigned)c.a[2], h, iov))
    return err;
  void *ts = nullptr;
  if (c.a[4] && !(ts = hostPtr(c.mem, c.a[4], sizeof(struct timespec))))
    return -EFAULT;
  long n =
      ::syscall(SYS_recvmmsg, (int)c.a[0], h.data(), h.size(), (int)c.a[3], ts);
  if (n < 0)
    return -errno;
  return updateGuestMmsgs(c.mem, c.a[1], h.data(), (int)n) ? n : -EFAULT;
}

} // namespace xlat::linux_abi
