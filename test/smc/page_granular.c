// Writing code drops the translations made from the pages written and no
// others. A guest JIT rewrites one function (page A) and the tail of a
// block that starts on the page before (page D, read by a block that
// starts on page C), and calls them and a function on page B that it never
// writes from a loop in the program's own text. Every result is compared
// with qemu in every tier.
// With -d in_asm each translation is logged ("IN: block 0x..."): the
// rewritten function and the block that crosses into the rewritten page
// are translated once per version; the untouched function, and every block
// of the program, exactly once.
//
// RUN: %rv-cc -O2 -I %S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: FileCheck %s < %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t --hot-threshold=100000 --no-cache %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: for t in template block; do %xlat-run --tier=$t --no-cache -d in_asm -D %t.$t.log %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// The function on page A and the block from page C into page D: once per
// version (50 each).
// RUN: test $(grep -c "^IN: block 0x0*20000000$" %t.template.log) -eq 50
// RUN: test $(grep -c "^IN: block 0x0*20002ff8$" %t.template.log) -eq 50
// RUN: test $(grep -c "^IN: block 0x0*20000000$" %t.block.log) -eq 50
// RUN: test $(grep -c "^IN: block 0x0*20002ff8$" %t.block.log) -eq 50
// Everything else, once: nothing but those two is translated twice.
// RUN: grep "^IN: block" %t.template.log | sort | uniq -d > %t.twice
// RUN: not grep -v -e 20000000 -e 20002ff8 %t.twice
// RUN: grep "^IN: block 0x0*20001000$" %t.template.log | count 1
// RUN: grep "^IN: block" %t.block.log | sort | uniq -d > %t.twice
// RUN: not grep -v -e 20000000 -e 20002ff8 %t.twice
// RUN: grep "^IN: block 0x0*20001000$" %t.block.log | count 1
#include "smc_encode.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

typedef long (*fn_t)(long);

#define BASE 0x20000000ul
#define PAGE 4096

int main(void) {
  uint8_t *base = mmap((void *)BASE, 4 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (base != (uint8_t *)BASE) {
    printf("mmap failed\n");
    return 1;
  }
  uint32_t *a = (uint32_t *)base;              // page A: rewritten
  uint32_t *b = (uint32_t *)(base + PAGE);     // page B: code never written
  uint32_t *c = (uint32_t *)(base + 3 * PAGE - 8); // the end of page C
  uint32_t *d = (uint32_t *)(base + 3 * PAGE); // page D: the block's tail
  b[0] = rv_addi(A0, A0, 7);
  b[1] = rv_ret();
  c[0] = rv_addi(A0, A0, 1);
  c[1] = rv_addi(A0, A0, 2);
  d[0] = rv_addi(A0, A0, 0);
  d[1] = rv_ret();
  long sum = 0, stable = 0, cross = 0;
  for (int v = 0; v < 50; v++) {
    a[0] = rv_addi(A0, A0, v);
    a[1] = rv_ret();
    d[0] = rv_addi(A0, A0, 10 * v);
    __builtin___clear_cache((char *)base, (char *)(base + 4 * PAGE));
    for (int i = 0; i < 20; i++) {
      sum += ((fn_t)a)(i);
      stable += ((fn_t)b)(i);
      cross += ((fn_t)c)(i);
    }
  }
  printf("rewritten 50 times: sum=%ld stable=%ld cross=%ld\n", sum, stable,
         cross);
  // CHECK: rewritten 50 times: sum=34000 stable=16500 cross=257500
  return 0;
}
