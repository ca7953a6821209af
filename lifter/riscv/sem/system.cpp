// Fences, environment calls and the user-level CSRs (Zicsr, Zifencei).
#include "lifter/riscv/sem/fenv.h"
#include "lifter/core/host_ops.h"
#include "lifter/riscv/sem/sem.h"

using namespace xlat::rv;
using namespace xlat::rv::sem;

// The host is TSO: only a fence that orders earlier stores before later loads
// needs a hardware barrier; every fence stays a compiler barrier.
SEM(FENCE) {
  bool predW = i->imm & 0x10, succR = i->imm & 0x02;
  if (predW && succR)
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
  else
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

// Translated code for the instructions after this one may be stale: hand
// control to the runner, which flushes what it must.
SEM(FENCE_I) { s->exit_reason = kExitFenceI; }
SEM(ECALL) { s->exit_reason = kExitEcall; }
SEM(EBREAK) { trap(s, i, kExitEbreak); }
// Privileged instructions and the CSRs below are the system runner's: the
// semantics hand them over as illegal (in user mode they are), and
// xlat-system executes them with its privileged state (sysemu/hart.cpp).
SEM(SRET) { trap(s, i, kExitIllegal); }
SEM(MRET) { trap(s, i, kExitIllegal); }
SEM(WFI) { trap(s, i, kExitIllegal); }
SEM(SFENCE_VMA) { trap(s, i, kExitIllegal); }

namespace {
// Reads a CSR; false if it does not exist for user mode.
inline bool csrRead(RvState *s, const Insn *i, uint32_t csr, uint64_t &v) {
  switch (csr) {
  case kCsrFflags:
    v = i->fused & kDeadFflagsRead ? s->fflags : fenv::readFflags(s);
    return true;
  case kCsrFrm: v = s->frm; return true;
  case kCsrFcsr: v = fenv::readFflags(s) | s->frm << 5; return true;
  case kCsrCycle:
  case kCsrInstret: v = xlat_host_ticks(); return true;
  case kCsrTime: v = xlat_host_time(); return true;
  default: return false;
  }
}

inline bool csrWrite(RvState *s, uint32_t csr, uint64_t v) {
  switch (csr) {
  case kCsrFflags: fenv::writeFflags(s, v & 0x1f); return true;
  case kCsrFrm: fenv::writeFrm(s, v & 7); return true;
  case kCsrFcsr:
    fenv::writeFflags(s, v & 0x1f);
    fenv::writeFrm(s, (v >> 5) & 7);
    return true;
  default: return false; // counters are read-only
  }
}

enum class CsrOp { Write, Set, Clear };

// csrrw always writes and reads only if rd != x0; csrrs/csrrc always read
// and write only if the source is not x0 / the immediate is not 0.
inline void csrAccess(RvState *s, const Insn *i, CsrOp op, uint64_t src,
                      bool srcIsZero) {
  uint32_t csr = (uint32_t)i->imm;
  bool doRead = op != CsrOp::Write || i->rd != 0;
  bool doWrite = op == CsrOp::Write || !srcIsZero;
  uint64_t old = 0;
  if (doRead && !csrRead(s, i, csr, old))
    return trap(s, i, kExitIllegal);
  if (doWrite) {
    uint64_t v = op == CsrOp::Write ? src : op == CsrOp::Set ? old | src : old & ~src;
    if (i->fused & kRestoreFflags)
      s->fflags = v & 0x1f; // the host holds no flag v lacks (InsnFused)
    else if (!csrWrite(s, csr, v))
      return trap(s, i, kExitIllegal);
  }
  setX(s, i->rd, old);
}
} // namespace

SEM(CSRRW) { csrAccess(s, i, CsrOp::Write, X(s, i->rs1), i->rs1 == 0); }
SEM(CSRRS) { csrAccess(s, i, CsrOp::Set, X(s, i->rs1), i->rs1 == 0); }
SEM(CSRRC) { csrAccess(s, i, CsrOp::Clear, X(s, i->rs1), i->rs1 == 0); }
SEM(CSRRWI) { csrAccess(s, i, CsrOp::Write, i->rs1, i->rs1 == 0); }
SEM(CSRRSI) { csrAccess(s, i, CsrOp::Set, i->rs1, i->rs1 == 0); }
SEM(CSRRCI) { csrAccess(s, i, CsrOp::Clear, i->rs1, i->rs1 == 0); }
