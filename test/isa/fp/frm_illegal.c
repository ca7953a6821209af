// An FP instruction with the dynamic rounding mode is illegal while frm holds
// a reserved value: with no handler the guest dies of SIGILL (status 132),
// after the output before it was written, and the instruction that trapped
// is named under -d unimp.
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected; test $? -eq 132
// RUN: for t in %{tiers}; do %xlat-run --tier=$t -d unimp %t > %t.out 2> %t.err; test $? -eq 132 || exit 1; diff %t.expected %t.out || exit 1; FileCheck --check-prefix=UNIMP %s < %t.err || exit 1; done
// RUN: FileCheck %s < %t.out
#include <stdio.h>

int main(void) {
  double a = 1.0, b = 2.0, r;
  asm volatile("fsrm %0" : : "r"(3));
  asm volatile("fadd.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));
  printf("frm=3 ok: %g\n", r);
  // CHECK: frm=3 ok: 3
  fflush(stdout);
  asm volatile("fsrm %0" : : "r"(5));
  asm volatile("fadd.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));
  printf("not reached %g\n", r);
  // CHECK-NOT: not reached
  return 0;
}
// UNIMP: illegal or unimplemented instruction 0x{{[0-9a-f]+}} ({{fadd.d[^)]*}}) at 0x{{[0-9a-f]+}}
