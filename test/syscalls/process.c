// Process, time and identity syscalls: uname, get*id, prlimit64/getrlimit,
// sysinfo, times, getrusage, prctl(PR_SET_NAME/PR_GET_NAME),
// sched_getaffinity, sched_yield, getrandom, clock_gettime/getres,
// gettimeofday, nanosleep, clock_nanosleep, umask, readlink(/proc/self/exe).
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %xlat-run --tier=interp %t | FileCheck %s
// RUN: %xlat-run --tier=block %t | FileCheck %s
// RUN: %xlat-run --tier=template %t | FileCheck %s

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  struct utsname u;
  uname(&u);
  printf("machine: %s sysname: %s\n", u.machine, u.sysname);
  printf("pid==tid: %d ppid>0: %d\n", getpid() == gettid(), getppid() > 0);
  printf("uid: %d gid: %d\n", getuid() == geteuid(), getgid() == getegid());

  struct rlimit rl;
  printf("getrlimit: %d cur<=max: %d\n", getrlimit(RLIMIT_NOFILE, &rl),
         rl.rlim_cur <= rl.rlim_max);
  struct rlimit lower = {rl.rlim_cur - 1, rl.rlim_max};
  setrlimit(RLIMIT_NOFILE, &lower);
  getrlimit(RLIMIT_NOFILE, &rl);
  printf("setrlimit took: %d\n", rl.rlim_cur == lower.rlim_cur);
  printf("bad resource: %d errno=%d\n", getrlimit(99, &rl), errno);

  struct sysinfo si;
  printf("sysinfo: %d mem>0: %d unit: %u\n", sysinfo(&si), si.totalram > 0,
         si.mem_unit);
  struct tms t;
  printf("times: %d\n", times(&t) != (clock_t)-1);
  struct rusage ru;
  printf("getrusage: %d maxrss>0: %d\n", getrusage(RUSAGE_SELF, &ru),
         ru.ru_maxrss > 0);

  char name[16] = {0};
  prctl(PR_GET_NAME, name);
  printf("comm: %s\n", name);
  prctl(PR_SET_NAME, "a-very-long-thread-name");
  prctl(PR_GET_NAME, name);
  printf("comm now: %s\n", name);
  printf("prctl bad: %d errno=%d\n", prctl(12345, 0, 0, 0, 0), errno);

  cpu_set_t set;
  CPU_ZERO(&set);
  printf("affinity: %d cpus>0: %d\n", sched_getaffinity(0, sizeof set, &set),
         CPU_COUNT(&set) > 0);
  printf("yield: %d\n", sched_yield());

  unsigned char r[32] = {0};
  int nz = 0;
  printf("getrandom: %zd\n", getrandom(r, sizeof r, 0));
  for (int i = 0; i < 32; ++i)
    nz += r[i] != 0;
  printf("random bytes set: %d\n", nz > 16);

  struct timespec a, b, res;
  clock_gettime(CLOCK_MONOTONIC, &a);
  struct timespec nap = {0, 20 * 1000 * 1000};
  printf("nanosleep: %d\n", nanosleep(&nap, NULL));
  printf("clock_nanosleep: %d\n",
         clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL));
  clock_gettime(CLOCK_MONOTONIC, &b);
  long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
  printf("slept >= 40ms: %d\n", ms >= 40);
  printf("getres: %d ns>0: %d\n", clock_getres(CLOCK_REALTIME, &res),
         res.tv_nsec > 0);
  printf("bad clock: %d errno=%d\n", clock_gettime(1234, &a), errno);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  clock_gettime(CLOCK_REALTIME, &a);
  printf("gettimeofday close to realtime: %d\n",
         a.tv_sec - tv.tv_sec >= 0 && a.tv_sec - tv.tv_sec < 5);

  umask(022);
  printf("umask: %o\n", umask(027));

  char exe[4096] = {0};
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  const char *base = strrchr(exe, '/');
  const char *want = strrchr(argv[0], '/');
  printf("exe: %d\n", n > 0 && !strcmp(base, want ? want : argv[0]));
  printf("raw fault: %ld\n", syscall(SYS_uname, (void *)8));
  return 0;
}

// CHECK:      machine: riscv64 sysname: Linux
// CHECK-NEXT: pid==tid: 1 ppid>0: 1
// CHECK-NEXT: uid: 1 gid: 1
// CHECK-NEXT: getrlimit: 0 cur<=max: 1
// CHECK-NEXT: setrlimit took: 1
// CHECK-NEXT: bad resource: -1 errno=22
// CHECK-NEXT: sysinfo: 0 mem>0: 1 unit: 1
// CHECK-NEXT: times: 1
// CHECK-NEXT: getrusage: 0 maxrss>0: 1
// CHECK-NEXT: comm: {{.*}}
// CHECK-NEXT: comm now: a-very-long-thr
// CHECK-NEXT: prctl bad: -1 errno=22
// CHECK-NEXT: affinity: 0 cpus>0: 1
// CHECK-NEXT: yield: 0
// CHECK-NEXT: getrandom: 32
// CHECK-NEXT: random bytes set: 1
// CHECK-NEXT: nanosleep: 0
// CHECK-NEXT: clock_nanosleep: 0
// CHECK-NEXT: slept >= 40ms: 1
// CHECK-NEXT: getres: 0 ns>0: 1
// CHECK-NEXT: bad clock: -1 errno=22
// CHECK-NEXT: gettimeofday close to realtime: 1
// CHECK-NEXT: umask: 22
// CHECK-NEXT: exe: 1
// CHECK-NEXT: raw fault: -1
