// The bookkeeping behind store detection follows the guest's mmap,
// mprotect, mremap, munmap and madvise over code pages:
// - mprotect to RWX again keeps a translated page watched; an R-X page that
//   was run and is made RWX becomes watched; RWX -> RW -> RWX works;
// - a translated page made R-X faults on a store as a guest SIGSEGV (the
//   guest's protection wins), and made RWX again takes stores again;
// - a page that is unmapped and mapped again read-only, or mapped over
//   read-only with MAP_FIXED, faults on a store as a guest SIGSEGV;
// - a page moved by mremap runs and is watched at its new address;
// - in a 4 MiB mapping, code pages 3 MiB apart stay watched through an
//   mprotect of the whole mapping and an munmap between them.
// (MADV_DONTNEED over code: madvise_code.c.)
//
// RUN: %rv-cc -O2 -I %S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: FileCheck %s < %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
#define _GNU_SOURCE
#include "smc_encode.h"

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)
#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)

typedef long (*fn_t)(long);

static sigjmp_buf jump;
static volatile void *faultAddr;

static void onSegv(int sig, siginfo_t *si, void *ctx) {
  faultAddr = si->si_addr;
  siglongjmp(jump, 1);
}

static void emit(volatile uint32_t *at, int k) {
  at[0] = rv_addi(A0, A0, k);
  at[1] = rv_ret();
}

// Stores k's code at `at`; reports whether the store faulted.
static const char *tryEmit(volatile uint32_t *at, int k) {
  if (sigsetjmp(jump, 1) == 0) {
    at[0] = rv_addi(A0, A0, k);
    return "stored";
  }
  return faultAddr == (void *)at ? "SIGSEGV" : "SIGSEGV at a wrong address";
}

static long call(volatile uint32_t *at, long x) { return ((fn_t)at)(x); }

static volatile uint32_t *map(void *at, int prot, int flags) {
  void *p = mmap(at, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  return p;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = onSegv;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, NULL);

  volatile uint32_t *c = map(NULL, RWX, 0);
  emit(c, 1);
  long a = call(c, 100);
  mprotect((void *)c, 4096, RWX);
  emit(c, 2);
  printf("RWX again: %ld %ld\n", a, call(c, 100));
  // CHECK: RWX again: 101 102

  emit(c, 3);
  mprotect((void *)c, 4096, RX);
  a = call(c, 100);
  mprotect((void *)c, 4096, RWX);
  emit(c, 4);
  printf("R-X then RWX: %ld %ld\n", a, call(c, 100));
  // CHECK-NEXT: R-X then RWX: 103 104

  mprotect((void *)c, 4096, RW);
  emit(c, 5);
  mprotect((void *)c, 4096, RWX);
  printf("RW then RWX: %ld\n", call(c, 100));
  // CHECK-NEXT: RW then RWX: 105

  mprotect((void *)c, 4096, RX);
  const char *what = tryEmit(c, 6);
  printf("store to R-X code: %s, runs %ld\n", what, call(c, 100));
  mprotect((void *)c, 4096, RWX);
  what = tryEmit(c, 7);
  printf("store to RWX again: %s, runs %ld\n", what, call(c, 100));
  // CHECK-NEXT: store to R-X code: SIGSEGV, runs 105
  // CHECK-NEXT: store to RWX again: stored, runs 107

  munmap((void *)c, 4096);
  volatile uint32_t *ro = map((void *)c, PROT_READ, MAP_FIXED);
  what = tryEmit(ro, 8);
  printf("store after munmap + mmap read-only: %s\n", what);
  // CHECK-NEXT: store after munmap + mmap read-only: SIGSEGV
  munmap((void *)ro, 4096);

  c = map(NULL, RWX, 0);
  emit(c, 9);
  a = call(c, 100);
  ro = map((void *)c, PROT_READ, MAP_FIXED);
  what = tryEmit(ro, 10);
  printf("ran %ld, store after MAP_FIXED read-only over it: %s\n", a, what);
  // CHECK-NEXT: ran 109, store after MAP_FIXED read-only over it: SIGSEGV

  c = map((void *)ro, RWX, MAP_FIXED);
  emit(c, 11);
  a = call(c, 100);
  volatile uint32_t *moved = map(NULL, PROT_NONE, 0); // a free address
  moved = mremap((void *)c, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED,
                 (void *)moved);
  if (moved == MAP_FAILED) {
    perror("mremap");
    return 1;
  }
  long b = call(moved, 100);
  emit(moved, 12);
  printf("mremap: %ld, moved %ld, rewritten %ld\n", a, b, call(moved, 100));
  // CHECK-NEXT: mremap: 111, moved 111, rewritten 112
  munmap((void *)moved, 4096);

  volatile uint32_t *big = mmap(NULL, 4 << 20, RWX,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  volatile uint32_t *far = big + (3 << 20) / 4;
  emit(big, 13);
  emit(far, 14);
  a = call(big, 100) + call(far, 1000);
  mprotect((void *)big, 4 << 20, RWX);
  munmap((void *)(big + (1 << 20) / 4), 1 << 20);
  big[0] = rv_addi(A0, A0, 15);
  far[0] = rv_addi(A0, A0, 16);
  printf("4 MiB mapping: %ld, rewritten %ld\n", a,
         call(big, 100) + call(far, 1000));
  // CHECK-NEXT: 4 MiB mapping: 1127, rewritten 1131
  return 0;
}
