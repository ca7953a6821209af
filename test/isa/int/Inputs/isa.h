// Helpers for the integer ISA tests: run one instruction on given operands
// through inline asm and print "<insn> <operands> = <hex result>", so each
// output line reads like a line of the spec.
#pragma once

#include <stdint.h>
#include <stdio.h>

typedef uint64_t u64;
typedef int64_t i64;

#define I64_MIN ((u64)INT64_MIN)
#define I32_MIN ((u64)(int64_t)INT32_MIN)

// rd = insn rs1, rs2
#define RR(insn, a, b)                                                         \
  ({                                                                           \
    u64 r_;                                                                    \
    __asm__ volatile(insn " %0, %1, %2" : "=r"(r_) : "r"((u64)(a)), "r"((u64)(b))); \
    r_;                                                                        \
  })

// rd = insn rs1, imm
#define RI(insn, a, imm)                                                       \
  ({                                                                           \
    u64 r_;                                                                    \
    __asm__ volatile(insn " %0, %1, %2" : "=r"(r_) : "r"((u64)(a)), "i"(imm)); \
    r_;                                                                        \
  })

static inline void show(const char *what, u64 v) {
  printf("%-36s = %016llx\n", what, (unsigned long long)v);
}

#define T_RR(insn, a, b) show(insn " " #a ", " #b, RR(insn, a, b))
#define T_RI(insn, a, imm) show(insn " " #a ", " #imm, RI(insn, a, imm))
