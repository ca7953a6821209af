// lui (sign-extended 32-bit upper immediate), auipc (PC-relative), and
// jal/jalr: link register values, the cleared low bit of jalr targets, and
// jalr with rd == rs1 (the target is computed from the old value).
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "isa.h"

#define LUI(imm)                                                               \
  ({                                                                           \
    u64 r_;                                                                    \
    __asm__ volatile("lui %0, " #imm : "=r"(r_));                              \
    r_;                                                                        \
  })

int main(void) {
  show("lui 0x00001", LUI(0x1));
  show("lui 0x7ffff", LUI(0x7ffff));
  show("lui 0x80000", LUI(0x80000));
  show("lui 0xfffff", LUI(0xfffff));

  // auipc relative to its own address, compared with lla of the same label.
  u64 a, b;
  __asm__ volatile("1: auipc %0, 0x12345\n\t"
                   "lla %1, 1b"
                   : "=r"(a), "=r"(b));
  show("auipc 0x12345 - pc", a - b);
  __asm__ volatile("1: auipc %0, 0x80000\n\t"
                   "lla %1, 1b"
                   : "=r"(a), "=r"(b));
  show("auipc 0x80000 - pc", a - b);
  __asm__ volatile("1: auipc %0, 0\n\t"
                   "lla %1, 1b"
                   : "=r"(a), "=r"(b));
  show("auipc 0 - pc", a - b);

  // jal: the link register holds the address after the jal.
  __asm__ volatile("jal %0, 1f\n"
                   "2: nop\n"
                   "1: lla %1, 2b"
                   : "=&r"(a), "=&r"(b));
  show("jal link - next pc", a - b);

  // jalr to an odd address: bit 0 of the target is cleared.
  u64 taken;
  __asm__ volatile("lla t0, 1f\n\t"
                   "addi t0, t0, 1\n\t"
                   "li %0, 0\n\t"
                   "jalr t1, 0(t0)\n\t"
                   "j 2f\n"
                   ".p2align 2\n"
                   "1: li %0, 1\n"
                   "2:"
                   : "=&r"(taken)
                   :
                   : "t0", "t1");
  show("jalr odd target taken", taken);

  // jalr with a negative offset and rd == rs1.
  __asm__ volatile("lla t0, 3f\n\t"
                   "addi t0, t0, 16\n\t"
                   "li %0, 0\n\t"
                   "jalr t0, -16(t0)\n\t"
                   "4: j 2f\n"
                   ".p2align 2\n"
                   "3: li %0, 1\n\t"
                   "lla t1, 4b\n\t"
                   "sub %1, t0, t1\n"
                   "2:"
                   : "=&r"(taken), "=&r"(a)
                   :
                   : "t0", "t1");
  show("jalr rd==rs1 taken", taken);
  show("jalr rd==rs1 link - next pc", a);
  return 0;
}

// CHECK:      lui 0x00001                          = 0000000000001000
// CHECK-NEXT: lui 0x7ffff                          = 000000007ffff000
// CHECK-NEXT: lui 0x80000                          = ffffffff80000000
// CHECK-NEXT: lui 0xfffff                          = fffffffffffff000
// CHECK-NEXT: auipc 0x12345 - pc                   = 0000000012345000
// CHECK-NEXT: auipc 0x80000 - pc                   = ffffffff80000000
// CHECK-NEXT: auipc 0 - pc                         = 0000000000000000
// CHECK-NEXT: jal link - next pc                   = 0000000000000000
// CHECK-NEXT: jalr odd target taken                = 0000000000000001
// CHECK-NEXT: jalr rd==rs1 taken                   = 0000000000000001
// CHECK-NEXT: jalr rd==rs1 link - next pc          = 0000000000000000
