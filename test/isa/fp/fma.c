// Fused multiply-add: one rounding, the four sign variants, signed zeros,
// RMM ties, overflow/underflow, and the invalid cases: inf * 0 raises NV even
// with a quiet NaN addend, and NaN results are canonical.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out

#include "fpisa.h"

#define ALL_RM(M, ...)                                                         \
  M(__VA_ARGS__, RNE); M(__VA_ARGS__, RTZ); M(__VA_ARGS__, RDN);               \
  M(__VA_ARGS__, RUP); M(__VA_ARGS__, RMM)
#define FOUR_D(a, b, c, rm)                                                    \
  T_F3("fmadd.d", rm, a, b, c); T_F3("fmsub.d", rm, a, b, c);                  \
  T_F3("fnmsub.d", rm, a, b, c); T_F3("fnmadd.d", rm, a, b, c)
#define FOUR_S(a, b, c, rm)                                                    \
  T_F3("fmadd.s", rm, a, b, c); T_F3("fmsub.s", rm, a, b, c);                  \
  T_F3("fnmsub.s", rm, a, b, c); T_F3("fnmadd.s", rm, a, b, c)

int main(void) {
  // Single rounding: (1 + 2^-52)^2 - 1 = 2^-51 + 2^-104, which is a tie
  // (2^-104 is half an ulp of 2^-51); two roundings would lose it entirely.
  // CHECK: fmadd.d rne 3ff0000000000001 3ff0000000000001 bff0000000000000 = 3cc0000000000000 NX
  // CHECK: fmadd.d rmm 3ff0000000000001 3ff0000000000001 bff0000000000000 = 3cc0000000000001 NX
  ALL_RM(FOUR_D, 0x3ff0000000000001ull, 0x3ff0000000000001ull, D_MONE);
  ALL_RM(FOUR_S, BOX(0x3f800001), BOX(0x3f800001), S_MONE);
  // 1 * 1 + 2^-53 is a tie: RMM goes away from zero.
  // CHECK: fmadd.d rne 3ff0000000000000 3ff0000000000000 3ca0000000000000 = 3ff0000000000000 NX
  // CHECK: fmsub.d rne 3ff0000000000000 3ff0000000000000 3ca0000000000000 = 3fefffffffffffff{{$}}
  // CHECK: fnmsub.d rne 3ff0000000000000 3ff0000000000000 3ca0000000000000 = bfefffffffffffff{{$}}
  // CHECK: fnmadd.d rne 3ff0000000000000 3ff0000000000000 3ca0000000000000 = bff0000000000000 NX
  // CHECK: fmadd.d rmm 3ff0000000000000 3ff0000000000000 3ca0000000000000 = 3ff0000000000001 NX
  // CHECK: fnmadd.d rmm 3ff0000000000000 3ff0000000000000 3ca0000000000000 = bff0000000000001 NX
  ALL_RM(FOUR_D, D_ONE, D_ONE, 0x3ca0000000000000ull);
  ALL_RM(FOUR_S, S_ONE, S_ONE, BOX(0x33800000));
  // Tie formed by the product: 3 * (1 + 2^-52) + 0.
  ALL_RM(FOUR_D, 0x4008000000000000ull, 0x3ff0000000000001ull, D_PZERO);
  // Signed zeros: the sign of an exact zero sum depends on the mode.
  // CHECK: fmadd.d rne 3ff0000000000000 0000000000000000 8000000000000000 = 0000000000000000{{$}}
  // CHECK: fmsub.d rne 3ff0000000000000 0000000000000000 8000000000000000 = 0000000000000000{{$}}
  // CHECK: fnmsub.d rne 3ff0000000000000 0000000000000000 8000000000000000 = 8000000000000000{{$}}
  // CHECK: fnmadd.d rne 3ff0000000000000 0000000000000000 8000000000000000 = 0000000000000000{{$}}
  // CHECK: fmadd.d rdn 3ff0000000000000 0000000000000000 8000000000000000 = 8000000000000000{{$}}
  ALL_RM(FOUR_D, D_ONE, D_PZERO, D_NZERO);
  ALL_RM(FOUR_S, S_MONE, S_PZERO, S_PZERO);
  // Overflow and underflow.
  ALL_RM(FOUR_D, D_MAX, 0x4000000000000000ull, D_MONE);
  ALL_RM(FOUR_S, S_MAX, BOX(0x40000000), S_MONE);
  // -2^-1077 + 2^-1022: tiny before rounding only (RNE: no UF).
  // CHECK: fmadd.d rne 80b0000000000000 3be0000000000000 0010000000000000 = 0010000000000000 NX
  // CHECK: fmadd.d rtz 80b0000000000000 3be0000000000000 0010000000000000 = 000fffffffffffff UF NX
  ALL_RM(FOUR_D, 0x80b0000000000000ull, 0x3be0000000000000ull, D_MINN);
  ALL_RM(FOUR_D, D_MINS, 0x3fe0000000000000ull, D_PZERO);
  ALL_RM(FOUR_D, 0x0000000000000003ull, 0x3fe0000000000000ull, D_MINS | D_NZERO);
  ALL_RM(FOUR_S, S_MINS, BOX(0x3f000000), S_PZERO);

  // Invalid: inf * 0, with any addend, including a quiet NaN.
  // CHECK: fmadd.d rne 7ff0000000000000 0000000000000000 3ff0000000000000 = 7ff8000000000000 NV
  // CHECK: fmadd.d rne 7ff0000000000000 0000000000000000 7ff8000000000000 = 7ff8000000000000 NV
  // CHECK: fmadd.d rne 0000000000000000 fff0000000000000 7ff8000000000000 = 7ff8000000000000 NV
  // CHECK: fmadd.s rne ffffffff7f800000 ffffffff00000000 ffffffff7fc00000 = ffffffff7fc00000 NV
  T_F3("fmadd.d", RNE, D_PINF, D_PZERO, D_ONE);
  T_F3("fmadd.d", RNE, D_PINF, D_PZERO, D_QNAN);
  T_F3("fmadd.d", RNE, D_PZERO, D_NINF, D_QNAN);
  T_F3("fmadd.s", RNE, S_PINF, S_PZERO, S_QNAN);
  FOUR_D(D_PINF, D_PZERO, 0xfff8000000000123ull, RNE);
  // inf - inf in the addition.
  // CHECK: fmadd.d rne 7ff0000000000000 3ff0000000000000 fff0000000000000 = 7ff8000000000000 NV
  // CHECK: fmsub.d rne 7ff0000000000000 3ff0000000000000 fff0000000000000 = 7ff0000000000000{{$}}
  FOUR_D(D_PINF, D_ONE, D_NINF, RNE);
  FOUR_S(S_PINF, S_ONE, S_NINF, RNE);
  // Quiet NaN operands: canonical result, no flags; signaling: NV.
  // CHECK: fmadd.d rne fff8000000000123 3ff0000000000000 3ff0000000000000 = 7ff8000000000000{{$}}
  // CHECK: fmadd.d rne 3ff0000000000000 3ff0000000000000 7ff4000000000000 = 7ff8000000000000 NV
  T_F3("fmadd.d", RNE, 0xfff8000000000123ull, D_ONE, D_ONE);
  T_F3("fmadd.d", RNE, D_ONE, D_ONE, D_SNAN);
  T_F3("fmadd.d", RNE, D_SNAN, D_PZERO, D_QNAN);
  T_F3("fmadd.s", RNE, S_ONE, S_SNAN, S_ONE);
  // A single that is not NaN-boxed reads as the canonical (quiet) NaN.
  // CHECK: fmadd.s rne 000000003f800000 ffffffff3f800000 ffffffff3f800000 = ffffffff7fc00000{{$}}
  T_F3("fmadd.s", RNE, 0x3f800000ull, S_ONE, S_ONE);
  // Dynamic mode.
  set_frm(4);
  T_F3("fmadd.d", DYN, D_ONE, D_ONE, 0x3ca0000000000000ull);
  set_frm(2);
  FOUR_D(D_ONE, D_PZERO, D_NZERO, DYN);
  set_frm(0);
  return 0;
}
