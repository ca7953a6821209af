// Non-arithmetic F/D instructions: fmin/fmax (minimumNumber/maximumNumber,
// -0 < +0, NV only for sNaN), feq (quiet) and flt/fle (signaling), fclass
// of every class, sign injection, moves, loads/stores, and NaN-boxing: a
// single whose upper 32 bits are not all ones reads as the canonical NaN,
// except in moves and stores, which transfer bits unchanged.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.expected %t.out

#include "fpisa.h"

static const u64 dvals[] = {
    D_NINF, 0xbff0000000000000ull, 0x800fffffffffffffull, D_NZERO, D_PZERO,
    D_MINS, D_ONE, D_PINF, D_SNAN, D_QNAN, 0xfff8000000000001ull,
};
static const u64 svals[] = {
    S_NINF, S_MONE, BOX(0x807fffff), S_NZERO, S_PZERO, S_MINS, S_ONE, S_PINF,
    S_SNAN, S_QNAN, BOX(0xffc00001),
    0x000000003f800000ull, // not NaN-boxed
    0x7fffffff3f800000ull, // not NaN-boxed
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(void) {
  // CHECK: fmin.d 8000000000000000 0000000000000000 = 8000000000000000{{$}}
  // CHECK: fmax.d 8000000000000000 0000000000000000 = 0000000000000000{{$}}
  // CHECK: fmin.d 0000000000000000 8000000000000000 = 8000000000000000{{$}}
  // CHECK: fmax.d 0000000000000000 8000000000000000 = 0000000000000000{{$}}
  T_F2("fmin.d", NORM, D_NZERO, D_PZERO);
  T_F2("fmax.d", NORM, D_NZERO, D_PZERO);
  T_F2("fmin.d", NORM, D_PZERO, D_NZERO);
  T_F2("fmax.d", NORM, D_PZERO, D_NZERO);
  // One NaN: the other operand; NV only if it is signaling.
  // CHECK: fmin.d 7ff8000000000000 3ff0000000000000 = 3ff0000000000000{{$}}
  // CHECK: fmax.d 3ff0000000000000 7ff4000000000000 = 3ff0000000000000 NV
  // Both NaN: the canonical NaN.
  // CHECK: fmin.d fff8000000000001 7ff4000000000000 = 7ff8000000000000 NV
  // CHECK: fmax.s ffffffffffc00001 000000003f800000 = ffffffff7fc00000{{$}}
  T_F2("fmin.d", NORM, D_QNAN, D_ONE);
  T_F2("fmax.d", NORM, D_ONE, D_SNAN);
  T_F2("fmin.d", NORM, 0xfff8000000000001ull, D_SNAN);
  T_F2("fmax.s", NORM, BOX(0xffc00001), 0x3f800000ull);

  // CHECK: feq.d 7ff8000000000000 7ff8000000000000 = 0000000000000000{{$}}
  // CHECK: flt.d 7ff8000000000000 3ff0000000000000 = 0000000000000000 NV
  // CHECK: fle.d 3ff0000000000000 7ff8000000000000 = 0000000000000000 NV
  // CHECK: feq.d 7ff4000000000000 3ff0000000000000 = 0000000000000000 NV
  // CHECK: feq.d 8000000000000000 0000000000000000 = 0000000000000001{{$}}
  // CHECK: flt.d 8000000000000000 0000000000000000 = 0000000000000000{{$}}
  // CHECK: fle.d 8000000000000000 0000000000000000 = 0000000000000001{{$}}
  T_X2("feq.d", NORM, D_QNAN, D_QNAN);
  T_X2("flt.d", NORM, D_QNAN, D_ONE);
  T_X2("fle.d", NORM, D_ONE, D_QNAN);
  T_X2("feq.d", NORM, D_SNAN, D_ONE);
  T_X2("feq.d", NORM, D_NZERO, D_PZERO);
  T_X2("flt.d", NORM, D_NZERO, D_PZERO);
  T_X2("fle.d", NORM, D_NZERO, D_PZERO);

  // Every pair, double and single.
  for (unsigned a = 0; a < N(dvals); ++a)
    for (unsigned b = 0; b < N(dvals); ++b) {
      T_F2("fmin.d", NORM, dvals[a], dvals[b]);
      T_F2("fmax.d", NORM, dvals[a], dvals[b]);
      T_X2("feq.d", NORM, dvals[a], dvals[b]);
      T_X2("flt.d", NORM, dvals[a], dvals[b]);
      T_X2("fle.d", NORM, dvals[a], dvals[b]);
      T_F2("fsgnj.d", NORM, dvals[a], dvals[b]);
      T_F2("fsgnjn.d", NORM, dvals[a], dvals[b]);
      T_F2("fsgnjx.d", NORM, dvals[a], dvals[b]);
    }
  for (unsigned a = 0; a < N(svals); ++a)
    for (unsigned b = 0; b < N(svals); ++b) {
      T_F2("fmin.s", NORM, svals[a], svals[b]);
      T_F2("fmax.s", NORM, svals[a], svals[b]);
      T_X2("feq.s", NORM, svals[a], svals[b]);
      T_X2("flt.s", NORM, svals[a], svals[b]);
      T_X2("fle.s", NORM, svals[a], svals[b]);
      T_F2("fsgnj.s", NORM, svals[a], svals[b]);
      T_F2("fsgnjn.s", NORM, svals[a], svals[b]);
      T_F2("fsgnjx.s", NORM, svals[a], svals[b]);
    }

  // fclass: bit 0 -inf, 1 -normal, 2 -subnormal, 3 -0, 4 +0, 5 +subnormal,
  // 6 +normal, 7 +inf, 8 sNaN, 9 qNaN.
  // CHECK: fclass.d fff0000000000000 = 0000000000000001{{$}}
  // CHECK: fclass.d bff0000000000000 = 0000000000000002{{$}}
  // CHECK: fclass.d 800fffffffffffff = 0000000000000004{{$}}
  // CHECK: fclass.d 8000000000000000 = 0000000000000008{{$}}
  // CHECK: fclass.d 0000000000000000 = 0000000000000010{{$}}
  // CHECK: fclass.d 0000000000000001 = 0000000000000020{{$}}
  // CHECK: fclass.d 3ff0000000000000 = 0000000000000040{{$}}
  // CHECK: fclass.d 7ff0000000000000 = 0000000000000080{{$}}
  // CHECK: fclass.d 7ff4000000000000 = 0000000000000100{{$}}
  // CHECK: fclass.d 7ff8000000000000 = 0000000000000200{{$}}
  for (unsigned a = 0; a < N(dvals); ++a)
    T_X1("fclass.d", NORM, dvals[a]);
  // CHECK: fclass.s ffffffff7fa00000 = 0000000000000100{{$}}
  // CHECK: fclass.s 000000003f800000 = 0000000000000200{{$}}
  for (unsigned a = 0; a < N(svals); ++a)
    T_X1("fclass.s", NORM, svals[a]);

  // Sign injection on a badly boxed single works on the canonical NaN.
  // CHECK: fsgnjn.s 000000003f800000 ffffffff3f800000 = ffffffffffc00000{{$}}
  T_F2("fsgnjn.s", NORM, 0x3f800000ull, S_ONE);
  // Moves transfer bits: fmv.x.w sign-extends the low half whatever the box.
  // CHECK: fmv.x.w 00000000bf800000 = ffffffffbf800000{{$}}
  // CHECK: fmv.x.w 123456783f800000 = 000000003f800000{{$}}
  // CHECK: fmv.w.x 123456787fa00000 = ffffffff7fa00000{{$}}
  // CHECK: fmv.x.d 7ff4000000000001 = 7ff4000000000001{{$}}
  // CHECK: fmv.d.x 7ff4000000000001 = 7ff4000000000001{{$}}
  T_X1("fmv.x.w", NORM, 0xbf800000ull);
  T_X1("fmv.x.w", NORM, 0x123456783f800000ull);
  T_FX("fmv.w.x", NORM, 0x123456787fa00000ull);
  T_X1("fmv.x.d", NORM, 0x7ff4000000000001ull);
  T_FX("fmv.d.x", NORM, 0x7ff4000000000001ull);

  // Loads box; stores take the low bits unchanged, even of a bad box.
  // CHECK: flw/fsw: ffffffff7fa00001 7fa00001
  // CHECK: fsw unboxed: 3f800000
  // CHECK: fld/fsd: 7ff4000000000001 7ff4000000000001
  volatile uint32_t w = 0x7fa00001, w2 = 0;
  volatile u64 d = 0x7ff4000000000001ull, d2 = 0;
  u64 r;
  __asm__ volatile("flw ft0, %1\n\tfsw ft0, %2\n\tfmv.x.d %0, ft0"
                   : "=r"(r) : "m"(w), "m"(w2) : "ft0", "memory");
  printf("flw/fsw: %016llx %08x\n", (unsigned long long)r, (unsigned)w2);
  __asm__ volatile("fmv.d.x ft0, %1\n\tfsw ft0, %0"
                   : "=m"(w2) : "r"(0x123456783f800000ull) : "ft0");
  printf("fsw unboxed: %08x\n", (unsigned)w2);
  __asm__ volatile("fld ft0, %1\n\tfsd ft0, %2\n\tfmv.x.d %0, ft0"
                   : "=r"(r) : "m"(d), "m"(d2) : "ft0", "memory");
  printf("fld/fsd: %016llx %016llx\n", (unsigned long long)r,
         (unsigned long long)d2);
  return 0;
}
