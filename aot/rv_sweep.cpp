#include "aot/sweep.h"

#include "lifter/riscv/block.h"

#include <algorithm>

namespace xlat::aot {
namespace {

// What the line so far says a register holds. A jump-table dispatch is
// index -> Scaled (slli) -> Addr (add the table's address) -> Entry (the
// load) -> Target (add the base of a relative table) -> jr.
struct Val {
  enum Kind : uint8_t { Unknown, Const, Scaled, Addr, Entry, Target } kind = Unknown;
  uint64_t value = 0;  // Const: the value; Addr, Entry, Target: the table
  uint64_t relBase = 0; // Target
  uint64_t bound = 0;  // entries the index can select (0: not known)
  uint8_t size = 0;    // Scaled: the scale; Addr, Entry, Target: entry size
};

// Stores and branches have no rd: those bits are immediate. Every other
// instruction is taken to write x[rd] (an FP one writes f[rd]: forgetting
// x[rd] then loses a fact, never makes a wrong one).
bool writesNoX(rv::Op op) {
  switch (op) {
  case rv::Op::SB: case rv::Op::SH: case rv::Op::SW: case rv::Op::SD:
  case rv::Op::FSW: case rv::Op::FSD:
  case rv::Op::BEQ: case rv::Op::BNE: case rv::Op::BLT: case rv::Op::BGE:
  case rv::Op::BLTU: case rv::Op::BGEU:
    return true;
  default:
    return false;
  }
}

} // namespace

void sweepRiscv(CodeReader &code, uint64_t start, uint64_t end, const SweepFound &found) {
  Val r[32];
  uint64_t bound[32] = {}; // of a register used as an index
  auto reset = [&] {
    std::fill(std::begin(r), std::end(r), Val{});
    std::fill(std::begin(bound), std::end(bound), 0);
    r[0] = {Val::Const};
  };
  reset();
  auto isConst = [&](unsigned x) { return r[x].kind == Val::Const; };
  for (uint64_t pc = start; pc < end;) {
    rv::Insn in;
    if (!rv::fetchInsn(code, pc, in) || in.op == rv::Op::ILLEGAL) {
      pc += 2; // data, or padding: the next halfword may decode
      reset();
      continue;
    }
    pc += in.len;
    Val out; // what rd holds after it, if it writes one
    uint64_t outBound = 0;
    const Val &a = r[in.rs1], &b = r[in.rs2];
    switch (in.op) {
    case rv::Op::AUIPC:
      out = {Val::Const, in.pc + (uint64_t)in.imm};
      break;
    case rv::Op::LUI:
      out = {Val::Const, (uint64_t)in.imm};
      break;
    case rv::Op::ADDI:
      if (isConst(in.rs1)) {
        out = {Val::Const, a.value + (uint64_t)in.imm};
        if (in.rs1 && found.address)
          found.address(out.value);
      } else if (in.imm == 0) {
        outBound = bound[in.rs1]; // a copy of an index (mv)
      }
      break;
    case rv::Op::ADDIW:
      if (isConst(in.rs1))
        out = {Val::Const, (uint64_t)(int64_t)(int32_t)(a.value + (uint64_t)in.imm)};
      break;
    case rv::Op::ANDI:
      if (in.imm > 0 && ((uint64_t)in.imm & ((uint64_t)in.imm + 1)) == 0)
        outBound = (uint64_t)in.imm + 1; // index & (2^k - 1)
      break;
    case rv::Op::SLLI:
      if (isConst(in.rs1))
        out = {Val::Const, a.value << (in.imm & 63)};
      else if ((in.imm == 2 || in.imm == 3))
        out = {Val::Scaled, 0, 0, bound[in.rs1], uint8_t(1u << in.imm)};
      break;
    case rv::Op::ADD: {
      const Val *c = isConst(in.rs1) ? &a : isConst(in.rs2) ? &b : nullptr;
      const Val *o = c == &a ? &b : &a;
      if (in.rs1 == 0 || in.rs2 == 0) {
        out = *o; // mv
        outBound = bound[in.rs1 ? in.rs1 : in.rs2];
      } else if (c && o->kind == Val::Const) {
        out = {Val::Const, a.value + b.value};
      } else if (c && o->kind == Val::Scaled) {
        out = {Val::Addr, c->value, 0, o->bound, o->size};
      } else if (c && o->kind == Val::Entry && o->size == 4) {
        out = {Val::Target, o->value, c->value, o->bound, 4};
      }
      break;
    }
    case rv::Op::LD:
    case rv::Op::LW:
      if (a.kind == Val::Addr && a.size == (in.op == rv::Op::LD ? 8 : 4))
        out = {Val::Entry, a.value + (uint64_t)in.imm, 0, a.bound, a.size};
      break;
    case rv::Op::BLTU:
    case rv::Op::BGEU:
      // An index compared with a constant: in range on one side of it.
      if (isConst(in.rs1) && !isConst(in.rs2))
        bound[in.rs2] = r[in.rs1].value + 1;
      else if (isConst(in.rs2) && !isConst(in.rs1))
        bound[in.rs1] = r[in.rs2].value;
      break;
    case rv::Op::JAL:
      if (found.address)
        found.address(in.pc + (uint64_t)in.imm);
      break;
    case rv::Op::JALR:
      if (isConst(in.rs1) && in.rs1 && found.address)
        found.address(a.value + (uint64_t)in.imm);
      if (in.rd == 0 && in.imm == 0 && found.table &&
          ((a.kind == Val::Entry && a.size == 8) || a.kind == Val::Target)) {
        JumpTable t;
        t.jumpPc = in.pc;
        t.table = a.value;
        t.entrySize = a.size;
        t.relative = a.kind == Val::Target;
        t.relBase = a.relBase;
        t.entries = a.bound;
        found.table(t);
      }
      break;
    default:
      break;
    }
    if (in.rd && !writesNoX(in.op)) {
      r[in.rd] = out;
      bound[in.rd] = outBound;
    }
  }
}

} // namespace xlat::aot
