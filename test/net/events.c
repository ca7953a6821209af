// Waiting on descriptors: poll and select (ppoll/pselect6) on pipes, epoll
// with a 64-bit data field that must survive the epoll_event layout
// translation, eventfd, timerfd, inotify, statfs and sendfile.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t %t.dir > %t.ref
// RUN: %xlat-run --tier=interp %t %t.dir > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block %t %t.dir > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template %t %t.dir > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/timerfd.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int p[2];
  pipe(p);
  struct pollfd pf = {p[0], POLLIN, 0};
  // CHECK: poll empty: 0
  printf("poll empty: %d\n", poll(&pf, 1, 0));
  write(p[1], "x", 1);
  int n = poll(&pf, 1, 100);
  // CHECK-NEXT: poll ready: 1 revents POLLIN 1
  printf("poll ready: %d revents POLLIN %d\n", n, pf.revents == POLLIN);
  fd_set rs;
  FD_ZERO(&rs);
  FD_SET(p[0], &rs);
  struct timeval tv = {0, 1000};
  n = select(p[0] + 1, &rs, NULL, NULL, &tv);
  // CHECK-NEXT: select: 1 isset 1
  printf("select: %d isset %d\n", n, FD_ISSET(p[0], &rs) != 0);

  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN,
                           .data.u64 = 0x1122334455667788ull};
  epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
  int efd = eventfd(0, EFD_NONBLOCK);
  ev.data.u64 = 0xa0b0c0d0e0f00001ull;
  epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
  struct epoll_event out[4];
  memset(out, 0, sizeof out);
  n = epoll_wait(ep, out, 4, 100);
  // CHECK-NEXT: epoll: 1 data 1122334455667788 events 1
  printf("epoll: %d data %llx events %x\n", n,
         (unsigned long long)out[0].data.u64, out[0].events);
  eventfd_write(efd, 5);
  eventfd_write(efd, 2);
  memset(out, 0, sizeof out);
  n = epoll_wait(ep, out, 4, 100);
  int sawEfd = 0;
  for (int i = 0; i < n; ++i)
    sawEfd |= out[i].data.u64 == 0xa0b0c0d0e0f00001ull;
  eventfd_t val = 0;
  eventfd_read(efd, &val);
  // CHECK-NEXT: epoll: 2 eventfd seen 1 value 7
  printf("epoll: %d eventfd seen %d value %llu\n", n, sawEfd,
         (unsigned long long)val);
  epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
  n = epoll_wait(ep, out, 4, 0);
  // CHECK-NEXT: epoll after del: 0
  printf("epoll after del: %d\n", n);

  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  // Long enough that a block compiled in between cannot outlast it.
  struct itimerspec its = {{0, 0}, {0, 300 * 1000 * 1000}}, cur;
  timerfd_settime(tfd, 0, &its, NULL);
  timerfd_gettime(tfd, &cur);
  // CHECK-NEXT: timerfd armed: 1
  printf("timerfd armed: %d\n",
         cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0);
  uint64_t expirations = 0;
  read(tfd, &expirations, sizeof expirations);
  // CHECK-NEXT: timerfd expired: 1
  printf("timerfd expired: %llu\n", (unsigned long long)expirations);

  mkdir(argv[1], 0755);
  int in = inotify_init1(IN_NONBLOCK);
  int wd = inotify_add_watch(in, argv[1], IN_CREATE);
  char path[4096];
  snprintf(path, sizeof path, "%s/new", argv[1]);
  unlink(path);
  int f = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  char ibuf[4096] __attribute__((aligned(8)));
  ssize_t got = read(in, ibuf, sizeof ibuf);
  struct inotify_event *ie = (struct inotify_event *)ibuf;
  // CHECK-NEXT: inotify: event 1 IN_CREATE 1 name new
  printf("inotify: event %d IN_CREATE %d name %s\n", got > 0,
         got > 0 && (ie->mask & IN_CREATE) && ie->wd == wd, ie->name);
  inotify_rm_watch(in, wd);

  // sendfile from a file into the file we just created.
  write(f, "", 0);
  int src = open(argv[0], O_RDONLY);
  off_t off = 4;
  ssize_t sent = sendfile(f, src, &off, 12);
  struct stat st;
  fstat(f, &st);
  // CHECK-NEXT: sendfile: 12 offset 16 size 12
  printf("sendfile: %zd offset %lld size %lld\n", sent, (long long)off,
         (long long)st.st_size);

  struct statfs a, b;
  int ra = statfs(argv[1], &a), rb = fstatfs(f, &b);
  // CHECK-NEXT: statfs: 0 0 same fs 1 bsize>0 1
  printf("statfs: %d %d same fs %d bsize>0 %d\n", ra, rb,
         a.f_type == b.f_type && a.f_blocks == b.f_blocks, a.f_bsize > 0);
  return 0;
}
