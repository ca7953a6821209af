// setjmp/longjmp: non-local exits through several frames, the value
// 0-becomes-1 rule, volatile locals surviving the jump, and re-entry.
//
// RUN: %rv-cc -O0 %s -o %t.O0
// RUN: %rv-cc -O2 %s -o %t.O2
// RUN: %qemu-riscv64 %t.O0 > %t.O0.ref
// RUN: %qemu-riscv64 %t.O2 > %t.O2.ref
// RUN: %xlat-run --tier=interp %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=block  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=template  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=interp %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=block  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=template  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// The same program for AArch64 in its tiers (%{a64-tiers}), against qemu-aarch64:
// RUN: %a64-gcc -O2 %s -o %t.a64
// RUN: %qemu-aarch64 %t.a64 > %t.a64.ref
// RUN: for t in %{a64-tiers}; do %xlat-run $t %t.a64 > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done

#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static int depthReached;

static void dive(int depth, int target) {
  depthReached = depth;
  if (depth == target)
    longjmp(env, depth * 10);
  if (depth > 100)
    return;
  dive(depth + 1, target);
  printf("not reached\n");
}

static void jumpZero(void) { longjmp(env, 0); }

int main(void) {
  volatile int rounds = 0;
  int r = setjmp(env);
  ++rounds;
  printf("setjmp returned %d (round %d, depth %d)\n", r, rounds, depthReached);
  if (r == 0)
    dive(0, 5);
  else if (r == 50)
    dive(0, 12);
  else if (r == 120)
    jumpZero();
  printf("done after %d rounds\n", rounds);

  // A jmp_buf per level: the inner one is taken, the outer one stays valid.
  jmp_buf outer;
  volatile double acc = 1.5;
  if (setjmp(outer) == 0) {
    jmp_buf inner;
    if (setjmp(inner) == 0) {
      acc *= 2;
      longjmp(inner, 3);
    }
    acc += 1;
    longjmp(outer, 1);
  }
  printf("acc=%g\n", acc);
  return 0;
}

// CHECK:      setjmp returned 0 (round 1, depth 0)
// CHECK-NEXT: setjmp returned 50 (round 2, depth 5)
// CHECK-NEXT: setjmp returned 120 (round 3, depth 12)
// CHECK-NEXT: setjmp returned 1 (round 4, depth 12)
// CHECK-NEXT: done after 4 rounds
// CHECK-NEXT: acc=4
