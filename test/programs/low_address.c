// A program linked at 0x1000, below vm.mmap_min_addr (as some Zig builds
// are): the kernel maps it for a process with CAP_SYS_RAWIO, and so does
// xlat, by the host kernel's own rule.
// REQUIRES: cap-sys-rawio
// RUN: %rv-cc -O1 -Wl,-Ttext-segment=0x1000 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
// CHECK: main at 0x1{{[0-9a-f]{3}$}}
#include <stdio.h>

int main(void) {
  printf("main at %p\n", (void *)main);
  return 0;
}
