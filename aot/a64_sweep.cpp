// The line sweep of A64 code (sweep.h). GCC's switch dispatch on A64:
//   cmp w0, #N; b.hi default; adrp x1, T; add x1, x1, :lo12:T
//   ldrb w2, [x1, w0, uxtw]; adr x1, L; add x1, x1, w2, sxtb #2; br x1
// (ldrh and sxth for longer ones: entries count instructions from L), and a
// computed goto's `ldr x2, [x5, x2, lsl #3]; br x2` over absolute addresses.
#include "aot/sweep.h"

#include "lifter/aarch64/decoder.h"

#include <algorithm>

namespace xlat::aot {
namespace {

using a64::Op;

// What the line so far says a register holds: a table's address (Const)
// -> an entry loaded from it (Entry) -> a label plus the entry scaled
// (Target) -> br.
struct Val {
  enum Kind : uint8_t { Unknown, Const, Entry, Target } kind = Unknown;
  uint64_t value = 0;   // Const: the value; Entry, Target: the table
  uint64_t relBase = 0; // Target: the label
  uint64_t bound = 0;   // entries the index can select (0: not known)
  uint8_t size = 0;     // Entry, Target: bytes of an entry
  bool isSigned = false; // Entry: loaded sign-extended; Target: entries are signed
  uint8_t scale = 0;    // Target
};

// The extend field of an extended-register operand.
enum Extend : uint8_t { UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX };
constexpr uint8_t kCondHi = 8, kCondLs = 9;

// A load of one register by size (log2 bytes), and whether it sign-extends.
bool isGprLoad(Op op, bool &isSigned) {
  switch (op) {
  case Op::LDRB: case Op::LDRH: case Op::LDR_W: case Op::LDR_X:
    isSigned = false;
    return true;
  case Op::LDRSB_X: case Op::LDRSB_W: case Op::LDRSH_X: case Op::LDRSH_W: case Op::LDRSW:
    isSigned = true;
    return true;
  default:
    return false;
  }
}

} // namespace

void sweepAarch64(CodeReader &code, uint64_t start, uint64_t end, const SweepFound &found) {
  Val r[32];
  uint64_t bound[32] = {}; // of a register used as an index
  auto reset = [&] {
    std::fill(std::begin(r), std::end(r), Val{});
    std::fill(std::begin(bound), std::end(bound), 0);
  };
  auto address = [&](uint64_t a) {
    if (found.address)
      found.address(a);
  };
  int cmpReg = -1; // compared with cmpImm by the instruction before
  uint64_t cmpImm = 0;
  for (uint64_t pc = (start + 3) & ~uint64_t(3); pc + 4 <= end; pc += 4) {
    a64::Insn in;
    if (!a64::fetchInsn(code, pc, in) || in.op == Op::ILLEGAL) {
      reset(); // data, or padding
      cmpReg = -1;
      continue;
    }
    int lastCmp = cmpReg;
    cmpReg = -1;
    const Val &n = r[in.rn], &m = r[in.rm];
    Val out; // what rd holds after it, if it writes rd
    uint64_t outBound = 0;
    bool writesRd = true;
    bool isSigned = false;
    switch (in.op) {
    case Op::ADR:
      out = {Val::Const, in.pc + (uint64_t)in.imm};
      address(out.value);
      break;
    case Op::ADRP:
      out = {Val::Const, (in.pc & ~uint64_t(0xfff)) + (uint64_t)in.imm};
      break;
    case Op::ADD_IMM:
      // Rn 31 is sp here, never known.
      if (in.sf && in.rn != 31 && n.kind == Val::Const) {
        out = {Val::Const, n.value + (uint64_t)in.imm};
        address(out.value);
      } else if (in.imm == 0 && in.rn != 31) {
        outBound = bound[in.rn]; // mov to or from sp, or a copy
      }
      break;
    case Op::SUBS_IMM:
      writesRd = in.rd != 31; // cmp: Rd 31 is xzr
      if (!writesRd && in.rn != 31) {
        cmpReg = in.rn;
        cmpImm = (uint64_t)in.imm;
      }
      break;
    case Op::B_COND:
      writesRd = false;
      // An index above cmpImm goes elsewhere (b.hi) or stays (b.ls).
      if ((in.cond == kCondHi || in.cond == kCondLs) && lastCmp >= 0)
        bound[lastCmp] = cmpImm + 1;
      break;
    case Op::AND_IMM:
      if (in.imm > 0 && ((uint64_t)in.imm & ((uint64_t)in.imm + 1)) == 0)
        outBound = (uint64_t)in.imm + 1; // index & (2^k - 1)
      break;
    case Op::ORR_REG:
      if (in.rn == 31 && in.amount == 0) { // mov
        if (in.rm != 31)
          out = m, outBound = bound[in.rm];
      }
      break;
    case Op::UBFM:
      if (in.amount == 0 && in.rn != 31)
        outBound = bound[in.rn]; // uxtw, uxtb, uxth: a zero-extended index
      break;
    case Op::ADD_REG: {
      // A label plus a table's entry: extended (sxtb, uxth...) or a
      // sign-extending load's X register shifted.
      if (in.rn == 31 || in.rm == 31 || n.kind != Val::Const || m.kind != Val::Entry ||
          m.size > 2 || in.amount > 4)
        break;
      bool ok = false, sign = m.isSigned;
      if (in.form == a64::Form::Extended) {
        unsigned bytes = 1u << (in.shift & 3);
        ok = bytes >= m.size;
        sign = bytes == m.size ? in.shift >= SXTB : m.isSigned;
      } else {
        ok = in.shift == 0; // lsl
      }
      if (ok)
        out = {Val::Target, m.value, n.value, m.bound, m.size, sign, in.amount};
      break;
    }
    case Op::BR:
      writesRd = false;
      if (found.table && ((n.kind == Val::Entry && n.size == 8) || n.kind == Val::Target)) {
        JumpTable t;
        t.jumpPc = in.pc;
        t.table = n.value;
        t.entrySize = n.size;
        t.relative = n.kind == Val::Target;
        t.signedEntries = n.isSigned;
        t.scale = n.scale;
        t.relBase = n.relBase;
        t.entries = n.bound;
        found.table(t);
      }
      break;
    case Op::B:
      writesRd = false;
      address(in.pc + (uint64_t)in.imm);
      break;
    case Op::BL:
    case Op::BLR:
      writesRd = false;
      if (in.op == Op::BL)
        address(in.pc + (uint64_t)in.imm);
      for (unsigned x = 0; x <= 18; x++) // what a call may change
        r[x] = {}, bound[x] = 0;
      r[30] = {}, bound[30] = 0;
      break;
    default:
      if (isGprLoad(in.op, isSigned) && in.mode == a64::Mode::RegOffset && in.rn != 31 &&
          n.kind == Val::Const && (in.amount == 0 || in.amount == in.size))
        out = {Val::Entry, n.value, 0, bound[in.rm], uint8_t(1u << in.size), isSigned};
      // Anything else: what it may write is forgotten (a pair's second
      // register, a written-back base); a wrong guess costs compile time.
      if (in.mode != a64::Mode::None) {
        r[in.ra] = {}, bound[in.ra] = 0;
        if (in.mode == a64::Mode::PreIndex || in.mode == a64::Mode::PostIndex)
          r[in.rn] = {}, bound[in.rn] = 0;
      }
      break;
    }
    if (writesRd && in.rd != 31) {
      r[in.rd] = out;
      bound[in.rd] = outBound;
    }
  }
}

} // namespace xlat::aot
