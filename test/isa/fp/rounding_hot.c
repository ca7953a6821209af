// Hot FP loops under each rounding mode: translated code assumes frm is RNE
// behind an entry guard (kExitGeneric otherwise: the block runs in the
// interpreter), so a loop made hot under RNE must still round each way once
// the mode changes, and one made hot under another mode must too. Results
// are printed as bits and compared with qemu-riscv64, in every tier and with
// every block compiled as a region.
//
// RUN: %rv-cc -O2 %s -o %t -lm
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers} region; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
// Promoted in the loop's own thread, the loop's region is specialized for RNE
// and left through its guard once the mode changes: its blocks are then
// interpreted.
// RUN: %xlat-run --tier=adaptive --no-cache --background-compile=off --stats %t 2>&1 >/dev/null | FileCheck --check-prefix=GENERIC %s
// GENERIC: insns interpreted {{[1-9][0-9]+}}
#include <fenv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t bits(double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  return u;
}

// Sums that round differently in every mode.
static __attribute__((noinline)) uint64_t work(int n) {
  volatile double third = 1.0 / 3.0;
  double acc = 0.1, x = 1.0;
  uint64_t h = 0;
  for (int i = 0; i < n; i++) {
    acc = acc * 1.0000001 + third;
    x = x / 3.0 + acc * 1e-9;
    h = h * 31 + (bits(acc) ^ bits(x));
  }
  return h;
}

int main(void) {
  static const struct {
    int mode;
    const char *name;
  } modes[] = {{FE_TONEAREST, "rne"}, {FE_TOWARDZERO, "rtz"},
               {FE_DOWNWARD, "rdn"}, {FE_UPWARD, "rup"},
               {FE_TONEAREST, "rne again"}, {FE_UPWARD, "rup again"}};
  for (unsigned m = 0; m < sizeof modes / sizeof modes[0]; m++) {
    fesetround(modes[m].mode);
    printf("%s: %016llx\n", modes[m].name, (unsigned long long)work(100000));
  }
  fesetround(FE_TONEAREST);
  // CHECK: rne: {{[0-9a-f]+}}
  // CHECK: rtz: {{[0-9a-f]+}}
  // CHECK: rdn: {{[0-9a-f]+}}
  // CHECK: rup: {{[0-9a-f]+}}
  return 0;
}
