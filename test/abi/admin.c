// Administration calls and the newer futex and fchmodat calls: the host
// kernel answers them (mount, umount2, pivot_root, swapon, swapoff, acct,
// sethostname, setdomainname, settimeofday, adjtimex, clock_adjtime,
// syslog, reboot, setfsuid, setfsgid, sched_rr_get_interval, fchmodat2,
// futex_wake, futex_wait, futex_waitv, futex_requeue). Oracle: the host
// kernel, through the same test built for the host. Every case is one that
// changes nothing, as an unprivileged user or as root: missing paths,
// invalid arguments, queries. A kernel too old for a call says ENOSYS to
// both builds.
//
// RUN: %host-cc -O1 %s -o %t.host
// RUN: %rv-cc -O1 %s -o %t
// RUN: cd %T && %t.host > %t.expected
// RUN: cd %T && for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.expected
// CHECK: reboot bad magic: -1 {{EPERM|EINVAL}}
// CHECK: futex_wait mismatch: -1 {{EAGAIN|ENOSYS}}
// CHECK: cases: {{[1-9][0-9]+}}
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include "Inputs/cases.h"

// The same numbers on every architecture (Linux 5.16 and later).
enum { NR_futex_waitv = 449, NR_fchmodat2 = 452, NR_futex_wake = 454,
       NR_futex_wait = 455, NR_futex_requeue = 456 };
enum { U32 = 0x02, PRIV = 128 };
struct waitv {
  uint64_t val, uaddr;
  uint32_t flags, reserved;
};

int main(void) {
  char dir[] = "abi-admin-tmp-XXXXXX";
  if (!mkdtemp(dir))
    return 1;
  chdir(dir);
  int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
  symlink("file", "link");
  char name[1000] = "x";

  // Mounts, swap, accounting: missing paths (EPERM first when unprivileged).
  CASE("mount missing target", syscall(SYS_mount, "none", "/nonexistent-xlat", "tmpfs", 0, NULL));
  CASE("mount bad target", syscall(SYS_mount, "none", BAD, "tmpfs", 0, NULL));
  CASE("mount bad fstype", syscall(SYS_mount, "none", "/nonexistent-xlat", BAD, 0, NULL));
  CASE("umount2 missing", syscall(SYS_umount2, "/nonexistent-xlat", 0));
  CASE("umount2 bad flags", syscall(SYS_umount2, "/nonexistent-xlat", 0x100));
  CASE("umount2 bad path", syscall(SYS_umount2, BAD, 0));
  CASE("pivot_root missing", syscall(SYS_pivot_root, "/nonexistent-a", "/nonexistent-b"));
  CASE("swapon missing", syscall(SYS_swapon, "/nonexistent-xlat", 0));
  CASE("swapoff missing", syscall(SYS_swapoff, "/nonexistent-xlat"));
  CASE("acct missing", syscall(SYS_acct, "/nonexistent-xlat/x"));

  // Names and the clock.
  CASE("sethostname too long", syscall(SYS_sethostname, name, sizeof name));
  CASE("setdomainname too long", syscall(SYS_setdomainname, name, sizeof name));
  CASE("settimeofday nothing", syscall(SYS_settimeofday, NULL, NULL));
  CASE("settimeofday bad tv", syscall(SYS_settimeofday, BAD, NULL));
  struct timex tx = {0};
  CASE("adjtimex query", syscall(SYS_adjtimex, &tx));
  CASE("adjtimex bad", syscall(SYS_adjtimex, BAD));
  struct timex tx2 = {0};
  CASE("clock_adjtime realtime query", syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx2));
  CASE("clock_adjtime bad clock", syscall(SYS_clock_adjtime, 1234, &tx2));
  CASE("clock_adjtime bad timex", syscall(SYS_clock_adjtime, CLOCK_REALTIME, BAD));

  // The kernel log, reboot, fs ids, scheduling.
  CASE("syslog size", syscall(SYS_syslog, 10, NULL, 0));
  CASE("syslog bad type", syscall(SYS_syslog, 1234, NULL, 0));
  CASE("reboot bad magic", syscall(SYS_reboot, 0, 0, 0, NULL));
  CASE("setfsuid query", syscall(SYS_setfsuid, -1) == (long)geteuid());
  CASE("setfsgid query", syscall(SYS_setfsgid, -1) == (long)getegid());
  struct timespec ts;
  OK("sched_rr_get_interval self", syscall(SYS_sched_rr_get_interval, 0, &ts));
  CASE("sched_rr_get_interval no pid", syscall(SYS_sched_rr_get_interval, 1 << 30, &ts));
  CASE("sched_rr_get_interval bad pid", syscall(SYS_sched_rr_get_interval, -1, &ts));
  CASE("sched_rr_get_interval bad ts", syscall(SYS_sched_rr_get_interval, 0, BAD));

  // fchmodat2.
  CASE("fchmodat2 file", syscall(NR_fchmodat2, AT_FDCWD, "file", 0644, 0));
  CASE("fchmodat2 nofollow link", syscall(NR_fchmodat2, AT_FDCWD, "link", 0644, AT_SYMLINK_NOFOLLOW));
  CASE("fchmodat2 bad flags", syscall(NR_fchmodat2, AT_FDCWD, "file", 0644, 0x1));
  CASE("fchmodat2 missing", syscall(NR_fchmodat2, AT_FDCWD, "missing", 0644, 0));
  CASE("fchmodat2 empty path", syscall(NR_fchmodat2, fd, "", 0600, AT_EMPTY_PATH));
  CASE("fchmodat2 bad path", syscall(NR_fchmodat2, AT_FDCWD, BAD, 0644, 0));

  // futex2.
  static uint32_t word = 7;
  CASE("futex_wake none waiting", syscall(NR_futex_wake, &word, 0xfffffffful, 1, U32 | PRIV));
  CASE("futex_wake misaligned", syscall(NR_futex_wake, (char *)&word + 1, 0xfffffffful, 1, U32 | PRIV));
  CASE("futex_wake bad size", syscall(NR_futex_wake, &word, 0xfffffffful, 1, 3 | PRIV));
  CASE("futex_wake wide mask", syscall(NR_futex_wake, &word, ~0ul, 1, U32 | PRIV));
  CASE("futex_wake no mask", syscall(NR_futex_wake, &word, 0ul, 1, U32 | PRIV));
  CASE("futex_wait mismatch", syscall(NR_futex_wait, &word, 8ul, 0xfffffffful, U32 | PRIV, NULL, CLOCK_MONOTONIC));
  struct timespec past = {0, 0};
  CASE("futex_wait timeout", syscall(NR_futex_wait, &word, 7ul, 0xfffffffful, U32 | PRIV, &past, CLOCK_MONOTONIC));
  CASE("futex_wait bad word", syscall(NR_futex_wait, BAD, 7ul, 0xfffffffful, U32 | PRIV, NULL, CLOCK_MONOTONIC));
  CASE("futex_wait bad clock", syscall(NR_futex_wait, &word, 7ul, 0xfffffffful, U32 | PRIV, &past, 1234));
  struct waitv w[2] = {{8, (uintptr_t)&word, U32 | PRIV, 0}, {7, (uintptr_t)&word, U32 | PRIV, 0}};
  CASE("futex_waitv mismatch", syscall(NR_futex_waitv, w, 1, 0, NULL, CLOCK_MONOTONIC));
  CASE("futex_waitv timeout", syscall(NR_futex_waitv, &w[1], 1, 0, &past, CLOCK_MONOTONIC));
  CASE("futex_waitv none", syscall(NR_futex_waitv, w, 0, 0, NULL, CLOCK_MONOTONIC));
  CASE("futex_waitv too many", syscall(NR_futex_waitv, w, 129, 0, NULL, CLOCK_MONOTONIC));
  CASE("futex_waitv bad flags", syscall(NR_futex_waitv, w, 1, 1, NULL, CLOCK_MONOTONIC));
  CASE("futex_waitv bad array", syscall(NR_futex_waitv, BAD, 1, 0, NULL, CLOCK_MONOTONIC));
  struct waitv bad[1] = {{7, 0x10, U32 | PRIV, 0}};
  CASE("futex_waitv bad word", syscall(NR_futex_waitv, bad, 1, 0, NULL, CLOCK_MONOTONIC));
  struct waitv reserved[1] = {{7, (uintptr_t)&word, U32 | PRIV, 1}};
  CASE("futex_waitv reserved", syscall(NR_futex_waitv, reserved, 1, 0, NULL, CLOCK_MONOTONIC));
  CASE("futex_requeue none", syscall(NR_futex_requeue, w, 0, 1, 0));
  CASE("futex_requeue bad array", syscall(NR_futex_requeue, BAD, 0, 1, 0));

  unlink("link");
  unlink("file");
  chdir("..");
  rmdir(dir);
  printf("cases: %d\n", cases);
  return 0;
}
