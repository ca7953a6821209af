// A64 branches, exceptions, hints, barriers, the system registers a user
// program reads and writes, and the cache maintenance it may do.
#include "lifter/aarch64/fenv.h"
#include "lifter/aarch64/sem/sem.h"
#include "lifter/core/host_ops.h"

#include <atomic>

using namespace xlat::a64;
using namespace xlat::a64::sem;

namespace {

inline uint64_t target(const Insn *i) { return i->pc + uint64_t(i->imm); }

} // namespace

// Unallocated, or not implemented: the runner raises SIGILL at it.
SEM(ILLEGAL) {
  s->pc = i->pc;
  s->exit_reason = kExitIllegal;
}

SEM(B) { s->pc = target(i); }
SEM(BL) {
  s->x[30] = i->pc + 4;
  s->pc = target(i);
}
SEM(B_COND) {
  if (conditionHolds(i->cond, s))
    s->pc = target(i);
}
SEM(CBZ) {
  if (sized(i, X(s, i->rd)) == 0)
    s->pc = target(i);
}
SEM(CBNZ) {
  if (sized(i, X(s, i->rd)) != 0)
    s->pc = target(i);
}
SEM(TBZ) {
  if (!((X(s, i->rd) >> i->imms) & 1))
    s->pc = target(i);
}
SEM(TBNZ) {
  if ((X(s, i->rd) >> i->imms) & 1)
    s->pc = target(i);
}
SEM(BR) { s->pc = X(s, i->rn); }
SEM(BLR) {
  uint64_t to = X(s, i->rn); // before x30 changes: blr x30 jumps to the old x30
  s->x[30] = i->pc + 4;
  s->pc = to;
}
SEM(RET) { s->pc = X(s, i->rn); }

// svc leaves pc after itself, where the runner resumes; brk stays on itself.
SEM(SVC) { s->exit_reason = kExitSvc; }
SEM(BRK) { trap(s, i, kExitBrk); }

// The hints (nop, yield, and the pointer-authentication and branch-target
// instructions of features not implemented) do nothing.
SEM(HINT) {}
// Barriers order memory as the strongest host fence does; isb only ends
// its block.
SEM(DSB) { std::atomic_thread_fence(std::memory_order_seq_cst); }
SEM(DMB) { std::atomic_thread_fence(std::memory_order_seq_cst); }
SEM(ISB) {}

namespace {
// The generic timer runs at the guest timebase RISC-V's `time` has.
constexpr uint64_t kCounterHz = 10000000;
// CTR_EL0: 64-byte instruction and data cache lines (IminLine, DminLine,
// ERG, CWG of 2^4 words), PIPT instruction cache.
constexpr uint64_t kCtr = 0x8444c004;
// DCZID_EL0: dc zva zeroes 2^4 words, and is allowed.
constexpr unsigned kZvaBytes = 64;
constexpr uint64_t kDczid = 4;

// The ID registers as Linux's emulation of mrs shows them to EL0 (the
// kernel advertises HWCAP_CPUID): its MIDR and fixed MPIDR, the
// sanitised feature fields of what is implemented, zero for the rest of
// the ID space (op0 3, op1 0, CRn 0).
bool idRegister(int64_t reg, uint64_t &v) {
  if ((reg >> 7) != (sysReg(3, 0, 0, 0, 0) >> 7)) // not op1 0, CRn 0
    return false;
  switch (reg) {
  case kSysMidrEl1: v = 0x000f0000; break; // implementer 0 (software), architecture 0xf
  case kSysMpidrEl1: v = 0x80000000; break;
  // EL0 and EL1 AArch64 only; FP and AdvSIMD implemented, without FP16
  // arithmetic (0).
  case kSysIdAa64Pfr0El1: v = 0x00000011; break;
  case kSysIdAa64Isar0El1: v = 0x00210000; break; // CRC32, LSE atomics
  default: v = 0; break;
  }
  return true;
}
} // namespace

SEM(MRS) {
  uint64_t v;
  switch (i->imm) {
  case kSysNzcv: v = s->nzcv(); break;
  case kSysTpidrEl0: v = s->tpidr_el0; break;
  case kSysFpcr: v = s->fpcr; break;
  case kSysFpsr: v = s->fpsr | hostFpsrFlags(); break; // (fenv.h)
  case kSysCntfrqEl0: v = kCounterHz; break;
  case kSysCntvctEl0: v = xlat_host_time(); break;
  case kSysCtrEl0: v = kCtr; break;
  case kSysDczidEl0: v = kDczid; break;
  default:
    if (!idRegister(i->imm, v)) {
      trap(s, i, kExitIllegal); // not readable at EL0
      return;
    }
    break;
  }
  setX(s, i->rd, v);
}

// dc zva zeroes its block; cleaning a data cache line has nothing to do
// but fault as Linux does where nothing is mapped; ic ivau hands the
// runner the code written before it (the pc after it).
SEM(SYS) {
  uint64_t a = X(s, i->rd);
  switch (i->imm) {
  case kSysDcZva: {
    uint64_t block = a & ~uint64_t(kZvaBytes - 1);
    for (unsigned k = 0; k < kZvaBytes; k += 8)
      xlat_st64(s, block + k, 0);
    break;
  }
  case kSysDcCvac:
  case kSysDcCvau:
  case kSysDcCivac: (void)xlat_ld8(s, a); break;
  case kSysIcIvau:
    (void)xlat_ld8(s, a);
    s->exit_reason = kExitSyncCode;
    break;
  default: trap(s, i, kExitIllegal); break; // EL1's, or none
  }
}
SEM(MSR_REG) {
  uint64_t v = X(s, i->rd);
  switch (i->imm) {
  case kSysNzcv: s->setNzcv(uint32_t(v)); break;
  case kSysTpidrEl0: s->tpidr_el0 = v; break;
  // FPCR: the controls ARMv8.0 has (AHP, DN, FZ, RMode, the trap enables
  // read as zero without trapping support); FPSR: the cumulative flags and QC.
  case kSysFpcr: s->fpcr = uint32_t(v) & 0x07c00000u; break;
  case kSysFpsr:
    s->fpsr = uint32_t(v) & 0x0800009fu;
    clearHostFlags();
    break;
  default: trap(s, i, kExitIllegal); return;
  }
}
