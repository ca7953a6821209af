// Code that translated code ran, rewritten: a function in RAM is called
// often enough to be translated (and reached through jalr, the IBTC),
// then rewritten in place and fenced: the new code runs, in M mode and,
// through their own translations, in S and U mode, which must see a
// rewrite fenced in M too; a function on the same page that did not
// change gives the same results throughout. Output as qemu's, and the
// interpreter's.
//
// REQUIRES: qemu-system
// RUN: %rv-bare-cc %s -o %t
// RUN: timeout 20 %xlat-system -bios none -kernel %t -nographic > %t.out; echo "exit $?" >> %t.out
// RUN: timeout 20 %xlat-system --tier=interp -bios none -kernel %t -nographic > %t.out.interp; echo "exit $?" >> %t.out.interp
// RUN: diff %t.out %t.out.interp
// RUN: timeout 60 %xlat-system --tier=block -bios none -kernel %t -nographic > %t.out.block; echo "exit $?" >> %t.out.block
// RUN: diff %t.out %t.out.block
// RUN: timeout 60 %xlat-system --tier=region -bios none -kernel %t -nographic > %t.out.region; echo "exit $?" >> %t.out.region
// RUN: diff %t.out %t.out.region
// RUN: timeout 60 %xlat-system --tier=adaptive --hot-threshold=50 -bios none -kernel %t -nographic > %t.out.adaptive; echo "exit $?" >> %t.out.adaptive
// RUN: diff %t.out %t.out.adaptive
// RUN: timeout 20 %qemu-system -bios none -kernel %t > %t.ref; echo "exit $?" >> %t.ref
// RUN: diff %t.ref %t.out
// RUN: FileCheck %s < %t.out
//
// CHECK: add 1: sum 501500, g 3000
// CHECK-NEXT: add 2: sum 502500, g 3000
// CHECK-NEXT: S 7 U 7
// CHECK-NEXT: add 3 fenced in M: S 8 U 8, M sum 503500, g 3000
// CHECK-NEXT: exit 0
#include "bare.h"

typedef long (*fn_t)(long);

static uint32_t code[32] __attribute__((aligned(128)));

static uint32_t addi_a0(int imm) { return 0x00050513u | (uint32_t)(imm & 0xfff) << 20; }
static const uint32_t kRet = 0x00008067u;
static const uint32_t kSlli1 = 0x00151513u; // slli a0, a0, 1

static void set_add(int k) {
  code[0] = addi_a0(k);
  code[1] = kRet;
  __asm__ volatile("fence.i" ::: "memory");
}

static long sum(fn_t f, long n) {
  long s = 0;
  for (long i = 1; i <= n; i++)
    s += f(i);
  return s;
}

int main(void) {
  fn_t f = (fn_t)(uintptr_t)&code[0], g = (fn_t)(uintptr_t)&code[16];
  code[16] = kSlli1; // g(a) = 2a
  code[17] = kRet;
  set_add(1);
  bprintf("add 1: sum %ld, g %ld\n", sum(f, 1000), g(1500));
  set_add(2);
  bprintf("add 2: sum %ld, g %ld\n", sum(f, 1000), g(1500));
  long s = 0, u = 0;
  for (int i = 0; i < 100; i++) {
    s = run_in(PRIV_S, f, 5);
    u = run_in(PRIV_U, f, 5);
  }
  bprintf("S %ld U %ld\n", s, u);
  set_add(3);
  s = run_in(PRIV_S, f, 5);
  u = run_in(PRIV_U, f, 5);
  bprintf("add 3 fenced in M: S %ld U %ld, M sum %ld, g %ld\n", s, u, sum(f, 1000),
          g(1500));
  return 0;
}
