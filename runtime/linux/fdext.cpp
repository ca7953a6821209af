// Special file descriptors (eventfd, timerfd, signalfd, inotify, memfd),
// in-kernel copies (sendfile, copy_file_range, splice, tee, vmsplice),
// vectored positional I/O, filesystem status and file handles. Their
// structs (itimerspec, inotify_event, signalfd_siginfo, struct statfs,
// loff_t, struct file_handle) have the same layout on riscv64 and x86-64.
#include "runtime/linux/syscall_impl.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

namespace xlat::linux_abi {
namespace {

// An optional in/out guest pointer to a 64-bit offset or similar value.
bool optPtr(const GuestMemory &mem, uint64_t g, uint64_t len, void *&out) {
  out = g ? hostPtr(mem, g, len) : nullptr;
  return !g || out;
}

} // namespace

int64_t sys_eventfd2(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_eventfd2, (unsigned)c.a[0], (int)c.a[1]));
}

int64_t sys_timerfd_create(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_timerfd_create, (int)c.a[0], (int)c.a[1]));
}

int64_t sys_timerfd_settime(SyscallCtx &c) {
  void *newv, *oldv;
  if (!optPtr(c.mem, c.a[2], sizeof(struct itimerspec), newv) ||
      !optPtr(c.mem, c.a[3], sizeof(struct itimerspec), oldv))
    return -EFAULT;
  return errnoResult(
      ::syscall(SYS_timerfd_settime, (int)c.a[0], (int)c.a[1], newv, oldv));
}

int64_t sys_timerfd_gettime(SyscallCtx &c) {
  void *cur;
  if (!optPtr(c.mem, c.a[1], sizeof(struct itimerspec), cur))
    return -EFAULT;
  return errnoResult(::syscall(SYS_timerfd_gettime, (int)c.a[0], cur));
}

// A guest signalfd is a host signalfd: read, poll, epoll, dup, fork and
// close then behave as the kernel's, and struct signalfd_siginfo and the
// signal numbers are the same on both ABIs. It reports the signals pending
// for the reading thread and the process, which is where every signal the
// guest blocks waits: the host mask follows the guest's, and a signal a host
// handler had already queued guest-side before the guest blocked it is
// handed back to the host kernel (parkBlockedSignals, signals.cpp) before
// the guest runs on. A signal the guest has not blocked is delivered to its
// handler or default action first, as on Linux (signalfd users block them).
int64_t sys_signalfd4(SyscallCtx &c) {
  if (c.a[2] != 8)
    return -EINVAL;
  uint64_t mask;
  if (!readGuest(c.mem, c.a[1], mask))
    return -EFAULT;
  return errnoResult(
      ::syscall(SYS_signalfd4, (int)c.a[0], &mask, 8, (int)c.a[3]));
}

int64_t sys_inotify_init1(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_inotify_init1, (int)c.a[0]));
}

int64_t sys_inotify_add_watch(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[1], path))
    return err;
  return errnoResult(::syscall(SYS_inotify_add_watch, (int)c.a[0], path.c_str(),
                               (uint32_t)c.a[2]));
}

int64_t sys_inotify_rm_watch(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_inotify_rm_watch, (int)c.a[0], (int)c.a[1]));
}

// The host checks the flags, the name's length and then its address.
int64_t sys_memfd_create(SyscallCtx &c) {
  std::string name;
  bool ok = c.mem.readString(c.a[0], name, 4096);
  constexpr size_t kNameMax = 249; // MFD_NAME_MAX_LEN: longer is EINVAL
  const char *p = ok || name.size() > kNameMax
                      ? name.c_str()
                      : static_cast<const char *>(faultingPtr());
  return errnoResult(::syscall(SYS_memfd_create, p, (unsigned)c.a[1]));
}

int64_t sys_sendfile(SyscallCtx &c) {
  void *off;
  if (!optPtr(c.mem, c.a[2], 8, off))
    return -EFAULT;
  return errnoResult(
      ::syscall(SYS_sendfile, (int)c.a[0], (int)c.a[1], off, c.a[3]));
}

int64_t sys_copy_file_range(SyscallCtx &c) {
  void *offIn, *offOut;
  if (!optPtr(c.mem, c.a[1], 8, offIn) || !optPtr(c.mem, c.a[3], 8, offOut))
    return -EFAULT;
  return errnoResult(::syscall(SYS_copy_file_range, (int)c.a[0], offIn,
                               (int)c.a[2], offOut, c.a[4], (unsigned)c.a[5]));
}

int64_t sys_splice(SyscallCtx &c) {
  void *offIn, *offOut;
  if (!optPtr(c.mem, c.a[1], 8, offIn) || !optPtr(c.mem, c.a[3], 8, offOut))
    return -EFAULT;
  return errnoResult(::syscall(SYS_splice, (int)c.a[0], offIn, (int)c.a[2],
                               offOut, c.a[4], (unsigned)c.a[5]));
}

int64_t sys_tee(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_tee, (int)c.a[0], (int)c.a[1], c.a[2], (unsigned)c.a[3]));
}

int64_t sys_vmsplice(SyscallCtx &c) {
  // An iovec array that does not translate goes to the kernel as a
  // pointer it faults on: it checks the flags and the descriptor first.
  std::vector<iovec> iov;
  if (translateIovecs(c.mem, c.a[1], c.a[2], iov))
    return errnoResult(::syscall(SYS_vmsplice, (int)c.a[0], faultingPtr(),
                                 c.a[2], (unsigned)c.a[3]));
  return errnoResult(::syscall(SYS_vmsplice, (int)c.a[0], iov.data(),
                               iov.size(), (unsigned)c.a[3]));
}

namespace {
// A guest struct file_handle {u32 handle_bytes; int handle_type; u8
// f_handle[handle_bytes]} as a pointer for the kernel, which reads
// handle_bytes and refuses more than MAX_HANDLE_SZ itself.
void *fileHandle(const GuestMemory &mem, uint64_t g) {
  constexpr uint32_t kMaxHandleBytes = 128;
  uint32_t bytes;
  if (!readGuest(mem, g, bytes))
    return kernelPtr(mem, g, sizeof bytes);
  return kernelPtr(mem, g, 8 + (bytes <= kMaxHandleBytes ? bytes : 0));
}
} // namespace

int64_t sys_name_to_handle_at(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readPath(c.mem, c.a[1], path))
    return err;
  path = hostPath(c.proc, path);
  return errnoResult(::syscall(SYS_name_to_handle_at, (int)c.a[0], path.c_str(),
                               fileHandle(c.mem, c.a[2]),
                               kernelPtr(c.mem, c.a[3], sizeof(int)), (int)c.a[4]));
}

int64_t sys_open_by_handle_at(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_open_by_handle_at, (int)c.a[0],
                               fileHandle(c.mem, c.a[1]), (int)c.a[2]));
}

int64_t sys_statfs(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[0], path))
    return err;
  struct statfs st;
  if (::statfs(path.c_str(), &st) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[1], st) ? 0 : -EFAULT;
}

int64_t sys_fstatfs(SyscallCtx &c) {
  struct statfs st;
  if (::fstatfs((int)c.a[0], &st) < 0)
    return -errno;
  return writeGuest(c.mem, c.a[1], st) ? 0 : -EFAULT;
}

// preadv/pwritev(fd, iov, cnt, pos_l, pos_h[, flags]): on 64-bit ABIs the
// whole offset is in pos_l. Each is the host's call of the same name: in
// preadv2 an offset of -1 means the file position, where preadv refuses it.
static int64_t vectoredAt(SyscallCtx &c, long nr) {
  std::vector<iovec> iov;
  if (int64_t err = translateIovecs(c.mem, c.a[1], c.a[2], iov))
    return err;
  // preadv2's -1 is the file position; flags other than none are not
  // known to the mem file either way.
  if (isGuestMemFd((int)c.a[0]) && ((int64_t)c.a[3] >= 0 || nr == SYS_preadv2 ||
                                    nr == SYS_pwritev2))
    return guestMemIo(c, (int)c.a[0], iov, (int64_t)c.a[3],
                      nr == SYS_pwritev || nr == SYS_pwritev2);
  return errnoResult(::syscall(nr, (int)c.a[0], iov.data(), (int)iov.size(),
                               c.a[3], 0, (int)c.a[5]));
}

int64_t sys_preadv2(SyscallCtx &c) { return vectoredAt(c, SYS_preadv2); }
int64_t sys_pwritev2(SyscallCtx &c) { return vectoredAt(c, SYS_pwritev2); }
int64_t sys_preadv(SyscallCtx &c) { return vectoredAt(c, SYS_preadv); }
int64_t sys_pwritev(SyscallCtx &c) { return vectoredAt(c, SYS_pwritev); }

int64_t sys_sync_file_range(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_sync_file_range, (int)c.a[0], (off_t)c.a[1],
                               (off_t)c.a[2], (unsigned)c.a[3]));
}

int64_t sys_readahead(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_readahead, (int)c.a[0], (off_t)c.a[1], c.a[2]));
}

int64_t sys_fadvise64(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_fadvise64, (int)c.a[0], (off_t)c.a[1],
                               (off_t)c.a[2], (int)c.a[3]));
}

int64_t sys_sync(SyscallCtx &c) {
  ::sync();
  return 0;
}

int64_t sys_syncfs(SyscallCtx &c) { return errnoResult(::syncfs((int)c.a[0])); }

int64_t sys_mknodat(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[1], path))
    return err;
  return errnoResult(
      ::mknodat((int)c.a[0], path.c_str(), (mode_t)c.a[2], (dev_t)c.a[3]));
}

} // namespace xlat::linux_abi
