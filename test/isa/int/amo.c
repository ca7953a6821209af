// Every AMO in .w and .d form: rd gets the old memory value (.w
// sign-extends it), memory gets op(old, rs2). min/max compare signed,
// minu/maxu unsigned; for .w both use only the low 32 bits. A .w AMO leaves
// the neighbouring word untouched.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "isa.h"

#define AMO(insn, mem, v)                                                      \
  ({                                                                           \
    u64 r_;                                                                    \
    __asm__ volatile(insn " %0, %2, (%1)"                                      \
                     : "=&r"(r_)                                               \
                     : "r"(mem), "r"((u64)(v))                                 \
                     : "memory");                                              \
    r_;                                                                        \
  })

static u64 cell[2] __attribute__((aligned(16)));

#define T_AMOW(insn, init, v)                                                  \
  do {                                                                         \
    cell[0] = 0x5a5a5a5a00000000ull | (u64)(uint32_t)(init);                   \
    u64 old = AMO(insn, &cell[0], v);                                          \
    printf("%-9s %08x, %-18s: old %016llx mem %016llx\n", insn,                \
           (unsigned)(init), #v, (unsigned long long)old,                      \
           (unsigned long long)cell[0]);                                       \
  } while (0)

#define T_AMOD(insn, init, v)                                                  \
  do {                                                                         \
    cell[0] = (init);                                                          \
    cell[1] = 0x0123456789abcdefull;                                           \
    u64 old = AMO(insn, &cell[0], v);                                          \
    printf("%-9s %016llx, %-18s: old %016llx mem %016llx next %016llx\n",      \
           insn, (unsigned long long)(init), #v, (unsigned long long)old,      \
           (unsigned long long)cell[0], (unsigned long long)cell[1]);          \
  } while (0)

int main(void) {
  T_AMOW("amoswap.w", 0x80000000, 0x1234567812345678ull);
  T_AMOW("amoadd.w", 0x7fffffff, 1);
  T_AMOW("amoadd.w", 0xffffffff, 0x100000001ull);
  T_AMOW("amoxor.w", 0xf0f0f0f0, 0xffffffff);
  T_AMOW("amoand.w", 0xf0f0f0f0, 0x8000ffff);
  T_AMOW("amoor.w", 0x80000000, 0x00000001);
  T_AMOW("amomin.w", 0x80000000, 0x7fffffff);
  T_AMOW("amomin.w", 0x00000005, 0xfffffffe);
  T_AMOW("amomax.w", 0x80000000, 0x7fffffff);
  T_AMOW("amomax.w", 0xffffffff, 0x100000000ull);
  T_AMOW("amominu.w", 0x80000000, 0x7fffffff);
  T_AMOW("amominu.w", 0x00000005, 0xfffffffe);
  T_AMOW("amomaxu.w", 0x80000000, 0x7fffffff);
  T_AMOW("amomaxu.w", 0xffffffff, 0x1ffffffffull);

  T_AMOD("amoswap.d", 0x8000000000000000ull, 42);
  T_AMOD("amoadd.d", 0x7fffffffffffffffull, 1);
  T_AMOD("amoxor.d", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull);
  T_AMOD("amoand.d", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull);
  T_AMOD("amoor.d", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull);
  T_AMOD("amomin.d", 0x8000000000000000ull, 0x7fffffffffffffffull);
  T_AMOD("amomin.d", 1, -1);
  T_AMOD("amomax.d", 0x8000000000000000ull, 0x7fffffffffffffffull);
  T_AMOD("amomax.d", 1, -1);
  T_AMOD("amominu.d", 0x8000000000000000ull, 0x7fffffffffffffffull);
  T_AMOD("amominu.d", 1, -1);
  T_AMOD("amomaxu.d", 0x8000000000000000ull, 0x7fffffffffffffffull);
  T_AMOD("amomaxu.d", 1, -1);

  // The high word of cell[0] as a .w target: the low word must not change.
  cell[0] = 0x00000000ffffffffull;
  u64 old = AMO("amoadd.w.aqrl", (uint32_t *)&cell[0] + 1, 0x80000000);
  show("amoadd.w.aqrl on the upper word: old", old);
  show("amoadd.w.aqrl on the upper word: mem", cell[0]);
  // rd = x0 discards the old value but still updates memory.
  cell[0] = 10;
  __asm__ volatile("amoadd.d zero, %1, (%0)" : : "r"(&cell[0]), "r"(5L) : "memory");
  show("amoadd.d with rd=zero: mem", cell[0]);
  return 0;
}

// CHECK:      amoswap.w 80000000, 0x1234567812345678ull: old ffffffff80000000 mem 5a5a5a5a12345678
// CHECK-NEXT: amoadd.w  7fffffff, 1                 : old 000000007fffffff mem 5a5a5a5a80000000
// CHECK-NEXT: amoadd.w  ffffffff, 0x100000001ull    : old ffffffffffffffff mem 5a5a5a5a00000000
// CHECK-NEXT: amoxor.w  f0f0f0f0, 0xffffffff        : old fffffffff0f0f0f0 mem 5a5a5a5a0f0f0f0f
// CHECK-NEXT: amoand.w  f0f0f0f0, 0x8000ffff        : old fffffffff0f0f0f0 mem 5a5a5a5a8000f0f0
// CHECK-NEXT: amoor.w   80000000, 0x00000001        : old ffffffff80000000 mem 5a5a5a5a80000001
// CHECK-NEXT: amomin.w  80000000, 0x7fffffff        : old ffffffff80000000 mem 5a5a5a5a80000000
// CHECK-NEXT: amomin.w  00000005, 0xfffffffe        : old 0000000000000005 mem 5a5a5a5afffffffe
// CHECK-NEXT: amomax.w  80000000, 0x7fffffff        : old ffffffff80000000 mem 5a5a5a5a7fffffff
// CHECK-NEXT: amomax.w  ffffffff, 0x100000000ull    : old ffffffffffffffff mem 5a5a5a5a00000000
// CHECK-NEXT: amominu.w 80000000, 0x7fffffff        : old ffffffff80000000 mem 5a5a5a5a7fffffff
// CHECK-NEXT: amominu.w 00000005, 0xfffffffe        : old 0000000000000005 mem 5a5a5a5a00000005
// CHECK-NEXT: amomaxu.w 80000000, 0x7fffffff        : old ffffffff80000000 mem 5a5a5a5a80000000
// CHECK-NEXT: amomaxu.w ffffffff, 0x1ffffffffull    : old ffffffffffffffff mem 5a5a5a5affffffff
// CHECK-NEXT: amoswap.d 8000000000000000, 42                : old 8000000000000000 mem 000000000000002a next 0123456789abcdef
// CHECK-NEXT: amoadd.d  7fffffffffffffff, 1                 : old 7fffffffffffffff mem 8000000000000000 next 0123456789abcdef
// CHECK-NEXT: amoxor.d  ff00ff00ff00ff00, 0x0ff00ff00ff00ff0ull: old ff00ff00ff00ff00 mem f0f0f0f0f0f0f0f0 next 0123456789abcdef
// CHECK-NEXT: amoand.d  ff00ff00ff00ff00, 0x0ff00ff00ff00ff0ull: old ff00ff00ff00ff00 mem 0f000f000f000f00 next 0123456789abcdef
// CHECK-NEXT: amoor.d   ff00ff00ff00ff00, 0x0ff00ff00ff00ff0ull: old ff00ff00ff00ff00 mem fff0fff0fff0fff0 next 0123456789abcdef
// CHECK-NEXT: amomin.d  8000000000000000, 0x7fffffffffffffffull: old 8000000000000000 mem 8000000000000000 next 0123456789abcdef
// CHECK-NEXT: amomin.d  0000000000000001, -1                : old 0000000000000001 mem ffffffffffffffff next 0123456789abcdef
// CHECK-NEXT: amomax.d  8000000000000000, 0x7fffffffffffffffull: old 8000000000000000 mem 7fffffffffffffff next 0123456789abcdef
// CHECK-NEXT: amomax.d  0000000000000001, -1                : old 0000000000000001 mem 0000000000000001 next 0123456789abcdef
// CHECK-NEXT: amominu.d 8000000000000000, 0x7fffffffffffffffull: old 8000000000000000 mem 7fffffffffffffff next 0123456789abcdef
// CHECK-NEXT: amominu.d 0000000000000001, -1                : old 0000000000000001 mem 0000000000000001 next 0123456789abcdef
// CHECK-NEXT: amomaxu.d 8000000000000000, 0x7fffffffffffffffull: old 8000000000000000 mem 8000000000000000 next 0123456789abcdef
// CHECK-NEXT: amomaxu.d 0000000000000001, -1                : old 0000000000000001 mem ffffffffffffffff next 0123456789abcdef
// CHECK-NEXT: amoadd.w.aqrl on the upper word: old = 0000000000000000
// CHECK-NEXT: amoadd.w.aqrl on the upper word: mem = 80000000ffffffff
// CHECK-NEXT: amoadd.d with rd=zero: mem           = 000000000000000f
