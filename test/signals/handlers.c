// Guest signal handlers: SA_SIGINFO with siginfo and ucontext, masks while a
// handler runs, SA_NODEFER, SA_RESETHAND, sigprocmask keeping a signal
// pending until unblocked, sigsuspend, sigpending, nested delivery, and the
// sigreturn path back into the interrupted code.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static volatile sig_atomic_t count, depth, maxDepth;

static void info_handler(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  printf("info: sig=%d code=%d self=%d usr1-blocked-inside=%d uc-mask-usr2=%d\n",
         sig, si->si_code, si->si_pid == getpid(), sigismember(&cur, SIGUSR1),
         sigismember(&uc->uc_sigmask, SIGUSR2));
  count++;
}

static void nested(int sig) {
  depth++;
  if (depth > maxDepth)
    maxDepth = depth;
  if (depth < 3)
    raise(sig); // SA_NODEFER: delivered again inside
  depth--;
}

static void plain(int sig) { count++; }

static char altstack[65536];
static volatile int onAlt;
static void on_alt(int sig) {
  uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
  onAlt = fp > (uintptr_t)altstack && fp <= (uintptr_t)altstack + sizeof altstack;
}

int main(void) {
  // CHECK: info: sig=10 code=-6 self=1 usr1-blocked-inside=1 uc-mask-usr2=1
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = info_handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &usr2, NULL);
  raise(SIGUSR1);
  sigprocmask(SIG_UNBLOCK, &usr2, NULL);
  printf("count after raise: %d\n", count);
  // CHECK-NEXT: count after raise: 1

  // A blocked signal waits, shows in sigpending, arrives when unblocked.
  signal(SIGUSR2, plain);
  sigprocmask(SIG_BLOCK, &usr2, NULL);
  raise(SIGUSR2);
  sigset_t pend;
  sigpending(&pend);
  printf("pending usr2: %d count: %d\n", sigismember(&pend, SIGUSR2), count);
  // CHECK-NEXT: pending usr2: 1 count: 1
  sigprocmask(SIG_UNBLOCK, &usr2, NULL);
  printf("after unblock count: %d\n", count);
  // CHECK-NEXT: after unblock count: 2

  // SA_NODEFER lets the handler interrupt itself.
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = nested;
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGHUP, &sa, NULL);
  raise(SIGHUP);
  printf("nested depth: %d\n", maxDepth);
  // CHECK-NEXT: nested depth: 3

  // SA_RESETHAND: the second one takes the default action... which for
  // SIGURG is to be ignored.
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = plain;
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGURG, &sa, NULL);
  raise(SIGURG);
  raise(SIGURG);
  struct sigaction now;
  sigaction(SIGURG, NULL, &now);
  printf("resethand count: %d handler-is-default: %d\n", count,
         now.sa_handler == SIG_DFL);
  // CHECK-NEXT: resethand count: 3 handler-is-default: 1

  // sigsuspend waits with a temporary mask and restores it.
  sigprocmask(SIG_BLOCK, &usr2, NULL);
  raise(SIGUSR2);
  sigset_t none;
  sigemptyset(&none);
  int r = sigsuspend(&none);
  sigset_t after;
  sigprocmask(SIG_BLOCK, NULL, &after);
  printf("sigsuspend: %d count: %d usr2 blocked again: %d\n", r, count,
         sigismember(&after, SIGUSR2));
  // CHECK-NEXT: sigsuspend: -1 count: 4 usr2 blocked again: 1

  // SA_ONSTACK runs the handler on the alternate stack.
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
  sigaltstack(&ss, NULL);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alt;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGWINCH, &sa, NULL);
  raise(SIGWINCH);
  printf("on alternate stack: %d\n", onAlt);
  // CHECK-NEXT: on alternate stack: 1

  // Ignored signals vanish.
  signal(SIGUSR1, SIG_IGN);
  raise(SIGUSR1);
  printf("ignored: count %d\n", count);
  // CHECK-NEXT: ignored: count 4
  return 0;
}
