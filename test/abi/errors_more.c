// More error paths, as in errors.c (same oracle: the host kernel, through
// the same test built for the host): file system calls, event descriptors,
// sockets, processes, memory mapping and timers.
//
// RUN: %host-cc -O1 %s -o %t.host
// RUN: %rv-cc -O1 %s -o %t
// RUN: cd %T && %t.host > %t.expected
// RUN: cd %T && for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.expected
// CHECK: sendmsg notsock: -1 ENOTSOCK
// CHECK: cases: {{[1-9][0-9]+}}
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "Inputs/cases.h"


int main(void) {
  char dir[] = "abi-more-tmp-XXXXXX";
  if (!mkdtemp(dir))
    return 1;
  chdir(dir);
  int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
  mkdir("sub", 0700);
  symlink("file", "link");
  char buf[256];
  struct stat st;

  // File system.
  CASE("renameat missing", syscall(SYS_renameat2, AT_FDCWD, "missing", AT_FDCWD, "x", 0));
  CASE("renameat2 bad flags", syscall(SYS_renameat2, AT_FDCWD, "file", AT_FDCWD, "x", 0x100));
  CASE("renameat2 noreplace exists", syscall(SYS_renameat2, AT_FDCWD, "file", AT_FDCWD, "sub", RENAME_NOREPLACE));
  CASE("renameat dir onto file", syscall(SYS_renameat2, AT_FDCWD, "sub", AT_FDCWD, "file", 0));
  CASE("linkat exists", syscall(SYS_linkat, AT_FDCWD, "file", AT_FDCWD, "link", 0));
  CASE("linkat bad flags", syscall(SYS_linkat, AT_FDCWD, "file", AT_FDCWD, "l2", 0x1));
  CASE("symlinkat exists", syscall(SYS_symlinkat, "file", AT_FDCWD, "link"));
  CASE("mkdirat exists", syscall(SYS_mkdirat, AT_FDCWD, "sub", 0700));
  CASE("unlinkat dir", syscall(SYS_unlinkat, AT_FDCWD, "sub", 0));
  CASE("unlinkat rmdir file", syscall(SYS_unlinkat, AT_FDCWD, "file", AT_REMOVEDIR));
  CASE("unlinkat bad flags", syscall(SYS_unlinkat, AT_FDCWD, "file", 0x1));
  CASE("fchmodat bad flags", syscall(SYS_fchmodat, AT_FDCWD, "file", 0600, 0x1234));
  CASE("fchownat bad flags", syscall(SYS_fchownat, AT_FDCWD, "file", -1, -1, 0x1234));
  CASE("utimensat bad flags", syscall(SYS_utimensat, AT_FDCWD, "file", NULL, 0x1234));
  struct timespec badtimes[2] = {{0, 2000000000}, {0, 0}};
  CASE("utimensat bad time", syscall(SYS_utimensat, AT_FDCWD, "file", badtimes, 0));
  CASE("utimensat bad ptr", syscall(SYS_utimensat, AT_FDCWD, "file", BAD, 0));
  CASE("fstatat bad flags", syscall(SYS_newfstatat, AT_FDCWD, "file", &st, 0x1));
  CASE("fstatat empty path no flag", syscall(SYS_newfstatat, fd, "", &st, 0));
  OK("fstatat empty path", syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH));
  CASE("fstatat badfd relative", syscall(SYS_newfstatat, 999, "file", &st, 0));
  CASE("openat badfd relative", syscall(SYS_openat, 999, "file", O_RDONLY));
  OK("openat badfd absolute", syscall(SYS_openat, 999, "/", O_RDONLY));
  CASE("openat notdir dirfd", syscall(SYS_openat, fd, "x", O_RDONLY));
  CASE("openat creat excl exists", syscall(SYS_openat, AT_FDCWD, "file", O_CREAT | O_EXCL, 0600));
  CASE("openat directory on file", syscall(SYS_openat, AT_FDCWD, "file", O_DIRECTORY));
  CASE("openat write dir", syscall(SYS_openat, AT_FDCWD, "sub", O_WRONLY));
  CASE("openat nofollow link", syscall(SYS_openat, AT_FDCWD, "link", O_NOFOLLOW));
  CASE("openat2 bad size", syscall(SYS_openat2, AT_FDCWD, "file", buf, 8));
  CASE("readlinkat not link", syscall(SYS_readlinkat, AT_FDCWD, "file", buf, sizeof buf));
  CASE("readlinkat zero size", syscall(SYS_readlinkat, AT_FDCWD, "link", buf, 0));
  CASE("readlinkat bad buf", syscall(SYS_readlinkat, AT_FDCWD, "link", BAD, 16));
  CASE("getxattr missing", syscall(SYS_getxattr, "file", "user.none", buf, sizeof buf));
  CASE("getxattr bad name", syscall(SYS_getxattr, "file", BAD, buf, sizeof buf));
  CASE("setxattr bad flags", syscall(SYS_setxattr, "file", "user.x", "v", 1, 0x100));
  CASE("listxattr bad buf", syscall(SYS_listxattr, "file", BAD, 64));
  CASE("statx bad flags", syscall(SYS_statx, AT_FDCWD, "file", 0x80000000, 0x7ff, buf));
  CASE("statx bad mask", syscall(SYS_statx, AT_FDCWD, "file", 0, 0x80000000, buf));
  CASE("statx bad buf", syscall(SYS_statx, AT_FDCWD, "file", 0, 0x7ff, BAD));
  CASE("faccessat2 bad flags", syscall(SYS_faccessat2, AT_FDCWD, "file", R_OK, 0x1));
  CASE("faccessat bad mode", syscall(SYS_faccessat, AT_FDCWD, "file", 0x100));
  CASE("mknodat fifo exists", syscall(SYS_mknodat, AT_FDCWD, "file", S_IFIFO | 0600, 0));
  CASE("ftruncate negative", syscall(SYS_ftruncate, fd, -1L));
  CASE("fallocate bad mode", syscall(SYS_fallocate, fd, 0x1000, 0L, 10L));
  CASE("fallocate zero len", syscall(SYS_fallocate, fd, 0, 0L, 0L));
  CASE("getdents64 badfd", syscall(SYS_getdents64, 999, buf, sizeof buf));
  CASE("fchdir file", syscall(SYS_fchdir, fd));
  CASE("chroot unprivileged or missing", syscall(SYS_chroot, "missing"));

  // Event descriptors.
  CASE("eventfd2 bad flags", syscall(SYS_eventfd2, 0, 0x1));
  int efd = eventfd(0, 0);
  CASE("eventfd read small", syscall(SYS_read, efd, buf, 4));
  uint64_t v = ~0ull;
  CASE("eventfd write max", syscall(SYS_write, efd, &v, 8));
  CASE("epoll_create1 bad flags", syscall(SYS_epoll_create1, 0x1));
  int ep = epoll_create1(0);
  struct epoll_event ev = {EPOLLIN, {0}};
  CASE("epoll_ctl self", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, ep, &ev));
  CASE("epoll_ctl regular file", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, fd, &ev));
  CASE("epoll_ctl bad op", syscall(SYS_epoll_ctl, ep, 99, efd, &ev));
  CASE("epoll_ctl del missing", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, efd, &ev));
  CASE("epoll_ctl bad event", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, efd, BAD));
  CASE("epoll_pwait bad max", syscall(SYS_epoll_pwait, ep, &ev, 0, 0, NULL, 8));
  CASE("epoll_pwait not epoll", syscall(SYS_epoll_pwait, fd, &ev, 1, 0, NULL, 8));
  CASE("timerfd_create bad clock", syscall(SYS_timerfd_create, 12345, 0));
  CASE("timerfd_create bad flags", syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0x1));
  int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{0, 0}, {0, 2000000000}};
  CASE("timerfd_settime bad value", syscall(SYS_timerfd_settime, tfd, 0, &its, NULL));
  CASE("timerfd_settime bad flags", syscall(SYS_timerfd_settime, tfd, 0x100, &its, NULL));
  CASE("timerfd_gettime not timerfd", syscall(SYS_timerfd_gettime, fd, &its));
  sigset_t mask;
  sigemptyset(&mask);
  CASE("signalfd4 bad flags", syscall(SYS_signalfd4, -1, &mask, 8, 0x1));
  CASE("signalfd4 bad size", syscall(SYS_signalfd4, -1, &mask, 4, 0));
  CASE("signalfd4 not signalfd", syscall(SYS_signalfd4, fd, &mask, 8, 0));
  CASE("inotify_init1 bad flags", syscall(SYS_inotify_init1, 0x1));
  int in = inotify_init1(0);
  CASE("inotify_add_watch no mask", syscall(SYS_inotify_add_watch, in, "file", 0));
  CASE("inotify_add_watch missing", syscall(SYS_inotify_add_watch, in, "missing", IN_ALL_EVENTS));
  CASE("inotify_rm_watch bad wd", syscall(SYS_inotify_rm_watch, in, 12345));
  struct pollfd pfd = {999, POLLIN, 0};
  struct timespec zero = {0, 0};
  CASE("ppoll closed fd", syscall(SYS_ppoll, &pfd, 1, &zero, NULL, 8));
  printf("  revents %d\n", pfd.revents);
  CASE("ppoll bad fds", syscall(SYS_ppoll, BAD, 1, &zero, NULL, 8));
  CASE("ppoll too many", syscall(SYS_ppoll, &pfd, 1u << 30, &zero, NULL, 8));

  // Sockets.
  CASE("socket bad domain", syscall(SYS_socket, 12345, SOCK_STREAM, 0));
  CASE("socket bad type", syscall(SYS_socket, AF_UNIX, 12345, 0));
  CASE("socket bad protocol", syscall(SYS_socket, AF_INET, SOCK_STREAM, 12345));
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  CASE("connect bad addr", syscall(SYS_connect, s, BAD, 16));
  CASE("connect short addr", syscall(SYS_connect, s, buf, 1));
  CASE("bind notsock", syscall(SYS_bind, fd, buf, 16));
  CASE("listen notsock", syscall(SYS_listen, fd, 1));
  CASE("accept notsock", syscall(SYS_accept4, fd, NULL, NULL, 0));
  CASE("accept4 bad flags", syscall(SYS_accept4, s, NULL, NULL, 0x1));
  CASE("shutdown not connected", syscall(SYS_shutdown, s, SHUT_RDWR));
  CASE("shutdown bad how", syscall(SYS_shutdown, s, 99));
  int one = 1;
  CASE("setsockopt bad level", syscall(SYS_setsockopt, s, 12345, 1, &one, sizeof one));
  CASE("setsockopt short", syscall(SYS_setsockopt, s, SOL_SOCKET, SO_REUSEADDR, &one, 1));
  CASE("getsockopt bad len ptr", syscall(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, buf, BAD));
  CASE("getpeername not connected", syscall(SYS_getpeername, s, buf, &(socklen_t){16}));
  CASE("socketpair bad domain", syscall(SYS_socketpair, AF_INET, SOCK_STREAM, 0, (int[2]){0}));
  CASE("sendmsg notsock", syscall(SYS_sendmsg, fd, BAD, 0));
  CASE("recvmsg notsock", syscall(SYS_recvmsg, fd, BAD, 0));

  // Processes.
  CASE("wait4 no child", syscall(SYS_wait4, -1, NULL, 0, NULL));
  CASE("wait4 bad options", syscall(SYS_wait4, -1, NULL, 0x12345678, NULL));
  CASE("waitid bad which", syscall(SYS_waitid, 99, 0, NULL, WEXITED, NULL));
  CASE("waitid no options", syscall(SYS_waitid, P_ALL, 0, NULL, 0, NULL));
  CASE("kill no such pid", syscall(SYS_kill, 999999, 0));
  OK("kill self 0", syscall(SYS_kill, getpid(), 0));
  CASE("getpriority bad which", syscall(SYS_getpriority, 99, 0));
  CASE("setpriority bad which", syscall(SYS_setpriority, 99, 0, 0));
  CASE("prlimit64 bad resource", syscall(SYS_prlimit64, 0, 99, NULL, NULL));
  struct rlimit rl = {10, 5};
  CASE("prlimit64 soft above hard", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, NULL));
  CASE("getrusage bad who", syscall(SYS_getrusage, 99, buf));
  CASE("setpgid bad pid", syscall(SYS_setpgid, 999999, 0));
  CASE("getpgid no such pid", syscall(SYS_getpgid, 999999));
  CASE("getsid no such pid", syscall(SYS_getsid, 999999));
  CASE("sched_getaffinity small", syscall(SYS_sched_getaffinity, 0, 1, buf));
  CASE("sched_setaffinity empty", syscall(SYS_sched_setaffinity, 0, 8, (uint64_t[]){0}));
  CASE("setns badfd", syscall(SYS_setns, 999, 0));
  CASE("prctl bad option", syscall(SYS_prctl, 12345, 0, 0, 0, 0));
  CASE("pidfd_open bad pid", syscall(SYS_pidfd_open, 999999, 0));
  CASE("pidfd_open bad flags", syscall(SYS_pidfd_open, getpid(), 0x1));
  CASE("execve missing", syscall(SYS_execve, "missing", (char *[]){NULL}, (char *[]){NULL}));
  CASE("execve dir", syscall(SYS_execve, "sub", (char *[]){NULL}, (char *[]){NULL}));
  CASE("execve not executable", syscall(SYS_execve, "file", (char *[]){NULL}, (char *[]){NULL}));

  // Memory mapping.
  CASE("mmap zero length", (long)syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  CASE("mmap no type", (long)syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0));
  CASE("mmap bad fd", (long)syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 999, 0));
  CASE("mmap unaligned offset", (long)syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, fd, 1));
  CASE("mmap write on readonly fd", (long)syscall(SYS_mmap, 0, 4096, PROT_WRITE, MAP_SHARED, open("file", O_RDONLY), 0));
  CASE("mmap fixed unaligned", (long)syscall(SYS_mmap, 0x10001, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
  CASE("mremap bad flags", (long)syscall(SYS_mremap, BAD, 4096, 4096, 0x100, 0));
  CASE("mremap unaligned", (long)syscall(SYS_mremap, (void *)0x10001, 4096, 8192, 0, 0));
  CASE("mremap not mapped", (long)syscall(SYS_mremap, (void *)0x7000000, 4096, 8192, 0, 0));
  CASE("brk query", syscall(SYS_brk, 0) > 0 ? 0 : -1);

  // Time.
  CASE("timer_create bad clock", syscall(SYS_timer_create, 12345, NULL, buf));
  CASE("timer_settime bad id", syscall(SYS_timer_settime, 12345, 0, &its, NULL));
  CASE("timer_delete bad id", syscall(SYS_timer_delete, 12345));
  CASE("clock_settime unprivileged or bad", syscall(SYS_clock_settime, 12345, &zero));
  CASE("setitimer bad which", syscall(SYS_setitimer, 99, NULL, NULL));
  CASE("getitimer bad which", syscall(SYS_getitimer, 99, buf));

  close(fd);
  unlink("link");
  unlink("file");
  rmdir("sub");
  chdir("..");
  rmdir(dir);
  printf("cases: %d\n", cases);
  return 0;
}
