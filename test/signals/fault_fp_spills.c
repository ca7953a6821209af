// A loop's FP registers reach a fault handler exact when an access in the
// loop faults, in every tier. Compiled code keeps up to four of them in
// SSE registers across the loop's accesses instead of storing them before
// each: the access's fault path stores them (the range check), or the
// runner copies them from the host signal context (a host fault on an
// unmapped page). With more changed than that, the access stores the rest
// first. Both, for both kinds of fault, each register a different count
// of steps so that a swapped or stale one shows.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers} region; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: %xlat-run --no-cache --tier=adaptive --background-compile=off --stats %t 2> %t.stats > %t.out
// RUN: diff %t.expected %t.out
// RUN: FileCheck --check-prefix=PROMOTED %s < %t.stats
// From an xlat-aot cache: the spills go through the cache file.
// RUN: rm -rf %t.cache && %xlat-aot --cache-dir=%t.cache %t > /dev/null
// RUN: %xlat-run --cache-dir=%t.cache --background-compile=off --stats %t 2> %t.stats > %t.out
// RUN: diff %t.expected %t.out
// RUN: FileCheck --check-prefix=CACHED %s < %t.stats
// RUN: FileCheck %s < %t.out
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

enum { kSlots = 128, kBadSlot = 64 };
static uintptr_t ptrs[kSlots];
static unsigned char byte = 1;
static volatile double seen[32];
static volatile uintptr_t seen_pc;

static void on_segv(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  for (int r = 0; r < 32; r++)
    memcpy((void *)&seen[r], &uc->uc_mcontext.__fpregs.__d.__f[r], 8);
  seen_pc = uc->uc_mcontext.__gregs[REG_PC];
  uc->uc_mcontext.__gregs[13] = 0; // a3, the bound: the loop ends
  uc->uc_mcontext.__gregs[REG_PC] += 4;
}

// fa0-fa1 (FEW) or fa0-fa5 (MANY) add 1, 2, ... each lap; t0 walks ptrs, t1
// is the pointer loaded: the access `2:` faults at slot 64.
#define LOOP(MORE)                                                            \
  asm volatile("mv t0, %1\n\tli a1, 0\n\tli a3, 128\n\t"                      \
               "fmv.d.x fa0, zero\n\tfmv.d.x fa1, zero\n\tfmv.d.x fa2, zero\n\t" \
               "fmv.d.x fa3, zero\n\tfmv.d.x fa4, zero\n\tfmv.d.x fa5, zero\n\t" \
               "fld fa6, 0(%2)\n\tfld fa7, 8(%2)\n"                           \
               "1:\tld t1, 0(t0)\n\tfadd.d fa0, fa0, fa6\n\t"                 \
               "fadd.d fa1, fa1, fa7\n\t" MORE                                \
               "2:\tlbu t2, 0(t1)\n\taddi a1, a1, 1\n\taddi t0, t0, 8\n\t"    \
               "blt a1, a3, 1b\n\tla %0, 2b"                                  \
               : "=r"(at)                                                     \
               : "r"(ptrs), "r"(steps)                                        \
               : "t0", "t1", "t2", "a1", "a3", "fa0", "fa1", "fa2", "fa3",   \
                 "fa4", "fa5", "fa6", "fa7", "memory")
#define FEW ""
#define MANY                                                                  \
  "fadd.d fa2, fa2, fa6\n\tfadd.d fa2, fa2, fa7\n\t"                          \
  "fadd.d fa3, fa3, fa7\n\tfadd.d fa3, fa3, fa7\n\t"                          \
  "fadd.d fa4, fa4, fa6\n\tfadd.d fa4, fa4, fa7\n\tfadd.d fa4, fa4, fa7\n\t"  \
  "fadd.d fa5, fa5, fa7\n\tfadd.d fa5, fa5, fa7\n\tfadd.d fa5, fa5, fa7\n"

static const double steps[2] = {1.0, 2.0};
static int bad;
static void check(const char *name, uintptr_t at, int many) {
  // Per lap: fa0 +1, fa1 +2, fa2 +3, fa3 +4, fa4 +5, fa5 +6; the fault
  // comes in lap kBadSlot + 1, after the adds.
  double want[6];
  for (int i = 0; i < 6; i++)
    want[i] = i < 2 || many ? (double)(i + 1) * (kBadSlot + 1) : 0.0;
  if (seen_pc != at && bad++ < 10)
    printf("%s: pc WRONG\n", name);
  for (int i = 0; i < 6; i++)
    if (seen[10 + i] != want[i] && bad++ < 10)
      printf("%s: fa%d WRONG (%g, not %g)\n", name, i, seen[10 + i], want[i]);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uintptr_t addrs[] = {(uintptr_t)page + 64, (uintptr_t)1 << 45};
  for (int i = 0; i < kSlots; i++)
    ptrs[i] = (uintptr_t)&byte;
  for (int round = 0; round < 4000; round++) {
    uintptr_t a = addrs[round & 1], at;
    ptrs[kBadSlot] = a;
    LOOP(FEW);
    check(round & 1 ? "few, range" : "few, host", at, 0);
    LOOP(MANY);
    check(round & 1 ? "many, range" : "many, host", at, 1);
  }
  printf("wrong: %d\n", bad);
  // CHECK-NOT: WRONG
  // CHECK: wrong: 0
  // PROMOTED: blocks promoted {{[1-9]}}
  // CACHED: aot cache {{[0-9]+}} lookups, {{[1-9][0-9]*}} hits
  return 0;
}
