// Newer and less common syscalls. The "common" half (close_range, pidfds,
// xattrs, rseq) is compared with qemu-riscv64; qemu 7.2 implements none of
// riscv_hwprobe, openat2, execveat and process_vm_readv/writev, so the
// other half is checked with FileCheck alone.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: rm -rf %t.dir %t.root && mkdir -p %t.dir %t.root
// RUN: cp %t %t.dir/prog && ln -s prog %t.dir/link
// RUN: echo marker > %t.root/xlat-newer-marker
// RUN: %qemu-riscv64 %t common %t.dir > %t.ref
// RUN: FileCheck %s --check-prefix=COMMON < %t.ref
// RUN: for t in %{tiers}; do \
// RUN:   %xlat-run --tier=$t %t common %t.dir | diff %t.ref - || exit 1; \
// RUN:   %xlat-run --tier=$t -L %t.root %t xlat %t.dir | FileCheck %s || exit 1; \
// RUN: done
// The -D log survives a guest close_range over every descriptor.
// RUN: %xlat-run -strace -D %t.log %t closeall
// RUN: FileCheck %s --check-prefix=LOG < %t.log

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

extern char **environ;

static int waitStatus(pid_t pid) {
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

// --- compared with qemu -------------------------------------------------------

static void closeRange(void) {
  dup2(1, 10);
  dup2(1, 11);
  dup2(1, 12);
  printf("close_range: %ld\n", syscall(SYS_close_range, 11, 12, 0));
  printf("  10 open=%d 11 open=%d 12 open=%d\n", fcntl(10, F_GETFD) >= 0,
         fcntl(11, F_GETFD) >= 0, fcntl(12, F_GETFD) >= 0);
  printf("cloexec: %ld flag=%d\n",
         syscall(SYS_close_range, 10, 10, CLOSE_RANGE_CLOEXEC),
         fcntl(10, F_GETFD) & FD_CLOEXEC);
  errno = 0;
  printf("reversed: %ld errno=%d\n", syscall(SYS_close_range, 5, 4, 0), errno);
  close(10);
}
// COMMON: close_range: 0
// COMMON-NEXT:   10 open=1 11 open=0 12 open=0
// COMMON-NEXT: cloexec: 0 flag=1
// COMMON-NEXT: reversed: -1 errno=22

static void pidfds(void) {
  int p[2];
  pipe(p);
  pid_t child = fork();
  if (child == 0) {
    char c;
    read(p[0], &c, 1); // never written: waits for the signal
    _exit(0);
  }
  int pfd = syscall(SYS_pidfd_open, child, 0);
  printf("pidfd_open: %d\n", pfd >= 0);
  struct pollfd pf = {pfd, POLLIN, 0};
  printf("poll before: %d\n", poll(&pf, 1, 0));
  printf("pidfd_send_signal: %ld\n",
         syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0));
  printf("poll after: %d revents=%d\n", poll(&pf, 1, 5000),
         pf.revents & POLLIN);
  printf("child status: %d\n", waitStatus(child));
  errno = 0;
  printf("signal a reaped child: %ld errno=%d\n",
         syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0), errno);
  close(pfd);

  // pidfd_getfd on ourselves: a second descriptor for the pipe's write end.
  int self = syscall(SYS_pidfd_open, getpid(), 0);
  int wfd = syscall(SYS_pidfd_getfd, self, p[1], 0);
  printf("pidfd_getfd: %d distinct=%d\n", wfd >= 0, wfd != p[1]);
  write(wfd, "x", 1);
  char c = 0;
  read(p[0], &c, 1);
  printf("through the copy: %c\n", c);
  errno = 0;
  printf("bad fd: %ld errno=%d\n", syscall(SYS_pidfd_getfd, self, 9999, 0),
         errno);
  close(wfd);
  close(self);
  close(p[0]);
  close(p[1]);
}
// COMMON: pidfd_open: 1
// COMMON-NEXT: poll before: 0
// COMMON-NEXT: pidfd_send_signal: 0
// COMMON-NEXT: poll after: 1 revents=1
// COMMON-NEXT: child status: 143
// COMMON-NEXT: signal a reaped child: -1 errno=3
// COMMON-NEXT: pidfd_getfd: 1 distinct=1
// COMMON-NEXT: through the copy: x
// COMMON-NEXT: bad fd: -1 errno=9

static void xattrs(const char *dir) {
  char path[4096], link[4096], buf[64];
  snprintf(path, sizeof path, "%s/attrs", dir);
  snprintf(link, sizeof link, "%s/attrs-link", dir);
  int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
  unlink(link);
  symlink(path, link);
  printf("setxattr: %d\n", setxattr(path, "user.colour", "blue", 4, 0));
  errno = 0;
  printf("create again: %d errno=%d\n",
         setxattr(path, "user.colour", "red", 3, XATTR_CREATE), errno);
  printf("size query: %zd\n", getxattr(path, "user.colour", NULL, 0));
  memset(buf, 0, sizeof buf);
  printf("getxattr: %zd %s\n", getxattr(path, "user.colour", buf, sizeof buf),
         buf);
  errno = 0;
  printf("small buffer: %zd errno=%d\n",
         getxattr(path, "user.colour", buf, 2), errno);
  printf("fsetxattr: %d\n", fsetxattr(fd, "user.shape", "round", 5, 0));
  memset(buf, 0, sizeof buf);
  printf("fgetxattr: %zd %s\n", fgetxattr(fd, "user.shape", buf, sizeof buf),
         buf);
  memset(buf, 0, sizeof buf);
  printf("through the link: %zd %s\n",
         getxattr(link, "user.shape", buf, sizeof buf), buf);
  errno = 0;
  printf("on the link itself: %zd errno=%d\n",
         lgetxattr(link, "user.shape", buf, sizeof buf), errno);
  char list[256];
  ssize_t n = listxattr(path, list, sizeof list);
  int colour = 0, shape = 0;
  for (ssize_t i = 0; i < n; i += strlen(list + i) + 1) {
    colour |= !strcmp(list + i, "user.colour");
    shape |= !strcmp(list + i, "user.shape");
  }
  printf("listxattr: colour=%d shape=%d flist=%zd\n", colour, shape,
         flistxattr(fd, NULL, 0) == n ? n : (ssize_t)-1);
  printf("removexattr: %d fremovexattr: %d\n",
         removexattr(path, "user.colour"), fremovexattr(fd, "user.shape"));
  errno = 0;
  printf("removed: %zd errno=%d\n", getxattr(path, "user.colour", buf, 8),
         errno);
  char longName[300];
  memset(longName, 'a', sizeof longName);
  memcpy(longName, "user.", 5);
  longName[sizeof longName - 1] = 0;
  errno = 0;
  printf("long name: %d errno=%d\n", setxattr(path, longName, "x", 1, 0),
         errno);
  errno = 0;
  printf("missing file: %zd errno=%d\n",
         getxattr("/nonexistent/x", "user.colour", buf, 8), errno);
  close(fd);
}
// COMMON: setxattr: 0
// COMMON-NEXT: create again: -1 errno=17
// COMMON-NEXT: size query: 4
// COMMON-NEXT: getxattr: 4 blue
// COMMON-NEXT: small buffer: -1 errno=34
// COMMON-NEXT: fsetxattr: 0
// COMMON-NEXT: fgetxattr: 5 round
// COMMON-NEXT: through the link: 5 round
// COMMON-NEXT: on the link itself: -1 errno=61
// COMMON-NEXT: listxattr: colour=1 shape=1 flist=23
// COMMON-NEXT: removexattr: 0 fremovexattr: 0
// COMMON-NEXT: removed: -1 errno=61
// COMMON-NEXT: long name: -1 errno=34
// COMMON-NEXT: missing file: -1 errno=2

// rseq is not available (as under qemu): glibc copes and says so.
static void rseqs(void) {
  errno = 0;
  long r = syscall(SYS_rseq, NULL, 0, 0, 0);
  printf("rseq: %ld errno=%d glibc rseq size=%u\n", r, errno, __rseq_size);
  printf("sched_getcpu works: %d\n", sched_getcpu() >= 0);
}
// COMMON: rseq: -1 errno=38 glibc rseq size=0
// COMMON-NEXT: sched_getcpu works: 1

// --- checked with FileCheck -------------------------------------------------

struct hwprobe {
  int64_t key;
  uint64_t value;
};

static void hwprobes(void) {
  struct hwprobe p[] = {{0}, {1}, {2}, {3}, {4}, {5}, {7}, {8}, {99}, {-5}};
  int n = sizeof p / sizeof *p;
  printf("hwprobe: %ld\n", syscall(258, p, n, 0, NULL, 0));
  for (int i = 0; i < n; ++i)
    printf("  key %lld value 0x%llx\n", (long long)p[i].key,
           (unsigned long long)p[i].value);

  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  struct hwprobe one = {4};
  printf("cpu 0: %ld value 0x%llx\n",
         syscall(258, &one, 1, sizeof set, &set, 0),
         (unsigned long long)one.value);
  CPU_ZERO(&set);
  errno = 0;
  printf("no cpu: %ld errno=%d\n", syscall(258, &one, 1, sizeof set, &set, 0),
         errno);
  errno = 0;
  printf("bad flags: %ld errno=%d\n", syscall(258, &one, 1, 0, NULL, 2),
         errno);
  errno = 0;
  printf("bad pairs: %ld errno=%d\n", syscall(258, (void *)8, 1, 0, NULL, 0),
         errno);

  // RISCV_HWPROBE_WHICH_CPUS: keep the cpus that have every given pair.
  struct hwprobe want[] = {{3, 1}, {4, 3}};
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  printf("which FD|C: %ld cpu0=%d\n",
         syscall(258, want, 2, sizeof set, &set, 1), CPU_ISSET(0, &set));
  struct hwprobe v = {4, 1 << 2}; // RISCV_HWPROBE_IMA_V
  printf("which V: %ld cpus=%d\n", syscall(258, &v, 1, sizeof set, &set, 1),
         CPU_COUNT(&set));
  CPU_ZERO(&set);
  struct hwprobe zba = {4, 1 << 3}; // RISCV_HWPROBE_EXT_ZBA
  printf("which Zba (all cpus): %ld cpus=%d\n",
         syscall(258, &zba, 1, sizeof set, &set, 1), CPU_COUNT(&set));
  CPU_ZERO(&set);
  struct hwprobe unknown[] = {{4, 3}, {1000, 0}};
  printf("which unknown: %ld cpus=%d key=%lld\n",
         syscall(258, unknown, 2, sizeof set, &set, 1), CPU_COUNT(&set),
         (long long)unknown[1].key);
  CPU_ZERO(&set);
  printf("which (all cpus): %ld cpus>0=%d\n",
         syscall(258, want, 2, sizeof set, &set, 1), CPU_COUNT(&set) > 0);
}
// CHECK: hwprobe: 0
// CHECK-NEXT:   key 0 value 0x0
// CHECK-NEXT:   key 1 value 0x0
// CHECK-NEXT:   key 2 value 0x0
// CHECK-NEXT:   key 3 value 0x1
// CHECK-NEXT:   key 4 value 0x3
// CHECK-NEXT:   key 5 value 0x0
// CHECK-NEXT:   key 7 value 0x3fffffffff
// CHECK-NEXT:   key 8 value 0x989680
// CHECK-NEXT:   key -1 value 0x0
// CHECK-NEXT:   key -1 value 0x0
// CHECK-NEXT: cpu 0: 0 value 0x3
// CHECK-NEXT: no cpu: -1 errno=22
// CHECK-NEXT: bad flags: -1 errno=22
// CHECK-NEXT: bad pairs: -1 errno=14
// CHECK-NEXT: which FD|C: 0 cpu0=1
// CHECK-NEXT: which V: 0 cpus=0
// CHECK-NEXT: which Zba (all cpus): 0 cpus=0
// CHECK-NEXT: which unknown: 0 cpus=0 key=-1
// CHECK-NEXT: which (all cpus): 0 cpus>0=1

static int openHow(const char *path, uint64_t flags, uint64_t resolve,
                   size_t size) {
  char how[64] = {0};
  struct open_how h = {.flags = flags, .resolve = resolve};
  memcpy(how, &h, sizeof h);
  return syscall(SYS_openat2, AT_FDCWD, path, how, size);
}

static void openat2s(void) {
  // /proc/self/exe is the guest program, an riscv64 ELF.
  int fd = openHow("/proc/self/exe", O_RDONLY | O_CLOEXEC, 0,
                   sizeof(struct open_how));
  unsigned char ehdr[20] = {0};
  read(fd, ehdr, sizeof ehdr);
  printf("openat2 exe: %d machine=%d cloexec=%d\n", fd >= 0, ehdr[18],
         fcntl(fd, F_GETFD) & FD_CLOEXEC);
  close(fd);
  // A sysroot path (-L), as openat finds it.
  fd = openHow("/xlat-newer-marker", O_RDONLY, 0, sizeof(struct open_how));
  char buf[16] = {0};
  read(fd, buf, 6);
  printf("openat2 sysroot: %d %s\n", fd >= 0, buf);
  close(fd);
  fd = openHow("/proc/self/maps", O_RDONLY, 0, sizeof(struct open_how));
  char maps[65536] = {0};
  ssize_t n = 0, r;
  while ((r = read(fd, maps + n, sizeof maps - 1 - n)) > 0)
    n += r;
  printf("openat2 maps: stack=%d\n", strstr(maps, "[stack]") != NULL);
  close(fd);
  // A larger struct with a zero tail is fine, a non-zero tail is not.
  fd = openHow("/proc/self/exe", O_RDONLY, 0, 40);
  printf("size 40: %d\n", fd >= 0);
  close(fd);
  errno = 0;
  printf("size 16: %d errno=%d\n",
         openHow("/proc/self/exe", O_RDONLY, 0, 16), errno);
  char big[40] = {0};
  struct open_how h = {.flags = O_RDONLY};
  memcpy(big, &h, sizeof h);
  big[30] = 1;
  errno = 0;
  printf("non-zero tail: %ld errno=%d\n",
         syscall(SYS_openat2, AT_FDCWD, "/proc/self/exe", big, sizeof big),
         errno);
  errno = 0;
  printf("beneath: %d errno=%d\n",
         openHow("/proc/self/exe", O_RDONLY, RESOLVE_BENEATH,
                 sizeof(struct open_how)),
         errno);
  errno = 0;
  printf("mode without O_CREAT: %ld errno=%d\n",
         syscall(SYS_openat2, AT_FDCWD, "/proc/self/exe",
                 &(struct open_how){.flags = O_RDONLY, .mode = 0644},
                 sizeof(struct open_how)),
         errno);
}
// CHECK: openat2 exe: 1 machine=243 cloexec=1
// CHECK-NEXT: openat2 sysroot: 1 marker
// CHECK-NEXT: openat2 maps: stack=1
// CHECK-NEXT: size 40: 1
// CHECK-NEXT: size 16: -1 errno=22
// CHECK-NEXT: non-zero tail: -1 errno=7
// CHECK-NEXT: beneath: -1 errno=18
// CHECK-NEXT: mode without O_CREAT: -1 errno=22

static volatile long remoteValue = 11;

static void processVm(void) {
  long a = 1111, b = 2222, dst[2] = {0, 0};
  struct iovec local = {dst, sizeof dst};
  struct iovec remote[2] = {{&a, sizeof a}, {&b, sizeof b}};
  printf("readv self: %zd %ld %ld\n",
         process_vm_readv(getpid(), &local, 1, remote, 2, 0), dst[0], dst[1]);
  long src[2] = {33, 44};
  struct iovec from = {src, sizeof src};
  printf("writev self: %zd %ld %ld\n",
         process_vm_writev(getpid(), &from, 1, remote, 2, 0), a, b);
  errno = 0;
  struct iovec bad = {(void *)8, 8};
  printf("bad remote: %zd errno=%d\n",
         process_vm_readv(getpid(), &local, 1, &bad, 1, 0), errno);

  // A forked child keeps the same guest addresses: its copy of remoteValue
  // is read and written there, not ours.
  int toChild[2], toParent[2];
  pipe(toChild);
  pipe(toParent);
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    remoteValue = 4242;
    char c;
    write(toParent[1], "r", 1);
    read(toChild[0], &c, 1);
    printf("child sees: %ld\n", remoteValue);
    fflush(stdout);
    _exit(0);
  }
  char c;
  read(toParent[0], &c, 1);
  long got = 0;
  struct iovec mine = {&got, sizeof got};
  struct iovec theirs = {(void *)&remoteValue, sizeof remoteValue};
  printf("readv child: %zd got=%ld ours=%ld\n",
         process_vm_readv(child, &mine, 1, &theirs, 1, 0), got, remoteValue);
  long put = 777;
  struct iovec out = {&put, sizeof put};
  printf("writev child: %zd\n", process_vm_writev(child, &out, 1, &theirs, 1, 0));
  fflush(stdout);
  write(toChild[1], "w", 1);
  waitStatus(child);
  // Not a process with our guest layout (the shell that started us), and no
  // process at all.
  errno = 0;
  printf("parent: %zd errno=%d\n",
         process_vm_readv(getppid(), &mine, 1, &theirs, 1, 0), errno);
  errno = 0;
  printf("no such pid: %zd errno=%d\n",
         process_vm_readv(0x3ffffff0, &mine, 1, &theirs, 1, 0), errno);
}
// CHECK: readv self: 16 1111 2222
// CHECK-NEXT: writev self: 16 33 44
// CHECK-NEXT: bad remote: -1 errno=14
// CHECK-NEXT: readv child: 8 got=4242 ours=11
// CHECK-NEXT: writev child: 8
// CHECK-NEXT: child sees: 777
// CHECK-NEXT: parent: -1 errno=1
// CHECK-NEXT: no such pid: -1 errno=3

static int execveatChild(int dirfd, const char *path, int flags,
                         const char *how) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    char *argv[] = {"prog", "child", (char *)how, NULL};
    syscall(SYS_execveat, dirfd, path, argv, environ, flags);
    printf("  %s: execveat failed errno=%d\n", how, errno);
    fflush(stdout);
    _exit(100);
  }
  return waitStatus(pid);
}

static void execveats(const char *dir, const char *self) {
  int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  printf("dirfd + name: %d\n", execveatChild(d, "prog", 0, "dirfd"));
  int f = open(self, O_RDONLY | O_CLOEXEC);
  printf("fd + AT_EMPTY_PATH: %d\n",
         execveatChild(f, "", AT_EMPTY_PATH, "empty-path"));
  // An unlinked image has no name left: a memfd (as fexecve users do).
  int m = memfd_create("image", MFD_CLOEXEC);
  char buf[65536];
  ssize_t n;
  lseek(f, 0, SEEK_SET);
  while ((n = read(f, buf, sizeof buf)) > 0)
    write(m, buf, n);
  printf("memfd: %d\n", execveatChild(m, "", AT_EMPTY_PATH, "memfd"));
  printf("link: %d\n", execveatChild(d, "link", 0, "link"));
  printf("link nofollow: %d\n",
         execveatChild(d, "link", AT_SYMLINK_NOFOLLOW, "nofollow"));
  printf("empty without flag: %d\n", execveatChild(f, "", 0, "no-flag"));
  // A host program is the host's to run.
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    char *argv[] = {"sh", "-c", "exit 3", NULL};
    syscall(SYS_execveat, AT_FDCWD, "/bin/sh", argv, environ, 0);
    _exit(100);
  }
  printf("host /bin/sh: %d\n", waitStatus(pid));
  close(d);
  close(f);
  close(m);
}
// CHECK: child dirfd
// CHECK-NEXT: dirfd + name: 7
// CHECK-NEXT: child empty-path
// CHECK-NEXT: fd + AT_EMPTY_PATH: 7
// CHECK-NEXT: child memfd
// CHECK-NEXT: memfd: 7
// CHECK-NEXT: child link
// CHECK-NEXT: link: 7
// CHECK-NEXT:   nofollow: execveat failed errno=40
// CHECK-NEXT: link nofollow: 100
// CHECK-NEXT:   no-flag: execveat failed errno=2
// CHECK-NEXT: empty without flag: 100
// CHECK-NEXT: host /bin/sh: 3

// LOG: close_range(3,{{[0-9]+}},0x0) = 0
// LOG: write(1,{{.*}}) = 9
// LOG: exit_group(0)

int main(int argc, char **argv) {
  if (argc > 2 && !strcmp(argv[1], "child")) {
    printf("child %s\n", argv[2]);
    return 7;
  }
  if (argc > 1 && !strcmp(argv[1], "closeall")) {
    syscall(SYS_close_range, 3, ~0u, 0);
    write(1, "closeall\n", 9);
    return 0;
  }
  if (argc < 3)
    return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  if (!strcmp(argv[1], "common")) {
    closeRange();
    pidfds();
    xattrs(argv[2]);
    rseqs();
  } else {
    hwprobes();
    openat2s();
    processVm();
    execveats(argv[2], argv[0]);
  }
  return 0;
}
