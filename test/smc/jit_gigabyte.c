// A long-running guest JIT in bounded memory: it writes 1 GiB of code in
// total into 1 MiB arenas (a fresh mapping, then the same one rewritten in
// place, by turns), runs a function at the start of every page (the rest
// of the page is code that never runs) and drops each arena, while a timer
// signal arrives every millisecond and another thread keeps creating and
// joining threads. xlat runs it under a 16 MiB code cache, so the buffers'
// oldest segments are evicted again and again, and its output must be
// qemu's.
// The interpreter writes 64 MiB; the block and region tiers, which compile
// every function with LLVM, write 8 MiB (2048 functions) under the smallest
// code cache.
//
// RUN: %rv-cc -O2 -pthread -I %S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t 1024 > %t.expected
// RUN: FileCheck %s < %t.expected
// RUN: for t in %{tiers}; do case $t in template|adaptive) ;; *) continue;; esac; %xlat-run --tier=$t --code-cache-size=16M --stats %t 1024 > %t.out 2> %t.stats || exit 1; diff %t.expected %t.out || exit 1; FileCheck --check-prefix=RECYCLED %s < %t.stats || exit 1; done
// RUN: %qemu-riscv64 %t 64 > %t.expected64
// RUN: for t in %{tiers}; do case $t in interp) ;; *) continue;; esac; %xlat-run --tier=$t %t 64 > %t.out || exit 1; diff %t.expected64 %t.out || exit 1; done
// RUN: %qemu-riscv64 %t 8 > %t.expected8
// RUN: for t in %{tiers}; do case $t in block|region) ;; *) continue;; esac; %xlat-run --tier=$t --code-cache-size=256K --stats %t 8 > %t.out 2> %t.stats || exit 1; diff %t.expected8 %t.out || exit 1; FileCheck --check-prefix=RECYCLED %s < %t.stats || exit 1; done
// RECYCLED: code evictions {{[1-9][0-9]*}} ({{[0-9.]+}} MiB freed)
// CHECK: wrote 1024 MiB of code, 262144 functions run: checksum {{[0-9a-f]+}}
// CHECK-NEXT: timer signals arrived
#include "smc_encode.h"

#include "thread_churn.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>

enum { ARENA = 1 << 20, PAGE = 4096 };

typedef long (*fn_t)(long);

static volatile sig_atomic_t ticks;

static void tick(int sig) {
  (void)sig;
  ticks++;
}


static uint8_t *fresh_arena(void) {
  void *p = mmap(NULL, ARENA, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  long mib = argc > 1 ? atol(argv[1]) : 1024;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = tick;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval every_ms = {{0, 1000}, {0, 1000}};
  setitimer(ITIMER_REAL, &every_ms, NULL);
  start_thread_churn();

  // Filler: a page of `addi t0, t0, 1`, never run, copied after each
  // function.
  static uint32_t filler[PAGE / 4];
  for (int i = 0; i < PAGE / 4; i++)
    filler[i] = rv_addi(T0, T0, 1);

  uint8_t *arena = NULL;
  unsigned long sum = 0, functions = 0;
  for (long a = 0; a < mib; a++) {
    if (a % 2 == 0) { // a fresh mapping; odd arenas rewrite it in place
      if (arena)
        munmap(arena, ARENA);
      arena = fresh_arena();
    }
    for (int p = 0; p < ARENA / PAGE; p++) {
      uint32_t *code = (uint32_t *)(arena + p * PAGE);
      memcpy(code, filler, PAGE);
      long n = a * (ARENA / PAGE) + p;
      code[0] = rv_addi(A0, A0, (int)(n * 7 % 2000) - 1000);
      code[1] = ((uint32_t)(n & 0x3ff) << 20) | (A0 << 15) | (4 << 12) |
                (A0 << 7) | 0x13; // xori a0, a0, n & 0x3ff
      code[2] = rv_ret();
    }
    __builtin___clear_cache((char *)arena, (char *)arena + ARENA);
    for (int p = 0; p < ARENA / PAGE; p++) {
      sum = sum * 31 + (unsigned long)((fn_t)(arena + p * PAGE))((long)(sum & 0xffff));
      functions++;
    }
  }
  stop_thread_churn();
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("wrote %ld MiB of code, %lu functions run: checksum %lx\n", mib,
         functions, sum);
  printf(ticks ? "timer signals arrived\n" : "no timer signal\n");
  return 0;
}
