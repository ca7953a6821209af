// Shifts by 0, 1, 31, 32, 63 and 64: the register forms use only the low 6
// bits of the amount (5 bits for the W forms), so 64 acts as 0 and, for W,
// 32 acts as 0. Arithmetic shifts copy the sign bit; W results are
// sign-extended from bit 31.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "isa.h"

#define V 0x8000000180000001ull

int main(void) {
  T_RR("sll", V, 0);
  T_RR("sll", V, 1);
  T_RR("sll", V, 31);
  T_RR("sll", V, 32);
  T_RR("sll", V, 63);
  T_RR("sll", V, 64);
  T_RR("sll", V, 0xffffffffffffffc1ull);
  T_RR("srl", V, 0);
  T_RR("srl", V, 1);
  T_RR("srl", V, 31);
  T_RR("srl", V, 63);
  T_RR("srl", V, 64);
  T_RR("sra", V, 0);
  T_RR("sra", V, 1);
  T_RR("sra", V, 31);
  T_RR("sra", V, 63);
  T_RR("sra", V, 65);
  T_RR("sra", 0x7fffffffffffffffull, 63);

  T_RI("slli", V, 0);
  T_RI("slli", V, 31);
  T_RI("slli", V, 63);
  T_RI("srli", V, 31);
  T_RI("srli", V, 63);
  T_RI("srai", V, 31);
  T_RI("srai", V, 63);

  T_RR("sllw", V, 0);
  T_RR("sllw", V, 1);
  T_RR("sllw", V, 31);
  T_RR("sllw", V, 32);
  T_RR("sllw", 0x40000000, 1);
  T_RR("srlw", V, 0);
  T_RR("srlw", V, 31);
  T_RR("srlw", V, 32);
  T_RR("srlw", 0x80000000, 33);
  T_RR("sraw", V, 0);
  T_RR("sraw", V, 31);
  T_RR("sraw", V, 32);
  T_RR("sraw", 0x80000000, 4);
  T_RR("sraw", 0x7ffffff0, 4);
  T_RI("slliw", V, 0);
  T_RI("slliw", V, 31);
  T_RI("slliw", 1, 31);
  T_RI("srliw", V, 0);
  T_RI("srliw", V, 31);
  T_RI("srliw", 0xffffffff, 0);
  T_RI("sraiw", V, 0);
  T_RI("sraiw", V, 31);
  T_RI("sraiw", 0x80000000, 1);
  return 0;
}

// CHECK:      sll V, 0                             = 8000000180000001
// CHECK-NEXT: sll V, 1                             = 0000000300000002
// CHECK-NEXT: sll V, 31                            = c000000080000000
// CHECK-NEXT: sll V, 32                            = 8000000100000000
// CHECK-NEXT: sll V, 63                            = 8000000000000000
// CHECK-NEXT: sll V, 64                            = 8000000180000001
// CHECK-NEXT: sll V, 0xffffffffffffffc1ull         = 0000000300000002
// CHECK-NEXT: srl V, 0                             = 8000000180000001
// CHECK-NEXT: srl V, 1                             = 40000000c0000000
// CHECK-NEXT: srl V, 31                            = 0000000100000003
// CHECK-NEXT: srl V, 63                            = 0000000000000001
// CHECK-NEXT: srl V, 64                            = 8000000180000001
// CHECK-NEXT: sra V, 0                             = 8000000180000001
// CHECK-NEXT: sra V, 1                             = c0000000c0000000
// CHECK-NEXT: sra V, 31                            = ffffffff00000003
// CHECK-NEXT: sra V, 63                            = ffffffffffffffff
// CHECK-NEXT: sra V, 65                            = c0000000c0000000
// CHECK-NEXT: sra 0x7fffffffffffffffull, 63        = 0000000000000000
// CHECK-NEXT: slli V, 0                            = 8000000180000001
// CHECK-NEXT: slli V, 31                           = c000000080000000
// CHECK-NEXT: slli V, 63                           = 8000000000000000
// CHECK-NEXT: srli V, 31                           = 0000000100000003
// CHECK-NEXT: srli V, 63                           = 0000000000000001
// CHECK-NEXT: srai V, 31                           = ffffffff00000003
// CHECK-NEXT: srai V, 63                           = ffffffffffffffff
// CHECK-NEXT: sllw V, 0                            = ffffffff80000001
// CHECK-NEXT: sllw V, 1                            = 0000000000000002
// CHECK-NEXT: sllw V, 31                           = ffffffff80000000
// CHECK-NEXT: sllw V, 32                           = ffffffff80000001
// CHECK-NEXT: sllw 0x40000000, 1                   = ffffffff80000000
// CHECK-NEXT: srlw V, 0                            = ffffffff80000001
// CHECK-NEXT: srlw V, 31                           = 0000000000000001
// CHECK-NEXT: srlw V, 32                           = ffffffff80000001
// CHECK-NEXT: srlw 0x80000000, 33                  = 0000000040000000
// CHECK-NEXT: sraw V, 0                            = ffffffff80000001
// CHECK-NEXT: sraw V, 31                           = ffffffffffffffff
// CHECK-NEXT: sraw V, 32                           = ffffffff80000001
// CHECK-NEXT: sraw 0x80000000, 4                   = fffffffff8000000
// CHECK-NEXT: sraw 0x7ffffff0, 4                   = 0000000007ffffff
// CHECK-NEXT: slliw V, 0                           = ffffffff80000001
// CHECK-NEXT: slliw V, 31                          = ffffffff80000000
// CHECK-NEXT: slliw 1, 31                          = ffffffff80000000
// CHECK-NEXT: srliw V, 0                           = ffffffff80000001
// CHECK-NEXT: srliw V, 31                          = 0000000000000001
// CHECK-NEXT: srliw 0xffffffff, 0                  = ffffffffffffffff
// CHECK-NEXT: sraiw V, 0                           = ffffffff80000001
// CHECK-NEXT: sraiw V, 31                          = ffffffffffffffff
// CHECK-NEXT: sraiw 0x80000000, 1                  = ffffffffc0000000
