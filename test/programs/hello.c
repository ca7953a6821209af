// The smallest libc program: stdio, a few conversions, exit status 0.
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
//
// Logs go to -D's file and leave the guest's stdout alone.
// RUN: %xlat-run --tier=block -strace -D %t.log %t.O2 | diff %t.O2.ref -
// RUN: %xlat-run --tier=template -strace -D %t.log %t.O2 | diff %t.O2.ref -
// RUN: FileCheck --check-prefix=STRACE %s < %t.log
// RUN: %xlat-run --tier=block -d in_asm -D %t.log %t.O0 | diff %t.O0.ref -
// RUN: %xlat-run --tier=template -d in_asm -D %t.log %t.O0 | diff %t.O0.ref -
// RUN: FileCheck --check-prefix=INASM %s < %t.log
// The same program for AArch64 in its tiers (%{a64-tiers}), against qemu-aarch64:
// RUN: %a64-gcc -O2 %s -o %t.a64
// RUN: %qemu-aarch64 %t.a64 > %t.a64.ref
// RUN: for t in %{a64-tiers}; do %xlat-run $t %t.a64 > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done
// STRACE: write(1,{{.*}}= 10
// STRACE: exit_group(0)
// INASM: IN:

#include <stdio.h>
#include <unistd.h>

int main(void) {
  puts("Hello, world!");
  printf("%d %s %c %x %5.2s|\n", 42, "str", 'c', 0xbeef, "abc");
  printf("%ld %lu %lx\n", -1L, 18446744073709551615UL, 0x123456789abcdefUL);
  fflush(stdout);
  static const char raw[] = "raw write\n";
  write(1, raw, sizeof raw - 1);
  return 0;
}

// CHECK:      Hello, world!
// CHECK-NEXT: 42 str c beef    ab|
// CHECK-NEXT: -1 18446744073709551615 123456789abcdef
// CHECK-NEXT: raw write
