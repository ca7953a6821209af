// LR/SC: success after a matching lr, failure without a reservation, to a
// different address, and after the reservation was consumed by an earlier
// sc (every sc ends the reservation, success or not). sc writes 0 on success
// and nonzero on failure; a failed sc leaves memory alone. lr.w
// sign-extends. An lr/sc loop implements an atomic increment.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "isa.h"

static u64 words[32] __attribute__((aligned(64)));

static u64 lrw(u64 *p) {
  u64 r;
  __asm__ volatile("lr.w %0, (%1)" : "=r"(r) : "r"(p) : "memory");
  return r;
}
static u64 lrd(u64 *p) {
  u64 r;
  __asm__ volatile("lr.d %0, (%1)" : "=r"(r) : "r"(p) : "memory");
  return r;
}
// Returns sc's result: 0 on success.
static u64 scw(u64 *p, u64 v) {
  u64 r;
  __asm__ volatile("sc.w %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");
  return r;
}
static u64 scd(u64 *p, u64 v) {
  u64 r;
  __asm__ volatile("sc.d %0, %2, (%1)" : "=&r"(r) : "r"(p), "r"(v) : "memory");
  return r;
}

static void showSc(const char *what, u64 r, u64 mem) {
  printf("%-36s = %s, memory %016llx\n", what, r == 0 ? "success" : "failure",
         (unsigned long long)mem);
}

int main(void) {
  u64 *a = &words[0], *b = &words[16];
  *a = 0x1111111180000001ull;
  *b = 0x2222;
  // No calls between an lr and its sc: libc's locks use lr/sc too, and
  // any sc (theirs included) ends the reservation.
  u64 v = lrw(a);
  u64 r = scw(a, 0x12345678);
  show("lr.w sign-extends", v);
  showSc("sc.w after lr.w", r, *a);
  v = lrd(a);
  r = scd(a, 0xaaaa);
  show("lr.d", v);
  showSc("sc.d after lr.d", r, *a);

  showSc("sc.d without lr", scd(a, 0xbbbb), *a);
  lrd(a);
  r = scd(a, 0xcccc);
  u64 r2 = scd(a, 0xdddd);
  showSc("sc.d after lr.d", r, *a);
  showSc("second sc.d", r2, *a);

  lrd(a);
  r = scd(b, 0xeeee);
  r2 = scd(a, 0xffff);
  showSc("sc.d to another address", r, *b);
  showSc("then sc.d to the lr address", r2, *a);

  // A failed sc.w writes nothing, not even part of the word.
  *b = 0x1234567890abcdefull;
  lrw(a);
  r = scw(b, 0);
  showSc("sc.w to another address", r, *b);

  // The canonical retry loop.
  *a = 0;
  for (int i = 0; i < 1000; ++i) {
    u64 fail;
    __asm__ volatile("1: lr.d t0, (%1)\n\t"
                     "addi t0, t0, 3\n\t"
                     "sc.d %0, t0, (%1)\n\t"
                     "bnez %0, 1b"
                     : "=&r"(fail)
                     : "r"(a)
                     : "t0", "memory");
  }
  show("lr/sc loop 1000 x 3", *a);

  // .aq/.rl variants decode and behave the same here.
  *a = 5;
  __asm__ volatile("lr.d.aqrl t0, (%1)\n\t"
                   "addi t0, t0, 1\n\t"
                   "sc.d.rl %0, t0, (%1)"
                   : "=&r"(r)
                   : "r"(a)
                   : "t0", "memory");
  showSc("lr.d.aqrl / sc.d.rl", r, *a);
  return 0;
}

// CHECK:      lr.w sign-extends                    = ffffffff80000001
// CHECK-NEXT: sc.w after lr.w                      = success, memory 1111111112345678
// CHECK-NEXT: lr.d                                 = 1111111112345678
// CHECK-NEXT: sc.d after lr.d                      = success, memory 000000000000aaaa
// CHECK-NEXT: sc.d without lr                      = failure, memory 000000000000aaaa
// CHECK-NEXT: sc.d after lr.d                      = success, memory 000000000000cccc
// CHECK-NEXT: second sc.d                          = failure, memory 000000000000cccc
// CHECK-NEXT: sc.d to another address              = failure, memory 0000000000002222
// CHECK-NEXT: then sc.d to the lr address          = failure, memory 000000000000cccc
// CHECK-NEXT: sc.w to another address              = failure, memory 1234567890abcdef
// CHECK-NEXT: lr/sc loop 1000 x 3                  = 0000000000000bb8
// CHECK-NEXT: lr.d.aqrl / sc.d.rl                  = success, memory 0000000000000006
