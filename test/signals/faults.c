// Synchronous signals carry the faulting instruction: SIGSEGV with si_addr
// and SEGV_MAPERR/SEGV_ACCERR, recovered with siglongjmp; a handler that
// fixes the page with mprotect and returns re-executes the store; SIGILL for
// an illegal instruction and SIGTRAP for ebreak, with uc_mcontext pc at the
// instruction, skipped by the handler.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf jb;
static char *page;
static char altstack[65536];

static void segv_jump(int sig, siginfo_t *si, void *ucv) {
  printf("SIGSEGV code=%s addr-ok=%d\n",
         si->si_code == SEGV_MAPERR   ? "MAPERR"
         : si->si_code == SEGV_ACCERR ? "ACCERR"
                                      : "other",
         si->si_addr == (void *)0x100);
  siglongjmp(jb, 1);
}

static void segv_fix(int sig, siginfo_t *si, void *ucv) {
  printf("fixing %s fault at page+%ld\n",
         si->si_code == SEGV_ACCERR ? "ACCERR" : "other",
         (long)((char *)si->si_addr - page));
  mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void skip_insn(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  unsigned long pc = uc->uc_mcontext.__gregs[REG_PC];
  printf("%s at the instruction: %d\n", sig == SIGILL ? "SIGILL" : "SIGTRAP",
         (void *)pc == si->si_addr);
  uint16_t lo = *(uint16_t *)pc;
  uc->uc_mcontext.__gregs[REG_PC] = pc + ((lo & 3) == 3 ? 4 : 2);
}

int main(void) {
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = segv_jump;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, NULL);
  if (sigsetjmp(jb, 1) == 0) {
    *(volatile int *)0x100 = 1;
    puts("not reached");
  }
  puts("recovered");
  // CHECK: SIGSEGV code=MAPERR addr-ok=1
  // CHECK-NEXT: recovered

  page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  sa.sa_sigaction = segv_fix;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigaction(SIGSEGV, &sa, NULL);
  volatile long a = 11, b = 31;
  page[64] = (char)(a + b); // faults once, then succeeds
  printf("store retried: %d\n", page[64]);
  // CHECK-NEXT: fixing ACCERR fault at page+64
  // CHECK-NEXT: store retried: 42

  sa.sa_sigaction = skip_insn;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGILL, &sa, NULL);
  sigaction(SIGTRAP, &sa, NULL);
  asm volatile(".4byte 0xffffffff");
  asm volatile("ebreak");
  puts("done");
  // CHECK-NEXT: SIGILL at the instruction: 1
  // CHECK-NEXT: SIGTRAP at the instruction: 1
  // CHECK-NEXT: done
  return 0;
}
