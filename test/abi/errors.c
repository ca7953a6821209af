// Error paths of the syscalls the runtime handles, made raw (no libc
// checks in the way) and printed as "name: result errno". The oracle is the
// host kernel itself: the same program built for the host. (qemu-riscv64
// is wrong on some: it checks a buffer before the descriptor.) The kernel
// answers in its own order of checks (a too-long path before a bad
// pointer, the descriptor's kind before the buffer) and xlat must too.
//
// RUN: %host-cc -O1 %s -o %t.host
// RUN: %rv-cc -O1 %s -o %t
// RUN: cd %T && %t.host > %t.expected
// RUN: cd %T && for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.expected
// CHECK: fstatat long: -1 ENAMETOOLONG
// CHECK: cases: {{[1-9][0-9]+}}
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "Inputs/cases.h"



int main(void) {
  static char longpath[5000], maxpath[4097];
  memset(longpath, 'a', sizeof longpath - 1);
  memset(maxpath, 'b', sizeof maxpath - 1); // exactly PATH_MAX, no room for NUL
  char dir[] = "abi-tmp-XXXXXX";
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  chdir(dir);
  int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
  write(fd, "0123456789", 10);
  struct stat st;
  struct statfs sfs;
  char buf[64];

  // Paths: too long, at the limit, a bad pointer, empty, a missing parent.
  const char *paths[] = {longpath, maxpath, "", "missing/x", "file/x"};
  const char *pathNames[] = {"long", "max", "empty", "missing", "notdir"};
  for (int i = 0; i < 5; i++) {
    char n[64];
    snprintf(n, sizeof n, "fstatat %s", pathNames[i]);
    CASE(n, syscall(SYS_newfstatat, AT_FDCWD, paths[i], &st, 0));
    snprintf(n, sizeof n, "lstat %s", pathNames[i]);
    CASE(n, syscall(SYS_newfstatat, AT_FDCWD, paths[i], &st, AT_SYMLINK_NOFOLLOW));
    snprintf(n, sizeof n, "statfs %s", pathNames[i]);
    CASE(n, syscall(SYS_statfs, paths[i], &sfs));
    snprintf(n, sizeof n, "unlinkat %s", pathNames[i]);
    CASE(n, syscall(SYS_unlinkat, AT_FDCWD, paths[i], 0));
    snprintf(n, sizeof n, "openat %s", pathNames[i]);
    CASE(n, syscall(SYS_openat, AT_FDCWD, paths[i], O_RDONLY));
    snprintf(n, sizeof n, "mkdirat %s", pathNames[i]);
    CASE(n, syscall(SYS_mkdirat, AT_FDCWD, paths[i], 0700));
    snprintf(n, sizeof n, "faccessat %s", pathNames[i]);
    CASE(n, syscall(SYS_faccessat, AT_FDCWD, paths[i], R_OK));
    snprintf(n, sizeof n, "readlinkat %s", pathNames[i]);
    CASE(n, syscall(SYS_readlinkat, AT_FDCWD, paths[i], buf, sizeof buf));
    snprintf(n, sizeof n, "chdir %s", pathNames[i]);
    CASE(n, syscall(SYS_chdir, paths[i]));
    snprintf(n, sizeof n, "truncate %s", pathNames[i]);
    CASE(n, syscall(SYS_truncate, paths[i], 0));
  }
  CASE("fstatat bad", syscall(SYS_newfstatat, AT_FDCWD, BAD, &st, 0));
  CASE("statfs bad", syscall(SYS_statfs, BAD, &sfs));
  CASE("unlinkat bad", syscall(SYS_unlinkat, AT_FDCWD, BAD, 0));
  CASE("openat bad", syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY));
  CASE("fstatat bad buffer", syscall(SYS_newfstatat, AT_FDCWD, "file", BAD, 0));
  CASE("statfs bad buffer", syscall(SYS_statfs, "file", BAD));

  // Descriptors before buffers.
  CASE("read badfd badbuf", syscall(SYS_read, 999, BAD, 4));
  CASE("read badbuf", syscall(SYS_read, fd, BAD, 4));
  CASE("recvfrom notsock badbuf", syscall(SYS_recvfrom, fd, BAD, 4, 0, NULL, NULL));
  CASE("sendto notsock badbuf", syscall(SYS_sendto, fd, BAD, 4, 0, NULL, 0));
  CASE("getsockname notsock", syscall(SYS_getsockname, fd, BAD, BAD));
  int opath = open(".", O_PATH);
  CASE("ioctl opath", syscall(SYS_ioctl, opath, FIONREAD, buf));
  CASE("ioctl badfd", syscall(SYS_ioctl, 999, FIONREAD, buf));
  CASE("fstat opath", syscall(SYS_fstat, opath, &st) < 0 ? -1 : 0);
  CASE("read opath", syscall(SYS_read, opath, buf, 4));
  CASE("fsync opath", syscall(SYS_fsync, opath));

  // Vectored I/O: counts and offsets.
  struct iovec iov = {buf, 4};
  CASE("preadv offset -1", syscall(SYS_preadv, fd, &iov, 1, -1L, 0));
  CASE("pwritev offset -1", syscall(SYS_pwritev, fd, &iov, 1, -1L, 0));
  CASE("preadv count -1", syscall(SYS_preadv, fd, &iov, -1, 0L, 0));
  CASE("pwritev count 1025", syscall(SYS_pwritev, fd, &iov, 1025, 0L, 0));
  CASE("readv count 0", syscall(SYS_readv, fd, &iov, 0));
  CASE("readv bad iov", syscall(SYS_readv, fd, BAD, 1));
  CASE("preadv2 bad flags", syscall(SYS_preadv2, fd, &iov, 1, 0L, 0, 0x1000));
  CASE("pread offset -1", syscall(SYS_pread64, fd, buf, 4, -1L));

  // Memory.
  void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CASE("msync bad flags", syscall(SYS_msync, page, 4096, 0x100));
  CASE("msync async+sync", syscall(SYS_msync, page, 4096, MS_ASYNC | MS_SYNC));
  CASE("msync unaligned", syscall(SYS_msync, (char *)page + 1, 4096, MS_SYNC));
  CASE("msync ok", syscall(SYS_msync, page, 4096, MS_SYNC));
  CASE("mprotect bad prot", syscall(SYS_mprotect, page, 4096, 0x100));
  CASE("madvise bad advice", syscall(SYS_madvise, page, 4096, 12345));
  CASE("munmap unaligned", syscall(SYS_munmap, (char *)page + 1, 4096));
  CASE("munmap zero length", syscall(SYS_munmap, page, 0));
  unsigned char vec[2];
  CASE("mincore", syscall(SYS_mincore, page, 4096, vec));
  CASE("mincore unaligned", syscall(SYS_mincore, (char *)page + 1, 4096, vec));
  CASE("mincore bad vec", syscall(SYS_mincore, page, 4096, BAD));
  CASE("mlock2 bad flags", syscall(SYS_mlock2, page, 4096, 0x100));

  // select/poll with bad descriptors.
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(900, &rd);
  struct timespec zero = {0, 0};
  CASE("pselect6 closed fd", syscall(SYS_pselect6, 901, &rd, NULL, NULL, &zero, NULL));
  CASE("pselect6 negative n", syscall(SYS_pselect6, -1, NULL, NULL, NULL, &zero, NULL));
  struct timespec badts = {0, 2000000000};
  CASE("pselect6 bad timeout", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &badts, NULL));

  // memfd_create names and flags.
  char longname[300];
  memset(longname, 'm', sizeof longname - 1);
  longname[sizeof longname - 1] = 0;
  CASE("memfd_create long name", syscall(SYS_memfd_create, longname, 0));
  CASE("memfd_create bad flags", syscall(SYS_memfd_create, "x", 0x1000));
  CASE("memfd_create bad name", syscall(SYS_memfd_create, BAD, 0));
  long mfd = syscall(SYS_memfd_create, "ok", MFD_CLOEXEC);
  CASE("memfd_create ok", mfd >= 0 ? 0 : -1);

  // Clocks.
  struct timespec ts = {0, 1};
  CASE("clock_nanosleep thread cputime", syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL));
  CASE("clock_nanosleep bad clock", syscall(SYS_clock_nanosleep, 12345, 0, &ts, NULL));
  CASE("clock_nanosleep bad flags", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0x10, &ts, NULL));
  CASE("clock_nanosleep bad ts", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &badts, NULL));
  CASE("clock_gettime bad clock", syscall(SYS_clock_gettime, 12345, &ts));
  CASE("clock_gettime bad buf", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD));
  CASE("clock_getres bad clock", syscall(SYS_clock_getres, 12345, &ts));
  CASE("nanosleep bad ts", syscall(SYS_nanosleep, &badts, NULL));

  // Calls that must exist.
  CASE("personality query", syscall(SYS_personality, 0xffffffff));
  CASE("personality linux", syscall(SYS_personality, PER_LINUX));
  CASE("personality query again", syscall(SYS_personality, 0xffffffff));
  struct {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t prio;
    uint64_t runtime, deadline, period;
  } attr;
  CASE("sched_getattr", syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0));
  CASE("sched_getattr bad size", syscall(SYS_sched_getattr, 0, &attr, 8, 0));
  struct sched_param sp = {0};
  CASE("sched_getparam", syscall(SYS_sched_getparam, 0, &sp));
  CASE("sched_setparam", syscall(SYS_sched_setparam, 0, &sp));
  CASE("sched_setscheduler bad policy", syscall(SYS_sched_setscheduler, 0, 12345, &sp));
  CASE("sched_getscheduler", syscall(SYS_sched_getscheduler, 0));
  CASE("ioprio_get", syscall(SYS_ioprio_get, 1, 0) >= 0 ? 0 : -1);
  CASE("ioprio_get bad which", syscall(SYS_ioprio_get, 99, 0));
  CASE("sync_file_range", syscall(SYS_sync_file_range, fd, 0L, 0L, 0));
  CASE("sync_file_range bad flags", syscall(SYS_sync_file_range, fd, 0L, 0L, 0x100));
  CASE("sync_file_range badfd", syscall(SYS_sync_file_range, 999, 0L, 0L, 0));
  CASE("kcmp badpid", syscall(SYS_kcmp, 999999, 999999, 0, 0, 0));

  // Signals.
  struct sigaction sa = {0}, old;
  sa.sa_handler = SIG_IGN;
  CASE("sigaction SIGKILL", syscall(SYS_rt_sigaction, SIGKILL, &sa, NULL, 8));
  CASE("sigaction bad signal", syscall(SYS_rt_sigaction, 99, &sa, NULL, 8));
  CASE("sigaction bad sigsetsize", syscall(SYS_rt_sigaction, SIGUSR1, &sa, NULL, 4));
  CASE("sigaction bad act", syscall(SYS_rt_sigaction, SIGUSR1, BAD, NULL, 8));
  CASE("sigaction bad oldact", syscall(SYS_rt_sigaction, SIGUSR1, NULL, BAD, 8));
  CASE("sigprocmask bad how", syscall(SYS_rt_sigprocmask, 99, &old, NULL, 8));
  CASE("kill bad signal", syscall(SYS_kill, getpid(), 99));
  CASE("tgkill bad tid", syscall(SYS_tgkill, getpid(), 999999, 0));

  // Descriptors.
  CASE("dup3 same fd", syscall(SYS_dup3, fd, fd, 0));
  CASE("dup3 bad flags", syscall(SYS_dup3, fd, 50, 0x1000));
  CASE("fcntl bad cmd", syscall(SYS_fcntl, fd, 12345, 0));
  CASE("fcntl badfd", syscall(SYS_fcntl, 999, F_GETFD));
  CASE("close badfd", syscall(SYS_close, 999));
  CASE("lseek bad whence", syscall(SYS_lseek, fd, 0L, 99));
  CASE("lseek negative", syscall(SYS_lseek, fd, -100L, SEEK_SET));
  CASE("flock bad op", syscall(SYS_flock, fd, 12345));
  CASE("pipe2 bad flags", syscall(SYS_pipe2, (int[2]){0}, 0x12345));
  CASE("pipe2 bad buf", syscall(SYS_pipe2, BAD, 0));
  CASE("getdents64 notdir", syscall(SYS_getdents64, fd, buf, sizeof buf));
  CASE("getcwd small", syscall(SYS_getcwd, buf, 1));
  CASE("getcwd bad", syscall(SYS_getcwd, BAD, 4096));

  close(fd);
  unlink("file");
  chdir("..");
  rmdir(dir);
  printf("cases: %d\n", cases);
  return 0;
}
