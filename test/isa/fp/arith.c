// F/D add, sub, mul, div, sqrt: every rounding mode including RMM ties,
// every flag, overflow per rounding mode, underflow with tininess detected
// after rounding, subnormals, NaN canonicalisation and signaling NaNs.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out

#include "fpisa.h"

#define D_EPS2 0x3ca0000000000000ull  // 2^-53: half an ulp of 1.0
#define D_ONEP 0x3ff0000000000001ull  // 1 + 2^-52
#define S_EPS2 BOX(0x33800000)        // 2^-24

#define ALL_RM(M, ...)                                                         \
  M(__VA_ARGS__, RNE); M(__VA_ARGS__, RTZ); M(__VA_ARGS__, RDN);               \
  M(__VA_ARGS__, RUP); M(__VA_ARGS__, RMM)
#define ADD_D(a, b, rm) T_F2("fadd.d", rm, a, b)
#define SUB_D(a, b, rm) T_F2("fsub.d", rm, a, b)
#define MUL_D(a, b, rm) T_F2("fmul.d", rm, a, b)
#define DIV_D(a, b, rm) T_F2("fdiv.d", rm, a, b)
#define ADD_S(a, b, rm) T_F2("fadd.s", rm, a, b)
#define MUL_S(a, b, rm) T_F2("fmul.s", rm, a, b)
#define DIV_S(a, b, rm) T_F2("fdiv.s", rm, a, b)
#define SQRT_D(a, rm) T_F1("fsqrt.d", rm, a)
#define SQRT_S(a, rm) T_F1("fsqrt.s", rm, a)

int main(void) {
  // Ties: 1 + 2^-53 lies halfway between 1 and 1 + 2^-52.
  // CHECK: fadd.d rne 3ff0000000000000 3ca0000000000000 = 3ff0000000000000 NX
  // CHECK: fadd.d rtz 3ff0000000000000 3ca0000000000000 = 3ff0000000000000 NX
  // CHECK: fadd.d rdn 3ff0000000000000 3ca0000000000000 = 3ff0000000000000 NX
  // CHECK: fadd.d rup 3ff0000000000000 3ca0000000000000 = 3ff0000000000001 NX
  // CHECK: fadd.d rmm 3ff0000000000000 3ca0000000000000 = 3ff0000000000001 NX
  ALL_RM(ADD_D, D_ONE, D_EPS2);
  // CHECK: fadd.d rmm bff0000000000000 bca0000000000000 = bff0000000000001 NX
  ALL_RM(ADD_D, D_MONE, D_EPS2 | D_NZERO);
  // An odd neighbour: RNE and RMM agree.
  // CHECK: fadd.d rne 3ff0000000000001 3ca0000000000000 = 3ff0000000000002 NX
  // CHECK: fadd.d rmm 3ff0000000000001 3ca0000000000000 = 3ff0000000000002 NX
  ALL_RM(ADD_D, D_ONEP, D_EPS2);
  ALL_RM(SUB_D, D_ONE, D_EPS2);
  ALL_RM(SUB_D, 0x4340000000000000ull, D_ONE); // 2^53 - 1: exact
  // CHECK: fadd.s rne ffffffff3f800000 ffffffff33800000 = ffffffff3f800000 NX
  // CHECK: fadd.s rmm ffffffff3f800000 ffffffff33800000 = ffffffff3f800001 NX
  ALL_RM(ADD_S, S_ONE, S_EPS2);
  // 3 * (1 + 2^-52) = 3 + 3*2^-52: a product tie.
  ALL_RM(MUL_D, 0x4008000000000000ull, D_ONEP);
  ALL_RM(MUL_S, BOX(0x40400000), BOX(0x3f800001));
  ALL_RM(DIV_D, D_ONE, 0x4008000000000000ull);
  ALL_RM(DIV_S, S_ONE, BOX(0x40400000));

  // Overflow: the rounding mode picks infinity or the largest finite value.
  // CHECK: fadd.d rne 7fefffffffffffff 7fefffffffffffff = 7ff0000000000000 OF NX
  // CHECK: fadd.d rtz 7fefffffffffffff 7fefffffffffffff = 7fefffffffffffff OF NX
  // CHECK: fadd.d rdn 7fefffffffffffff 7fefffffffffffff = 7fefffffffffffff OF NX
  // CHECK: fadd.d rup 7fefffffffffffff 7fefffffffffffff = 7ff0000000000000 OF NX
  // CHECK: fadd.d rmm 7fefffffffffffff 7fefffffffffffff = 7ff0000000000000 OF NX
  ALL_RM(ADD_D, D_MAX, D_MAX);
  // CHECK: fmul.d rdn ffefffffffffffff 4000000000000000 = fff0000000000000 OF NX
  // CHECK: fmul.d rup ffefffffffffffff 4000000000000000 = ffefffffffffffff OF NX
  ALL_RM(MUL_D, D_MAX | D_NZERO, 0x4000000000000000ull);
  ALL_RM(MUL_S, S_MAX, BOX(0x40000000));

  // Underflow. Half the least subnormal is a tie between 0 and it.
  // CHECK: fmul.d rne 0000000000000001 3fe0000000000000 = 0000000000000000 UF NX
  // CHECK: fmul.d rup 0000000000000001 3fe0000000000000 = 0000000000000001 UF NX
  // CHECK: fmul.d rmm 0000000000000001 3fe0000000000000 = 0000000000000001 UF NX
  ALL_RM(MUL_D, D_MINS, 0x3fe0000000000000ull);
  ALL_RM(MUL_S, S_MINS, BOX(0x3f000000));
  ALL_RM(DIV_D, D_MINS, 0xc000000000000000ull);
  // Exact subnormal results raise nothing.
  // CHECK: fmul.d rne 0010000000000000 3fe0000000000000 = 0008000000000000{{$}}
  ALL_RM(MUL_D, D_MINN, 0x3fe0000000000000ull);
  // (1 - 2^-27)(1 + 2^-27) * 2^-1022 = (1 - 2^-54) * 2^-1022: tiny before
  // rounding, but not after (it rounds to the least normal): no UF in RNE.
  // In RTZ it stays below the least normal: UF.
  // CHECK: fmul.d rne 1ffffffffc000000 2000000002000000 = 0010000000000000 NX
  // CHECK: fmul.d rtz 1ffffffffc000000 2000000002000000 = 000fffffffffffff UF NX
  ALL_RM(MUL_D, 0x1ffffffffc000000ull, 0x2000000002000000ull);
  ALL_RM(MUL_S, BOX(0x1ffff800), BOX(0x20000400));
  // Subnormal operands.
  ALL_RM(ADD_D, 0x000fffffffffffffull, D_MINS);
  ALL_RM(DIV_D, 0x0008000000000001ull, 0x4000000000000000ull);
  ALL_RM(DIV_S, BOX(0x00400001), BOX(0x40000000));

  // DZ, NV and NaN results, which are always the canonical NaN.
  // CHECK: fdiv.d rne 3ff0000000000000 0000000000000000 = 7ff0000000000000 DZ
  // CHECK: fdiv.d rne bff0000000000000 0000000000000000 = fff0000000000000 DZ
  // CHECK: fdiv.d rne 0000000000000000 0000000000000000 = 7ff8000000000000 NV
  // CHECK: fdiv.s rne ffffffff00000000 ffffffff00000000 = ffffffff7fc00000 NV
  T_F2("fdiv.d", RNE, D_ONE, D_PZERO);
  T_F2("fdiv.d", RNE, D_MONE, D_PZERO);
  T_F2("fdiv.d", RNE, D_PZERO, D_PZERO);
  T_F2("fdiv.s", RNE, S_PZERO, S_PZERO);
  // CHECK: fsub.d rne 7ff0000000000000 7ff0000000000000 = 7ff8000000000000 NV
  // CHECK: fmul.d rne 7ff0000000000000 0000000000000000 = 7ff8000000000000 NV
  T_F2("fsub.d", RNE, D_PINF, D_PINF);
  T_F2("fmul.d", RNE, D_PINF, D_PZERO);
  T_F2("fdiv.d", RNE, D_PINF, D_NINF);
  // Quiet NaN operands propagate quietly; signaling ones raise NV.
  // CHECK: fadd.d rne fff800000000dead 3ff0000000000000 = 7ff8000000000000{{$}}
  // CHECK: fadd.d rne 7ff4000000000000 3ff0000000000000 = 7ff8000000000000 NV
  // CHECK: fmul.s rne ffffffffffc0beef ffffffff3f800000 = ffffffff7fc00000{{$}}
  // CHECK: fmul.s rne ffffffff7fa00000 ffffffff3f800000 = ffffffff7fc00000 NV
  T_F2("fadd.d", RNE, 0xfff800000000deadull, D_ONE);
  T_F2("fadd.d", RNE, D_SNAN, D_ONE);
  T_F2("fmul.s", RNE, BOX(0xffc0beef), S_ONE);
  T_F2("fmul.s", RNE, S_SNAN, S_ONE);
  T_F2("fsub.d", RNE, D_ONE, D_SNAN | D_NZERO);
  // Signed zeros: x - x is +0 except in RDN.
  // CHECK: fsub.d rne 3ff0000000000000 3ff0000000000000 = 0000000000000000{{$}}
  // CHECK: fsub.d rdn 3ff0000000000000 3ff0000000000000 = 8000000000000000{{$}}
  ALL_RM(SUB_D, D_ONE, D_ONE);
  ALL_RM(ADD_S, S_NZERO, S_NZERO);

  // Square root: no ties exist, RMM equals RNE.
  // CHECK: fsqrt.d rne 4000000000000000 = 3ff6a09e667f3bcd NX
  // CHECK: fsqrt.d rtz 4000000000000000 = 3ff6a09e667f3bcc NX
  // CHECK: fsqrt.d rne bff0000000000000 = 7ff8000000000000 NV
  // CHECK: fsqrt.d rne 8000000000000000 = 8000000000000000{{$}}
  ALL_RM(SQRT_D, 0x4000000000000000ull);
  SQRT_D(D_MONE, RNE);
  SQRT_D(D_NZERO, RNE);
  SQRT_D(D_PINF, RNE);
  SQRT_D(D_SNAN, RNE);
  SQRT_D(D_MINS, RNE);
  ALL_RM(SQRT_S, BOX(0x40000000));
  SQRT_S(S_MONE, RNE);

  // The dynamic mode comes from frm; RMM through frm works too.
  // CHECK: fadd.d dyn 3ff0000000000000 3ca0000000000000 = 3ff0000000000001 NX
  set_frm(4);
  T_F2("fadd.d", DYN, D_ONE, D_EPS2);
  set_frm(3);
  T_F2("fadd.d", DYN, D_ONE, D_EPS2);
  T_F2("fadd.d", RNE, D_ONE, D_EPS2); // a static mode overrides frm
  set_frm(0);
  T_F2("fadd.d", DYN, D_ONE, D_EPS2);
  return 0;
}
