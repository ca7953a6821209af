// A guest JIT under a small code cache: it generates many functions, runs
// each a few times and throws it away (rewritten in place, or unmapped and
// mapped afresh), while another thread keeps creating and joining threads.
// Each new function is new code to translate, so the code buffers fill
// and their oldest segments are evicted (--code-cache-size=256K, 1M) again
// and again, with threads going in and out of translated code; nothing may
// change.
//
// RUN: %rv-cc -O2 -pthread -I %S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t 12 256 > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t --code-cache-size=256K --stats %t 12 256 > %t.out 2> %t.stats.$t || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck --check-prefix=SHORT %s < %t.out
// RUN: FileCheck --check-prefix=RECYCLED %s < %t.stats.template
// RUN: FileCheck --check-prefix=RECYCLED %s < %t.stats.adaptive
// RECYCLED: code evictions {{[1-9][0-9]*}} ({{[0-9.]+}} MiB freed)
// SHORT: generated 12 functions of 256 instructions:
// Longer, where translation is cheap: 200 functions.
// RUN: %qemu-riscv64 %t 200 512 > %t.expected
// RUN: for t in template adaptive; do %xlat-run --tier=$t --code-cache-size=1M --stats %t 200 512 > %t.out 2> %t.stats.$t || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
// RUN: FileCheck --check-prefix=RECYCLED %s < %t.stats.template
// Under a code cache 25 times the size of all the code it makes the buffer
// is never full: its segments (1 MiB) are evicted because the code in them
// is mostly dead, and the memory is reused.
// RUN: for t in template adaptive; do %xlat-run --no-cache --tier=$t --code-cache-size=64M --stats %t 200 512 > %t.out 2> %t.stats.$t || exit 1; diff %t.expected %t.out || exit 1; FileCheck --check-prefix=RECYCLED %s < %t.stats.$t || exit 1; done
#include "thread_churn.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

typedef long (*fn_t)(long);



// n instructions: addi or xori on a0 with immediates that depend on the
// function's number, then ret.
static void emit(uint32_t *code, int fn, int n) {
  for (int i = 0; i < n; i++) {
    int imm = (fn * 7 + i * 13) % 2047 - 1023;
    uint32_t funct3 = i % 5 == 4 ? 4 : 0; // xori : addi
    code[i] = ((uint32_t)(imm & 0xfff) << 20) | (10 << 15) | (funct3 << 12) |
              (10 << 7) | 0x13;
  }
  code[n] = 0x00008067; // ret
}

int main(int argc, char **argv) {
  int fns = argc > 1 ? atoi(argv[1]) : 200;
  int insns = argc > 2 ? atoi(argv[2]) : 512;
  size_t bytes = ((size_t)(insns + 1) * 4 + 4095) & ~(size_t)4095;
  start_thread_churn();
  uint32_t *code = mmap(NULL, bytes, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  unsigned long sum = 0;
  for (int f = 0; f < fns; f++) {
    if (f % 3 == 2) {
      munmap(code, bytes);
      code = mmap(NULL, bytes, PROT_READ | PROT_WRITE | PROT_EXEC,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    emit(code, f, insns);
    __builtin___clear_cache((char *)code, (char *)(code + insns + 1));
    for (int r = 0; r < 3; r++)
      sum = sum * 31 + (unsigned long)((fn_t)code)(f + r);
    if (f % 50 == 49)
      printf("after %d functions: %lx\n", f + 1, sum);
  }
  stop_thread_churn();
  printf("generated %d functions of %d instructions: %lx\n", fns, insns, sum);
  return 0;
}
// CHECK: after 50 functions:
// CHECK: after 200 functions:
// CHECK: generated 200 functions of 512 instructions:
