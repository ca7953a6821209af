// The FP exception flags and the rounding mode survive a memory fault: an
// inexact division, then a load from an unmapped page (a host fault, which
// the runner's handler leaves by a long jump), then the guest's handler
// long-jumps back and reads the flags. The flags that division raised are
// held in the host's MXCSR until the runner folds them into fflags or
// FPSR, and a host signal handler starts with MXCSR at its defaults: they
// were once lost there, in every tier. The same check runs after an
// overflow under round-up, and each fault happens many times, so that the
// adaptive tier compiles the loop too.
//
// RUN: %rv-cc -O2 %s -o %t.rv -lm
// RUN: %qemu-riscv64 %t.rv > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t.rv > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
// RUN: %a64-gcc -O2 %s -o %t.a64 -lm
// RUN: %qemu-aarch64 %t.a64 > %t.a64.expected
// RUN: for t in %{a64-tiers}; do %xlat-run $t %t.a64 > %t.out || exit 1; diff %t.a64.expected %t.out || exit 1; done
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf back;
static void on_segv(int sig) { siglongjmp(back, 1); }

static volatile double num = 1.0, den = 3.0, big = 1e308;
static volatile double sink;

// An operation that raises `flag`, then a fault; the flags afterwards.
static int run(volatile int *bad, int overflow) {
  feclearexcept(FE_ALL_EXCEPT);
  if (sigsetjmp(back, 1) == 0) {
    sink = overflow ? big * big : num / den;
    sink = *bad;
  }
  return fetestexcept(FE_ALL_EXCEPT);
}

int main(void) {
  signal(SIGSEGV, on_segv);
  volatile int *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int lost = 0, first = -1;
  for (int i = 0; i < 3000; i++) {
    int f = run(bad, 0);
    first = first < 0 ? f : first;
    lost += !(f & FE_INEXACT);
  }
  printf("inexact after a fault: %s (lost %d of 3000)\n",
         first & FE_INEXACT ? "set" : "clear", lost);
  fesetround(FE_UPWARD);
  int overflowLost = 0;
  for (int i = 0; i < 3000; i++)
    overflowLost += !(run(bad, 1) & FE_OVERFLOW);
  printf("overflow after a fault: lost %d of 3000, rounding %s\n", overflowLost,
         fegetround() == FE_UPWARD ? "upward" : "changed");
  // CHECK: inexact after a fault: set (lost 0 of 3000)
  // CHECK: overflow after a fault: lost 0 of 3000, rounding upward
  return 0;
}
