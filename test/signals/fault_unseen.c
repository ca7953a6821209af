// A fault sees every register exact, also one that nothing reads after
// it: a tier that leaves a value out of the state (forwarded to the next
// instruction in a host register, kept in one across a loop) must store
// it when an access faults. Here a5 holds a value the code overwrites
// right after a faulting access, and the handler must see it: as the
// address of every kind of load and store, taken from the instruction
// just before (the template tier's forwarded variants), and as a store's
// data; as a value read by the instruction before; and with the fault in
// a successor block. Each runs often enough for the adaptive tier to
// compile it.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static volatile uintptr_t seen_a5;
static int faults;

static void on_segv(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  uintptr_t pc = uc->uc_mcontext.__gregs[REG_PC];
  seen_a5 = uc->uc_mcontext.__gregs[15];
  faults++;
  uint16_t lo = *(uint16_t *)pc;
  uc->uc_mcontext.__gregs[REG_PC] = pc + ((lo & 3) == 3 ? 4 : 2);
}

static int bad;
static void report(const char *name, uintptr_t want) {
  if (seen_a5 != want && bad++ < 10)
    printf("%s: a5 %#lx, WRONG (want %#lx)\n", name, (unsigned long)seen_a5,
           (unsigned long)want);
}

// INSN faults with a5 = ADDR, written just before it; nothing reads a5
// after it but INSN.
#define ADDRESS(insn, addr)                                                 \
  do {                                                                      \
    asm volatile("addi a5, %0, 0\n\t" insn "\n\tli a5, 0"                  \
                 : : "r"(addr) : "a5", "t1", "ft0", "memory");              \
    report(insn, addr);                                                     \
  } while (0)

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uintptr_t addrs[] = {(uintptr_t)page + 64, (uintptr_t)1 << 45};
  for (int round = 0; round < 20000; round++) {
    uintptr_t a = addrs[round & 1];
    // a5 is the address the faulting access takes from the instruction
    // before it, for every load and store.
    ADDRESS("lb a5, 0(a5)", a);
    ADDRESS("lh t1, 0(a5)", a);
    ADDRESS("lw t1, 0(a5)", a);
    ADDRESS("ld a5, 0(a5)", a);
    ADDRESS("lbu t1, 0(a5)", a);
    ADDRESS("lhu t1, 0(a5)", a);
    ADDRESS("lwu t1, 0(a5)", a);
    ADDRESS("sb zero, 0(a5)", a);
    ADDRESS("sh t1, 0(a5)", a);
    ADDRESS("sw t1, 0(a5)", a);
    ADDRESS("sd a5, 0(a5)", a);
    ADDRESS("flw ft0, 0(a5)", a);
    ADDRESS("fld ft0, 0(a5)", a);
    ADDRESS("fsw ft0, 0(a5)", a);
    ADDRESS("fsd ft0, 0(a5)", a);
    // a5 is the data the faulting store takes from the instruction before.
    asm volatile("addi a5, %1, 0\n\tsd a5, 0(%0)\n\tli a5, 0"
                 : : "r"(a), "r"(a + 24) : "a5", "memory");
    report("data", a + 24);
    // a5 is read by the instruction before the faulting load.
    asm volatile("addi a5, %0, 8\n\tslli t1, a5, 1\n\tld t2, 0(%0)\n\tli a5, 0"
                 : : "r"(a) : "a5", "t1", "t2", "memory");
    report("read before", a + 8);
    // The fault is in the next block.
    asm volatile("addi a5, %0, 16\n\tslli t1, a5, 1\n\tj 1f\n1:\tld t2, 0(%0)\n\tli a5, 0"
                 : : "r"(a) : "a5", "t1", "t2", "memory");
    report("next block", a + 16);
  }
  printf("faults %d, wrong %d\n", faults, bad);
  // CHECK-NOT: WRONG
  // CHECK: faults 360000, wrong 0
  return 0;
}
