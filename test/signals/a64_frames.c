// AArch64 signal frames as a handler sees them through glibc's
// ucontext_t: the signal, si_code, the fault address register and the
// records of __reserved (fpsimd_context, for a fault esr_context, then
// the null one), for faults of a load, a store, a store to a read-only
// page and a misaligned load-exclusive, brk and a SIGSEGV that raise() sent, which has no fault
// address; against qemu-aarch64, which writes no esr_context: its lines
// are left out of the comparison and checked against what Linux writes.
// SIGILL differs from qemu (which says ILL_ILLOPN where Linux says
// ILL_ILLOPC), so it is checked alone.
//
// RUN: %a64-gcc -O1 %s -o %t
// RUN: %qemu-aarch64 -cpu max,sve=off %t > %t.ref
// RUN: %xlat-run %t > %t.out && FileCheck %s < %t.out
// RUN: grep -v '^esr' %t.out | diff %t.ref -
// RUN: %xlat-run %t ill | FileCheck --check-prefix=ILL %s
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf jump;

static void handler(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  const unsigned char *r = (const unsigned char *)uc->uc_mcontext.__reserved;
  unsigned long long esr = 0;
  printf("sig %d code %d far %#llx:", sig, si->si_code,
         (unsigned long long)uc->uc_mcontext.fault_address);
  for (unsigned off = 0; off + 8 <= sizeof uc->uc_mcontext.__reserved;) {
    unsigned magic, size;
    memcpy(&magic, r + off, 4);
    memcpy(&size, r + off + 4, 4);
    if (magic == ESR_MAGIC)
      memcpy(&esr, r + off + 8, 8);
    else
      printf(" %08x/%u", magic, size);
    if (!magic || !size)
      break;
    off += size;
  }
  printf("\n");
  if (esr)
    printf("esr %#llx\n", esr);
  siglongjmp(jump, 1);
}

int main(int argc, char **argv) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  for (int s = 1; s < 32; s++)
    if (s != SIGKILL && s != SIGSTOP)
      sigaction(s, &sa, 0);
  if (argc > 1) {
    if (!sigsetjmp(jump, 1))
      __asm__ volatile(".inst 0x00000000"); // udf #0
    return 0;
  }
  if (!sigsetjmp(jump, 1))
    (void)*(volatile int *)0x10;
  if (!sigsetjmp(jump, 1))
    *(volatile int *)0x18 = 1;
  static int page[4096 / sizeof(int)] __attribute__((aligned(4096)));
  mprotect(page, sizeof page, PROT_READ);
  if (!sigsetjmp(jump, 1))
    page[3] = 1;
  static long words[4];
  if (!sigsetjmp(jump, 1)) { // a load-exclusive must be aligned
    long v;
    __asm__ volatile("ldxr %0, [%1]" : "=r"(v) : "r"((char *)words + 4) : "memory");
  }
  if (!sigsetjmp(jump, 1))
    __asm__ volatile("brk #3");
  if (!sigsetjmp(jump, 1))
    raise(SIGSEGV);
  return 0;
}

// A data abort from EL0 (EC 0x24, IL): a translation fault on a read,
// one on a write (WnR), a permission fault on a write.
// CHECK: sig 11 code 1 far 0x10: 46508001/528 00000000/0
// CHECK-NEXT: esr 0x92000007
// CHECK-NEXT: sig 11 code 1 far 0x18: 46508001/528 00000000/0
// CHECK-NEXT: esr 0x92000047
// CHECK-NEXT: sig 11 code 2 far 0x{{[0-9a-f]+}}00c: 46508001/528 00000000/0
// CHECK-NEXT: esr 0x9200004f
// An alignment fault (a misaligned load-exclusive): SIGBUS, BUS_ADRALN.
// CHECK-NEXT: sig 7 code 1 far 0x{{[0-9a-f]+}}: 46508001/528 00000000/0
// CHECK-NEXT: esr 0x92000021
// CHECK-NEXT: sig 5 code 1 far 0: 46508001/528 00000000/0
// CHECK-NEXT: sig 11 code -6 far 0: 46508001/528 00000000/0
// ILL: sig 4 code 1 far 0: 46508001/528 00000000/0
