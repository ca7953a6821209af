// A bare-metal program for gdb against xlat-system: M mode maps a page at
// virtual 0x40000000 (Sv39) and runs in_smode() in S mode, which counts
// into a global through that mapping's neighbour and returns.
#include "bare.h"

#define PTE_V 1ul
#define PTE_R 2ul
#define PTE_W 4ul
#define PTE_X 8ul
#define PTE_A 64ul
#define PTE_D 128ul

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l0[512] __attribute__((aligned(4096)));
static uint64_t page[512] __attribute__((aligned(4096)));
volatile long counter;

long in_smode(long arg) {
  volatile uint64_t *mapped = (volatile uint64_t *)0x40000000ul;
  for (long i = 0; i < arg; i++)
    counter += mapped[0];
  return counter;
}

int main(void) {
  page[0] = 0x1234;
  // 0x80000000-0xbfffffff identity (a gigapage), 0x40000000 -> page.
  root[2] = (0x80000000ul >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
  root[1] = ((uint64_t)l1 >> 12) << 10 | PTE_V;
  l1[0] = ((uint64_t)l0 >> 12) << 10 | PTE_V;
  l0[0] = ((uint64_t)page >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
  csr_write(satp, 8ul << 60 | (uint64_t)root >> 12);
  __asm__ volatile("sfence.vma" ::: "memory");
  long r = run_in(PRIV_S, in_smode, 3);
  bprintf("in_smode returned %lx\n", r);
  return 0;
}
