// The guest floating-point environment, kept live in the host MXCSR.
//
// While guest code runs (interpreter or translated), MXCSR holds the guest's
// dynamic rounding mode and accrues its exception flags, so ordinary host FP
// instructions compute what RISC-V specifies for RNE/RTZ/RDN/RUP and raise the
// same IEEE flags. s->fflags holds what was accrued before the last switch to
// host code, plus flags the semantics raise explicitly (conversions, RMM).
// The runner brackets guest execution with enterGuestFp/leaveGuestFp so that
// the translator's own FP code never sees the guest's mode or flags.
#pragma once

#include "lifter/riscv/state.h"

#include <cstdint>

namespace xlat::rv::fenv {

constexpr uint32_t kMxcsrDefault = 0x1f80;   // all exceptions masked, RNE
constexpr uint32_t kMxcsrFlags = 0x3f;
constexpr uint32_t kMxcsrRcMask = 3u << 13;

// Volatile asm with a memory clobber rather than _mm_getcsr/_mm_setcsr: the
// optimizer must not move strict FP operations (modelled as touching
// inaccessible memory) across an MXCSR access.
inline uint32_t readCsr() {
  uint32_t v;
  asm volatile("stmxcsr %0" : "=m"(v) : : "memory");
  return v;
}
inline void writeCsr(uint32_t v) {
  asm volatile("ldmxcsr %0" : : "m"(v) : "memory");
}

// RISC-V rounding mode -> MXCSR RC field. RMM has no x86 equivalent; its
// operations are computed in software (see fp.h) and the host runs RNE.
inline uint32_t rcBits(uint32_t rm) {
  switch (rm) {
  case kRTZ: return 3u << 13;
  case kRDN: return 1u << 13;
  case kRUP: return 2u << 13;
  default:   return 0;
  }
}

inline uint32_t hostToRvFlags(uint32_t mxcsr) {
  uint32_t f = 0;
  if (mxcsr & 0x01) f |= kFlagNV;  // IE
  if (mxcsr & 0x04) f |= kFlagDZ;  // ZE
  if (mxcsr & 0x08) f |= kFlagOF;  // OE
  if (mxcsr & 0x10) f |= kFlagUF;  // UE
  if (mxcsr & 0x20) f |= kFlagNX;  // PE
  return f;
}

inline uint32_t readFflags(const RvState *s) {
  return s->fflags | hostToRvFlags(readCsr());
}
// The host's accrued flags need clearing only where they hold a flag that v
// lacks: writing MXCSR stalls the FP pipeline, and the common write is the
// frflags/fsflags pair around a quiet compare, which restores a value that
// already holds every flag the host accrued (usually just NX).
inline void writeFflags(RvState *s, uint32_t v) {
  v &= 0x1f;
  uint32_t csr = readCsr();
  if (hostToRvFlags(csr) & ~v)
    writeCsr(csr & ~kMxcsrFlags);
  s->fflags = v;
}
inline void raiseFlags(RvState *s, uint32_t f) { s->fflags |= f; }
inline void writeFrm(RvState *s, uint32_t v) {
  s->frm = v & 7;
  writeCsr((readCsr() & ~kMxcsrRcMask) | rcBits(s->frm));
}

inline void enterGuestFp(const RvState *s) {
  writeCsr(kMxcsrDefault | rcBits(s->frm));
}
inline void leaveGuestFp(RvState *s) {
  s->fflags |= hostToRvFlags(readCsr());
  writeCsr(kMxcsrDefault);
}

} // namespace xlat::rv::fenv
