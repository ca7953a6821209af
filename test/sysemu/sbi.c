// An S-mode payload under OpenSBI (fw_jump, the default firmware), talking
// to it through the SBI, one line per case:
// - the base extension: spec version, implementation id, probes of TIME,
//   SRST, HSM (present) and of an extension that does not exist (0);
// - HSM: this hart's status is started (0);
// - the legacy console putchar (EID 1) prints every line;
// - set_timer: an S timer interrupt (scause 5 | 1 << 63) after the deadline
//   wakes a wfi, and set_timer(-1) takes STIP away again;
// - SRST system reset (shutdown, no reason) ends the run with status 0.
// Only the payload's lines ("payload:") are compared: the firmware's banner
// names the platform, which differs.
//
// REQUIRES: qemu-system, opensbi
// RUN: %rv-bare-cc -DBARE_SMODE -Wl,--defsym,LOAD_BASE=0x80200000 %s -o %t
// RUN: timeout 20 %xlat-system -kernel %t -nographic > %t.log; echo "exit $?" >> %t.log
// RUN: timeout 20 %xlat-system --tier=interp -kernel %t -nographic > %t.log.interp; echo "exit $?" >> %t.log.interp
// RUN: diff %t.log %t.log.interp
// RUN: timeout 60 %xlat-system --tier=block -kernel %t -nographic > %t.log.block; echo "exit $?" >> %t.log.block
// RUN: diff %t.log %t.log.block
// RUN: timeout 90 %xlat-system --tier=region -kernel %t -nographic > %t.log.region; echo "exit $?" >> %t.log.region
// RUN: diff %t.log %t.log.region
// RUN: timeout 60 %xlat-system --tier=adaptive --hot-threshold=50 -kernel %t -nographic > %t.log.adaptive; echo "exit $?" >> %t.log.adaptive
// RUN: diff %t.log %t.log.adaptive
// RUN: timeout 20 %qemu-system -bios default -kernel %t > %t.qlog; echo "exit $?" >> %t.qlog
// RUN: tr -d '\r' < %t.log | grep -e '^payload:' -e '^exit' > %t.out
// RUN: tr -d '\r' < %t.qlog | grep -e '^payload:' -e '^exit' > %t.ref
// RUN: diff %t.ref %t.out
// RUN: FileCheck %s < %t.out
//
// CHECK: payload: in S mode at 80200000
// CHECK-NEXT: payload: spec version: error 0 major {{[1-9]}} minor {{[0-9]+$}}
// CHECK-NEXT: payload: impl id: error 0 value 1
// CHECK-NEXT: payload: probe TIME 1 SRST 1 HSM 1 nonexistent 0
// CHECK-NEXT: payload: hart 0 status: error 0 value 0
// CHECK-NEXT: payload: set_timer: error 0, scause 8000000000000005 after the deadline 1, STIP after set_timer(-1) 0
// CHECK-NEXT: payload: shutting down
// CHECK-NEXT: exit 0
#include "bare.h"

#define SBI_BASE 0x10
#define SBI_TIME 0x54494d45
#define SBI_SRST 0x53525354
#define SBI_HSM 0x48534d

static volatile int ticks;
static volatile uint64_t cause, timeAtIrq;

void strap(struct frame *f) {
  if (f->cause != (CAUSE_INTERRUPT | IRQ_STI)) {
    bprintf("payload: unexpected trap: scause %lx sepc %lx stval %lx\n",
            f->cause, f->epc, f->tval);
    exit_with(1);
  }
  ticks++;
  cause = f->cause;
  timeAtIrq = csr_read(time);
  sbi_call(SBI_TIME, 0, -1, 0, 0); // no more: STIP goes away
}

static long probe(long eid) { return sbi_call(SBI_BASE, 3, eid, 0, 0).value; }

int main(void) {
  uint64_t pc;
  __asm__ volatile("auipc %0, 0" : "=r"(pc));
  bprintf("payload: in S mode at %lx\n", pc & ~0xffffful);

  struct sbiret r = sbi_call(SBI_BASE, 0, 0, 0, 0);
  bprintf("payload: spec version: error %ld major %ld minor %ld\n", r.error,
          r.value >> 24 & 0x7f, r.value & 0xffffff);
  r = sbi_call(SBI_BASE, 1, 0, 0, 0);
  bprintf("payload: impl id: error %ld value %ld\n", r.error, r.value);
  bprintf("payload: probe TIME %d SRST %d HSM %d nonexistent %ld\n",
          probe(SBI_TIME) != 0, probe(SBI_SRST) != 0, probe(SBI_HSM) != 0,
          probe(0x0a5a5a5a));
  r = sbi_call(SBI_HSM, 2, 0, 0, 0);
  bprintf("payload: hart 0 status: error %ld value %ld\n", r.error, r.value);

  uint64_t deadline = csr_read(time) + 10000; // 1 ms
  csr_set(sie, 1ul << IRQ_STI);
  r = sbi_call(SBI_TIME, 0, (long)deadline, 0, 0);
  csr_set(sstatus, MSTATUS_SIE);
  while (!ticks)
    __asm__ volatile("wfi" ::: "memory");
  csr_clear(sstatus, MSTATUS_SIE);
  int stip = !!(csr_read(sip) & (1ul << IRQ_STI));
  bprintf("payload: set_timer: error %ld, scause %lx after the deadline %d, "
          "STIP after set_timer(-1) %d\n",
          r.error, cause, timeAtIrq >= deadline, stip);

  bprintf("payload: shutting down\n");
  r = sbi_call(SBI_SRST, 0, 0, 0, 0);
  bprintf("payload: SRST returned: error %ld\n", r.error);
  return 3;
}
