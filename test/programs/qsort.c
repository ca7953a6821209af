// qsort and bsearch with function-pointer comparators: indirect calls from
// libc back into the program, on ints, structs and strings.
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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kN = 20000 };

static int cmpInt(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int cmpStr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct Pair {
  long key;
  short id;
};

static int cmpPairDesc(const void *a, const void *b) {
  const struct Pair *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? 1 : -1;
  return x->id - y->id;
}

int main(void) {
  static int v[kN];
  unsigned seed = 12345;
  for (int i = 0; i < kN; ++i) {
    seed = seed * 1103515245u + 12345u;
    v[i] = (int)(seed >> 1) - (1 << 30);
  }
  qsort(v, kN, sizeof v[0], cmpInt);
  int sorted = 1;
  long long sum = 0;
  for (int i = 0; i < kN; ++i) {
    sorted &= i == 0 || v[i - 1] <= v[i];
    sum += v[i];
  }
  printf("sorted=%d sum=%lld min=%d max=%d\n", sorted, sum, v[0], v[kN - 1]);
  int key = v[kN / 3];
  int *hit = bsearch(&key, v, kN, sizeof v[0], cmpInt);
  printf("bsearch=%s\n", hit && *hit == key ? "found" : "missing");
  key = 7;
  printf("bsearch7=%s\n", bsearch(&key, v, kN, sizeof v[0], cmpInt) ? "found" : "missing");

  const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date",
                         "apricot", "kiwi", "Zebra", "", "apple"};
  size_t nw = sizeof words / sizeof words[0];
  qsort(words, nw, sizeof words[0], cmpStr);
  for (size_t i = 0; i < nw; ++i)
    printf("[%s]", words[i]);
  printf("\n");

  struct Pair pairs[8];
  for (int i = 0; i < 8; ++i)
    pairs[i] = (struct Pair){(long)(i % 3) - 1, (short)i};
  qsort(pairs, 8, sizeof pairs[0], cmpPairDesc);
  for (int i = 0; i < 8; ++i)
    printf("%ld:%d ", pairs[i].key, pairs[i].id);
  printf("\n");
  return 0;
}

// CHECK: sorted=1 sum={{-?[0-9]+}} min={{-?[0-9]+}} max={{[0-9]+}}
// CHECK-NEXT: bsearch=found
// CHECK-NEXT: bsearch7=missing
// CHECK-NEXT: [][Zebra][apple][apple][apricot][banana][cherry][date][fig][kiwi][pear]
// CHECK-NEXT: 1:2 1:5 0:1 0:4 0:7 -1:0 -1:3 -1:6
