// Rounding-mode selection: a static rm overrides frm; rm = dyn uses frm, and
// is an illegal instruction (SIGILL) when frm holds 5, 6 or 7, for every
// instruction with an rm field, even the exact conversions. Reserved static
// modes (5, 6) are illegal encodings. The destination is not written.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out

#include "fpisa.h"

#define D_EPS2 0x3ca0000000000000ull

// Raw encodings with an explicit rm field (funct3), for the forms the
// assembler does not accept with a rounding mode.
#define INSN_R(rm, f7, rd, rs1, rs2) ".insn r 0x53, " #rm ", " #f7 ", " rd ", " rs1 ", " rs2

static void with_frm(u64 frm) {
  printf("frm=%llu\n", (unsigned long long)frm);
  set_frm(frm);
  T_ILL("fadd.d dyn", T_F2("fadd.d", DYN, D_ONE, D_EPS2));
  T_ILL("fadd.d rne", T_F2("fadd.d", RNE, D_ONE, D_EPS2));
  T_ILL("fadd.s dyn", T_F2("fadd.s", DYN, S_ONE, BOX(0x33800000)));
  T_ILL("fsqrt.d dyn", T_F1("fsqrt.d", DYN, 0x4000000000000000ull));
  T_ILL("fmadd.d dyn", T_F3("fmadd.d", DYN, D_ONE, D_ONE, D_EPS2));
  T_ILL("fcvt.w.d dyn", T_X1("fcvt.w.d", DYN, 0x4004000000000000ull));
  T_ILL("fcvt.w.d rtz", T_X1("fcvt.w.d", RTZ, 0x4004000000000000ull));
  T_ILL("fcvt.s.l dyn", T_FX("fcvt.s.l", DYN, 16777217));
  T_ILL("fcvt.s.d dyn", T_F1("fcvt.s.d", DYN, 0x3ff0000010000000ull));
  T_ILL("fcvt.d.s dyn", T_F_(INSN_R(7, 0x21, "ft0", "ft1", "x0"), "fcvt.d.s",
                             DYN, 1, S_ONE, 0, 0));
  T_ILL("fcvt.d.w dyn", T_FX_(INSN_R(7, 0x69, "ft0", "%2", "x0"), "fcvt.d.w",
                              DYN, 5));
  // Instructions without rm are unaffected.
  T_ILL("fsgnj.d", T_F2("fsgnj.d", NORM, D_ONE, D_MONE));
  T_ILL("fmin.d", T_F2("fmin.d", NORM, D_ONE, D_MONE));
  T_ILL("feq.d", T_X2("feq.d", NORM, D_ONE, D_ONE));
}

int main(void) {
  // CHECK-LABEL: frm=0
  // CHECK: fadd.d dyn 3ff0000000000000 3ca0000000000000 = 3ff0000000000000 NX
  // CHECK-LABEL: frm=3
  // CHECK: fadd.d dyn 3ff0000000000000 3ca0000000000000 = 3ff0000000000001 NX
  // CHECK: fadd.d rne 3ff0000000000000 3ca0000000000000 = 3ff0000000000000 NX
  // CHECK-LABEL: frm=4
  // CHECK: fadd.d dyn 3ff0000000000000 3ca0000000000000 = 3ff0000000000001 NX
  // CHECK-LABEL: frm=5
  // CHECK: fadd.d dyn: SIGILL
  // CHECK: fadd.d rne 3ff0000000000000 3ca0000000000000 = 3ff0000000000000 NX
  // CHECK: fadd.s dyn: SIGILL
  // CHECK: fsqrt.d dyn: SIGILL
  // CHECK: fmadd.d dyn: SIGILL
  // CHECK: fcvt.w.d dyn: SIGILL
  // CHECK: fcvt.w.d rtz 4004000000000000 = 0000000000000002 NX
  // CHECK: fcvt.s.l dyn: SIGILL
  // CHECK: fcvt.s.d dyn: SIGILL
  // CHECK: fcvt.d.s dyn: SIGILL
  // CHECK: fcvt.d.w dyn: SIGILL
  // CHECK: fsgnj.d 3ff0000000000000 bff0000000000000 = bff0000000000000
  // CHECK-LABEL: frm=6
  // CHECK-LABEL: frm=7
  // CHECK: fmadd.d dyn: SIGILL
  for (u64 frm = 0; frm < 8; ++frm)
    with_frm(frm);

  // The destination of a trapping instruction keeps its old value.
  // CHECK: ft0 kept: 1234
  set_frm(7);
  {
    u64 r = 0;
    T_ILL("kept", __asm__ volatile("fmv.d.x ft0, %1\n\tfadd.d ft0, ft0, ft0, dyn"
                                   : : "r"(&r), "r"(0x1234ull) : "ft0"));
    __asm__ volatile("fmv.x.d %0, ft0" : "=r"(r));
    printf("ft0 kept: %llx\n", (unsigned long long)r);
  }
  set_frm(0);

  // Reserved static modes are illegal encodings.
  // CHECK: fadd.d rm=5: SIGILL
  // CHECK: fadd.d rm=6: SIGILL
  T_ILL("fadd.d rm=5", T_F_(INSN_R(5, 0x01, "ft0", "ft1", "ft2"), "fadd.d", NORM,
                            2, D_ONE, D_ONE, 0));
  T_ILL("fadd.d rm=6", T_F_(INSN_R(6, 0x01, "ft0", "ft1", "ft2"), "fadd.d", NORM,
                            2, D_ONE, D_ONE, 0));

  // Flags accrue across instructions and frm writes: DZ, then OF and NX.
  // CHECK: accrued: d
  {
    u64 f, a = D_ONE, z = 0;
    __asm__ volatile("fsflags x0\n\tfmv.d.x ft1, %1\n\tfmv.d.x ft2, %2\n\t"
                     "fdiv.d ft0, ft1, ft2\n\tfsrm %3\n\t"
                     "fadd.d ft0, ft1, ft1, rup\n\tfsqrt.d ft0, ft1\n\t"
                     "fmv.d.x ft1, %4\n\tfmul.d ft0, ft1, ft1\n\tfrflags %0"
                     : "=&r"(f) : "r"(a), "r"(z), "r"(2ull), "r"(D_MAX)
                     : "ft0", "ft1", "ft2");
    __asm__ volatile("fsrm x0");
    printf("accrued: %llx\n", (unsigned long long)f);
  }
  return 0;
}
