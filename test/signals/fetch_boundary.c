// Execution falls off an executable page into one that is not: the fault
// is at the first byte of the non-executable page (si_addr), whether the
// last instruction ends at the boundary or a 4-byte one straddles it.
//
// RUN: %rv-cc -O1 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
// CHECK:      falls through at the boundary:
// CHECK-NEXT:   SIGSEGV code 2 at base+0x1000
// CHECK-NEXT: an instruction straddles the boundary:
// CHECK-NEXT:   SIGSEGV code 2 at base+0x1000
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf back;
static uintptr_t base;

static void onSegv(int sig, siginfo_t *si, void *ctx) {
  (void)sig; (void)ctx;
  printf("  SIGSEGV code %d at base+0x%lx\n", si->si_code,
         (unsigned long)((uintptr_t)si->si_addr - base));
  siglongjmp(back, 1);
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = onSegv;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  uint8_t *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  base = (uintptr_t)p;
  const uint32_t addi = 0x00150513; // addi a0, a0, 1
  // Case 1: two addi end exactly at the boundary.
  memcpy(p + 4088, &addi, 4);
  memcpy(p + 4092, &addi, 4);
  mprotect(p, 4096, PROT_READ | PROT_EXEC);
  mprotect(p + 4096, 4096, PROT_READ | PROT_WRITE);
  printf("falls through at the boundary:\n");
  if (!sigsetjmp(back, 1))
    ((void (*)(void))(p + 4088))();
  // Case 2: two c.addi, then an addi whose second half is on the next page.
  mprotect(p, 4096, PROT_READ | PROT_WRITE);
  const uint16_t caddi = 0x0505; // c.addi a0, 1
  memcpy(p + 4090, &caddi, 2);
  memcpy(p + 4092, &caddi, 2);
  memcpy(p + 4094, &addi, 2);     // first half of addi on the RX page
  memcpy(p + 4096, (const uint8_t *)&addi + 2, 2);
  mprotect(p, 4096, PROT_READ | PROT_EXEC);
  __builtin___clear_cache((char *)p, (char *)p + 8192);
  printf("an instruction straddles the boundary:\n");
  if (!sigsetjmp(back, 1))
    ((void (*)(void))(p + 4090))();
  return 0;
}
