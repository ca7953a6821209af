// The architected state of one A64 thread, as every consumer sees it: the
// single declaration of the guest register file, standard-layout, so that
// the lifter will derive field offsets from it with offsetof as it does
// from rv::RvState: the integer registers, SP, pc, NZCV, the thread
// pointer, the FP and AdvSIMD registers and their control and status
// registers.
#pragma once

#include "lifter/core/exit_reason.h"

#include <cstdint>

namespace xlat::a64 {

// Why the interpreter or translated code handed control back to the
// runner (lifter/core/exit_reason.h).
enum ExitReason : uint32_t {
  kExitNone = exits::kNone,
  kExitSvc = exits::kSyscall,           // pc = the instruction after the svc
  kExitBrk = exits::kBreakpoint,        // pc = the brk
  kExitIllegal = exits::kIllegal,       // pc = the instruction: unallocated, or not implemented
  kExitSyncCode = exits::kSyncCode,     // pc = after an ic ivau: code may have changed
  kExitMemFault = exits::kMemFault,     // pc = the access, fault_addr set
  kExitMisaligned = exits::kMisaligned, // pc = an exclusive, atomic or ordered access
};

struct A64State {
  // pc first: offset 0 cannot be a register a fault spills (a pc map
  // entry's "none"), and X0 is one.
  uint64_t pc;
  uint64_t x[31]; // X0-X30; register number 31 is SP or XZR by context
  uint64_t sp;
  // NZCV as four words, each made from a result by one host instruction
  // or none (the layout qemu keeps them in): N is nf's sign bit, Z is
  // zf == 0, C is cf (0 or 1), V is vf's sign bit. A flag-setting
  // instruction stores its result as nf and zf; a compare before a branch
  // is a host compare and a test, where a packed NZCV took some fifteen
  // instructions to make and two to read. nzcv() and setNzcv() are the
  // architected form (bits 31:28, as mrs nzcv reads it).
  int64_t nf;
  uint64_t zf;
  uint64_t cf;
  int64_t vf;
  uint32_t exit_reason;
  uint32_t unused_;
  uint64_t tpidr_el0; // the thread pointer
  uint32_t fpcr, fpsr;
  uint64_t fault_addr; // for kExitMemFault
  // The exclusive monitor: the address, size and value(s) the last
  // load-exclusive read (excl_bytes 0 when clear). A store-exclusive
  // succeeds if memory still holds them, by compare and swap: the same
  // approximation as RvState's LR/SC reservation, and for the same reason.
  uint64_t excl_addr;
  uint64_t excl_val[2];
  uint32_t excl_bytes;
  // V0-V31, 128 bits each: v[n][0] the low half (D, S, H, B are its low
  // bits), v[n][1] the high.
  alignas(16) uint64_t v[32][2];
  // What the architecture does not have, for the runner and translated
  // code, with RvState's names and meanings (lifter/riscv/state.h): the
  // lifter finds them in either state by name. Everything from membase on
  // is outside the registers translated code keeps in a local copy.
  uint32_t interrupt;
  uint64_t access_pc;
  // User mode: host address of guest address 0; guest addresses must be
  // below memlimit (as RvState's).
  uint8_t *membase;
  uint64_t memlimit;
  const void *ibtc;
  uint64_t blocks_run;
  uint64_t ibtc_probes, ibtc_hits;
  // The return shadow stack: bl and blr push, ret through x30 pops.
  uint64_t shadow_top;
  uint64_t shadow_probes, shadow_hits;
  struct ShadowEntry {
    uint64_t pc;
    const void *cell;
  } shadow[64];

  uint32_t nzcv() const;
  void setNzcv(uint32_t bits);
};

// System registers as mrs and msr name them, and system instructions as
// sys does: Insn::imm, op0:op1:CRn:CRm:op2 without op0's top bit (set for
// mrs and msr, clear for sys).
constexpr int64_t sysReg(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2) {
  return int64_t((op0 & 1) << 14 | op1 << 11 | crn << 7 | crm << 3 | op2);
}
constexpr int64_t kSysNzcv = sysReg(3, 3, 4, 2, 0);
constexpr int64_t kSysFpcr = sysReg(3, 3, 4, 4, 0);
constexpr int64_t kSysFpsr = sysReg(3, 3, 4, 4, 1);
constexpr int64_t kSysTpidrEl0 = sysReg(3, 3, 13, 0, 2);
constexpr int64_t kSysCntfrqEl0 = sysReg(3, 3, 14, 0, 0);
constexpr int64_t kSysCntvctEl0 = sysReg(3, 3, 14, 0, 2);
constexpr int64_t kSysCtrEl0 = sysReg(3, 3, 0, 0, 1);
constexpr int64_t kSysDczidEl0 = sysReg(3, 3, 0, 0, 7);
constexpr int64_t kSysMidrEl1 = sysReg(3, 0, 0, 0, 0);
constexpr int64_t kSysMpidrEl1 = sysReg(3, 0, 0, 0, 5);
constexpr int64_t kSysIdAa64Pfr0El1 = sysReg(3, 0, 0, 4, 0);
constexpr int64_t kSysIdAa64Isar0El1 = sysReg(3, 0, 0, 6, 0);
// The system instructions EL0 may use (sys #op1, Cn, Cm, #op2).
constexpr int64_t kSysDcZva = sysReg(1, 3, 7, 4, 1);
constexpr int64_t kSysIcIvau = sysReg(1, 3, 7, 5, 1);
constexpr int64_t kSysDcCvac = sysReg(1, 3, 7, 10, 1);
constexpr int64_t kSysDcCvau = sysReg(1, 3, 7, 11, 1);
constexpr int64_t kSysDcCivac = sysReg(1, 3, 7, 14, 1);

// NZCV's bits.
constexpr uint32_t kFlagN = 1u << 31, kFlagZ = 1u << 30, kFlagC = 1u << 29,
                   kFlagV = 1u << 28;

inline uint32_t A64State::nzcv() const {
  return (nf < 0 ? kFlagN : 0) | (zf == 0 ? kFlagZ : 0) | (cf ? kFlagC : 0) |
         (vf < 0 ? kFlagV : 0);
}
inline void A64State::setNzcv(uint32_t bits) {
  nf = (bits & kFlagN) ? -1 : 0;
  zf = (bits & kFlagZ) ? 0 : 1;
  cf = (bits & kFlagC) ? 1 : 0;
  vf = (bits & kFlagV) ? -1 : 0;
}

} // namespace xlat::a64
