// Loads sign- or zero-extend by width (lb/lbu, lh/lhu, lw/lwu, ld); stores
// write only their width. Misaligned accesses are allowed in Linux user
// mode and must behave like aligned ones, including across a page boundary.
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "isa.h"
#include <string.h>
#include <sys/mman.h>

#define LOAD(insn, ptr)                                                        \
  ({                                                                           \
    u64 r_;                                                                    \
    __asm__ volatile(insn " %0, 0(%1)" : "=r"(r_) : "r"(ptr) : "memory");     \
    r_;                                                                        \
  })
#define STORE(insn, ptr, v)                                                    \
  __asm__ volatile(insn " %1, 0(%0)" : : "r"(ptr), "r"((u64)(v)) : "memory")

static void dump(const char *what, const unsigned char *p, int n) {
  printf("%-36s =", what);
  for (int i = 0; i < n; ++i)
    printf(" %02x", p[i]);
  printf("\n");
}

static void loads(const char *label, const unsigned char *p) {
  char what[64];
  static const char *const insns[] = {"lb", "lbu", "lh", "lhu", "lw", "lwu", "ld"};
  for (int i = 0; i < 7; ++i) {
    snprintf(what, sizeof what, "%s %s", insns[i], label);
    u64 v;
    switch (i) {
    case 0: v = LOAD("lb", p); break;
    case 1: v = LOAD("lbu", p); break;
    case 2: v = LOAD("lh", p); break;
    case 3: v = LOAD("lhu", p); break;
    case 4: v = LOAD("lw", p); break;
    case 5: v = LOAD("lwu", p); break;
    default: v = LOAD("ld", p); break;
    }
    show(what, v);
  }
}

int main(void) {
  static unsigned char buf[64] __attribute__((aligned(16)));
  static const unsigned char pattern[16] = {0x80, 0xff, 0x7f, 0x81, 0xfe,
                                            0x01, 0x00, 0x90, 0x11, 0x22,
                                            0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
  memcpy(buf, pattern, 16);
  loads("aligned 80 ff 7f 81", buf);
  memcpy(buf + 1, pattern, 16);
  loads("offset 1", buf + 1);
  memcpy(buf + 3, pattern + 4, 12);
  loads("offset 3 fe 01 00 90", buf + 3);

  memset(buf, 0xaa, sizeof buf);
  STORE("sb", buf + 1, 0x123456789abcdef0ull);
  STORE("sh", buf + 3, 0x123456789abcdef0ull);
  STORE("sw", buf + 7, 0x123456789abcdef0ull);
  STORE("sd", buf + 13, 0x0102030405060708ull);
  dump("sb@1 sh@3 sw@7 sd@13", buf, 24);

  // Misaligned accesses that straddle a page boundary.
  unsigned char *pages = mmap(0, 8192, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  unsigned char *edge = pages + 4096 - 3;
  STORE("sd", edge, 0x8877665544332211ull);
  show("ld across page", LOAD("ld", edge));
  show("lw across page", LOAD("lw", edge + 1));
  show("lhu across page", LOAD("lhu", edge + 2));
  dump("bytes around the edge", edge - 1, 10);
  munmap(pages, 8192);
  return 0;
}

// CHECK:      lb aligned 80 ff 7f 81               = ffffffffffffff80
// CHECK-NEXT: lbu aligned 80 ff 7f 81              = 0000000000000080
// CHECK-NEXT: lh aligned 80 ff 7f 81               = ffffffffffffff80
// CHECK-NEXT: lhu aligned 80 ff 7f 81              = 000000000000ff80
// CHECK-NEXT: lw aligned 80 ff 7f 81               = ffffffff817fff80
// CHECK-NEXT: lwu aligned 80 ff 7f 81              = 00000000817fff80
// CHECK-NEXT: ld aligned 80 ff 7f 81               = 900001fe817fff80
// CHECK-NEXT: lb offset 1                          = ffffffffffffff80
// CHECK-NEXT: lbu offset 1                         = 0000000000000080
// CHECK-NEXT: lh offset 1                          = ffffffffffffff80
// CHECK-NEXT: lhu offset 1                         = 000000000000ff80
// CHECK-NEXT: lw offset 1                          = ffffffff817fff80
// CHECK-NEXT: lwu offset 1                         = 00000000817fff80
// CHECK-NEXT: ld offset 1                          = 900001fe817fff80
// CHECK-NEXT: lb offset 3 fe 01 00 90              = fffffffffffffffe
// CHECK-NEXT: lbu offset 3 fe 01 00 90             = 00000000000000fe
// CHECK-NEXT: lh offset 3 fe 01 00 90              = 00000000000001fe
// CHECK-NEXT: lhu offset 3 fe 01 00 90             = 00000000000001fe
// CHECK-NEXT: lw offset 3 fe 01 00 90              = ffffffff900001fe
// CHECK-NEXT: lwu offset 3 fe 01 00 90             = 00000000900001fe
// CHECK-NEXT: ld offset 3 fe 01 00 90              = 44332211900001fe
// CHECK-NEXT: sb@1 sh@3 sw@7 sd@13                 = aa f0 aa f0 de aa aa f0 de bc 9a aa aa 08 07 06 05 04 03 02 01 aa aa aa
// CHECK-NEXT: ld across page                       = 8877665544332211
// CHECK-NEXT: lw across page                       = 0000000055443322
// CHECK-NEXT: lhu across page                      = 0000000000004433
// CHECK-NEXT: bytes around the edge                = 00 11 22 33 44 55 66 77 88 00
