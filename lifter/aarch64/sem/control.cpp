// A64 branches, exceptions, hints, barriers and the system registers a
// user program reads and writes.
#include "lifter/aarch64/sem/sem.h"

#include <atomic>

using namespace xlat::a64;
using namespace xlat::a64::sem;

namespace {

inline uint64_t target(const Insn *i) { return i->pc + uint64_t(i->imm); }

} // namespace

SEM(B) { s->pc = target(i); }
SEM(BL) {
  s->x[30] = i->pc + 4;
  s->pc = target(i);
}
SEM(B_COND) {
  if (conditionHolds(i->cond, s->nzcv))
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

SEM(MRS) {
  uint64_t v;
  switch (i->imm) {
  case kSysNzcv: v = s->nzcv; break;
  case kSysTpidrEl0: v = s->tpidr_el0; break;
  case kSysFpcr: v = s->fpcr; break;
  case kSysFpsr: v = s->fpsr; break;
  default: trap(s, i, kExitIllegal); return; // the runner's to emulate or refuse
  }
  setX(s, i->rd, v);
}
SEM(MSR_REG) {
  uint64_t v = X(s, i->rd);
  switch (i->imm) {
  case kSysNzcv: s->nzcv = uint32_t(v) & 0xf0000000u; break;
  case kSysTpidrEl0: s->tpidr_el0 = v; break;
  // FPCR: the controls ARMv8.0 has (AHP, DN, FZ, RMode, the trap enables
  // read as zero without trapping support); FPSR: the cumulative flags and QC.
  case kSysFpcr: s->fpcr = uint32_t(v) & 0x07c00000u; break;
  case kSysFpsr: s->fpsr = uint32_t(v) & 0x0800009fu; break;
  default: trap(s, i, kExitIllegal); return;
  }
}
