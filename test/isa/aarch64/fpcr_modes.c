// Hot FP loops under each rounding mode and under flush-to-zero: compiled
// regions assume FPCR zero behind an entry guard, so in any other mode
// their blocks must run the general path, with the same results and FPSR
// flags as qemu-aarch64 (and as under FPCR zero once it is back).
//
// RUN: %a64-gcc -O2 %s -o %t -lm
// RUN: %qemu-aarch64 %t > %t.ref
// RUN: FileCheck %s < %t.ref
// RUN: for t in %{a64-tiers}; do %xlat-run $t %t > %t.out || exit 1; diff %t.ref %t.out || exit 1; done
// Inexact and underflow each time; the modes' sums differ, and under
// flush-to-zero the subnormal products vanish.
// CHECK: nearest 400bf2d80308b460 3f0bae46b793dbc3 013249ba0354cbf1 flags 18
// CHECK: upward 400bf2d80308dbf3 3f0bae46b793dddd 013249ba0354d9b6 flags 18
// CHECK: downward 400bf2d803088e47
// CHECK: towardzero 400bf2d803088e47
// CHECK: flush 400bf2d80308b460 3f0bae46b793dbc3 0000000000000000 flags 18
// CHECK: nearest again 400bf2d80308b460 3f0bae46b793dbc3 013249ba0354cbf1 flags 18
#include <fenv.h>
#include <stdint.h>
#include <stdio.h>

static uint64_t bits(double d) {
  uint64_t u;
  __builtin_memcpy(&u, &d, 8);
  return u;
}

static uint64_t fpcr(void) {
  uint64_t v;
  __asm__ volatile("mrs %0, fpcr" : "=r"(v));
  return v;
}
static void setFpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0" ::"r"(v)); }
static uint64_t fpsr(void) {
  uint64_t v;
  __asm__ volatile("mrs %0, fpsr" : "=r"(v));
  return v;
}
static void clearFpsr(void) { __asm__ volatile("msr fpsr, xzr"); }

// Enough iterations for adaptive (at the tests' threshold) to compile the
// loop; the sums round differently in each mode, and the products of
// small numbers are subnormal.
__attribute__((noinline)) static void run(const char *name, volatile double *seed) {
  double sum = 0, tiny = 0, q = 1;
  for (int i = 1; i <= 20000; i++) {
    sum += *seed / i;
    q = q * 0.999 + 1e-3 / i;
    tiny += (*seed * 1e-300) * 1e-10 * i;
  }
  printf("%s %016llx %016llx %016llx flags %llx\n", name, (unsigned long long)bits(sum),
         (unsigned long long)bits(q), (unsigned long long)bits(tiny),
         (unsigned long long)(fpsr() & 0x9f));
}

int main(void) {
  volatile double seed = 1.0 / 3;
  static const struct {
    int mode;
    const char *name;
  } kModes[] = {{FE_TONEAREST, "nearest"},
                {FE_UPWARD, "upward"},
                {FE_DOWNWARD, "downward"},
                {FE_TOWARDZERO, "towardzero"}};
  for (unsigned m = 0; m < sizeof kModes / sizeof kModes[0]; m++) {
    fesetround(kModes[m].mode);
    clearFpsr();
    run(kModes[m].name, &seed);
  }
  fesetround(FE_TONEAREST);
  setFpcr(fpcr() | (1u << 24)); // FZ
  clearFpsr();
  run("flush", &seed);
  setFpcr(fpcr() & ~(uint64_t)(1u << 24));
  clearFpsr();
  run("nearest again", &seed);
  return 0;
}
