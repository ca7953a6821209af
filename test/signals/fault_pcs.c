// Every kind of guest memory access that faults names itself exactly, in
// every tier: the handler sees the faulting instruction's pc, the address,
// and the registers as they were at that instruction (a register written by
// the instruction just before it in the same block included), and returns
// past it. Loads and stores of each width, FP loads and stores, an AMO and
// LR (whether an SC without a reservation faults is the implementation's
// choice), loads into x0, each on an unmapped page (a host fault) and at an address beyond
// the guest address space (the range check), and each run often enough
// that the adaptive tier compiles it as a hot region. Then accesses without
// a range check of their own (lifter/core/memory_lowering.h,
// dropDominatedRangeChecks): the first access of each pair, a load, is in
// the page just below 2^38 (the top of xlat's guest space, where its stack
// is; mapped here where it is free), the second, off the same register,
// runs past it into the guard zone.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers} region; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static volatile uintptr_t fault_pc, fault_addr, fault_marker;
static int faults;

static void on_segv(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  fault_pc = uc->uc_mcontext.__gregs[REG_PC];
  fault_addr = (uintptr_t)si->si_addr;
  fault_marker = uc->uc_mcontext.__gregs[15]; // a5
  faults++;
  uint16_t lo = *(uint16_t *)fault_pc;
  uc->uc_mcontext.__gregs[REG_PC] = fault_pc + ((lo & 3) == 3 ? 4 : 2);
}

// Runs INSN with t0 = the address; a5 is set to 1000 + n by the instruction
// before it, which the handler must see. `1:` labels the access.
#define PROBE(name, insn, addr, n)                                          \
  do {                                                                      \
    uintptr_t at;                                                           \
    asm volatile("mv t0, %1\n\tli a5, %2\n1:\t" insn "\n\tla %0, 1b"        \
                 : "=r"(at)                                                 \
                 : "r"(addr), "i"(1000 + n)                                 \
                 : "t0", "t1", "a5", "ft0", "memory");                      \
    report(name, at, addr, 1000 + n);                                       \
  } while (0)

// FIRST (an access that succeeds) then, with a5 = 1000 + n just before it,
// SECOND at `1:`, both off t0 = base.
#define PAIR(name, first, second, base, off, n)                             \
  do {                                                                      \
    uintptr_t at;                                                           \
    asm volatile("mv t0, %1\n\t" first "\n\tli a5, %2\n1:\t" second         \
                 "\n\tla %0, 1b"                                            \
                 : "=r"(at)                                                 \
                 : "r"(base), "i"(1000 + n)                                 \
                 : "t0", "t1", "a5", "ft0", "memory");                      \
    report(name, at, base + off, 1000 + n);                                 \
  } while (0)

static int bad;
static void report(const char *name, uintptr_t at, uintptr_t addr, long marker) {
  if (fault_pc != at || fault_addr != addr || fault_marker != (uintptr_t)marker) {
    if (bad++ < 10)
      printf("%s: pc %s, addr %s, a5 %s\n", name, fault_pc == at ? "ok" : "WRONG",
             fault_addr == addr ? "ok" : "WRONG",
             fault_marker == (uintptr_t)marker ? "ok" : "WRONG");
  }
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uintptr_t addrs[] = {(uintptr_t)page + 64, (uintptr_t)1 << 45};
  for (int round = 0; round < 40000; round++) {
    uintptr_t a = addrs[round & 1];
    PROBE("lb", "lb t1, 0(t0)", a, 1);
    PROBE("lhu", "lhu t1, 0(t0)", a, 2);
    PROBE("lw", "lw t1, 0(t0)", a, 3);
    PROBE("ld", "ld t1, 0(t0)", a, 4);
    PROBE("sb", "sb t1, 0(t0)", a, 5);
    PROBE("sh", "sh t1, 0(t0)", a, 6);
    PROBE("sw", "sw t1, 0(t0)", a, 7);
    PROBE("sd", "sd t1, 0(t0)", a, 8);
    PROBE("flw", "flw ft0, 0(t0)", a, 9);
    PROBE("fld", "fld ft0, 0(t0)", a, 10);
    PROBE("fsd", "fsd ft0, 0(t0)", a, 11);
    PROBE("amoadd.d", "amoadd.d t1, t1, (t0)", a, 12);
    PROBE("lr.w", "lr.w t1, (t0)", a, 13);
    // Into x0: the value is dead, the fault is not.
    PROBE("lw x0", "lw zero, 0(t0)", a, 14);
    PROBE("ld x0", "ld zero, 0(t0)", a, 15);
  }
  uintptr_t top = (uintptr_t)1 << 38;
  char *high = mmap((void *)(top - 4096), 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (high != (char *)(top - 4096) && errno != EEXIST) {
    printf("cannot map the page below 2^38\n");
    return 1;
  }
  uintptr_t b = top - 8;
  for (int round = 0; round < 20000; round++) {
    PAIR("ld+ld", "ld t1, 0(t0)", "ld t1, 16(t0)", b, 16, 21);
    PAIR("ld+sd", "ld t1, 0(t0)", "sd t1, 2040(t0)", b, 2040, 22);
    PAIR("ld+lbu", "ld t1, -8(t0)", "lbu t1, 8(t0)", b, 8, 23);
    PAIR("fld+fld", "fld ft0, 0(t0)", "fld ft0, 24(t0)", b, 24, 24);
    PAIR("lw+fsd", "lw t1, 4(t0)", "fsd ft0, 8(t0)", b, 8, 25);
  }
  printf("faults %d, wrong %d\n", faults, bad);
  // CHECK-NOT: WRONG
  // CHECK: faults 700000, wrong 0
  return 0;
}
