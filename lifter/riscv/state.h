// The architected state of one RV64 hart, as every consumer sees it.
//
// This struct is the single declaration of the guest register file: the
// reference interpreter reads it directly, the semantics bitcode addresses it
// through the same C++ type, and the lifter derives field offsets from it with
// offsetof. Keep it standard-layout and free of host pointers other than
// `membase`, which the memory lowering reads.
#pragma once

#include "lifter/core/exit_reason.h"
#include "lifter/core/ibtc.h"

#include <cstddef>
#include <cstdint>

namespace xlat::rv {

// Why a translated block or the interpreter handed control back to the
// runner (lifter/core/exit_reason.h).
enum ExitReason : uint32_t {
  kExitNone = exits::kNone,
  kExitEcall = exits::kSyscall,        // pc = address after the ecall
  kExitEbreak = exits::kBreakpoint,    // pc = address of the ebreak
  kExitIllegal = exits::kIllegal,      // pc = address of the illegal instruction
  kExitFenceI = exits::kSyncCode,      // pc = next instruction; code may have changed
  kExitMemFault = exits::kMemFault,    // pc = faulting instruction, fault_addr set
  kExitMisaligned = exits::kMisaligned, // pc = faulting instruction (AMO/LR/SC)
  kExitHot = exits::kHot,              // pc = a block to re-translate, before it ran
  kExitGeneric = exits::kGeneric,      // pc = a block whose translation assumes
                                       // what does not hold now (frm is not RNE)
};

// The CSRs user-mode code reads and writes (Insn::imm of a CSR access).
enum Csr : uint32_t {
  kCsrFflags = 0x001,
  kCsrFrm = 0x002,
  kCsrFcsr = 0x003,
  kCsrCycle = 0xc00,
  kCsrTime = 0xc01,
  kCsrInstret = 0xc02,
};

// fflags bits, as in the F extension.
enum FFlags : uint32_t {
  kFlagNX = 1u << 0,  // inexact
  kFlagUF = 1u << 1,  // underflow
  kFlagOF = 1u << 2,  // overflow
  kFlagDZ = 1u << 3,  // divide by zero
  kFlagNV = 1u << 4,  // invalid
};

// Rounding modes (the rm field and frm).
enum RoundingMode : uint32_t {
  kRNE = 0, kRTZ = 1, kRDN = 2, kRUP = 3, kRMM = 4, kRDyn = 7,
};

struct RvState {
  uint64_t x[32];         // x[0] is kept zero
  uint64_t f[32];         // NaN-boxed when holding single precision
  uint64_t pc;
  uint32_t exit_reason;   // ExitReason
  uint32_t frm;           // dynamic rounding mode
  // fflags accrued in software (the host MXCSR holds the rest while guest
  // code runs; see fenv.h).
  uint32_t fflags;
  // Nonzero when the runner wants control back (a signal arrived, code was
  // invalidated): chained translated code checks it before jumping on.
  uint32_t interrupt;
  uint64_t fault_addr;    // for kExitMemFault
  // Translated code stores the pc of each memory access here before it,
  // so that a fault (checked or reported by the host) names the
  // instruction exactly.
  uint64_t access_pc;
  uint64_t reserve_addr;  // LR/SC reservation; ~0 when none
  uint64_t reserve_val;
  // User mode: host address of guest address 0. System mode: the hart's
  // software TLB for the current privilege (memory_lowering.h).
  uint8_t *membase;
  uint64_t memlimit;      // guest addresses must be below this
  // This thread's indirect-branch translation cache: kIbtcSize entries of
  // {guest pc, host code}, indexed by (pc >> 1) % kIbtcSize; translated
  // code looks up jalr targets here before returning to the runner.
  const void *ibtc;
  // Blocks entered, chained or not, when the tier counts them (--stats):
  // against the dispatcher's entries this gives the chained share.
  uint64_t blocks_run;
  uint64_t ibtc_probes, ibtc_hits; // jalr lookups in the IBTC (--stats)
  // The return shadow stack: a guest call (jal/jalr writing ra or t0)
  // pushes its return pc and the link cell of that pc; a return (jalr x0
  // through ra or t0) whose target is the top pops it and jumps through the
  // cell, else it falls back to the IBTC. A ring: overflow forgets the
  // oldest calls, and a mismatch (longjmp, a signal handler, a coroutine
  // switch) only costs the fall-back.
  uint64_t shadow_top;                  // entries pushed, mod kShadowSize
  uint64_t shadow_probes, shadow_hits;  // returns checked / matched (--stats)
  struct ShadowEntry {
    uint64_t pc;
    const void *cell;
  } shadow[64];
};

static_assert(offsetof(RvState, x) == 0, "lifter assumes x[] first");

using xlat::kIbtcSize;
constexpr uint64_t kShadowSize =
    sizeof(RvState::shadow) / sizeof(RvState::shadow[0]);
static_assert((kShadowSize & (kShadowSize - 1)) == 0);

// Makes canonical the doubles a fault found raw: bit i of mask says f[i]
// may hold a NaN as x86 arithmetic left it (negative, or with an operand's
// payload) rather than RISC-V's canonical one. Translated code stores such
// registers before an access without the test, and its fault paths call
// this (see hasRawFpMask in lifter/core/memory_lowering.h).
inline void canonicalizeRawFp(RvState &s, uint32_t mask) {
  for (unsigned i = 0; i < 32; i++)
    if ((mask >> i & 1) &&
        (s.f[i] & 0x7fffffffffffffffull) > 0x7ff0000000000000ull)
      s.f[i] = 0x7ff8000000000000ull;
}

// Calls and returns as the shadow stack sees them (the RISC-V calling
// convention's link registers are ra and t0).
constexpr bool isLinkReg(unsigned r) { return r == 1 || r == 5; }

} // namespace xlat::rv
