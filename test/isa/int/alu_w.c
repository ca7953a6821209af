// RV64 "W" operations: they read only the low 32 bits of their sources and
// sign-extend bit 31 of the result into bits 63..32. Garbage in the upper
// halves of the sources must not leak into the result.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "isa.h"

int main(void) {
  T_RR("addw", 0x7fffffff, 1);
  T_RR("addw", 0xffffffff, 1);
  T_RR("addw", 0xdeadbeef00000001ull, 0x12345678ffffffffull);
  T_RR("addw", 0x40000000, 0x40000000);
  T_RR("subw", 0, 1);
  T_RR("subw", 0x80000000, 1);
  T_RR("subw", 0xffffffff00000000ull, 0x0000000100000000ull);
  T_RI("addiw", 0x7fffffff, 1);
  T_RI("addiw", 0x17fffffffull, 0);
  T_RI("addiw", 0, -2048);
  T_RI("addiw", 0x80000000, 2047);
  T_RI("addiw", 0xffffffff80000000ull, -1);
  // sext.w is addiw rd, rs, 0.
  T_RI("addiw", 0x00000000fffffffeull, 0);
  T_RR("sllw", 0xdead00000001ull, 31);
  T_RR("srlw", 0xffffffff80000000ull, 0);
  T_RR("srlw", 0x1234567880000000ull, 1);
  T_RR("sraw", 0x0000000080000000ull, 1);
  T_RR("sraw", 0xffffffff7fffffffull, 1);

  // Full-width operations for contrast: no truncation.
  T_RR("add", 0x7fffffff, 1);
  T_RR("add", -1, 1);
  T_RR("sub", 0, 1);
  T_RI("addi", 0x7fffffffffffffffull, 1);
  T_RI("addi", 5, -2048);
  T_RR("and", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull);
  T_RR("or", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull);
  T_RR("xor", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull);
  T_RI("andi", -1, -2048);
  T_RI("ori", 0, -1);
  T_RI("xori", 0x5555, -1);
  T_RI("andi", 0xffffffffffffffffull, 2047);
  return 0;
}

// CHECK:      addw 0x7fffffff, 1                   = ffffffff80000000
// CHECK-NEXT: addw 0xffffffff, 1                   = 0000000000000000
// CHECK-NEXT: addw 0xdeadbeef00000001ull, 0x12345678ffffffffull = 0000000000000000
// CHECK-NEXT: addw 0x40000000, 0x40000000          = ffffffff80000000
// CHECK-NEXT: subw 0, 1                            = ffffffffffffffff
// CHECK-NEXT: subw 0x80000000, 1                   = 000000007fffffff
// CHECK-NEXT: subw 0xffffffff00000000ull, 0x0000000100000000ull = 0000000000000000
// CHECK-NEXT: addiw 0x7fffffff, 1                  = ffffffff80000000
// CHECK-NEXT: addiw 0x17fffffffull, 0              = 000000007fffffff
// CHECK-NEXT: addiw 0, -2048                       = fffffffffffff800
// CHECK-NEXT: addiw 0x80000000, 2047               = ffffffff800007ff
// CHECK-NEXT: addiw 0xffffffff80000000ull, -1      = 000000007fffffff
// CHECK-NEXT: addiw 0x00000000fffffffeull, 0       = fffffffffffffffe
// CHECK-NEXT: sllw 0xdead00000001ull, 31           = ffffffff80000000
// CHECK-NEXT: srlw 0xffffffff80000000ull, 0        = ffffffff80000000
// CHECK-NEXT: srlw 0x1234567880000000ull, 1        = 0000000040000000
// CHECK-NEXT: sraw 0x0000000080000000ull, 1        = ffffffffc0000000
// CHECK-NEXT: sraw 0xffffffff7fffffffull, 1        = 000000003fffffff
// CHECK-NEXT: add 0x7fffffff, 1                    = 0000000080000000
// CHECK-NEXT: add -1, 1                            = 0000000000000000
// CHECK-NEXT: sub 0, 1                             = ffffffffffffffff
// CHECK-NEXT: addi 0x7fffffffffffffffull, 1        = 8000000000000000
// CHECK-NEXT: addi 5, -2048                        = fffffffffffff805
// CHECK-NEXT: and 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull = 0f000f000f000f00
// CHECK-NEXT: or 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull = fff0fff0fff0fff0
// CHECK-NEXT: xor 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull = f0f0f0f0f0f0f0f0
// CHECK-NEXT: andi -1, -2048                       = fffffffffffff800
// CHECK-NEXT: ori 0, -1                            = ffffffffffffffff
// CHECK-NEXT: xori 0x5555, -1                      = ffffffffffffaaaa
// CHECK-NEXT: andi 0xffffffffffffffffull, 2047     = 00000000000007ff
