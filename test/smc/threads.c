// One thread rewrites code that another thread runs, without fence.i or
// __builtin___clear_cache: a store into translated code drops the
// translations of every thread and sends each back to its dispatcher, so
// the other thread runs the new code from its next call on.
// - lockstep: the writer publishes each version with an atomic flag and
//   waits for the runner to report; the runner spins on the flag (chained
//   code with no syscall in between) and then calls the code. Both ways
//   round: main writes and a thread runs, then the reverse.
// - polling: the runner calls the code in a loop until it sees the new
//   version (stale code would never change), and never sees an older one.
//
// RUN: %rv-cc -O2 -pthread -I %S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: FileCheck %s < %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
#include "smc_encode.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define ROUNDS 40

typedef long (*fn_t)(long);

static volatile uint32_t *code;
static atomic_int published = -1, seen = -1;
static long results[ROUNDS];

static void write_version(int v) {
  code[0] = rv_addi(A0, A0, v);
}

static void writer(void) {
  for (int r = 0; r < ROUNDS; r++) {
    write_version(r);
    atomic_store(&published, r);
    while (atomic_load(&seen) != r)
      ;
  }
}

static void runner(void) {
  fn_t f = (fn_t)code;
  for (int r = 0; r < ROUNDS; r++) {
    while (atomic_load(&published) != r)
      ;
    results[r] = f(1000);
    atomic_store(&seen, r);
  }
}

static void *writer_thread(void *arg) {
  writer();
  return NULL;
}
static void *runner_thread(void *arg) {
  runner();
  return NULL;
}

static void lockstep(const char *name, int mainWrites) {
  atomic_store(&published, -1);
  atomic_store(&seen, -1);
  write_version(-1);
  ((fn_t)code)(0); // translated before the first rewrite
  pthread_t th;
  pthread_create(&th, NULL, mainWrites ? runner_thread : writer_thread, NULL);
  if (mainWrites)
    writer();
  else
    runner();
  pthread_join(th, NULL);
  int bad = 0;
  for (int r = 0; r < ROUNDS; r++)
    bad += results[r] != 1000 + r;
  printf("%s: %d rounds, wrong=%d\n", name, ROUNDS, bad);
}

// The runner calls until it sees version v, then acknowledges.
static atomic_int polled = 0;
static atomic_int older;

static void *poll_thread(void *arg) {
  fn_t f = (fn_t)code;
  long last = f(0);
  for (int v = 1; v <= ROUNDS; v++) {
    long r;
    unsigned long calls = 0;
    while ((r = f(0)) != v) {
      if (r < last)
        atomic_fetch_add(&older, 1);
      last = r;
      if (++calls == 400000000ul) {
        printf("polling: version %d never seen (still %ld)\n", v, r);
        exit(1);
      }
    }
    last = r;
    atomic_store(&polled, v);
  }
  return NULL;
}

static void polling(void) {
  write_version(0);
  pthread_t th;
  pthread_create(&th, NULL, poll_thread, NULL);
  for (int v = 1; v <= ROUNDS; v++) {
    write_version(v);
    while (atomic_load(&polled) != v)
      ;
  }
  pthread_join(th, NULL);
  printf("polling: %d versions seen, older after newer=%d\n", ROUNDS,
         atomic_load(&older));
}

int main(void) {
  code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED)
    return 1;
  code[1] = rv_ret();
  lockstep("main writes", 1);
  // CHECK: main writes: 40 rounds, wrong=0
  lockstep("thread writes", 0);
  // CHECK-NEXT: thread writes: 40 rounds, wrong=0
  polling();
  // CHECK-NEXT: polling: 40 versions seen, older after newer=0
  return 0;
}
