// Signal bookkeeping (no delivery yet): rt_sigaction records and returns
// dispositions, rt_sigprocmask keeps the mask, sigaltstack records the
// stack, kill/raise of ignored signals and signal 0 succeed, and a raised
// SIGABRT with the default action kills the process.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %xlat-run --tier=interp %t | FileCheck %s
// RUN: %xlat-run --tier=block %t | FileCheck %s
// RUN: %xlat-run --tier=template %t | FileCheck %s
// RUN: %xlat-run --tier=interp %t abort; test $? -eq 134
// RUN: %xlat-run --tier=block %t abort; test $? -eq 134
// RUN: %xlat-run --tier=template %t abort; test $? -eq 134

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void handler(int sig) {}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "abort")) {
    fflush(stdout);
    abort();
  }
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sa.sa_flags = SA_RESTART | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaddset(&sa.sa_mask, SIGKILL);
  printf("sigaction: %d\n", sigaction(SIGUSR1, &sa, NULL));
  memset(&old, 0, sizeof old);
  sigaction(SIGUSR1, NULL, &old);
  printf("recorded: handler=%d restart=%d onstack=%d usr2=%d kill=%d\n",
         old.sa_handler == handler, !!(old.sa_flags & SA_RESTART),
         !!(old.sa_flags & SA_ONSTACK), sigismember(&old.sa_mask, SIGUSR2),
         sigismember(&old.sa_mask, SIGKILL));
  printf("SIGKILL: %d errno=%d\n", sigaction(SIGKILL, &sa, NULL), errno);
  errno = 0;
  printf("bad signal: %d errno=%d\n", sigaction(99, &sa, NULL), errno);

  sigset_t set, cur;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGSTOP);
  sigprocmask(SIG_BLOCK, &set, NULL);
  sigprocmask(SIG_SETMASK, NULL, &cur);
  printf("mask: int=%d stop=%d term=%d\n", sigismember(&cur, SIGINT),
         sigismember(&cur, SIGSTOP), sigismember(&cur, SIGTERM));
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  sigprocmask(SIG_SETMASK, NULL, &cur);
  printf("unblocked: int=%d\n", sigismember(&cur, SIGINT));
  errno = 0;
  printf("bad how: %d errno=%d\n", sigprocmask(42, &set, NULL), errno);

  static char stack[16384];
  stack_t ss = {.ss_sp = stack, .ss_size = sizeof stack, .ss_flags = 0};
  stack_t oss;
  printf("sigaltstack: %d\n", sigaltstack(&ss, &oss));
  printf("old disabled: %d\n", oss.ss_flags == SS_DISABLE);
  sigaltstack(NULL, &oss);
  printf("recorded stack: sp=%d size=%zu flags=%d\n", oss.ss_sp == stack,
         oss.ss_size, oss.ss_flags);
  ss.ss_size = 100;
  printf("too small: %d errno=%d\n", sigaltstack(&ss, NULL), errno);

  signal(SIGUSR2, SIG_IGN);
  printf("raise ignored: %d\n", raise(SIGUSR2));
  printf("raise default-ignored: %d\n", raise(SIGCHLD));
  printf("kill 0: %d\n", kill(getpid(), 0));
  return 0;
}

// CHECK:      sigaction: 0
// CHECK-NEXT: recorded: handler=1 restart=1 onstack=1 usr2=1 kill=0
// CHECK-NEXT: SIGKILL: -1 errno=22
// CHECK-NEXT: bad signal: -1 errno=22
// CHECK-NEXT: mask: int=1 stop=0 term=0
// CHECK-NEXT: unblocked: int=0
// CHECK-NEXT: bad how: -1 errno=22
// CHECK-NEXT: sigaltstack: 0
// CHECK-NEXT: old disabled: 1
// CHECK-NEXT: recorded stack: sp=1 size=16384 flags=0
// CHECK-NEXT: too small: -1 errno=12
// CHECK-NEXT: raise ignored: 0
// CHECK-NEXT: raise default-ignored: 0
// CHECK-NEXT: kill 0: 0
