// Conversions. To integer: rounding per mode, then the saturation table
// (NaN and too large -> maximum, too small -> minimum, NV only; NX only for
// valid inexact results; negative values that round to 0 are valid for the
// unsigned forms); 32-bit results are sign-extended, fcvt.wu too. From
// integer: rounding with NX, RMM ties. Between formats: fcvt.s.d rounds,
// fcvt.d.s is exact; NaNs become canonical and sNaN raises NV.
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
#define TO_INT_D(a, rm)                                                        \
  T_X1("fcvt.w.d", rm, a); T_X1("fcvt.wu.d", rm, a);                           \
  T_X1("fcvt.l.d", rm, a); T_X1("fcvt.lu.d", rm, a)
#define TO_INT_S(a, rm)                                                        \
  T_X1("fcvt.w.s", rm, a); T_X1("fcvt.wu.s", rm, a);                           \
  T_X1("fcvt.l.s", rm, a); T_X1("fcvt.lu.s", rm, a)
#define FROM_INT(a, rm)                                                        \
  T_FX("fcvt.s.w", rm, a); T_FX("fcvt.s.wu", rm, a); T_FX("fcvt.s.l", rm, a); \
  T_FX("fcvt.s.lu", rm, a); T_FX("fcvt.d.l", rm, a); T_FX("fcvt.d.lu", rm, a)
#define NARROW(a, rm) T_F1("fcvt.s.d", rm, a)

static const u64 to_int_d[] = {
    0x4004000000000000ull, // 2.5
    0xc004000000000000ull, // -2.5
    0x3ff8000000000000ull, // 1.5
    0xbfd3333333333333ull, // -0.3
    0xbfe6666666666666ull, // -0.7
    0x3fe0000000000000ull, // 0.5
    0xbfe0000000000000ull, // -0.5
    0x41dfffffffc00000ull, // 2^31 - 1
    0x41dfffffffe00000ull, // 2^31 - 0.5
    0x41e0000000000000ull, // 2^31
    0xc1e0000000000000ull, // -2^31
    0xc1e0000000100000ull, // -2^31 - 0.5
    0xc1e0000000200000ull, // -2^31 - 1
    0x41efffffffe00000ull, // 2^32 - 1
    0x41effffffff00000ull, // 2^32 - 0.5
    0x41f0000000000000ull, // 2^32
    0x43dfffffffffffffull, // 2^63 - 1024
    0x43e0000000000000ull, // 2^63
    0xc3e0000000000000ull, // -2^63
    0xc3e0000000000001ull, // -2^63 - 2048
    0x43efffffffffffffull, // 2^64 - 2048
    0x43f0000000000000ull, // 2^64
    0x7fefffffffffffffull, D_PINF, D_NINF, D_QNAN, 0xfff8000000000000ull, D_SNAN,
    D_PZERO, D_NZERO, D_MINS, 0x8000000000000001ull,
};
static const uint32_t to_int_s[] = {
    0x40200000, 0xc0200000, 0xbe99999a, 0xbf333333, 0x3f000000, 0xbf000000,
    0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f7fffff, 0x4f800000,
    0x5effffff, 0x5f000000, 0xdf000000, 0xdf000001, 0x5f7fffff, 0x5f800000,
    0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00000, 0x80000000,
    0x00000001,
};
static const u64 from_int[] = {
    0, 1, 0xffffffffffffffffull, 16777217, 16777219, 0xfffffffffeffffffull,
    0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000001ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x20000000000001ull,
    0x20000000000003ull, 0xffffffffffffffc0ull, 0xfffffffffffffc00ull,
    0xfffffffffffff400ull, 0x8000000000000400ull, 0x8000000000000c00ull,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void) {
  // CHECK-DAG: fcvt.w.d rne 4004000000000000 = 0000000000000002 NX
  // CHECK-DAG: fcvt.w.d rtz 4004000000000000 = 0000000000000002 NX
  // CHECK-DAG: fcvt.w.d rdn 4004000000000000 = 0000000000000002 NX
  // CHECK-DAG: fcvt.w.d rup 4004000000000000 = 0000000000000003 NX
  // CHECK-DAG: fcvt.w.d rmm 4004000000000000 = 0000000000000003 NX
  // CHECK-DAG: fcvt.w.d rmm c004000000000000 = fffffffffffffffd NX
  // Negative values rounding to 0 are valid for the unsigned forms.
  // CHECK-DAG: fcvt.wu.d rtz bfd3333333333333 = 0000000000000000 NX
  // CHECK-DAG: fcvt.wu.d rne bfe6666666666666 = 0000000000000000 NV
  // CHECK-DAG: fcvt.wu.d rne 41efffffffe00000 = ffffffffffffffff{{$}}
  // CHECK-DAG: fcvt.w.d rne 41e0000000000000 = 000000007fffffff NV
  // CHECK-DAG: fcvt.w.d rtz c1e0000000100000 = ffffffff80000000 NX
  // CHECK-DAG: fcvt.w.d rdn c1e0000000100000 = ffffffff80000000 NV
  // CHECK-DAG: fcvt.l.d rne 43e0000000000000 = 7fffffffffffffff NV
  // CHECK-DAG: fcvt.l.d rne c3e0000000000000 = 8000000000000000{{$}}
  // CHECK-DAG: fcvt.lu.d rne 43f0000000000000 = ffffffffffffffff NV
  // CHECK-DAG: fcvt.w.d rne 7ff0000000000000 = 000000007fffffff NV
  // CHECK-DAG: fcvt.wu.d rne 7ff0000000000000 = ffffffffffffffff NV
  // CHECK-DAG: fcvt.l.d rne fff0000000000000 = 8000000000000000 NV
  // CHECK-DAG: fcvt.lu.d rne fff0000000000000 = 0000000000000000 NV
  // NaN of either sign: the maximum.
  // CHECK-DAG: fcvt.w.d rne 7ff8000000000000 = 000000007fffffff NV
  // CHECK-DAG: fcvt.l.d rne fff8000000000000 = 7fffffffffffffff NV
  // CHECK-DAG: fcvt.lu.d rne fff8000000000000 = ffffffffffffffff NV
  for (unsigned k = 0; k < N(to_int_d); ++k) {
    ALL_RM(TO_INT_D, to_int_d[k]);
  }
  // CHECK-DAG: fcvt.w.s rmm ffffffff40200000 = 0000000000000003 NX
  // CHECK-DAG: fcvt.w.s rne ffffffff4f000000 = 000000007fffffff NV
  // CHECK-DAG: fcvt.wu.s rne ffffffff7fc00000 = ffffffffffffffff NV
  for (unsigned k = 0; k < N(to_int_s); ++k) {
    ALL_RM(TO_INT_S, BOX(to_int_s[k]));
  }
  // A single that is not NaN-boxed converts as the canonical NaN.
  // CHECK-DAG: fcvt.w.s rne 000000003f800000 = 000000007fffffff NV
  TO_INT_S(0x3f800000ull, RNE);

  // 2^24 + 1 is a tie between 2^24 and 2^24 + 2 in single precision.
  // CHECK-DAG: fcvt.s.w rne 0000000001000001 = ffffffff4b800000 NX
  // CHECK-DAG: fcvt.s.w rmm 0000000001000001 = ffffffff4b800001 NX
  // 2^64 - 1 rounds up to 2^64 except towards zero or down.
  // CHECK-DAG: fcvt.d.lu rne ffffffffffffffff = 43f0000000000000 NX
  // CHECK-DAG: fcvt.d.lu rtz ffffffffffffffff = 43efffffffffffff NX
  for (unsigned k = 0; k < N(from_int); ++k) {
    ALL_RM(FROM_INT, from_int[k]);
  }
  // Exact conversions: no rounding mode in the assembly syntax.
  // CHECK-DAG: fcvt.d.w ffffffff80000000 = c1e0000000000000{{$}}
  // CHECK-DAG: fcvt.d.wu ffffffff80000000 = 41e0000000000000{{$}}
  T_FX("fcvt.d.w", NORM, 0xffffffff80000000ull);
  T_FX("fcvt.d.wu", NORM, 0xffffffff80000000ull);
  T_FX("fcvt.d.w", NORM, 0x123456789ull);

  // fcvt.s.d: 1 + 2^-24 is a tie in single precision.
  // CHECK-DAG: fcvt.s.d rne 3ff0000010000000 = ffffffff3f800000 NX
  // CHECK-DAG: fcvt.s.d rmm 3ff0000010000000 = ffffffff3f800001 NX
  ALL_RM(NARROW, 0x3ff0000010000000ull);
  ALL_RM(NARROW, 0x3ff0000030000000ull);
  ALL_RM(NARROW, 0xbff0000010000000ull);
  // CHECK-DAG: fcvt.s.d rne 7e37e43c8800759c = ffffffff7f800000 OF NX
  // CHECK-DAG: fcvt.s.d rtz 7e37e43c8800759c = ffffffff7f7fffff OF NX
  ALL_RM(NARROW, 0x7e37e43c8800759cull); // 1e300
  ALL_RM(NARROW, 0x36a0000000000000ull); // 2^-149: the least subnormal
  ALL_RM(NARROW, 0x3690000000000000ull); // 2^-150: a tie with zero
  ALL_RM(NARROW, 0x380fffffe0000000ull); // just below the least normal
  // CHECK-DAG: fcvt.s.d rne 7ff4000000000000 = ffffffff7fc00000 NV
  // CHECK-DAG: fcvt.s.d rne fff800000000beef = ffffffff7fc00000{{$}}
  NARROW(D_SNAN, RNE);
  NARROW(0xfff800000000beefull, RNE);
  NARROW(D_NINF, RNE);
  NARROW(D_NZERO, RNE);
  // fcvt.d.s is exact.
  // CHECK-DAG: fcvt.d.s ffffffff3f800001 = 3ff0000020000000{{$}}
  // CHECK-DAG: fcvt.d.s ffffffff00000001 = 36a0000000000000{{$}}
  // CHECK-DAG: fcvt.d.s ffffffff7fa00000 = 7ff8000000000000 NV
  // CHECK-DAG: fcvt.d.s ffffffffffc0beef = 7ff8000000000000{{$}}
  // CHECK-DAG: fcvt.d.s 000000003f800000 = 7ff8000000000000{{$}}
  T_F1("fcvt.d.s", NORM, BOX(0x3f800001));
  T_F1("fcvt.d.s", NORM, S_MINS);
  T_F1("fcvt.d.s", NORM, S_SNAN);
  T_F1("fcvt.d.s", NORM, BOX(0xffc0beef));
  T_F1("fcvt.d.s", NORM, 0x3f800000ull);
  T_F1("fcvt.d.s", NORM, S_NINF);

  // The dynamic mode, through the host fast paths as well.
  for (u64 m = 0; m < 5; ++m) {
    set_frm(m);
    TO_INT_D(0x4004000000000000ull, DYN);
    TO_INT_D(0xc1e0000000100000ull, DYN);
    TO_INT_S(BOX(0xc0200000), DYN);
    FROM_INT(16777217, DYN);
    FROM_INT(0xffffffffffffffffull, DYN);
    NARROW(0x3ff0000010000000ull, DYN);
  }
  set_frm(0);
  return 0;
}
