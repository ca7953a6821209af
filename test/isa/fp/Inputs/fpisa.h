// Helpers for the F/D ISA tests: run one instruction with an explicit
// rounding mode on raw operand bits (moved in with fmv.d.x, so NaN-boxing is
// under the test's control), clearing fflags before and reading them after,
// and print "<insn> <rm> <operands> = <result> <flags>".
#pragma once

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

typedef uint64_t u64;

// Rounding-mode operands, with the comma the assembler needs.
#define RNE ",rne"
#define RTZ ",rtz"
#define RDN ",rdn"
#define RUP ",rup"
#define RMM ",rmm"
#define DYN ",dyn"
#define NORM ""

#define BOX(x) (0xffffffff00000000ull | (uint32_t)(x))

// Doubles.
#define D_ONE 0x3ff0000000000000ull
#define D_MONE 0xbff0000000000000ull
#define D_PZERO 0x0000000000000000ull
#define D_NZERO 0x8000000000000000ull
#define D_PINF 0x7ff0000000000000ull
#define D_NINF 0xfff0000000000000ull
#define D_QNAN 0x7ff8000000000000ull
#define D_SNAN 0x7ff4000000000000ull
#define D_MAX 0x7fefffffffffffffull
#define D_MINN 0x0010000000000000ull // least normal
#define D_MINS 0x0000000000000001ull // least subnormal
// Singles, NaN-boxed.
#define S_ONE BOX(0x3f800000)
#define S_MONE BOX(0xbf800000)
#define S_PZERO BOX(0)
#define S_NZERO BOX(0x80000000)
#define S_PINF BOX(0x7f800000)
#define S_NINF BOX(0xff800000)
#define S_QNAN BOX(0x7fc00000)
#define S_SNAN BOX(0x7fa00000)
#define S_MAX BOX(0x7f7fffff)
#define S_MINN BOX(0x00800000)
#define S_MINS BOX(0x00000001)

static void show(const char *insn, const char *rm, int n, u64 a, u64 b, u64 c,
                 u64 r, u64 fl) {
  printf("%s", insn);
  if (rm[0])
    printf(" %s", rm + 1);
  u64 in[3] = {a, b, c};
  for (int k = 0; k < n; ++k)
    printf(" %016llx", (unsigned long long)in[k]);
  printf(" = %016llx%s%s%s%s%s\n", (unsigned long long)r, fl & 16 ? " NV" : "",
         fl & 8 ? " DZ" : "", fl & 4 ? " OF" : "", fl & 2 ? " UF" : "",
         fl & 1 ? " NX" : "");
}

#define FP_ASM(body, n, a, b, c)                                               \
  __asm__ volatile("fmv.d.x ft1, %2\n\tfmv.d.x ft2, %3\n\tfmv.d.x ft3, %4\n\t" \
                   "fsflags x0\n\t" body "\n\tfrflags %1\n\tfmv.x.d %0, ft0"   \
                   : "=&r"(r_), "=&r"(f_)                                      \
                   : "r"(a), "r"(b), "r"(c)                                    \
                   : "ft0", "ft1", "ft2", "ft3")

// f[rd] = insn f[rs1] (, f[rs2] (, f[rs3]))
#define T_F1(insn, rm, a) T_F_(insn " ft0, ft1" rm, insn, rm, 1, a, 0, 0)
#define T_F2(insn, rm, a, b) T_F_(insn " ft0, ft1, ft2" rm, insn, rm, 2, a, b, 0)
#define T_F3(insn, rm, a, b, c)                                                \
  T_F_(insn " ft0, ft1, ft2, ft3" rm, insn, rm, 3, a, b, c)
#define T_F_(body, insn, rm, n, a, b, c)                                       \
  do {                                                                         \
    u64 a_ = (a), b_ = (b), c_ = (c), r_, f_;                                  \
    FP_ASM(body, n, a_, b_, c_);                                               \
    show(insn, rm, n, a_, b_, c_, r_, f_);                                     \
  } while (0)

// x[rd] = insn f[rs1] (, f[rs2])
#define T_X1(insn, rm, a) T_X_(insn " %0, ft1" rm, insn, rm, 1, a, 0)
#define T_X2(insn, rm, a, b) T_X_(insn " %0, ft1, ft2" rm, insn, rm, 2, a, b)
#define T_X_(body, insn, rm, n, a, b)                                          \
  do {                                                                         \
    u64 a_ = (a), b_ = (b), r_, f_;                                            \
    __asm__ volatile("fmv.d.x ft1, %2\n\tfmv.d.x ft2, %3\n\tfsflags x0\n\t"    \
                     body "\n\tfrflags %1"                                     \
                     : "=&r"(r_), "=&r"(f_)                                    \
                     : "r"(a_), "r"(b_)                                        \
                     : "ft1", "ft2");                                          \
    show(insn, rm, n, a_, b_, 0, r_, f_);                                      \
  } while (0)

// f[rd] = insn x[rs1]
#define T_FX(insn, rm, a) T_FX_(insn " ft0, %2" rm, insn, rm, a)
#define T_FX_(body, insn, rm, a)                                               \
  do {                                                                         \
    u64 a_ = (a), r_, f_;                                                      \
    __asm__ volatile("fsflags x0\n\t" body "\n\tfrflags %1\n\t"              \
                     "fmv.x.d %0, ft0"                                         \
                     : "=&r"(r_), "=&r"(f_)                                    \
                     : "r"(a_)                                                 \
                     : "ft0");                                                 \
    show(insn, rm, 1, a_, 0, 0, r_, f_);                                       \
  } while (0)

static inline void set_frm(u64 v) { __asm__ volatile("fsrm %0" : : "r"(v)); }

// Runs stmt, printing "<label>: SIGILL" if it raises SIGILL.
static sigjmp_buf ill_jmp_;
__attribute__((unused)) static void on_sigill_(int sig) { (void)sig; siglongjmp(ill_jmp_, 1); }
#define T_ILL(label, stmt)                                                     \
  do {                                                                         \
    signal(SIGILL, on_sigill_);                                                \
    if (sigsetjmp(ill_jmp_, 1) == 0) {                                         \
      stmt;                                                                    \
    } else {                                                                   \
      printf("%s: SIGILL\n", label);                                           \
    }                                                                          \
  } while (0)
