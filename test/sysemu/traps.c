// Traps and the machine-level CSRs, from M, S and U mode, one line per case:
// - ecall from M, S and U: mcause 11, 9, 8, mepc at the ecall, mtval 0;
//   with medeleg[8] the U ecall goes to S instead (scause 8, sepc at the
//   ecall, SPP = U), mcause untouched;
// - illegal instructions (32-bit and compressed): mcause 2, mtval = the
//   instruction's bits;
// - ebreak (c.ebreak here): mcause 3, mepc at it;
// - mret and sret: MIE/SIE from MPIE/SPIE, MPIE/SPIE set, MPP/SPP to U;
// - medeleg/mideleg written with all ones; misa; mhartid;
// - writing a read-only CSR (mhartid) is illegal, reading it with csrrs
//   rs1=x0 is not; an M CSR from S mode and an unknown CSR (0x7c0) are
//   illegal;
// - mstatus.MPP is WARL: M, S and U stick, the reserved 2 does not;
// - the counters (cycle, time, instret) from S need their mcounteren bit,
//   from U their scounteren bit too, else they are illegal;
// - with mstatus.FS Off, FP instructions and the FP CSRs are illegal;
// - mret from S, sret from U, and in S with mstatus.TSR sret, with TVM
//   satp and sfence.vma, with TW wfi, are illegal; an exception in M mode
//   stays in M whatever medeleg says;
// - mcycle and minstret are writable; mepc's bit 0 is zero;
// - physical addresses with nothing there raise access faults (load 5,
//   store 7, fetch 1) with mtval the address;
// - PMP, if the hart has it (pmpaddr0 writable): an entry without
//   permissions keeps S out of a page (load access fault), not M;
// - a misaligned lw is done in hardware; misaligned AMOs, LR and SC raise
//   an address-misaligned (or access-fault) exception: the store/AMO one
//   (6 or 7) for AMOs and SC, the load one (4 or 5) for LR, which is a load.
//
// Lines starting "impl:" are left out of the comparison with qemu and only
// checked against xlat-system:
// - misa's extensions are implementation-defined (qemu 7.2's default CPU
//   has H); the compared line masks H out;
// - which medeleg/mideleg bits are writable is too (qemu 7.2 makes the H
//   and Sscofpmf causes writable even without H); the compared lines keep
//   the standard causes of an S+U hart. qemu 7.2 also lets medeleg[11]
//   (ecall from M) be set, which the spec makes read-only zero;
// - qemu 7.2 keeps the reserved MPP value 2 (it legalizes MPP only from
//   8.0), which WARL forbids reading back;
// - ebreak's mtval may be 0 or the pc: qemu 7.2 writes 0, the compared
//   line accepts either;
// - how many PMP entries a hart has (0, 16 or 64) is implementation-
//   defined; qemu 7.2 has 16;
// - qemu 7.2 keeps bit 0 of mepc as written, though the spec has it always
//   zero;
// - the misaligned atomics: qemu 7.2 raises a load-misaligned exception (4)
//   for a misaligned AMO, and none for an SC that fails anyway.
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
//
// CHECK: ecall M: mcause 11 mepc ok mtval 0 mpp M
// CHECK-NEXT: ecall S: mcause 9 mepc ok mtval 0 mpp S
// CHECK-NEXT: ecall U: mcause 8 mepc ok mtval 0 mpp U
// CHECK-NEXT: ecall U delegated: scause 8 sepc ok stval 0 spp U mcause untouched
// CHECK-NEXT: ecall S with medeleg[8]: mcause 9
// CHECK-NEXT: illegal: mcause 2 mepc ok mtval deadc00b
// CHECK-NEXT: illegal compressed: mcause 2 mepc ok mtval 4
// CHECK-NEXT: illegal from S: mcause 2 mepc ok mtval deadc00b mpp S
// CHECK-NEXT: illegal delegated from U: scause 2 sepc ok stval deadc00b
// CHECK-NEXT: ebreak: mcause 3 mepc ok len 2 mtval 0-or-epc
// CHECK-NEXT: mret: MIE 1 MPIE 1 MPP U, then MIE 0 MPIE 1
// CHECK-NEXT: sret: SIE 1 SPIE 1 SPP U, then SIE 0 SPIE 1
// CHECK-NEXT: medeleg all ones: b3ff
// CHECK-NEXT: mideleg all ones: 222
// CHECK-NEXT: misa: MXL 2 acdfimsu
// CHECK-NEXT: mhartid: 0
// CHECK-NEXT: csrw mhartid: mcause 2 mtval f1401073, mhartid still 0
// CHECK-NEXT: csrrs mhartid, x0: no trap
// CHECK-NEXT: csrr mscratch from S: mcause 2 mtval 340025f3 mpp S
// CHECK-NEXT: csrr sscratch from U: mcause 2 mpp U
// CHECK-NEXT: csr 0x7c0: mcause 2 mtval 7c0025f3
// CHECK-NEXT: mstatus.MPP: M 3 S 1 U 0
// CHECK-NEXT: counters from S, mcounteren 0: cycle 2 time 2 instret 2
// CHECK-NEXT: counters from S, mcounteren 7: cycle - time - instret -
// CHECK-NEXT: counters from U, mcounteren 7 scounteren 0: cycle 2 time 2 instret 2
// CHECK-NEXT: counters from U, mcounteren 7 scounteren 7: cycle - time - instret -
// CHECK-NEXT: counters from U, mcounteren 0 scounteren 7: cycle 2 time 2 instret 2
// CHECK-NEXT: FS off: fadd.d 2 fmv.x.d 2 frcsr 2 fsflags 2; FS initial: fadd.d - frcsr -
// CHECK-NEXT: misaligned lw: no trap, 33445566
// CHECK-NEXT: privileged: mret from S 2, sret from U 2, TSR sret 2, TVM satp 2, TVM sfence.vma 2, TW wfi 2
// CHECK-NEXT: illegal in M with medeleg[2]: mcause 2 scause untouched
// CHECK-NEXT: mcycle written 0: small 1, minstret written 0: small 1
// CHECK-NEXT: access faults: load 5 mtval ok, store 7 mtval ok, fetch 1 mtval ok, past RAM load 5
// CHECK-NEXT: impl: misa 800000000014112d
// CHECK-NEXT: impl: medeleg 0000b3ff
// CHECK-NEXT: impl: mideleg 00000222
// CHECK-NEXT: impl: mstatus.MPP after writing 2: {{[013]$}}
// CHECK-NEXT: impl: mepc written 80000001: 80000000
// CHECK-NEXT: impl: pmp: {{(none|S load from a denied page: mcause 5 mtval ok, M load: no trap)$}}
// CHECK-NEXT: impl: misaligned amoadd.w: mcause {{[67]}} mtval ok
// CHECK-NEXT: impl: misaligned lr.w: mcause {{[45]}} mtval ok
// CHECK-NEXT: impl: misaligned sc.w: mcause {{[67]}} mtval ok
// CHECK-NEXT: done
// CHECK-NEXT: exit 0
#include "bare.h"

// What the last trap to M and to S saw (cause ~0: none).
struct seen {
  uint64_t cause, epc, tval, status;
};
static volatile struct seen m, s;

static void record(volatile struct seen *w, struct frame *f) {
  w->cause = f->cause;
  w->epc = f->epc;
  w->tval = f->tval;
  w->status = f->status;
  if (f->cause & CAUSE_INTERRUPT) {
    bprintf("unexpected interrupt %lx\n", f->cause);
    exit_with(1);
  }
  if (f->cause == 1) // a fetch: back to the caller
    f->epc = f->x[1];
  else
    f->epc += insn_len(f->epc); // on past the instruction
}

void trap(struct frame *f) { record(&m, f); }
void strap(struct frame *f) { record(&s, f); }

static void reset(void) {
  m.cause = s.cause = ~0ul;
  m.epc = s.epc = m.tval = s.tval = ~0ul;
}

static const char *ok(int c) { return c ? "ok" : "BAD"; }
static const char *modeName(uint64_t mpp) {
  return mpp == 3 ? "M" : mpp == 1 ? "S" : mpp == 0 ? "U" : "?";
}

// Each returns the address of the instruction it expects to trap.
static long doEcall(long unused) {
  uint64_t pc;
  __asm__ volatile("lla %0, 1f\n1: ecall" : "=r"(pc) : : "memory");
  return (long)pc;
}
static long doIllegal(long unused) {
  uint64_t pc;
  __asm__ volatile("lla %0, 1f\n1: .word 0xdeadc00b" : "=r"(pc) : : "memory");
  return (long)pc;
}
static long doIllegalC(long unused) {
  uint64_t pc;
  // c.addi4spn with a zero immediate: reserved.
  __asm__ volatile("lla %0, 1f\n1: .2byte 0x0004" : "=r"(pc) : : "memory");
  return (long)pc;
}
static long doEbreak(long unused) {
  uint64_t pc;
  __asm__ volatile("lla %0, 1f\n1: ebreak" : "=r"(pc) : : "memory");
  return (long)pc;
}
static long readMscratch(long unused) {
  uint64_t pc;
  __asm__ volatile("lla %0, 1f\n1: csrr a1, mscratch" : "=r"(pc) : : "a1", "memory");
  return (long)pc;
}
static long readSscratch(long unused) {
  __asm__ volatile("csrr a1, sscratch" : : : "a1", "memory");
  return 0;
}

static void ecallM(void) {
  reset();
  uint64_t pc = (uint64_t)doEcall(0);
  bprintf("ecall M: mcause %ld mepc %s mtval %lx mpp %s\n", m.cause,
          ok(m.epc == pc), m.tval, modeName((m.status >> 11) & 3));
}

static void ecallFrom(int mode, const char *name) {
  reset();
  uint64_t pc = (uint64_t)run_in(mode, doEcall, 0);
  bprintf("ecall %s: mcause %ld mepc %s mtval %lx mpp %s\n", name, m.cause,
          ok(m.epc == pc), m.tval, modeName((m.status >> 11) & 3));
}

static void ecallDelegated(void) {
  csr_write(medeleg, 1ul << 8);
  reset();
  uint64_t pc = (uint64_t)run_in(PRIV_U, doEcall, 0);
  bprintf("ecall U delegated: scause %ld sepc %s stval %lx spp %s mcause %s\n",
          s.cause, ok(s.epc == pc), s.tval,
          s.status & MSTATUS_SPP ? "S" : "U",
          m.cause == ~0ul ? "untouched" : "TAKEN");
  // An S ecall is not delegated by bit 8.
  reset();
  run_in(PRIV_S, doEcall, 0);
  bprintf("ecall S with medeleg[8]: mcause %ld\n", m.cause);
  csr_write(medeleg, 0);
}

static void illegal(void) {
  reset();
  uint64_t pc = (uint64_t)doIllegal(0);
  bprintf("illegal: mcause %ld mepc %s mtval %lx\n", m.cause, ok(m.epc == pc),
          m.tval);
  reset();
  pc = (uint64_t)doIllegalC(0);
  bprintf("illegal compressed: mcause %ld mepc %s mtval %lx\n", m.cause,
          ok(m.epc == pc), m.tval);
  reset();
  pc = (uint64_t)run_in(PRIV_S, doIllegal, 0);
  bprintf("illegal from S: mcause %ld mepc %s mtval %lx mpp %s\n", m.cause,
          ok(m.epc == pc), m.tval, modeName((m.status >> 11) & 3));
  csr_write(medeleg, 1ul << 2);
  reset();
  pc = (uint64_t)run_in(PRIV_U, doIllegal, 0);
  bprintf("illegal delegated from U: scause %ld sepc %s stval %lx\n", s.cause,
          ok(s.epc == pc), s.tval);
  csr_write(medeleg, 0);
}

static void ebreak(void) {
  reset();
  uint64_t pc = (uint64_t)doEbreak(0);
  bprintf("ebreak: mcause %ld mepc %s len %u mtval %s\n", m.cause,
          ok(m.epc == pc), insn_len(pc),
          m.tval == 0 || m.tval == pc ? "0-or-epc" : "BAD");
}

static void mret(void) {
  // MPP = M, MPIE = 1, MIE = 0: mret to the next instruction, in M.
  csr_clear(mstatus, MSTATUS_MIE | MSTATUS_MPP);
  csr_set(mstatus, MSTATUS_MPIE | MSTATUS_MPP);
  uint64_t after, after2;
  __asm__ volatile("lla t0, 1f\n"
                   "csrw mepc, t0\n"
                   "mret\n"
                   "1: csrr %0, mstatus\n"
                   : "=r"(after)
                   :
                   : "t0", "memory");
  csr_clear(mstatus, MSTATUS_MIE);
  // Again with MPIE = 0.
  csr_clear(mstatus, MSTATUS_MPIE | MSTATUS_MPP);
  csr_set(mstatus, MSTATUS_MPP);
  __asm__ volatile("lla t0, 1f\n"
                   "csrw mepc, t0\n"
                   "mret\n"
                   "1: csrr %0, mstatus\n"
                   : "=r"(after2)
                   :
                   : "t0", "memory");
  bprintf("mret: MIE %d MPIE %d MPP %s, then MIE %d MPIE %d\n",
          !!(after & MSTATUS_MIE), !!(after & MSTATUS_MPIE),
          modeName((after >> 11) & 3), !!(after2 & MSTATUS_MIE),
          !!(after2 & MSTATUS_MPIE));
}

static long sretInS(long unused) {
  uint64_t after, after2;
  csr_clear(sstatus, MSTATUS_SIE);
  csr_set(sstatus, MSTATUS_SPIE | MSTATUS_SPP);
  __asm__ volatile("lla t0, 1f\n"
                   "csrw sepc, t0\n"
                   "sret\n"
                   "1: csrr %0, sstatus\n"
                   : "=r"(after)
                   :
                   : "t0", "memory");
  csr_clear(sstatus, MSTATUS_SIE | MSTATUS_SPIE);
  csr_set(sstatus, MSTATUS_SPP);
  __asm__ volatile("lla t0, 1f\n"
                   "csrw sepc, t0\n"
                   "sret\n"
                   "1: csrr %0, sstatus\n"
                   : "=r"(after2)
                   :
                   : "t0", "memory");
  return (long)((after & 0xffff) | (after2 & 0xffff) << 16);
}

static void sret(void) {
  uint64_t r = (uint64_t)run_in(PRIV_S, sretInS, 0);
  uint64_t after = r & 0xffff, after2 = r >> 16;
  bprintf("sret: SIE %d SPIE %d SPP %s, then SIE %d SPIE %d\n",
          !!(after & MSTATUS_SIE), !!(after & MSTATUS_SPIE),
          after & MSTATUS_SPP ? "S" : "U", !!(after2 & MSTATUS_SIE),
          !!(after2 & MSTATUS_SPIE));
}

static uint64_t medelegOnes, midelegOnes;

static void delegation(void) {
  csr_write(medeleg, ~0ul);
  medelegOnes = csr_read(medeleg);
  csr_write(medeleg, 0);
  csr_write(mideleg, ~0ul);
  midelegOnes = csr_read(mideleg);
  csr_write(mideleg, 0);
  // The standard exception causes of an S+U hart and its S and M
  // interrupts (see above).
  bprintf("medeleg all ones: %lx\n", medelegOnes & 0xb3ff);
  bprintf("mideleg all ones: %lx\n", midelegOnes & 0xaaa);
}

static void misaAndHartid(void) {
  uint64_t misa = csr_read(misa);
  char ext[27];
  int n = 0;
  for (int i = 0; i < 26; i++)
    if ((misa >> i & 1) && i != 'h' - 'a')
      ext[n++] = (char)('a' + i);
  ext[n] = 0;
  bprintf("misa: MXL %lu %s\n", misa >> 62, ext);
  bprintf("mhartid: %lu\n", csr_read(mhartid));
}

static void csrAccess(void) {
  reset();
  __asm__ volatile("csrw mhartid, zero" ::: "memory");
  bprintf("csrw mhartid: mcause %ld mtval %lx, mhartid still %lu\n", m.cause,
          m.tval, csr_read(mhartid));
  reset();
  uint64_t v;
  __asm__ volatile("csrrs %0, mhartid, x0" : "=r"(v) : : "memory");
  bprintf("csrrs mhartid, x0: %s\n", m.cause == ~0ul ? "no trap" : "TRAP");
  reset();
  uint64_t pc = (uint64_t)run_in(PRIV_S, readMscratch, 0);
  bprintf("csrr mscratch from S: mcause %ld mtval %lx mpp %s%s\n", m.cause,
          m.tval, modeName((m.status >> 11) & 3), m.epc == pc ? "" : " BAD mepc");
  reset();
  run_in(PRIV_U, readSscratch, 0);
  bprintf("csrr sscratch from U: mcause %ld mpp %s\n", m.cause,
          modeName((m.status >> 11) & 3));
  reset();
  __asm__ volatile("csrr a1, 0x7c0" : : : "a1", "memory");
  bprintf("csr 0x7c0: mcause %ld mtval %lx\n", m.cause, m.tval);
}

static uint64_t mppAfter(uint64_t mpp) {
  csr_clear(mstatus, MSTATUS_MPP);
  csr_set(mstatus, mpp << 11);
  return (csr_read(mstatus) >> 11) & 3;
}

// Reads cycle, time and instret; which of them trapped (mcause, '-' if none)
// is in counterCause.
static volatile uint64_t counterCause[3];
static long readCounters(long unused) {
  for (int i = 0; i < 3; i++)
    counterCause[i] = ~0ul;
  uint64_t v;
  m.cause = ~0ul;
  __asm__ volatile("rdcycle %0" : "=r"(v) : : "memory");
  counterCause[0] = m.cause;
  m.cause = ~0ul;
  __asm__ volatile("rdtime %0" : "=r"(v) : : "memory");
  counterCause[1] = m.cause;
  m.cause = ~0ul;
  __asm__ volatile("rdinstret %0" : "=r"(v) : : "memory");
  counterCause[2] = m.cause;
  return 0;
}

static void causeOrDash(const char *name, uint64_t cause) {
  if (cause == ~0ul)
    bprintf(" %s -", name);
  else
    bprintf(" %s %ld", name, cause);
}

static void counters(int mode, uint64_t mcounteren, uint64_t scounteren) {
  csr_write(mcounteren, mcounteren);
  csr_write(scounteren, scounteren);
  run_in(mode, readCounters, 0);
  if (mode == PRIV_S)
    bprintf("counters from S, mcounteren %lu:", mcounteren);
  else
    bprintf("counters from U, mcounteren %lu scounteren %lu:", mcounteren,
            scounteren);
  causeOrDash("cycle", counterCause[0]);
  causeOrDash("time", counterCause[1]);
  causeOrDash("instret", counterCause[2]);
  bprintf("\n");
  csr_write(mcounteren, 0);
  csr_write(scounteren, 0);
}

static void fpOff(void) {
  uint64_t c[6], v;
  csr_clear(mstatus, MSTATUS_FS);
  reset();
  __asm__ volatile("fadd.d f1, f2, f3" ::: "f1", "memory");
  c[0] = m.cause;
  reset();
  __asm__ volatile("fmv.x.d %0, f1" : "=r"(v) : : "memory");
  c[1] = m.cause;
  reset();
  __asm__ volatile("frcsr %0" : "=r"(v) : : "memory");
  c[2] = m.cause;
  reset();
  __asm__ volatile("fsflags zero" ::: "memory");
  c[3] = m.cause;
  csr_set(mstatus, 1ul << 13);
  reset();
  __asm__ volatile("fadd.d f1, f2, f3" ::: "f1", "memory");
  c[4] = m.cause;
  reset();
  __asm__ volatile("frcsr %0" : "=r"(v) : : "memory");
  c[5] = m.cause;
  bprintf("FS off:");
  causeOrDash("fadd.d", c[0]);
  causeOrDash("fmv.x.d", c[1]);
  causeOrDash("frcsr", c[2]);
  causeOrDash("fsflags", c[3]);
  bprintf("; FS initial:");
  causeOrDash("fadd.d", c[4]);
  causeOrDash("frcsr", c[5]);
  bprintf("\n");
}

static uint64_t buf[2];
static uint64_t misCause[3], misTval[3];

static void misaligned(void) {
  uint64_t a = (uint64_t)buf + 2, v = 0;
  buf[0] = 0x1122334455667788ul;
  reset();
  __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
  bprintf("misaligned lw: %s, %lx\n", m.cause == ~0ul ? "no trap" : "TRAP", v);
  reset();
  __asm__ volatile("amoadd.w %0, zero, (%1)" : "=r"(v) : "r"(a) : "memory");
  misCause[0] = m.cause, misTval[0] = m.tval;
  reset();
  __asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(a) : "memory");
  misCause[1] = m.cause, misTval[1] = m.tval;
  reset();
  __asm__ volatile("sc.w %0, zero, (%1)" : "=r"(v) : "r"(a) : "memory");
  misCause[2] = m.cause, misTval[2] = m.tval;
}

static long doMret(long unused) {
  __asm__ volatile("lla t0, 1f\ncsrw sepc, t0\nmret\n1:" ::: "t0", "memory");
  return 0;
}
static long doSret(long unused) {
  __asm__ volatile("sret" ::: "memory");
  return 0;
}
static long doSatp(long unused) {
  __asm__ volatile("csrr a1, satp" ::: "a1", "memory");
  return 0;
}
static long doSfence(long unused) {
  __asm__ volatile("sfence.vma" ::: "memory");
  return 0;
}
static long doWfi(long unused) {
  __asm__ volatile("wfi" ::: "memory");
  return 0;
}

static uint64_t mepcOdd;

static uint64_t trapOf(int mode, long (*fn)(long)) {
  reset();
  run_in(mode, fn, 0);
  return m.cause;
}

static void privileged(void) {
  uint64_t c[6];
  c[0] = trapOf(PRIV_S, doMret);
  c[1] = trapOf(PRIV_U, doSret);
  csr_set(mstatus, 1ul << 22); // TSR
  c[2] = trapOf(PRIV_S, doSret);
  csr_clear(mstatus, 1ul << 22);
  csr_set(mstatus, 1ul << 20); // TVM
  c[3] = trapOf(PRIV_S, doSatp);
  c[4] = trapOf(PRIV_S, doSfence);
  csr_clear(mstatus, 1ul << 20);
  csr_set(mstatus, 1ul << 21); // TW
  c[5] = trapOf(PRIV_S, doWfi);
  csr_clear(mstatus, 1ul << 21);
  bprintf("privileged: mret from S %ld, sret from U %ld, TSR sret %ld, TVM satp "
          "%ld, TVM sfence.vma %ld, TW wfi %ld\n",
          c[0], c[1], c[2], c[3], c[4], c[5]);

  csr_write(medeleg, 1ul << 2);
  reset();
  doIllegal(0);
  bprintf("illegal in M with medeleg[2]: mcause %ld scause %s\n", m.cause,
          s.cause == ~0ul ? "untouched" : "TAKEN");
  csr_write(medeleg, 0);

  uint64_t old = csr_read(mepc);
  csr_write(mepc, 0x80000001ul);
  mepcOdd = csr_read(mepc);
  csr_write(mepc, old);

  csr_write(mcycle, 0);
  uint64_t cy = csr_read(mcycle);
  csr_write(minstret, 0);
  uint64_t ir = csr_read(minstret);
  bprintf("mcycle written 0: small %d, minstret written 0: small %d\n",
          cy < 100000000, ir < 100000000);
}

static void accessFaults(void) {
  const uint64_t hole = 0xe000000; // nothing there on the virt board
  uint64_t v;
  reset();
  __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(hole) : "memory");
  uint64_t lc = m.cause, lt = m.tval;
  reset();
  __asm__ volatile("sd zero, 8(%0)" : : "r"(hole) : "memory");
  uint64_t sc = m.cause, st = m.tval;
  reset();
  // A call into the hole: the fetch faults; the handler resumes after it.
  // (Not to a device: whether device regions are executable is the
  // platform's choice, and qemu 7.2 runs code from the UART's registers.)
  __asm__ volatile("lla ra, 1f\n"
                   "jr %0\n"
                   "1:\n"
                   :
                   : "r"(hole + 0x10)
                   : "ra", "memory");
  uint64_t fc = m.cause, ft = m.tval;
  reset();
  __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(0x88000000ul) : "memory");
  bprintf("access faults: load %ld mtval %s, store %ld mtval %s, fetch %ld "
          "mtval %s, past RAM load %ld\n",
          lc, lt == hole ? "ok" : "BAD", sc, st == hole + 8 ? "ok" : "BAD", fc,
          ft == hole + 0x10 ? "ok" : "BAD", m.cause);
}

static uint64_t pmpPage[512] __attribute__((aligned(4096)));

static long loadPmpPage(long unused) { return (long)*(volatile uint64_t *)pmpPage; }

static int pmpLine, pmpTvalOk, pmpMTrap;
static uint64_t pmpCause;

static void pmp(void) {
  // Entry 0: the page, no permissions; entry 1: everything, RWX.
  csr_write(pmpaddr0, (uint64_t)pmpPage >> 2 | 0x1ff);
  if (csr_read(pmpaddr0) != ((uint64_t)pmpPage >> 2 | 0x1ff)) {
    pmpLine = 0; // no PMP
    return;
  }
  csr_write(pmpaddr1, ~0ul);
  csr_write(pmpcfg0, 0x1f18);
  reset();
  run_in(PRIV_S, loadPmpPage, 0);
  uint64_t c = m.cause, t = m.tval;
  reset();
  (void)*(volatile uint64_t *)pmpPage;
  csr_write(pmpaddr0, ~0ul);
  csr_write(pmpcfg0, 0x1f);
  pmpLine = 1;
  pmpCause = c;
  pmpTvalOk = t == (uint64_t)pmpPage;
  pmpMTrap = m.cause != ~0ul;
}

int main(void) {
  ecallM();
  ecallFrom(PRIV_S, "S");
  ecallFrom(PRIV_U, "U");
  ecallDelegated();
  illegal();
  ebreak();
  mret();
  sret();
  delegation();
  misaAndHartid();
  csrAccess();
  uint64_t mM = mppAfter(3), mS = mppAfter(1), mU = mppAfter(0);
  bprintf("mstatus.MPP: M %lu S %lu U %lu\n", mM, mS, mU);
  uint64_t m2 = mppAfter(2);
  csr_set(mstatus, MSTATUS_MPP);
  counters(PRIV_S, 0, 0);
  counters(PRIV_S, 7, 0);
  counters(PRIV_U, 7, 0);
  counters(PRIV_U, 7, 7);
  counters(PRIV_U, 0, 7);
  fpOff();
  misaligned();
  privileged();
  accessFaults();
  pmp();
  bprintf("impl: misa %lx\n", csr_read(misa));
  bprintf("impl: medeleg %08lx\n", medelegOnes);
  bprintf("impl: mideleg %08lx\n", midelegOnes);
  bprintf("impl: mstatus.MPP after writing 2: %lu\n", m2);
  bprintf("impl: mepc written 80000001: %lx\n", mepcOdd);
  if (pmpLine)
    bprintf("impl: pmp: S load from a denied page: mcause %ld mtval %s, M "
            "load: %s\n",
            pmpCause, pmpTvalOk ? "ok" : "BAD", pmpMTrap ? "TRAP" : "no trap");
  else
    bprintf("impl: pmp: none\n");
  static const char *const amo[] = {"amoadd.w", "lr.w", "sc.w"};
  for (int i = 0; i < 3; i++)
    bprintf("impl: misaligned %s: mcause %ld mtval %s\n", amo[i], misCause[i],
            misTval[i] == (uint64_t)buf + 2 ? "ok" : "BAD");
  bprintf("done\n");
  return 0;
}
