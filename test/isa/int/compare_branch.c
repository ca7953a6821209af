// Signed and unsigned comparisons: slt/sltu/slti/sltiu and all six
// branches, each taken and not taken, on the values where signed and
// unsigned order disagree (0, 1, -1, INT64_MIN, INT64_MAX).
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "isa.h"

// 1 if the branch is taken.
#define BR(insn, a, b)                                                         \
  ({                                                                           \
    u64 t_;                                                                    \
    __asm__ volatile(insn " %1, %2, 1f\n\t"                                    \
                     "li %0, 0\n\t"                                            \
                     "j 2f\n"                                                  \
                     "1: li %0, 1\n"                                           \
                     "2:"                                                      \
                     : "=&r"(t_)                                               \
                     : "r"((u64)(a)), "r"((u64)(b)));                          \
    t_;                                                                        \
  })

static const u64 vals[] = {0, 1, (u64)-1, I64_MIN, 0x7fffffffffffffffull};
static const char *names[] = {"0", "1", "-1", "MIN", "MAX"};

int main(void) {
  printf("a    b    : slt sltu beq bne blt bge bltu bgeu\n");
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j) {
      u64 a = vals[i], b = vals[j];
      printf("%-4s %-4s : %llu   %llu    %llu   %llu   %llu   %llu   %llu    %llu\n",
             names[i], names[j], (unsigned long long)RR("slt", a, b),
             (unsigned long long)RR("sltu", a, b),
             (unsigned long long)BR("beq", a, b),
             (unsigned long long)BR("bne", a, b),
             (unsigned long long)BR("blt", a, b),
             (unsigned long long)BR("bge", a, b),
             (unsigned long long)BR("bltu", a, b),
             (unsigned long long)BR("bgeu", a, b));
    }
  T_RI("slti", -1, 0);
  T_RI("slti", 0, -1);
  T_RI("slti", -2048, -2047);
  T_RI("slti", I64_MIN, -2048);
  // sltiu sign-extends the immediate, then compares unsigned.
  T_RI("sltiu", -2, -1);
  T_RI("sltiu", -1, -1);
  T_RI("sltiu", 0, 1);
  T_RI("sltiu", 1, 1);
  T_RI("sltiu", 2047, -2048);
  // snez is sltu rd, x0, rs.
  T_RR("sltu", 0, 5);
  return 0;
}

// CHECK:      a    b    : slt sltu beq bne blt bge bltu bgeu
// CHECK-NEXT: 0    0    : 0   0    1   0   0   1   0    1
// CHECK-NEXT: 0    1    : 1   1    0   1   1   0   1    0
// CHECK-NEXT: 0    -1   : 0   1    0   1   0   1   1    0
// CHECK-NEXT: 0    MIN  : 0   1    0   1   0   1   1    0
// CHECK-NEXT: 0    MAX  : 1   1    0   1   1   0   1    0
// CHECK-NEXT: 1    0    : 0   0    0   1   0   1   0    1
// CHECK-NEXT: 1    1    : 0   0    1   0   0   1   0    1
// CHECK-NEXT: 1    -1   : 0   1    0   1   0   1   1    0
// CHECK-NEXT: 1    MIN  : 0   1    0   1   0   1   1    0
// CHECK-NEXT: 1    MAX  : 1   1    0   1   1   0   1    0
// CHECK-NEXT: -1   0    : 1   0    0   1   1   0   0    1
// CHECK-NEXT: -1   1    : 1   0    0   1   1   0   0    1
// CHECK-NEXT: -1   -1   : 0   0    1   0   0   1   0    1
// CHECK-NEXT: -1   MIN  : 0   0    0   1   0   1   0    1
// CHECK-NEXT: -1   MAX  : 1   0    0   1   1   0   0    1
// CHECK-NEXT: MIN  0    : 1   0    0   1   1   0   0    1
// CHECK-NEXT: MIN  1    : 1   0    0   1   1   0   0    1
// CHECK-NEXT: MIN  -1   : 1   1    0   1   1   0   1    0
// CHECK-NEXT: MIN  MIN  : 0   0    1   0   0   1   0    1
// CHECK-NEXT: MIN  MAX  : 1   0    0   1   1   0   0    1
// CHECK-NEXT: MAX  0    : 0   0    0   1   0   1   0    1
// CHECK-NEXT: MAX  1    : 0   0    0   1   0   1   0    1
// CHECK-NEXT: MAX  -1   : 0   1    0   1   0   1   1    0
// CHECK-NEXT: MAX  MIN  : 0   1    0   1   0   1   1    0
// CHECK-NEXT: MAX  MAX  : 0   0    1   0   0   1   0    1
// CHECK-NEXT: slti -1, 0                           = 0000000000000001
// CHECK-NEXT: slti 0, -1                           = 0000000000000000
// CHECK-NEXT: slti -2048, -2047                    = 0000000000000001
// CHECK-NEXT: slti I64_MIN, -2048                  = 0000000000000001
// CHECK-NEXT: sltiu -2, -1                         = 0000000000000001
// CHECK-NEXT: sltiu -1, -1                         = 0000000000000000
// CHECK-NEXT: sltiu 0, 1                           = 0000000000000001
// CHECK-NEXT: sltiu 1, 1                           = 0000000000000000
// CHECK-NEXT: sltiu 2047, -2048                    = 0000000000000001
// CHECK-NEXT: sltu 0, 5                            = 0000000000000001
