// A guest JIT that fences as RISC-V asks (__builtin___clear_cache, i.e.
// riscv_flush_icache, or fence.i) between writing code and running it
// does not pay a host fault per write: a page written and fenced three
// times in a row is fence-managed from then on (code_pages.h). It stays
// writable, and each fence drops what was translated from it. Checked in
// every tier, against qemu:
// - page A is rewritten 300 times, each time fenced: 3 stores are seen
//   (smc flushes), then none; every version runs;
// - page B is rewritten and fenced twice, then rewritten and run with no
//   fence, over and over: it never becomes fence-managed, and each
//   unfenced version runs at once because the store is seen;
// - a hot loop on page A (promoted in the adaptive tier) is rewritten and
//   fenced: the new loop runs;
// - page A made R-X and then RWX again is watched again: a store with no
//   fence is seen.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: FileCheck %s < %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t --hot-threshold=1000 --no-cache --stats %t > %t.out 2> %t.err || exit 1; diff %t.expected %t.out || exit 1; FileCheck --check-prefix=STATS %s < %t.err || exit 1; done
// Page A's first three fenced writes, page B's 300 writes (each after a
// translation), and the store after page A is watched again.
// STATS: smc flushes 304 (
// STATS: fence-managed pages 1 (
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

typedef long (*fn_t)(long);

// addi a0, a0, imm ; ret
static void emit_add(uint32_t *code, int imm) {
  code[0] = ((uint32_t)(imm & 0xfff) << 20) | (10 << 15) | (10 << 7) | 0x13;
  code[1] = 0x00008067;
}

// a0 = a0 * k by a loop of n additions:
//   mv t0, a0; li a0, 0; li t1, n
//   loop: add a0, a0, t0 ... (k times) ; addi t1, t1, -1; bnez t1, loop; ret
// computes a0 * k * n with k adds per iteration.
static void emit_loop(uint32_t *code, int k, int n) {
  int i = 0;
  code[i++] = (10 << 15) | (5 << 7) | 0x13;                         // addi t0, a0, 0
  code[i++] = (10 << 7) | 0x13;                                     // addi a0, zero, 0
  code[i++] = ((uint32_t)n << 20) | (6 << 7) | 0x13;                // addi t1, zero, n
  int loop = i;
  for (int j = 0; j < k; j++)
    code[i++] = (5 << 20) | (10 << 15) | (10 << 7) | 0x33;          // add a0, a0, t0
  code[i++] = (0xfffu << 20) | (6 << 15) | (6 << 7) | 0x13;          // addi t1, t1, -1
  int off = (loop - i) * 4; // bne t1, zero, loop (negative offset)
  uint32_t imm = (uint32_t)off;
  code[i++] = (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) |
              (6 << 15) | (1 << 12) | (((imm >> 1) & 0xf) << 8) |
              (((imm >> 11) & 1) << 7) | 0x63;
  code[i++] = 0x00008067;                                           // ret
}

static void flush(void *p) { __builtin___clear_cache((char *)p, (char *)p + 64); }

int main(void) {
  const int rwx = PROT_READ | PROT_WRITE | PROT_EXEC;
  char *mem = mmap(NULL, 2 * 4096, rwx, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uint32_t *a = (uint32_t *)mem, *b = (uint32_t *)(mem + 4096);

  long sum = 0;
  for (int i = 0; i < 300; i++) {
    emit_add(a, i);
    flush(a);
    sum += ((fn_t)a)(1000);
  }
  printf("page A rewritten 300 times: sum=%ld\n", sum);
  // CHECK: page A rewritten 300 times: sum=344850

  sum = 0;
  for (int i = 0; i < 100; i++) {
    emit_add(b, 1);
    flush(b);
    sum += ((fn_t)b)(0);
    emit_add(b, 2);
    flush(b);
    sum += ((fn_t)b)(0);
    emit_add(b, 3 + i);
    sum += ((fn_t)b)(0); // no fence: seen because the page is watched
  }
  printf("page B, two fences then none: sum=%ld\n", sum);
  // CHECK-NEXT: page B, two fences then none: sum=5550

  emit_loop(a, 2, 2000);
  flush(a);
  long r1 = ((fn_t)a)(3);
  for (int i = 0; i < 50; i++)
    r1 += ((fn_t)a)(3);
  emit_loop(a, 3, 2000);
  asm volatile("fence.i" ::: "memory");
  long r2 = ((fn_t)a)(3);
  printf("hot loop rewritten: %ld %ld\n", r1, r2);
  // CHECK-NEXT: hot loop rewritten: 612000 18000

  mprotect(a, 4096, PROT_READ | PROT_EXEC);
  mprotect(a, 4096, rwx);
  emit_add(a, 5);
  flush(a);
  long r3 = ((fn_t)a)(37);
  emit_add(a, 9);
  long r4 = ((fn_t)a)(33); // no fence: page A is watched again
  printf("after R-X and RWX again: %ld %ld\n", r3, r4);
  // CHECK-NEXT: after R-X and RWX again: 42 42
  return 0;
}
