// A loop's registers reach a fault handler exact when an access in the
// loop faults, in every tier. Compiled code keeps such registers in host
// registers and does not store them before each access: the access's
// fault path stores up to four of them (the range check), or the runner
// copies them from the host signal context (a host fault on an unmapped
// page). With more registers changed than that, the access stores them
// first. Both, for both kinds of fault; the handler also changes a
// register (the loop's bound) to end the loop, which must take effect.
// Without the runner's copy from the host context, the block, region and
// adaptive tiers fail this test.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers} region; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// The hot loops as compiled regions, not still compiling when the run ends:
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
static volatile uintptr_t seen[32], seen_pc;

static void on_segv(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  for (int r = 0; r < 32; r++)
    seen[r] = uc->uc_mcontext.__gregs[r];
  seen_pc = uc->uc_mcontext.__gregs[REG_PC];
  uc->uc_mcontext.__gregs[13] = 0; // a3, the bound: the loop ends
  uc->uc_mcontext.__gregs[REG_PC] += 4;
}

// a1 counts, a2 and (with MORE) a4-a7 step, t0 walks ptrs, t1 is the
// pointer loaded: dirty at the access `2:`, which faults at slot 64.
#define LOOP(MORE)                                                            \
  asm volatile("mv t0, %1\n\tli a1, 0\n\tli a2, 7\n\tli a3, 128\n\t"          \
               "li a4, 0\n\tli a5, 0\n\tli a6, 0\n\tli a7, 0\n"               \
               "1:\tld t1, 0(t0)\n\taddi a2, a2, 3\n\t" MORE                  \
               "2:\tlbu t2, 0(t1)\n\taddi a1, a1, 1\n\taddi t0, t0, 8\n\t"    \
               "blt a1, a3, 1b\n\tla %0, 2b"                                  \
               : "=r"(at)                                                     \
               : "r"(ptrs)                                                    \
               : "t0", "t1", "t2", "a1", "a2", "a3", "a4", "a5", "a6", "a7", \
                 "memory")
#define FEW ""
#define MANY "addi a4, a4, 1\n\taddi a5, a5, 2\n\taddi a6, a6, 3\n\taddi a7, a7, 4\n"

static int bad;
static void check(const char *name, uintptr_t at, uintptr_t addr, int many) {
  static const int regs[] = {5, 6, 11, 12, 14, 15, 16, 17};
  static const char *names[] = {"t0", "t1", "a1", "a2", "a4", "a5", "a6", "a7"};
  uintptr_t want[32] = {0};
  want[5] = (uintptr_t)&ptrs[kBadSlot];
  want[6] = addr;
  want[11] = kBadSlot;
  want[12] = 7 + 3 * (kBadSlot + 1);
  for (int r = 14; r < 18; r++)
    want[r] = many ? (uintptr_t)(r - 13) * (kBadSlot + 1) : 0;
  if (seen_pc != at && bad++ < 10)
    printf("%s: pc WRONG\n", name);
  for (int i = 0; i < 8; i++)
    if (seen[regs[i]] != want[regs[i]] && bad++ < 10)
      printf("%s: %s WRONG (%#lx, not %#lx)\n", name, names[i],
             (unsigned long)seen[regs[i]], (unsigned long)want[regs[i]]);
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
    check(round & 1 ? "few, range" : "few, host", at, a, 0);
    LOOP(MANY);
    check(round & 1 ? "many, range" : "many, host", at, a, 1);
  }
  printf("wrong: %d\n", bad);
  // CHECK-NOT: WRONG
  // CHECK: wrong: 0
  // PROMOTED: blocks promoted {{[1-9]}}
  // CACHED: aot cache {{[0-9]+}} lookups, {{[1-9][0-9]*}} hits
  return 0;
}
