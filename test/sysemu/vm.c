// Virtual memory: Sv39 and Sv48 page tables built here, used from S mode
// (page faults delegated to S), one line per case:
// - loads, stores and fetches through 4 KiB pages, and the sign-extended
//   top of the address space through a gigapage;
// - page faults with their exact scause, stval and sepc: load 13, store 15,
//   fetch 12 (no X; invalid; an instruction straddling into an invalid page,
//   where stval names the second page and sepc the instruction; a
//   compressed one at the end of the page runs, and the next fetch faults);
// - W without R, and a reserved PTE bit (N without Svnapot), fault;
// - A set by a load, D by a store; lr.d is a load: A only, and it works on
//   a read-only page, where sc.d faults as a store;
// - U pages from S: faults without SUM, loads and stores with it, never
//   fetches; MXR makes an execute-only page readable;
// - a PTE written, then sfence.vma (all, and one address): the new mapping
//   is seen, for data and for code (a code page remapped, then made
//   non-executable, mapped back and forth, and rewritten while unmapped);
// - misaligned megapage and gigapage leaves fault; non-canonical addresses
//   fault (Sv39: bit 39 set; Sv48: bit 47 set); an address that is
//   non-canonical for Sv39 is mapped under Sv48;
// - satp with an unsupported mode is left unchanged;
// - self-modifying code through a second alias: an instruction written
//   through one VA, fence.i, then run through another VA of the same page;
// - mstatus.MPRV: M-mode loads translated and checked as MPP's mode.
//
// Lines starting "impl:" are left out of the comparison with qemu and only
// checked against xlat-system: which satp modes exist is implementation-
// defined, and qemu 7.2 has Sv57, which xlat-system has not, so writing
// mode 10 changes satp there.
//
// REQUIRES: qemu-system
// RUN: %rv-bare-cc %s -o %t
// RUN: timeout 20 %xlat-system -bios none -kernel %t -nographic > %t.out; echo "exit $?" >> %t.out
// RUN: timeout 20 %xlat-system --tier=interp -bios none -kernel %t -nographic > %t.out.interp; echo "exit $?" >> %t.out.interp
// RUN: diff %t.out %t.out.interp
// RUN: timeout 60 %xlat-system --tier=block -bios none -kernel %t -nographic > %t.out.block; echo "exit $?" >> %t.out.block
// RUN: diff %t.out %t.out.block
// RUN: timeout 60 %xlat-system --tier=region -bios none -kernel %t -nographic > %t.out.region; echo "exit $?" >> %t.out.region
// RUN: diff %t.out %t.out.region
// RUN: timeout 60 %xlat-system --tier=adaptive --hot-threshold=50 -bios none -kernel %t -nographic > %t.out.adaptive; echo "exit $?" >> %t.out.adaptive
// RUN: diff %t.out %t.out.adaptive
// RUN: timeout 20 %qemu-system -bios none -kernel %t > %t.ref; echo "exit $?" >> %t.ref
// RUN: grep -v '^impl:' %t.ref > %t.ref.cmp; grep -v '^impl:' %t.out > %t.out.cmp; diff %t.ref.cmp %t.out.cmp
// RUN: FileCheck %s < %t.out
// The translations of the page mapped back ran again without being made
// again.
// RUN: timeout 20 %xlat-system --stats-file=%t.stats -bios none -kernel %t -nographic > /dev/null
// RUN: FileCheck --check-prefix=STATS %s < %t.stats
// STATS: blocks revived {{[1-9][0-9]*}}
//
// CHECK: sv39 load/store: 1111 2222
// CHECK-NEXT: sv39 fetch: 42
// CHECK-NEXT: sv39 high half: 1111
// CHECK-NEXT: sv39 load invalid: scause 13 stval 40002123 sepc ok
// CHECK-NEXT: sv39 store read-only: scause 15 stval 40003456 sepc ok
// CHECK-NEXT: sv39 fetch no X: scause 12 stval 40000000 sepc 40000000
// CHECK-NEXT: sv39 fetch invalid: scause 12 stval 40002000 sepc 40002000
// CHECK-NEXT: sv39 fetch straddling: scause 12 stval 4000d000 sepc 4000cffe
// CHECK-NEXT: sv39 compressed at page end: scause 12 stval 4000d000 sepc 4000d000
// CHECK-NEXT: sv39 W without R: load 13 store 15
// CHECK-NEXT: sv39 reserved bit N: scause 13
// CHECK-NEXT: sv39 A/D: before A0 D0, load A1 D0, store A1 D1
// CHECK-NEXT: sv39 lr.d: A1 D0
// CHECK-NEXT: sv39 lr.d read-only: 3333 no fault, sc.d scause 15 stval 40003000
// CHECK-NEXT: sv39 U page: load 13 store 15, SUM: load 7777 store ok, fetch 12, SUM clear again: load 13
// CHECK-NEXT: sv39 MXR: load 13, MXR: 8067, MXR clear again: load 13, call ok
// CHECK-NEXT: sv39 sfence.vma: 9999 aaaa 9999, invalid then mapped 2222
// CHECK-NEXT: sv39 code remapped: 42 43, X removed: -1 scause 12
// CHECK-NEXT: sv39 code mapped back: 42, again 43, rewritten while unmapped 44
// CHECK-NEXT: sv39 misaligned megapage: scause 13 stval 40200000
// CHECK-NEXT: sv39 misaligned gigapage: scause 13 stval c0000010
// CHECK-NEXT: sv39 non-canonical: load 13 stval 8040000000, store 15 stval 8040000008
// CHECK-NEXT: sv39 smc alias: 1 2
// CHECK-NEXT: sv39 mprv: S 1111, U on S page mcause 13 mtval 40000000, U on U page 7777
// CHECK-NEXT: sv48 load/store: 1111 2222
// CHECK-NEXT: sv48 fetch: 42
// CHECK-NEXT: sv48 high half: 1111
// CHECK-NEXT: sv48 load invalid: scause 13 stval 40002123 sepc ok
// CHECK-NEXT: sv48 bit 39 mapped: 1111
// CHECK-NEXT: sv48 non-canonical: load 13 stval 800000000000, store 15 stval 800000000008
// CHECK-NEXT: satp mode 11: unchanged
// CHECK-NEXT: satp mode 1: unchanged
// CHECK-NEXT: impl: satp mode 10: unchanged
// CHECK-NEXT: done
// CHECK-NEXT: exit 0
#include "bare.h"

enum {
  V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128,
};
#define PTE_N (1ul << 63)

#define PAGE 4096ul
#define VBASE 0x40000000ul
#define VA(i) (VBASE + (i) * PAGE)

static uint64_t root39[512] __attribute__((aligned(PAGE)));
static uint64_t root48[512] __attribute__((aligned(PAGE)));
static uint64_t l2hi[512] __attribute__((aligned(PAGE)));
static uint64_t l1[512] __attribute__((aligned(PAGE)));
static uint64_t l0[512] __attribute__((aligned(PAGE)));
static uint8_t pg[16][PAGE] __attribute__((aligned(PAGE)));

static uint64_t leaf(uint64_t pa, uint64_t flags) { return (pa >> 12) << 10 | flags | V; }
static uint64_t table(void *t) { return ((uint64_t)t >> 12) << 10 | V; }
static uint64_t *word(int page, unsigned off) { return (uint64_t *)&pg[page][off]; }

// li a0, n; ret
static void putCode(uint8_t *at, int n) {
  uint32_t li = 0x00000513u | ((uint32_t)n & 0xfff) << 20;
  __builtin_memcpy(at, &li, 4);
  uint32_t ret = 0x00008067u;
  __builtin_memcpy(at + 4, &ret, 4);
}

static void setup(void) {
  root39[0] = leaf(0, R | W | A | D);                   // devices
  root39[1] = table(l1);                                // VBASE
  root39[2] = leaf(0x80000000ul, R | W | X | A | D);    // RAM, identity
  root39[3] = leaf(0x80200000ul, R | W | A | D);        // misaligned gigapage
  root39[511] = leaf(0x80000000ul, R | W | A | D);      // top of the space
  l1[0] = table(l0);
  l1[1] = leaf(0x80001000ul, R | W | A | D);            // misaligned megapage
  root48[0] = table(root39);
  root48[1] = table(l2hi);
  root48[511] = table(root39);
  l2hi[1] = table(l1);

  l0[0] = leaf((uint64_t)pg[0], R | W | A | D);
  l0[1] = leaf((uint64_t)pg[1], R | X | A);
  l0[2] = 0;
  l0[3] = leaf((uint64_t)pg[3], R | A);
  l0[4] = leaf((uint64_t)pg[4], W | A | D);
  l0[5] = leaf((uint64_t)pg[5], R | W);
  l0[6] = leaf((uint64_t)pg[6], R | W);
  l0[7] = leaf((uint64_t)pg[7], U | R | W | X | A | D);
  l0[8] = leaf((uint64_t)pg[8], X | A);
  l0[9] = leaf((uint64_t)pg[9], R | W | A | D);
  l0[10] = leaf((uint64_t)pg[11], R | W | A | D);
  l0[11] = leaf((uint64_t)pg[11], R | X | A);
  l0[12] = leaf((uint64_t)pg[12], R | X | A);
  l0[13] = 0;
  l0[14] = leaf((uint64_t)pg[0], R | W | A | D) | PTE_N;
  l0[15] = leaf((uint64_t)pg[7], U | R | X | A);

  *word(0, 0) = 0x1111;
  putCode(pg[1], 42);
  *word(2, 0) = 0x2222;
  *word(3, 0) = 0x3333;
  putCode(pg[7], 7);
  *word(7, 0x800) = 0x7777;
  *word(8, 0) = 0x00008067; // ret
  *word(9, 0) = 0x9999;
  *word(10, 0) = 0xaaaa;
  __asm__ volatile("fence.i" ::: "memory");
}

// The last trap S (or M) took; cause ~0: none.
struct seen {
  uint64_t cause, epc, tval;
};
static volatile struct seen s, m;

static void record(volatile struct seen *w, struct frame *f) {
  w->cause = f->cause;
  w->epc = f->epc;
  w->tval = f->tval;
  if (f->cause & CAUSE_INTERRUPT) {
    bprintf("unexpected interrupt %lx\n", f->cause);
    exit_with(1);
  }
  if (f->cause == 12 || f->cause == 1) {
    // A fetch: the code called the address; back to the caller, a0 = -1.
    f->epc = f->x[1];
    f->x[10] = (uint64_t)-1;
  } else {
    f->epc += insn_len(f->epc);
  }
}

void strap(struct frame *f) { record(&s, f); }
void trap(struct frame *f) { record(&m, f); }

static void reset(void) { s.cause = s.epc = s.tval = m.cause = m.epc = m.tval = ~0ul; }

// Accesses at va; *pc is the address of the access instruction. A faulting
// load leaves 0xdead.
static uint64_t load(uint64_t va, uint64_t *pc) {
  uint64_t v = 0xdead, at;
  __asm__ volatile("lla %1, 1f\n1: ld %0, 0(%2)" : "+r"(v), "=&r"(at) : "r"(va) : "memory");
  if (pc)
    *pc = at;
  return v;
}
static void store(uint64_t va, uint64_t v, uint64_t *pc) {
  uint64_t at;
  __asm__ volatile("lla %0, 1f\n1: sd %1, 0(%2)" : "=&r"(at) : "r"(v), "r"(va) : "memory");
  if (pc)
    *pc = at;
}
static uint64_t lr(uint64_t va) {
  uint64_t v = 0xdead;
  __asm__ volatile("lr.d %0, (%1)" : "+r"(v) : "r"(va) : "memory");
  return v;
}
static uint64_t sc(uint64_t va, uint64_t v) {
  uint64_t r = 0xdead;
  __asm__ volatile("sc.d %0, %2, (%1)" : "+r"(r) : "r"(va), "r"(v) : "memory");
  return r;
}
static long call(uint64_t va) { return ((long (*)(void))va)(); }

static void sfenceAll(void) { __asm__ volatile("sfence.vma" ::: "memory"); }
static void sfenceVa(uint64_t va) {
  __asm__ volatile("sfence.vma %0" ::"r"(va) : "memory");
}

static const char *mode;
static uint64_t pteAD(int i) { return l0[i] & (A | D); }

static void faultLine(const char *what, uint64_t pc) {
  bprintf("%s %s: scause %ld stval %lx sepc %s\n", mode, what, s.cause, s.tval,
          s.epc == pc ? "ok" : "BAD");
}

// The cases both modes run.
static void common(void) {
  uint64_t pc;
  reset();
  uint64_t v = load(VA(0), 0);
  store(VA(0) + 8, 0x2222, 0);
  bprintf("%s load/store: %lx %lx%s\n", mode, v, *word(0, 8),
          s.cause == ~0ul ? "" : " TRAP");
  *word(0, 8) = 0;
  bprintf("%s fetch: %ld\n", mode, call(VA(1)));
  // The same page as VA(0), through the top gigapage.
  bprintf("%s high half: %lx\n", mode,
          load(0xffffffffc0000000ul + ((uint64_t)pg[0] - 0x80000000ul), 0));
  reset();
  load(VA(2) + 0x123, &pc);
  faultLine("load invalid", pc);
}

static void faults(void) {
  uint64_t pc;
  reset();
  store(VA(3) + 0x456, 1, &pc);
  faultLine("store read-only", pc);

  reset();
  call(VA(0));
  bprintf("%s fetch no X: scause %ld stval %lx sepc %lx\n", mode, s.cause,
          s.tval, s.epc);
  reset();
  call(VA(2));
  bprintf("%s fetch invalid: scause %ld stval %lx sepc %lx\n", mode, s.cause,
          s.tval, s.epc);

  // A 4-byte instruction in the last two bytes of page 12, its second half
  // on page 13, which is invalid.
  pg[12][0xffe] = 0x37; // lui a0, 0: 0x00000537
  pg[12][0xfff] = 0x05;
  __asm__ volatile("fence.i" ::: "memory");
  reset();
  call(VA(12) + 0xffe);
  bprintf("%s fetch straddling: scause %ld stval %lx sepc %lx\n", mode,
          s.cause, s.tval, s.epc);
  // A compressed instruction there fits: c.li a0, 5 runs, and the fetch
  // that faults is the next one, at page 13.
  pg[12][0xffe] = 0x15; // c.li a0, 5: 0x4515
  pg[12][0xfff] = 0x45;
  __asm__ volatile("fence.i" ::: "memory");
  reset();
  call(VA(12) + 0xffe);
  bprintf("%s compressed at page end: scause %ld stval %lx sepc %lx\n", mode,
          s.cause, s.tval, s.epc);

  reset();
  load(VA(4), 0);
  uint64_t c1 = s.cause;
  reset();
  store(VA(4), 1, 0);
  bprintf("%s W without R: load %ld store %ld\n", mode, c1, s.cause);
  reset();
  load(VA(14), 0);
  bprintf("%s reserved bit N: scause %ld\n", mode, s.cause);
}

static void accessedDirty(void) {
  uint64_t b = pteAD(5);
  load(VA(5), 0);
  uint64_t l = pteAD(5);
  store(VA(5), 5, 0);
  uint64_t st = pteAD(5);
  bprintf("%s A/D: before A%d D%d, load A%d D%d, store A%d D%d\n", mode,
          !!(b & A), !!(b & D), !!(l & A), !!(l & D), !!(st & A), !!(st & D));
  lr(VA(6));
  uint64_t r = pteAD(6);
  bprintf("%s lr.d: A%d D%d\n", mode, !!(r & A), !!(r & D));
  reset();
  uint64_t v = lr(VA(3));
  uint64_t c = s.cause;
  reset();
  sc(VA(3), 1);
  bprintf("%s lr.d read-only: %lx %s, sc.d scause %ld stval %lx\n", mode, v,
          c == ~0ul ? "no fault" : "FAULT", s.cause, s.tval);
}

static void userPages(void) {
  reset();
  load(VA(7) + 0x800, 0);
  uint64_t c1 = s.cause;
  reset();
  store(VA(7) + 0x808, 1, 0);
  uint64_t c2 = s.cause;
  csr_set(sstatus, MSTATUS_SUM);
  reset();
  uint64_t v = load(VA(7) + 0x800, 0);
  store(VA(7) + 0x808, 1, 0);
  const char *stored = s.cause == ~0ul && *word(7, 0x808) == 1 ? "ok" : "BAD";
  // The fetch is from another VA of the U page, never accessed before:
  // qemu 7.2 grants execute in the TLB entry a SUM load of an executable U
  // page filled, and then lets S run code from it.
  reset();
  call(VA(15));
  uint64_t c3 = s.cause;
  csr_clear(sstatus, MSTATUS_SUM);
  reset();
  load(VA(7) + 0x800, 0);
  bprintf("%s U page: load %ld store %ld, SUM: load %lx store %s, fetch %ld, "
          "SUM clear again: load %ld\n",
          mode, c1, c2, v, stored, c3, s.cause);

  reset();
  load(VA(8), 0);
  c1 = s.cause;
  csr_set(sstatus, MSTATUS_MXR);
  uint64_t w = load(VA(8), 0) & 0xffffffff;
  csr_clear(sstatus, MSTATUS_MXR);
  reset();
  load(VA(8), 0);
  uint64_t c4 = s.cause;
  reset();
  call(VA(8)); // ret
  bprintf("%s MXR: load %ld, MXR: %lx, MXR clear again: load %ld, call %s\n",
          mode, c1, w, c4, s.cause == ~0ul ? "ok" : "FAULT");
}

static void remap(void) {
  uint64_t a = load(VA(9), 0);
  l0[9] = leaf((uint64_t)pg[10], R | W | A | D);
  sfenceAll();
  uint64_t b = load(VA(9), 0);
  l0[9] = leaf((uint64_t)pg[9], R | W | A | D);
  sfenceVa(VA(9));
  uint64_t c = load(VA(9), 0);
  reset();
  load(VA(2), 0);
  l0[2] = leaf((uint64_t)pg[2], R | A);
  sfenceVa(VA(2));
  uint64_t d = load(VA(2), 0);
  l0[2] = 0;
  sfenceAll();
  bprintf("%s sfence.vma: %lx %lx %lx, invalid then mapped %lx\n", mode, a, b,
          c, d);

  // Code: VA(1) runs page 1 (42), then page 2 made code (43), then page 1
  // without X.
  long x = call(VA(1));
  putCode(pg[2], 43);
  __asm__ volatile("fence.i" ::: "memory");
  l0[1] = leaf((uint64_t)pg[2], R | X | A);
  sfenceAll();
  long y = call(VA(1));
  l0[1] = leaf((uint64_t)pg[1], R | A);
  sfenceVa(VA(1));
  reset();
  long z = call(VA(1));
  uint64_t zCause = s.cause;
  // Mapped back and forth: each page's code runs again (xlat-system keeps
  // the translations of a page whose mapping went, for when it comes
  // back); page 1 rewritten while VA(1) maps page 2 runs its new code.
  l0[1] = leaf((uint64_t)pg[1], R | X | A);
  sfenceAll();
  long back = call(VA(1));
  l0[1] = leaf((uint64_t)pg[2], R | X | A);
  sfenceVa(VA(1));
  long again = call(VA(1));
  putCode(pg[1], 44);
  __asm__ volatile("fence.i" ::: "memory");
  l0[1] = leaf((uint64_t)pg[1], R | X | A);
  sfenceAll();
  long rewritten = call(VA(1));
  putCode(pg[1], 42);
  __asm__ volatile("fence.i" ::: "memory");
  *word(2, 0) = 0x2222;
  *word(2, 8) = 0;
  bprintf("%s code remapped: %ld %ld, X removed: %ld scause %ld\n", mode, x,
          y, z, zCause);
  bprintf("%s code mapped back: %ld, again %ld, rewritten while unmapped %ld\n",
          mode, back, again, rewritten);
}

static void superpages(void) {
  reset();
  load(0x40200000ul, 0);
  bprintf("%s misaligned megapage: scause %ld stval %lx\n", mode, s.cause,
          s.tval);
  reset();
  load(0xc0000010ul, 0);
  bprintf("%s misaligned gigapage: scause %ld stval %lx\n", mode, s.cause,
          s.tval);
}

static void nonCanonical(uint64_t va) {
  reset();
  load(va, 0);
  uint64_t c1 = s.cause, t1 = s.tval;
  reset();
  store(va + 8, 1, 0);
  bprintf("%s non-canonical: load %ld stval %lx, store %ld stval %lx\n", mode,
          c1, t1, s.cause, s.tval);
}

static void smcAlias(void) {
  putCode((uint8_t *)VA(10), 1);
  __asm__ volatile("fence.i" ::: "memory");
  long a = call(VA(11));
  putCode((uint8_t *)VA(10), 2);
  __asm__ volatile("fence.i" ::: "memory");
  long b = call(VA(11));
  bprintf("%s smc alias: %ld %ld\n", mode, a, b);
}

static long sv39(long unused) {
  common();
  faults();
  accessedDirty();
  userPages();
  remap();
  superpages();
  nonCanonical(0x8040000000ul);
  smcAlias();
  return 0;
}

static long sv48(long unused) {
  common();
  bprintf("%s bit 39 mapped: %lx\n", mode, load(0x8040000000ul, 0));
  nonCanonical(0x800000000000ul);
  return 0;
}

// M mode, MPRV set, MPP = mpp: a load at va.
static uint64_t mprvLoad(uint64_t mpp, uint64_t va) {
  uint64_t v = 0xdead;
  csr_clear(mstatus, MSTATUS_MPP);
  csr_set(mstatus, mpp << 11);
  __asm__ volatile("csrs mstatus, %1\n"
                   "ld %0, 0(%2)\n"
                   "csrc mstatus, %1\n"
                   : "+r"(v)
                   : "r"(MSTATUS_MPRV), "r"(va)
                   : "memory");
  return v;
}

static void mprv(void) {
  reset();
  uint64_t a = mprvLoad(PRIV_S, VA(0));
  uint64_t b = mprvLoad(PRIV_U, VA(0));
  uint64_t mc = m.cause, mt = m.tval;
  uint64_t c = mprvLoad(PRIV_U, VA(7) + 0x800);
  bprintf("%s mprv: S %lx, U on S page mcause %ld mtval %lx, U on U page %lx%s\n",
          mode, a, mc, mt, c, b == 0xdead ? "" : " BAD");
}

static void satpMode(uint64_t m, const char *prefix) {
  uint64_t before = csr_read(satp);
  csr_write(satp, m << 60 | ((uint64_t)root39 >> 12));
  uint64_t after = csr_read(satp);
  csr_write(satp, before);
  bprintf("%ssatp mode %lu: %s\n", prefix, m,
          after == before ? "unchanged" : "changed");
}

int main(void) {
  setup();
  csr_write(medeleg, 1ul << 12 | 1ul << 13 | 1ul << 15);
  csr_write(satp, 8ul << 60 | (uint64_t)root39 >> 12);
  __asm__ volatile("sfence.vma" ::: "memory");
  mode = "sv39";
  run_in(PRIV_S, sv39, 0);
  mprv();
  csr_write(satp, 9ul << 60 | (uint64_t)root48 >> 12);
  __asm__ volatile("sfence.vma" ::: "memory");
  mode = "sv48";
  run_in(PRIV_S, sv48, 0);
  csr_write(satp, 8ul << 60 | (uint64_t)root39 >> 12);
  satpMode(11, "");
  satpMode(1, "");
  satpMode(10, "impl: ");
  csr_write(satp, 0);
  bprintf("done\n");
  return 0;
}
