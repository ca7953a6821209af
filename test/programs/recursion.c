// Deep and branchy recursion: many calls and returns (the return-address
// prediction paths of the translator), mutual recursion, a deep stack.
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

#include <stdio.h>

static volatile int input[] = {24, 2, 3, 3, 5, 30000, 18, 20000};

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static long ack(long m, long n) {
  if (m == 0)
    return n + 1;
  if (n == 0)
    return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

static int isOdd(unsigned n);
static int isEven(unsigned n) { return n == 0 ? 1 : isOdd(n - 1); }
static int isOdd(unsigned n) { return n == 0 ? 0 : isEven(n - 1); }

// Recursion the compiler cannot turn into a loop: the frame is live.
static long depth(int n, long acc) {
  volatile long frame[4] = {n, acc, n ^ acc, 0};
  if (n == 0)
    return acc;
  long r = depth(n - 1, acc + frame[0]);
  return r + frame[3];
}

static long hanoi(int n, int from, int to, int via) {
  if (n == 0)
    return 0;
  return hanoi(n - 1, from, via, to) + 1 + hanoi(n - 1, via, to, from);
}

int main(void) {
  printf("fib(%d)=%ld\n", input[0], fib(input[0]));
  printf("ack(%d,%d)=%ld\n", input[1], input[2], ack(input[1], input[2]));
  printf("ack(%d,%d)=%ld\n", input[3], input[4], ack(input[3], input[4]));
  printf("even(%d)=%d odd(%d)=%d\n", input[5], isEven(input[5]), input[5] + 1,
         isOdd(input[5] + 1));
  printf("depth(%d)=%ld\n", input[7], depth(input[7], 0));
  printf("hanoi(%d)=%ld\n", input[6], hanoi(input[6], 1, 3, 2));
  return 0;
}

// CHECK:      fib(24)=46368
// CHECK-NEXT: ack(2,3)=9
// CHECK-NEXT: ack(3,5)=253
// CHECK-NEXT: even(30000)=1 odd(30001)=1
// CHECK-NEXT: depth(20000)=200010000
// CHECK-NEXT: hanoi(18)=262143
