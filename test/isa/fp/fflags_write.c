// Writes of fflags while the host has accrued flags of its own: a written
// value is what frflags reads next, whether or not it holds every flag the
// operations before it raised, and flags raised after the write accrue on
// top of it. The save/compare/restore idiom compilers emit for quiet
// comparisons (frflags; flt.d; fsflags) runs in a hot loop, so that it is
// also checked in compiled regions. Compared with qemu-riscv64 in every tier.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers} region; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
#include <stdint.h>
#include <stdio.h>

#define NV 0x10
#define DZ 0x08
#define NX 0x01

static unsigned rd(void) {
  unsigned v;
  __asm__ volatile("frflags %0" : "=r"(v));
  return v;
}
static void wr(unsigned v) { __asm__ volatile("fsflags %0" : : "r"(v)); }

static double opaque(double d) {
  __asm__ volatile("" : "+f"(d));
  return d;
}

// Raises NX (1/3) or DZ (1/0) in the host's flags, then writes v.
static unsigned after(double den, unsigned v) {
  wr(0);
  volatile double q = opaque(1.0) / opaque(den);
  (void)q;
  wr(v);
  return rd();
}

// The quiet-compare idiom, n times: the flags must be those from before
// each compare, NaN or not, plus what the arithmetic raised.
static __attribute__((noinline)) unsigned idiom(int n, double x, unsigned start) {
  wr(start);
  double acc = 0;
  int less = 0;
  for (int i = 0; i < n; i++) {
    unsigned saved;
    int lt;
    __asm__ volatile("frflags %0\n\tflt.d %1, %2, %3\n\tfsflags %0"
                     : "=&r"(saved), "=&r"(lt)
                     : "f"(x), "f"(acc));
    less += lt;
    acc += opaque(0.1);
  }
  printf("less %d acc %a\n", less, acc);
  return rd();
}

int main(void) {
  // CHECK: NX kept: 1
  printf("NX kept: %x\n", after(3.0, NX));
  // CHECK: NX dropped: 8
  printf("NX dropped: %x\n", after(3.0, DZ));
  // CHECK: DZ dropped: 1
  printf("DZ dropped: %x\n", after(0.0, NX));
  // CHECK: DZ kept: 9
  printf("DZ kept: %x\n", after(0.0, DZ | NX));
  // CHECK: cleared: 0
  printf("cleared: %x\n", after(0.0, 0));
  // Accrual after a write: 1/3 after fsflags DZ gives DZ|NX.
  wr(DZ);
  volatile double q = opaque(1.0) / opaque(3.0);
  (void)q;
  // CHECK: accrued: 9
  printf("accrued: %x\n", rd());
  // CHECK: idiom: 1
  printf("idiom: %x\n", idiom(100000, -1.0, 0));
  // A NaN operand: flt.d raises NV, which the restore drops.
  volatile double nan = opaque(0.0) / opaque(0.0);
  // CHECK: idiom nan: 1
  printf("idiom nan: %x\n", idiom(100000, nan, 0));
  // CHECK: idiom nv: 11
  printf("idiom nv: %x\n", idiom(100000, nan, NV));
  return 0;
}
