// Process creation: fork, vfork, wait4/waitpid/waitid, exit statuses and
// deaths by signal, kill() to a child, getppid, setsid/getsid,
// setpgid/getpgid, and a pipe between parent and child.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t parent = getpid();
  int fds[2];
  pipe(fds);
  pid_t c = fork();
  if (c == 0) {
    close(fds[0]);
    char msg[64];
    int n = snprintf(msg, sizeof msg, "ppid ok %d", getppid() == parent);
    write(fds[1], msg, n);
    _exit(7);
  }
  close(fds[1]);
  char msg[64] = {0};
  read(fds[0], msg, sizeof msg - 1);
  // CHECK: child says: ppid ok 1
  printf("child says: %s\n", msg);
  int st;
  struct rusage ru;
  pid_t w = wait4(c, &st, 0, &ru);
  // CHECK-NEXT: wait4 same pid 1 exited 1 status 7
  printf("wait4 same pid %d exited %d status %d\n", w == c, WIFEXITED(st),
         WEXITSTATUS(st));

  // A child killed by the parent.
  c = fork();
  if (c == 0) {
    for (;;)
      pause();
  }
  kill(c, SIGTERM);
  waitpid(c, &st, 0);
  // CHECK-NEXT: signaled 1 by 15
  printf("signaled %d by %d\n", WIFSIGNALED(st), WTERMSIG(st));

  // A child that dies of its own fault.
  c = fork();
  if (c == 0) {
    *(volatile int *)16 = 1;
    _exit(0);
  }
  waitpid(c, &st, 0);
  // CHECK-NEXT: segv 1 by 11
  printf("segv %d by %d\n", WIFSIGNALED(st), WTERMSIG(st));

  // vfork + _exit; waitid.
  c = vfork();
  if (c == 0)
    _exit(3);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  waitid(P_PID, c, &si, WEXITED);
  // CHECK-NEXT: waitid pid 1 code CLD_EXITED 1 status 3
  printf("waitid pid %d code CLD_EXITED %d status %d\n", si.si_pid == c,
         si.si_code == CLD_EXITED, si.si_status);

  // Sessions and process groups in a child.
  c = fork();
  if (c == 0) {
    pid_t sid = setsid();
    int ok = sid == getpid() && getsid(0) == sid && getpgid(0) == sid;
    _exit(ok ? 0 : 1);
  }
  waitpid(c, &st, 0);
  // CHECK-NEXT: setsid in child ok 1
  printf("setsid in child ok %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
  c = fork();
  if (c == 0) {
    pause();
    _exit(0);
  }
  setpgid(c, c);
  // CHECK-NEXT: child pgid 1
  printf("child pgid %d\n", getpgid(c) == c);
  kill(c, SIGKILL);
  waitpid(c, &st, 0);
  // CHECK-NEXT: no more children: 1
  printf("no more children: %d\n", wait(&st) < 0);
  return 0;
}
