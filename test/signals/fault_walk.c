// A loop that walks a pointer faults where the pointer leaves mapped
// memory, with the guest's registers exact, in every tier. Compiled code
// runs such a loop without its range check when the pointer starts below
// the limit (checkLoopWalksOnEntry): each lap's address is then 8 bytes
// past the last one, and the walk into an unmapped page is the host's
// fault there. A walk that starts far above the guest space takes the
// copy of the loop that checks, whose range check reports it. The same
// holds for a walk from a base the loop does not change (base + offset,
// the offset stepped) and for a load whose address the loop does not
// change at all: each is compared once, where the loop is entered. So is a
// walk whose step is a register the loop does not change, when the step
// is small; a large one takes the copy that checks.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers} region; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// The hot loop as a compiled region, not still compiling when the run ends:
// RUN: %xlat-run --no-cache --tier=adaptive --background-compile=off --stats %t 2> %t.stats > %t.out
// RUN: diff %t.expected %t.out
// RUN: FileCheck --check-prefix=PROMOTED %s < %t.stats
// RUN: FileCheck %s < %t.out
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static volatile uintptr_t seen_t0, seen_a1, seen_pc, seen_addr;

static void on_segv(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  seen_t0 = uc->uc_mcontext.__gregs[5];
  seen_a1 = uc->uc_mcontext.__gregs[11];
  seen_pc = uc->uc_mcontext.__gregs[REG_PC];
  seen_addr = (uintptr_t)si->si_addr;
  uc->uc_mcontext.__gregs[13] = 0; // a3, the bound: the loop ends
  uc->uc_mcontext.__gregs[REG_PC] += 4;
}

// t0 walks 8 bytes a lap from `from`, a1 sums what it loads, a3 is a
// bound it never reaches: only the fault ends the loop.
static uintptr_t walk(uintptr_t from) {
  uintptr_t at;
  asm volatile("mv t0, %1\n\tli a1, 0\n\tli a3, -1\n"
               "1:\tld t1, 0(t0)\n\tadd a1, a1, t1\n\taddi t0, t0, 8\n\t"
               "bltu t0, a3, 1b\n\tla %0, 1b"
               : "=r"(at)
               : "r"(from)
               : "t0", "t1", "a1", "a3", "memory");
  return at;
}

// An array walk: t0 steps an offset by 8 from `off`, t2 = a2 + t0 with a2
// = `base`; each lap also loads from `fixed`, which the loop does not
// change. a1 sums both loads. The pcs of the two loads go to `at`.
static void walkIndexed(uintptr_t base, uintptr_t off, uintptr_t fixed, uintptr_t at[2]) {
  asm volatile("mv t0, %2\n\tmv a2, %3\n\tmv a4, %4\n\tli a1, 0\n\tli a3, -1\n"
               "1:\tadd t2, a2, t0\n"
               "2:\tld t1, 0(t2)\n"
               "3:\tld t3, 0(a4)\n\tadd a1, a1, t1\n\tadd a1, a1, t3\n\t"
               "addi t0, t0, 8\n\tbltu t0, a3, 1b\n\tla %0, 2b\n\tla %1, 3b"
               : "=&r"(at[0]), "=&r"(at[1])
               : "r"(off), "r"(base), "r"(fixed)
               : "t0", "t1", "t2", "t3", "a1", "a2", "a3", "a4", "memory");
}

// t0 steps by a2 = `stride` from `from`; a1 sums what it loads.
static uintptr_t walkStrided(uintptr_t from, uintptr_t stride) {
  uintptr_t at;
  asm volatile("mv t0, %1\n\tmv a2, %2\n\tli a1, 0\n\tli a3, -1\n"
               "1:\tld t1, 0(t0)\n\tadd a1, a1, t1\n\tadd t0, t0, a2\n\t"
               "bltu t0, a3, 1b\n\tla %0, 1b"
               : "=&r"(at)
               : "r"(from), "r"(stride)
               : "t0", "t1", "a1", "a2", "a3", "memory");
  return at;
}

static int bad;
// The fault's pc, address, t0 and a1 as the handler saw them.
static void checkAt(const char *name, uintptr_t at, uintptr_t addr, uintptr_t t0,
                    uintptr_t sum) {
  if (seen_pc != at && bad++ < 10)
    printf("%s: pc WRONG\n", name);
  if (seen_addr != addr && bad++ < 10)
    printf("%s: si_addr WRONG (%#lx, not %#lx)\n", name, (unsigned long)seen_addr,
           (unsigned long)addr);
  if (seen_t0 != t0 && bad++ < 10)
    printf("%s: t0 WRONG (%#lx, not %#lx)\n", name, (unsigned long)seen_t0,
           (unsigned long)t0);
  if (seen_a1 != sum && bad++ < 10)
    printf("%s: a1 WRONG (%lu, not %lu)\n", name, (unsigned long)seen_a1,
           (unsigned long)sum);
}

// A walk's fault: t0 is the address.
static void check(const char *name, uintptr_t at, uintptr_t addr, uintptr_t sum) {
  checkAt(name, at, addr, addr, sum);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  // Two pages, the second inaccessible: the walk reads the first one's
  // last 64 words, each 1, and faults at the second.
  char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mprotect(pages + 4096, 4096, PROT_NONE);
  uint64_t *words = (uint64_t *)pages;
  for (int i = 0; i < 512; i++)
    words[i] = 1;
  uintptr_t far = (uintptr_t)1 << 45;
  uintptr_t ok = (uintptr_t)pages, gone = (uintptr_t)(pages + 4096);
  for (int round = 0; round < 4000; round++) {
    if (round & 1) {
      uintptr_t at = walk(far);
      check("far", at, far, 0);
    } else {
      uintptr_t at = walk((uintptr_t)(pages + 4096 - 64 * 8));
      check("into a page", at, (uintptr_t)(pages + 4096), 64);
    }
    if (round & 1) { // one lap in the page, the next far above the guest space
      uintptr_t at = walkStrided(ok, far);
      check("stride far", at, ok + far, 1);
    } else {
      uintptr_t at = walkStrided((uintptr_t)(pages + 4096 - 64 * 8), 8);
      check("stride into a page", at, gone, 64);
    }
    uintptr_t at[2];
    switch (round % 4) {
    case 0: // the indexed walk runs into the inaccessible page: 64 laps of 1 + 1
      walkIndexed(ok, 4096 - 64 * 8, ok, at);
      checkAt("indexed into a page", at[0], gone, 4096, 128);
      break;
    case 1: // from far above the guest space
      walkIndexed(far, 0, ok, at);
      checkAt("indexed far", at[0], far, 0, 0);
      break;
    case 2: // the load the loop does not move faults on the first lap
      walkIndexed(ok, 0, gone, at);
      checkAt("fixed in a page", at[1], gone, 0, 0);
      break;
    case 3: // and far above the guest space
      walkIndexed(ok, 0, far + 8, at);
      checkAt("fixed far", at[1], far + 8, 0, 0);
      break;
    }
  }
  printf("wrong: %d\n", bad);
  // CHECK-NOT: WRONG
  // CHECK: wrong: 0
  // PROMOTED: blocks promoted {{[1-9]}}
  return 0;
}
