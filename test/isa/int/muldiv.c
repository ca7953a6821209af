// M extension: the multiply high halves, and division's special cases,
// which RISC-V defines instead of trapping: x/0 = all ones, x%0 = x,
// INT_MIN/-1 = INT_MIN, INT_MIN%-1 = 0. The W forms take the low 32 bits of
// their operands and sign-extend the 32-bit result.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "isa.h"

int main(void) {
  T_RR("mul", 0x123456789abcdefull, 0xfedcba9876543210ull);
  T_RR("mul", -3, 7);
  T_RR("mulh", -1, -1);
  T_RR("mulh", I64_MIN, I64_MIN);
  T_RR("mulh", I64_MIN, -1);
  T_RR("mulh", 0x7fffffffffffffffull, 2);
  T_RR("mulhu", -1, -1);
  T_RR("mulhu", I64_MIN, 2);
  T_RR("mulhsu", -1, -1);
  T_RR("mulhsu", -2, 0x8000000000000000ull);
  T_RR("mulhsu", 3, -1);
  T_RR("mulw", 0x7fffffff, 2);
  T_RR("mulw", 0x123456789ull, 0x100000001ull);
  T_RR("mulw", -1, -1);

  T_RR("div", 7, 2);
  T_RR("div", -7, 2);
  T_RR("div", 7, -2);
  T_RR("div", 7, 0);
  T_RR("div", 0, 0);
  T_RR("div", I64_MIN, -1);
  T_RR("div", I64_MIN, 1);
  T_RR("divu", 7, 0);
  T_RR("divu", -1, 2);
  T_RR("divu", I64_MIN, -1);
  T_RR("rem", -7, 2);
  T_RR("rem", 7, -2);
  T_RR("rem", 7, 0);
  T_RR("rem", -7, 0);
  T_RR("rem", I64_MIN, -1);
  T_RR("remu", -7, 0);
  T_RR("remu", -1, 10);

  T_RR("divw", -7, 2);
  T_RR("divw", 7, 0);
  T_RR("divw", I32_MIN, -1);
  T_RR("divw", 0x80000000, 0xffffffff);
  T_RR("divw", 0x1ffffff00ull, 0x100000002ull);
  T_RR("divuw", 7, 0);
  T_RR("divuw", 0xffffffff, 2);
  T_RR("divuw", 0x80000000, 1);
  T_RR("divuw", 0xfffffffe00000007ull, 0x2);
  T_RR("remw", -7, 2);
  T_RR("remw", 7, 0);
  T_RR("remw", 0x80000007, 0);
  T_RR("remw", I32_MIN, -1);
  T_RR("remuw", 7, 0);
  T_RR("remuw", 0x80000007, 0);
  T_RR("remuw", 0xffffffff, 10);
  return 0;
}

// CHECK:      mul 0x123456789abcdefull, 0xfedcba9876543210ull = 2236d88fe5618cf0
// CHECK-NEXT: mul -3, 7                            = ffffffffffffffeb
// CHECK-NEXT: mulh -1, -1                          = 0000000000000000
// CHECK-NEXT: mulh I64_MIN, I64_MIN                = 4000000000000000
// CHECK-NEXT: mulh I64_MIN, -1                     = 0000000000000000
// CHECK-NEXT: mulh 0x7fffffffffffffffull, 2        = 0000000000000000
// CHECK-NEXT: mulhu -1, -1                         = fffffffffffffffe
// CHECK-NEXT: mulhu I64_MIN, 2                     = 0000000000000001
// CHECK-NEXT: mulhsu -1, -1                        = ffffffffffffffff
// CHECK-NEXT: mulhsu -2, 0x8000000000000000ull     = ffffffffffffffff
// CHECK-NEXT: mulhsu 3, -1                         = 0000000000000002
// CHECK-NEXT: mulw 0x7fffffff, 2                   = fffffffffffffffe
// CHECK-NEXT: mulw 0x123456789ull, 0x100000001ull  = 0000000023456789
// CHECK-NEXT: mulw -1, -1                          = 0000000000000001
// CHECK-NEXT: div 7, 2                             = 0000000000000003
// CHECK-NEXT: div -7, 2                            = fffffffffffffffd
// CHECK-NEXT: div 7, -2                            = fffffffffffffffd
// CHECK-NEXT: div 7, 0                             = ffffffffffffffff
// CHECK-NEXT: div 0, 0                             = ffffffffffffffff
// CHECK-NEXT: div I64_MIN, -1                      = 8000000000000000
// CHECK-NEXT: div I64_MIN, 1                       = 8000000000000000
// CHECK-NEXT: divu 7, 0                            = ffffffffffffffff
// CHECK-NEXT: divu -1, 2                           = 7fffffffffffffff
// CHECK-NEXT: divu I64_MIN, -1                     = 0000000000000000
// CHECK-NEXT: rem -7, 2                            = ffffffffffffffff
// CHECK-NEXT: rem 7, -2                            = 0000000000000001
// CHECK-NEXT: rem 7, 0                             = 0000000000000007
// CHECK-NEXT: rem -7, 0                            = fffffffffffffff9
// CHECK-NEXT: rem I64_MIN, -1                      = 0000000000000000
// CHECK-NEXT: remu -7, 0                           = fffffffffffffff9
// CHECK-NEXT: remu -1, 10                          = 0000000000000005
// CHECK-NEXT: divw -7, 2                           = fffffffffffffffd
// CHECK-NEXT: divw 7, 0                            = ffffffffffffffff
// CHECK-NEXT: divw I32_MIN, -1                     = ffffffff80000000
// CHECK-NEXT: divw 0x80000000, 0xffffffff          = ffffffff80000000
// CHECK-NEXT: divw 0x1ffffff00ull, 0x100000002ull  = ffffffffffffff80
// CHECK-NEXT: divuw 7, 0                           = ffffffffffffffff
// CHECK-NEXT: divuw 0xffffffff, 2                  = 000000007fffffff
// CHECK-NEXT: divuw 0x80000000, 1                  = ffffffff80000000
// CHECK-NEXT: divuw 0xfffffffe00000007ull, 0x2     = 0000000000000003
// CHECK-NEXT: remw -7, 2                           = ffffffffffffffff
// CHECK-NEXT: remw 7, 0                            = 0000000000000007
// CHECK-NEXT: remw 0x80000007, 0                   = ffffffff80000007
// CHECK-NEXT: remw I32_MIN, -1                     = 0000000000000000
// CHECK-NEXT: remuw 7, 0                           = 0000000000000007
// CHECK-NEXT: remuw 0x80000007, 0                  = ffffffff80000007
// CHECK-NEXT: remuw 0xffffffff, 10                 = 0000000000000005
