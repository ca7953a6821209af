// Floating-point formatting and arithmetic through glibc's printf/strtod:
// %f %e %g %a, rounding of halfway cases, specials, long double (software
// quad on riscv64, so mostly integer code).
//
// RUN: %rv-cc -O0 %s -o %t.O0 -lm
// RUN: %rv-cc -O2 %s -o %t.O2 -lm
// RUN: %qemu-riscv64 %t.O0 > %t.O0.ref
// RUN: %qemu-riscv64 %t.O2 > %t.O2.ref
// RUN: %xlat-run --tier=interp %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=block  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=template  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=interp %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=block  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=template  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// The same program for AArch64 in its tiers (%{a64-tiers}), against qemu-aarch64:
// RUN: %a64-gcc -O2 %s -o %t.a64 -lm
// RUN: %qemu-aarch64 %t.a64 > %t.a64.ref
// RUN: for t in %{a64-tiers}; do %xlat-run $t %t.a64 > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

// Keeps the compiler from folding the arithmetic at -O2.
static volatile double vd[] = {0.1, 0.2, 2.0, 1e300, 3.0, -0.0};

int main(void) {
  printf("%f %.3f %.0f %10.4f|\n", 3.14159265358979, 2.71828, 1234.5, -1.5);
  printf("%e %.2E %g %g %g\n", 12345.678, 0.000123, 100000.0, 1e6, 1e-5);
  printf("%a %a %a %A\n", 1.0, 0.1, -2.5, 1024.0);
  // Halfway cases round to even when the value is exact in binary.
  printf("%.0f %.0f %.0f %.0f\n", 0.5, 1.5, 2.5, -3.5);
  // 2.675 is really 2.67499999... in binary.
  printf("%.2f %.1f %.3g\n", 2.675, 0.25, 1234.5);
  printf("%g %g %g %g\n", 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
         -0.0);
  printf("%f %f %f %e\n", INFINITY, -INFINITY, NAN, vd[3] * vd[3]);
  printf("%.17g\n", vd[0] + vd[1]);
  printf("%.17g %.17g\n", sqrt(vd[2]), vd[0] * vd[4]);
  printf("%.17g %.17g\n", vd[2] / vd[4], fma(vd[0], vd[4], vd[1]));
  volatile double inf = vd[3] * vd[3];
  printf("%d %d %d\n", signbit(vd[5]) != 0, isnan(inf - inf), isinf(inf));
  float f = (float)vd[0];
  printf("%.9g %a\n", f, f);
  printf("%.17g %.17g\n", strtod("1e23", NULL), strtod("0x1.8p1", NULL));
  printf("%.17g\n", strtod("2.2250738585072011e-308", NULL));
  long double q = 1.0L / 3.0L;
  printf("%.30Lf %La\n", q, q);
  printf("%lld %lld\n", (long long)(vd[3] > 0 ? 1e18 : 0), llround(-2.5));
  printf("%.6f %.6f %.6f\n", sin(1.0), exp(1.0), log(10.0));
  return 0;
}

// CHECK:      3.141593 2.718 1234    -1.5000|
// CHECK-NEXT: 1.234568e+04 1.23E-04 100000 1e+06 1e-05
// CHECK-NEXT: 0x1p+0 0x1.999999999999ap-4 -0x1.4p+1 0X1P+10
// CHECK-NEXT: 0 2 2 -4
// CHECK-NEXT: 2.67 0.2 1.23e+03
// CHECK-NEXT: 4.94066e-324 2.22507e-308 1.79769e+308 -0
// CHECK-NEXT: inf -inf nan inf
// CHECK-NEXT: 0.30000000000000004
// CHECK-NEXT: 1.4142135623730951 0.30000000000000004
// CHECK-NEXT: 0.66666666666666663 0.5
// CHECK-NEXT: 1 1 1
// CHECK-NEXT: 0.100000001 0x1.99999ap-4
// CHECK-NEXT: 9.9999999999999992e+22 3
// CHECK-NEXT: 2.2250738585072009e-308
// CHECK-NEXT: 0.333333333333333333333333333333 0x1.5555555555555555555555555555p-2
// CHECK-NEXT: 1000000000000000000 -3
// CHECK-NEXT: 0.841471 2.718282 2.302585
