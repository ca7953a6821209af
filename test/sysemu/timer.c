// Interrupts from the CLINT and from mip, one line per case:
// - the M timer: MTIP follows mtime >= mtimecmp; with MTIE and MIE it
//   interrupts a loop that only the handler can end;
// - wfi wakes on a pending enabled interrupt with MIE clear (no trap), and
//   with MIE set the interrupt is taken with mepc after the wfi;
// - msip raises MSIP; with vectored mtvec it enters at base + 4 * 3 (and
//   exceptions at base);
// - MSI before MTI when both are pending;
// - the M timer preempts S-mode code even with mstatus.MIE clear;
// - STIP set by M in mip, delegated by mideleg: not taken in M, not in S
//   with SIE clear, taken in S once SIE is set (scause 5 | 1 << 63), and
//   taken in U whatever SIE; not delegated, M takes it;
// - SSIP set by S in sip, delegated, taken in S.
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
// RUN: diff %t.ref %t.out
// RUN: FileCheck %s < %t.out
//
// CHECK: MTIP: future 0, past 1, cleared 0, no trap
// CHECK-NEXT: M timer in a loop: mcause 8000000000000007 ended 1 due 1 MTIP after 0
// CHECK-NEXT: wfi with MIE 0: woke, MTIP 1, waited 1, traps 0
// CHECK-NEXT: wfi with MIE 1: mcause 8000000000000007 mepc after wfi
// CHECK-NEXT: msip: MSIP 1 register 1, mcause 8000000000000003, then MSIP 0 register 0
// CHECK-NEXT: vectored: msi at slot 3, ecall at slot 0 mcause 11
// CHECK-NEXT: priority: 3 then 7
// CHECK-NEXT: M timer from S with MIE 0: mcause 8000000000000007 mpp S
// CHECK-NEXT: STIP delegated: pending in M 1 not taken, S with SIE 0 not taken, SIE 1 scause 8000000000000005 sepc ok
// CHECK-NEXT: STIP delegated from U with SIE 0: scause 8000000000000005 spp U
// CHECK-NEXT: STIP not delegated: mcause 8000000000000005
// CHECK-NEXT: SSIP from S: scause 8000000000000001
// CHECK-NEXT: done
// CHECK-NEXT: exit 0
#include "bare.h"

static volatile int mTraps, sTraps;
static volatile uint64_t mCause, mEpc, mTval, sCause, sEpc, sStatus;
static volatile uint64_t mtimeAtIrq, cmpAtIrq, mStatusAtIrq;
static volatile uint64_t order[4];

void trap(struct frame *f) {
  if (!(f->cause & CAUSE_INTERRUPT)) {
    if (f->cause == 11) { // the vectored case's ecall
      mCause = f->cause;
      mTval = f->tval;
      f->epc += 4;
      return;
    }
    bprintf("unexpected M exception %lx at %lx\n", f->cause, f->epc);
    exit_with(1);
  }
  if (mTraps < 4)
    order[mTraps] = f->cause & 63;
  mTraps++;
  mCause = f->cause;
  mEpc = f->epc;
  mTval = f->tval;
  mStatusAtIrq = f->status;
  switch (f->cause & 63) {
  case IRQ_MTI:
    mtimeAtIrq = *CLINT_MTIME;
    cmpAtIrq = *CLINT_MTIMECMP;
    *CLINT_MTIMECMP = ~0ul;
    break;
  case IRQ_MSI:
    *CLINT_MSIP = 0;
    break;
  case IRQ_STI:
    csr_clear(mip, 1ul << IRQ_STI);
    break;
  default:
    bprintf("unexpected M interrupt %lx\n", f->cause);
    exit_with(1);
  }
}

void strap(struct frame *f) {
  if (!(f->cause & CAUSE_INTERRUPT)) {
    bprintf("unexpected S exception %lx at %lx\n", f->cause, f->epc);
    exit_with(1);
  }
  sTraps++;
  sCause = f->cause;
  sEpc = f->epc;
  sStatus = f->status;
  switch (f->cause & 63) {
  case IRQ_STI: // S cannot clear STIP: it stops listening
    csr_clear(sie, 1ul << IRQ_STI);
    break;
  case IRQ_SSI:
    csr_clear(sip, 1ul << IRQ_SSI);
    break;
  default:
    bprintf("unexpected S interrupt %lx\n", f->cause);
    exit_with(1);
  }
}

// How far ahead a case sets the timer (mtime runs at 10 MHz): 50 ms, so
// that the interrupt is still in the future when the code that waits for
// it runs, even when the LLVM tiers compile that code first.
static const uint64_t kWindow = 500000;

static int mtip(void) { return !!(csr_read(mip) & (1ul << IRQ_MTI)); }

static void mtipFollowsCompare(void) {
  csr_write(mie, 1ul << IRQ_MTI); // MIE is clear: nothing is taken
  *CLINT_MTIMECMP = *CLINT_MTIME + 100000000; // 10 s
  int future = mtip();
  *CLINT_MTIMECMP = *CLINT_MTIME;
  int past = mtip();
  *CLINT_MTIMECMP = ~0ul;
  int cleared = mtip();
  csr_write(mie, 0);
  bprintf("MTIP: future %d, past %d, cleared %d, %s\n", future, past, cleared,
          mTraps ? "TRAP" : "no trap");
}

static void timerInLoop(void) {
  mTraps = 0;
  *CLINT_MTIMECMP = *CLINT_MTIME + kWindow;
  csr_write(mie, 1ul << IRQ_MTI);
  csr_set(mstatus, MSTATUS_MIE);
  unsigned long spins = 0;
  while (!mTraps) // only the handler ends it
    spins++;
  csr_clear(mstatus, MSTATUS_MIE);
  csr_write(mie, 0);
  bprintf("M timer in a loop: mcause %lx ended %d due %d MTIP after %d\n",
          mCause, mTraps, mtimeAtIrq >= cmpAtIrq, mtip());
}

static void wfiWakes(void) {
  mTraps = 0;
  csr_write(mie, 1ul << IRQ_MTI);
  uint64_t start = *CLINT_MTIME;
  *CLINT_MTIMECMP = start + kWindow;
  while (!mtip())
    __asm__ volatile("wfi" ::: "memory");
  int waited = *CLINT_MTIME >= start + kWindow;
  int pending = mtip();
  *CLINT_MTIMECMP = ~0ul;
  bprintf("wfi with MIE 0: woke, MTIP %d, waited %d, traps %d\n", pending,
          waited, mTraps);

  // With MIE set: the trap is taken after the wfi.
  uint64_t after = 0;
  *CLINT_MTIMECMP = *CLINT_MTIME + kWindow;
  csr_set(mstatus, MSTATUS_MIE);
  while (!mTraps)
    __asm__ volatile("lla %0, 1f\n"
                     "wfi\n"
                     "1:\n"
                     : "=r"(after)
                     :
                     : "memory");
  csr_clear(mstatus, MSTATUS_MIE);
  csr_write(mie, 0);
  bprintf("wfi with MIE 1: mcause %lx mepc %s\n", mCause,
          mEpc == after ? "after wfi" : "ELSEWHERE");
}

static void softwareInterrupt(void) {
  mTraps = 0;
  *CLINT_MSIP = 1;
  int pending = !!(csr_read(mip) & (1ul << IRQ_MSI));
  uint32_t reg = *CLINT_MSIP;
  csr_write(mie, 1ul << IRQ_MSI);
  csr_set(mstatus, MSTATUS_MIE); // taken here
  csr_clear(mstatus, MSTATUS_MIE);
  csr_write(mie, 0);
  uint64_t cause = mTraps == 1 ? mCause : 0;
  bprintf("msip: MSIP %d register %u, mcause %lx, then MSIP %d register %u\n",
          pending, reg, cause, !!(csr_read(mip) & (1ul << IRQ_MSI)),
          *CLINT_MSIP);
}

// Vectored mtvec: slot 3 marks mtval with 3, slot 0 with 31, the others
// with 30, and each goes on to the runtime's vector.
void vectors(void);
__asm__(".balign 256\n"
        "vectors:\n"
        ".option push\n"
        ".option norvc\n"
        "j 0f\n"
        "j 2f\n"
        "j 2f\n"
        "j 1f\n"
        ".rept 8\n"
        "j 2f\n"
        ".endr\n"
        "0: csrwi mtval, 31\n"
        "j m_trap_vector\n"
        "1: csrwi mtval, 3\n"
        "j m_trap_vector\n"
        "2: csrwi mtval, 30\n"
        "j m_trap_vector\n"
        ".option pop\n");

static void vectored(void) {
  uint64_t old = csr_read(mtvec);
  csr_write(mtvec, (uint64_t)vectors | 1);
  mTraps = 0;
  *CLINT_MSIP = 1;
  csr_write(mie, 1ul << IRQ_MSI);
  csr_set(mstatus, MSTATUS_MIE);
  csr_clear(mstatus, MSTATUS_MIE);
  csr_write(mie, 0);
  uint64_t msiSlot = mTval;
  __asm__ volatile("ecall" ::: "memory");
  uint64_t ecallSlot = mTval;
  csr_write(mtvec, old);
  bprintf("vectored: msi at slot %lu, ecall at slot %lu mcause %lu\n", msiSlot,
          ecallSlot == 31 ? 0 : ecallSlot, mCause);
}

static void priority(void) {
  mTraps = 0;
  *CLINT_MSIP = 1;
  *CLINT_MTIMECMP = 0;
  csr_write(mie, 1ul << IRQ_MSI | 1ul << IRQ_MTI);
  csr_set(mstatus, MSTATUS_MIE); // both taken here, one after the other
  csr_clear(mstatus, MSTATUS_MIE);
  csr_write(mie, 0);
  bprintf("priority: %lu then %lu\n", order[0], order[1]);
}

static long spinUntilMTrap(long unused) {
  while (!mTraps)
    ;
  return 0;
}

static void timerPreemptsS(void) {
  mTraps = 0;
  csr_clear(mstatus, MSTATUS_MIE);
  csr_write(mie, 1ul << IRQ_MTI);
  *CLINT_MTIMECMP = *CLINT_MTIME + kWindow;
  run_in(PRIV_S, spinUntilMTrap, 0);
  csr_write(mie, 0);
  bprintf("M timer from S with MIE 0: mcause %lx mpp %s\n", mCause,
          ((mStatusAtIrq >> 11) & 3) == PRIV_S ? "S" : "?");
}

static long stipInS(long unused) {
  for (volatile int i = 0; i < 100; i++)
    ;
  int before = sTraps;
  uint64_t at;
  __asm__ volatile("lla %0, 1f\n"
                   "csrsi sstatus, 2\n" // SIE: taken right after
                   "1: csrci sstatus, 2\n"
                   : "=r"(at)
                   :
                   : "memory");
  return before == 0 && sTraps == 1 && sEpc == at;
}

static long spinInU(long unused) {
  while (!sTraps)
    ;
  return 0;
}

static void supervisorTimer(void) {
  csr_write(mideleg, 1ul << IRQ_STI);
  csr_write(mie, 1ul << IRQ_STI);
  csr_set(mip, 1ul << IRQ_STI);
  sTraps = 0;
  mTraps = 0;
  csr_set(mstatus, MSTATUS_MIE);
  for (volatile int i = 0; i < 100; i++)
    ;
  csr_clear(mstatus, MSTATUS_MIE);
  int pendingInM = !!(csr_read(mip) & (1ul << IRQ_STI));
  int takenInM = mTraps + sTraps;
  long ok = run_in(PRIV_S, stipInS, 0);
  bprintf("STIP delegated: pending in M %d %s, S with SIE 0 %s, SIE 1 scause "
          "%lx sepc %s\n",
          pendingInM, takenInM ? "TAKEN" : "not taken",
          ok ? "not taken" : "BAD", sCause, ok ? "ok" : "BAD");

  // From U, S interrupts are enabled whatever SIE.
  csr_write(mie, 1ul << IRQ_STI);
  csr_clear(mstatus, MSTATUS_SIE);
  sTraps = 0;
  run_in(PRIV_U, spinInU, 0);
  bprintf("STIP delegated from U with SIE 0: scause %lx spp %s\n", sCause,
          sStatus & MSTATUS_SPP ? "S" : "U");
  csr_clear(mip, 1ul << IRQ_STI);

  // Not delegated: M's.
  csr_write(mideleg, 0);
  mTraps = 0;
  csr_write(mie, 1ul << IRQ_STI);
  csr_set(mip, 1ul << IRQ_STI);
  csr_set(mstatus, MSTATUS_MIE); // taken here; the handler clears STIP
  csr_clear(mstatus, MSTATUS_MIE);
  csr_write(mie, 0);
  bprintf("STIP not delegated: mcause %lx\n", mTraps == 1 ? mCause : 0);
}

static long ssipInS(long unused) {
  csr_set(sie, 1ul << IRQ_SSI);
  csr_set(sip, 1ul << IRQ_SSI);
  csr_set(sstatus, MSTATUS_SIE); // taken here
  csr_clear(sstatus, MSTATUS_SIE);
  return sTraps;
}

static void supervisorSoftware(void) {
  csr_write(mideleg, 1ul << IRQ_SSI);
  sTraps = 0;
  long n = run_in(PRIV_S, ssipInS, 0);
  csr_write(mideleg, 0);
  csr_write(mie, 0);
  bprintf("SSIP from S: scause %lx\n", n == 1 ? sCause : 0);
}

int main(void) {
  mtipFollowsCompare();
  timerInLoop();
  wfiWakes();
  softwareInterrupt();
  vectored();
  priority();
  timerPreemptsS();
  supervisorTimer();
  supervisorSoftware();
  bprintf("done\n");
  return 0;
}
