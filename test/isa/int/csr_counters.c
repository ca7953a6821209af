// User-level counters: rdcycle, rdtime and rdinstret (csrrs rd, CSR, x0)
// read without trapping and never go backwards; instret and cycle advance
// across a loop. The values themselves differ between runners, so only
// their properties are printed.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "isa.h"

#define CSR(name)                                                              \
  ({                                                                           \
    u64 r_;                                                                    \
    __asm__ volatile("csrr %0, " #name : "=r"(r_));                            \
    r_;                                                                        \
  })

static volatile u64 sink;

int main(void) {
  u64 c0 = CSR(cycle), t0 = CSR(time), i0 = CSR(instret);
  int monotonic = 1;
  u64 prevC = c0, prevT = t0, prevI = i0;
  for (int i = 0; i < 2000; ++i) {
    sink += i;
    u64 c = CSR(cycle), t = CSR(time), n = CSR(instret);
    monotonic &= c >= prevC && t >= prevT && n >= prevI;
    prevC = c, prevT = t, prevI = n;
  }
  u64 c1 = CSR(cycle), t1 = CSR(time), i1 = CSR(instret);
  printf("monotonic=%d\n", monotonic);
  printf("cycle advanced=%d\n", c1 > c0);
  printf("instret advanced=%d\n", i1 > i0);
  printf("time advanced or equal=%d\n", t1 >= t0);
  // The pseudo-instructions are the same CSR reads.
  u64 a, b, c;
  __asm__ volatile("rdcycle %0\n\trdtime %1\n\trdinstret %2"
                   : "=r"(a), "=r"(b), "=r"(c));
  printf("pseudo forms not behind=%d\n", a >= c1 && b >= t1 && c >= i1);
  // csrrs with rs1 = x0 does not write: reading twice works.
  u64 before = CSR(instret);
  u64 after;
  __asm__ volatile("csrrs %0, instret, zero" : "=r"(after));
  printf("csrrs x0 read=%d\n", after >= before);
  return 0;
}

// CHECK:      monotonic=1
// CHECK-NEXT: cycle advanced=1
// CHECK-NEXT: instret advanced=1
// CHECK-NEXT: time advanced or equal=1
// CHECK-NEXT: pseudo forms not behind=1
// CHECK-NEXT: csrrs x0 read=1
