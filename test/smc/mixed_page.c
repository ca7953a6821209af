// A page that holds code and data written all the time must not livelock:
// each store after a translation from the page makes it writable again and
// drops the translations; it is protected again only when code is next
// translated from it. So every call below costs a flush and a translation,
// and the program still finishes with the right counts:
// - C code increments a counter that sits next to the function it calls;
// - generated code increments a counter in its own page (the store faults
//   in the middle of the block that makes it, and the block completes);
// - the same, from two threads at once, each with its own counter.
//
// RUN: %rv-cc -O2 -pthread -I %S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: FileCheck %s < %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
#include "smc_encode.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#define CALLS 100

typedef long (*fn_t)(long, long);

static volatile uint32_t *code;

// f(x, counter): *counter += 1; return x + 5  (a 32-bit counter)
static void emit_counting(volatile uint32_t *at) {
  at[0] = rv_lw(T0, A1, 0);
  at[1] = rv_addi(T0, T0, 1);
  at[2] = rv_sw(T0, A1, 0);
  at[3] = rv_addi(A0, A0, 5);
  at[4] = rv_ret();
}

static void *count_in_own_page(void *arg) {
  volatile uint32_t *at = arg;
  volatile uint32_t *counter = at + 64;
  fn_t f = (fn_t)at;
  long bad = 0;
  for (int i = 0; i < CALLS; i++)
    bad += f(i, (long)counter) != i + 5;
  return (void *)bad;
}

int main(void) {
  code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED)
    return 1;

  // The C side writes the data.
  volatile long *data = (volatile long *)(code + 256);
  code[0] = rv_addi(A0, A0, 3);
  code[1] = rv_ret();
  fn_t f = (fn_t)code;
  long sum = 0;
  for (int i = 0; i < CALLS; i++) {
    sum += f(i, 0);
    (*data)++;
  }
  printf("C counter: %ld, sum %ld\n", *data, sum);
  // CHECK: C counter: 100, sum 5250

  // The generated code writes it.
  emit_counting(code);
  code[64] = 0;
  long bad = (long)count_in_own_page((void *)code);
  printf("own counter: %u, wrong results %ld\n", code[64], bad);
  // CHECK-NEXT: own counter: 100, wrong results 0

  // Two threads, two functions and two counters, one page.
  emit_counting(code + 512);
  code[512 + 64] = 0;
  code[64] = 0;
  pthread_t th;
  pthread_create(&th, NULL, count_in_own_page, (void *)(code + 512));
  long bad1 = (long)count_in_own_page((void *)code);
  void *bad2;
  pthread_join(th, &bad2);
  printf("two threads: %u and %u, wrong results %ld\n", code[64],
         code[512 + 64], bad1 + (long)bad2);
  // CHECK-NEXT: two threads: 100 and 100, wrong results 0
  return 0;
}
