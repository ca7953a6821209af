// A decoded A64 instruction: the operands every semantic function reads.
#pragma once

#include <cstdint>

namespace xlat::a64 {

enum class Op : uint16_t {
  ILLEGAL = 0,
#define A64_INSN(ID, MN, PAT, FMT, FLAGS) ID,
#define A64_FORM(ID, PAT, FMT)
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
  NumOps
};

// How a load or store forms its address (Insn::mode).
enum class Mode : uint8_t {
  None,
  Offset,       // base + imm (unsigned scaled, or signed unscaled)
  PreIndex,     // base += imm, then the access
  PostIndex,    // the access, then base += imm
  Unprivileged, // base + imm, as EL0 (LDTR...: the same as Offset in user mode)
  RegOffset,    // base + extend(rm, shift) << amount
  Literal,      // pc + imm
  NonTemporal,  // a pair's base + imm, with a hint not to cache
};

// Which form a data-processing instruction's second operand takes
// (Insn::form).
enum class Form : uint8_t {
  Shifted,   // rm shifted by `shift` (LSL, LSR, ASR, ROR) `amount` bits
  Extended,  // rm extended by `shift` (UXTB .. SXTX), then << `amount`
  Immediate, // imm
};

// Insn::order: the acquire and release semantics of an access.
enum Order : uint8_t { kAcquire = 1, kRelease = 2 };

// Decoded operands. Plain data, every field a naturally aligned integer, as
// the lifter materialises it field by field.
struct Insn {
  uint64_t pc;
  // The immediate, sign-extended and scaled: an offset in bytes (branches,
  // loads and stores, adr), a logical immediate's bit mask, a bitfield
  // move's field mask (wmask & tmask), an add's shifted imm12,
  // move-wide's imm16, the system register of mrs/msr (op0:op1:CRn:CRm:op2
  // less the top bit), svc's imm16, hint's CRm:op2.
  int64_t imm;
  uint32_t raw;
  Op op;
  uint8_t rd;     // Rd or Rt (a prefetch's prfop)
  uint8_t rn;     // Rn: the base of an access
  uint8_t rm;     // Rm, or the Rs of an exclusive store, a CAS or an atomic
  uint8_t ra;     // Ra, or the Rt2 of a pair
  uint8_t sf;     // 1: the 64-bit form (X registers)
  uint8_t cond;   // b.cond, csel, ccmp
  uint8_t nzcv;   // ccmp's flags when its condition fails
  uint8_t shift;  // Form::Shifted's shift type, Form::Extended's extend
  uint8_t amount; // a shift or extend amount; bitfield immr; extr's lsb
  uint8_t imms;   // bitfield imms; a test branch's bit number
  uint8_t size;   // an access: log2 of the bytes of each register (4: Q)
  Mode mode;      // an access: its addressing
  Form form;      // a data-processing instruction's second operand
  uint8_t order;  // Order bits of an access
  // AdvSIMD: q 1 for a 128-bit vector; scalar 1 for the forms that work
  // on lane 0 alone; size the lane size (log2 bytes; of the narrower lanes
  // where they differ); imms a lane index, amount a second one (ins, or
  // the lane of a structure access);
  // imm a shift, an expanded immediate or ext's byte position; ra a
  // register count (tbl, structure loads and stores) and imms, for those,
  // the structure's lanes.
  uint8_t q;
  uint8_t scalar;
};

} // namespace xlat::a64
