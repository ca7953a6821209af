// fence and fence.i: every fence form decodes and is harmless, and fence.i
// makes newly written code visible: code is written to an executable
// buffer, run, overwritten and run again (self-modifying code must not run
// a stale translation).
//
// RUN: %rv-cc -O2 -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "isa.h"
#include <string.h>
#include <sys/mman.h>

typedef long (*Fn)(long);

// addi a0, a0, imm ; ret
static void emitAddi(uint32_t *code, int imm) {
  code[0] = ((uint32_t)(imm & 0xfff) << 20) | (10u << 15) | (10u << 7) | 0x13;
  code[1] = 0x00008067; // jalr x0, 0(ra)
}

int main(void) {
  __asm__ volatile("fence" ::: "memory");
  __asm__ volatile("fence rw, rw" ::: "memory");
  __asm__ volatile("fence r, r" ::: "memory");
  __asm__ volatile("fence w, w" ::: "memory");
  __asm__ volatile("fence iorw, iorw" ::: "memory");
  __asm__ volatile("fence.tso" ::: "memory");
  __asm__ volatile("fence.i" ::: "memory");
  printf("fences ok\n");

  uint32_t *code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) {
    printf("mmap failed\n");
    return 1;
  }
  Fn fn = (Fn)code;
  long total = 0;
  for (int round = 1; round <= 5; ++round) {
    emitAddi(code, round * 100);
    __asm__ volatile("fence.i" ::: "memory");
    // Call it twice: the second call may run a cached translation.
    long r1 = fn(round), r2 = fn(round);
    printf("round %d: %ld %ld\n", round, r1, r2);
    total += r1 + r2;
  }
  // Patch only the immediate of an instruction that already ran.
  code[0] = (code[0] & 0xfffff) | (7u << 20);
  __asm__ volatile("fence.i" ::: "memory");
  printf("patched: %ld\n", fn(1));

  // Code moved to a new place with mprotect in between (a loader pattern).
  emitAddi(code + 256, -1);
  mprotect(code, 4096, PROT_READ | PROT_EXEC);
  __asm__ volatile("fence.i" ::: "memory");
  printf("after mprotect: %ld %ld\n", ((Fn)(code + 256))(1), fn(0));
  printf("total %ld\n", total);
  munmap(code, 4096);
  return 0;
}

// CHECK:      fences ok
// CHECK-NEXT: round 1: 101 101
// CHECK-NEXT: round 2: 202 202
// CHECK-NEXT: round 3: 303 303
// CHECK-NEXT: round 4: 404 404
// CHECK-NEXT: round 5: 505 505
// CHECK-NEXT: patched: 8
// CHECK-NEXT: after mprotect: 0 7
// CHECK-NEXT: total 3030
