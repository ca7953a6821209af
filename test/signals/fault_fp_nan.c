// A fault in a hot FP loop: the handler sees each FP register as RISC-V
// defines it. A NaN arithmetic made is the canonical one (x86 makes a
// negative one, or keeps an operand's payload), also where translated code
// wrote the register back without that test before the faulting access
// (the access's raw-FP mask says which registers the fault path makes
// canonical); a NaN the program put in a register keeps its bits, the
// x86 pattern included, and so does one a register held when the loop was
// entered, before the loop first writes it. Faults on an unmapped page
// (the host's) and beyond the guest address space (the range check), after
// the loop has run long enough to be compiled.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers} region; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: %xlat-run --tier=adaptive --no-cache --hot-threshold=50 --background-compile=off %t > %t.out
// RUN: diff %t.expected %t.out
// RUN: FileCheck %s < %t.out
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf back;
static uint64_t seen[32];
static int faults;

static void on_segv(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  memcpy(seen, uc->uc_mcontext.__fpregs.__d.__f, sizeof seen);
  faults++;
  siglongjmp(back, 1);
}

#define INF 0x7ff0000000000000ull
#define ONE 0x3ff0000000000000ull

// From a0 to a1 in steps of 8: fa0 = inf - inf (a NaN), fa4 = fa0 + 1, a
// load, fa6 += fa0 (a NaN carried around the loop: the first load sees it
// as the step before left it, or as it was when the function was called),
// fa7 = fa6 + 1, the load again. A function of its own, so that the loop's
// region starts at the loop.
__attribute__((naked, noinline)) static void steps(void) {
  asm volatile("1:\tfsub.d fa0, fa3, fa3\n\t"
               "fadd.d fa4, fa0, fa5\n\t"
               "ld t1, 0(a0)\n\t"
               "fadd.d fa6, fa6, fa0\n\t"
               "fadd.d fa7, fa6, fa5\n\t"
               "ld t1, 0(a0)\n\t"
               "addi a0, a0, 8\n\t"
               "bne a0, a1, 1b\n\t"
               "ret");
}

// fa2 holds `keep` throughout; fa6 starts as `acc`.
static void loop(uintptr_t a0, uintptr_t a1, uint64_t acc, uint64_t keep) {
  asm volatile("fmv.d.x fa3, %[inf]\n\t"
               "fmv.d.x fa5, %[one]\n\t"
               "fmv.d.x fa6, %[acc]\n\t"
               "fmv.d.x fa2, %[keep]\n\t"
               "fmv.d.x fa7, zero\n\t"
               "mv a0, %[a0]\n\t"
               "mv a1, %[a1]\n\t"
               "call %[steps]"
               :
               : [a0] "r"(a0), [a1] "r"(a1), [inf] "r"(INF), [one] "r"(ONE),
                 [acc] "r"(acc), [keep] "r"(keep), [steps] "i"(steps)
               : "ra", "a0", "a1", "t1", "fa0", "fa2", "fa3", "fa4", "fa5",
                 "fa6", "fa7", "memory");
}

static void fault(const char *name, uintptr_t a0, uint64_t acc, uint64_t keep) {
  if (sigsetjmp(back, 1) == 0) {
    loop(a0, a0 + 8 * 100000, acc, keep);
    printf("%s: no fault\n", name);
    return;
  }
  printf("%s: fa0 %016llx fa4 %016llx fa6 %016llx fa7 %016llx fa2 %016llx\n",
         name, (unsigned long long)seen[10], (unsigned long long)seen[14],
         (unsigned long long)seen[16], (unsigned long long)seen[17],
         (unsigned long long)seen[12]);
}

static uint64_t buf[4096];

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, 0);
  // Hot: the loop runs 4096 steps many times without a fault.
  for (int i = 0; i < 40; i++)
    loop((uintptr_t)buf, (uintptr_t)(buf + 4096), ONE, 0);
  char *map = mmap(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(map + 4096, 4096);
  uintptr_t hole = (uintptr_t)map + 4096;
  uintptr_t beyond = (uintptr_t)1 << 62;

  // CHECK: after 50 steps: fa0 7ff8000000000000 fa4 7ff8000000000000 fa6 7ff8000000000000 fa7 7ff8000000000000 fa2 7ff8000000000123
  fault("after 50 steps", hole - 8 * 50, ONE, 0x7ff8000000000123ull);
  // CHECK: x86 bits kept: fa0 7ff8000000000000 fa4 7ff8000000000000 fa6 7ff8000000000000 fa7 7ff8000000000000 fa2 fff8000000000000
  fault("x86 bits kept", hole - 8 * 50, ONE, 0xfff8000000000000ull);
  // The first step faults: fa6 is what it was on entry.
  // CHECK: first step: fa0 7ff8000000000000 fa4 7ff8000000000000 fa6 3ff0000000000000 fa7 0000000000000000 fa2 0000000000000000
  fault("first step", hole, ONE, 0);
  // CHECK: payload on entry: fa0 7ff8000000000000 fa4 7ff8000000000000 fa6 7ff0000000000001 fa7 0000000000000000 fa2 0000000000000000
  fault("payload on entry", hole, 0x7ff0000000000001ull, 0);
  // CHECK: x86 NaN on entry: fa0 7ff8000000000000 fa4 7ff8000000000000 fa6 fff8000000000000 fa7 0000000000000000 fa2 0000000000000000
  fault("x86 NaN on entry", hole, 0xfff8000000000000ull, 0);
  // CHECK: beyond: fa0 7ff8000000000000 fa4 7ff8000000000000 fa6 3ff0000000000000 fa7 0000000000000000 fa2 7ff8000000000123
  fault("beyond", beyond, ONE, 0x7ff8000000000123ull);
  // CHECK: faults 6
  printf("faults %d\n", faults);
  return 0;
}
