// malloc/calloc/realloc/free under a deterministic random workload: brk
// growth, mmap'd large blocks, realloc moves and shrinks. Every block carries
// a pattern that is verified before it is freed or resized.
//
// RUN: %rv-cc -O0 %s -o %t.O0
// RUN: %rv-cc -O2 %s -o %t.O2
// RUN: %qemu-riscv64 %t.O0 > %t.O0.ref
// RUN: %qemu-riscv64 %t.O2 > %t.O2.ref
// RUN: %xlat-run --tier=interp %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=block  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=template  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=interp %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=block  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=template  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// The same program for AArch64 in its tiers (%{a64-tiers}), against qemu-aarch64:
// RUN: %a64-gcc -O2 %s -o %t.a64
// RUN: %qemu-aarch64 %t.a64 > %t.a64.ref
// RUN: for t in %{a64-tiers}; do %xlat-run $t %t.a64 > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kSlots = 512, kRounds = 20000 };

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)rng;
}

struct Block {
  unsigned char *p;
  size_t n;
  unsigned char tag;
};

static void fill(struct Block *b) {
  for (size_t i = 0; i < b->n; ++i)
    b->p[i] = (unsigned char)(b->tag + i);
}

static int verify(const struct Block *b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (b->p[i] != (unsigned char)(b->tag + i))
      return 0;
  return 1;
}

static size_t randomSize(void) {
  uint32_t r = next();
  if (r % 100 == 0)
    return 128 * 1024 + r % (512 * 1024); // above the mmap threshold
  return r % 2048;
}

int main(void) {
  static struct Block slots[kSlots];
  unsigned long bad = 0, mallocs = 0, reallocs = 0, frees = 0;
  for (int round = 0; round < kRounds; ++round) {
    struct Block *b = &slots[next() % kSlots];
    if (!b->p) {
      b->n = randomSize();
      b->tag = (unsigned char)next();
      b->p = malloc(b->n ? b->n : 1);
      fill(b);
      ++mallocs;
    } else if (next() % 3 == 0) {
      size_t n = randomSize();
      bad += !verify(b, b->n);
      b->p = realloc(b->p, n ? n : 1);
      bad += !verify(b, n < b->n ? n : b->n);
      b->n = n;
      fill(b);
      ++reallocs;
    } else {
      bad += !verify(b, b->n);
      free(b->p);
      b->p = NULL;
      ++frees;
    }
  }
  for (int i = 0; i < kSlots; ++i) {
    if (slots[i].p)
      bad += !verify(&slots[i], slots[i].n);
    free(slots[i].p);
  }
  // calloc must hand back zeroed memory, also when it reuses freed blocks.
  unsigned long nonzero = 0;
  for (int i = 1; i < 200; ++i) {
    unsigned char *p = calloc(i, 37);
    for (int j = 0; j < i * 37; ++j)
      nonzero += p[j] != 0;
    memset(p, 0xff, i * 37);
    free(p);
  }
  void *big = malloc(64 << 20);
  memset(big, 1, 64 << 20);
  free(big);
  printf("mallocs=%lu reallocs=%lu frees=%lu\n", mallocs, reallocs, frees);
  printf("bad=%lu nonzero=%lu big=%s\n", bad, nonzero, big ? "ok" : "null");
  return 0;
}

// CHECK: mallocs={{[0-9]+}} reallocs={{[0-9]+}} frees={{[0-9]+}}
// CHECK-NEXT: bad=0 nonzero=0 big=ok
