// The tiny runtime itself (Inputs/): main's return value is the exit
// status (through the test device: 0x5555 for 0, 0x3333 | n << 16 for n),
// bprintf formats, run_in() reaches S and U mode and comes back, and a trap
// nothing expects is printed by the weak default handler, which fails the
// run with status 1.
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
// RUN: %rv-bare-cc -DUNEXPECTED %s -o %t.bad
// RUN: timeout 20 %xlat-system -bios none -kernel %t.bad -nographic > %t.bad.out; echo "exit $?" >> %t.bad.out
// RUN: timeout 20 %xlat-system --tier=interp -bios none -kernel %t.bad -nographic > %t.bad.out.interp; echo "exit $?" >> %t.bad.out.interp
// RUN: diff %t.bad.out %t.bad.out.interp
// RUN: timeout 60 %xlat-system --tier=block -bios none -kernel %t.bad -nographic > %t.bad.out.block; echo "exit $?" >> %t.bad.out.block
// RUN: diff %t.bad.out %t.bad.out.block
// RUN: timeout 60 %xlat-system --tier=region -bios none -kernel %t.bad -nographic > %t.bad.out.region; echo "exit $?" >> %t.bad.out.region
// RUN: diff %t.bad.out %t.bad.out.region
// RUN: timeout 60 %xlat-system --tier=adaptive --hot-threshold=50 -bios none -kernel %t.bad -nographic > %t.bad.out.adaptive; echo "exit $?" >> %t.bad.out.adaptive
// RUN: diff %t.bad.out %t.bad.out.adaptive
// RUN: timeout 20 %qemu-system -bios none -kernel %t.bad > %t.bad.ref; echo "exit $?" >> %t.bad.ref
// RUN: diff %t.bad.ref %t.bad.out
// RUN: FileCheck --check-prefix=BAD %s < %t.bad.out
//
// CHECK: format: -5 0 abc 0000000000001234 18446744073709551615 x ok %
// CHECK-NEXT: hex 0xdeadbeef dec -42
// CHECK-NEXT: S: 42, U: 42, M again
// CHECK-NEXT: exit 42
//
// BAD: unexpected M trap: cause 2 epc {{[0-9a-f]+}} tval 0
// BAD-NEXT: exit 1
#include "bare.h"

static long inS(long a) { return a + 1; }
static long inU(long a) { return a * 2; }

int main(void) {
#ifdef UNEXPECTED
  __asm__ volatile(".word 0"); // unimp as zero bits: illegal
  return 0;
#else
  bprintf("format: %d %u %x %016lx %lu %c %s %%\n", -5, 0u, 0xabcu, 0x1234ul,
          ~0ul, 'x', "ok");
  puts_("hex ");
  print_hex(0xdeadbeef);
  puts_(" dec ");
  print_dec(-42);
  putc_('\n');
  long s = run_in(PRIV_S, inS, 41), u = run_in(PRIV_U, inU, 21);
  // Back in M: M CSRs do not trap.
  csr_write(mscratch, csr_read(mscratch));
  bprintf("S: %ld, U: %ld, M again\n", s, u);
  return 42;
#endif
}
