#include "aot/guest_code.h"
#include "aot/sweep.h"

#include "lifter/aarch64/block.h"
#include "lifter/riscv/block.h"

#include <elf.h>

#include <algorithm>
#include <set>

namespace xlat::aot {
namespace {

// The extent of a decoded block; bytes 0 if nothing decoded.
template <class Block> BlockEnd extentOf(const Block &b) {
  BlockEnd e;
  if (!b.insns.empty()) {
    e.bytes = b.endPc - b.pc;
    e.next = b.endPc;
  }
  return e;
}

BlockEnd riscvBlockEnd(CodeReader &code, uint64_t pc, unsigned maxInsns) {
  rv::GuestBlock b = rv::decodeBlock(code, pc, maxInsns);
  BlockEnd e = extentOf(b);
  if (!e.bytes)
    return e;
  const rv::Insn &last = b.insns.back();
  if (rv::callContinuation(b)) {
    e.kind = BlockEnd::Call;
    if (last.op == rv::Op::JAL)
      e.callee = last.pc + (uint64_t)last.imm;
  } else if (last.op == rv::Op::JALR) {
    e.kind = BlockEnd::Leaf;
  } else if (last.op == rv::Op::ECALL || last.op == rv::Op::FENCE_I) {
    e.kind = BlockEnd::Resume;
  } else {
    e.succs = rv::directSuccessors(b);
  }
  return e;
}

BlockEnd aarch64BlockEnd(CodeReader &code, uint64_t pc, unsigned maxInsns) {
  a64::GuestBlock b = a64::decodeBlock(code, pc, maxInsns);
  BlockEnd e = extentOf(b);
  if (!e.bytes)
    return e;
  const a64::Insn &last = b.insns.back();
  if (a64::callContinuation(b)) {
    e.kind = BlockEnd::Call;
    if (last.op == a64::Op::BL)
      e.callee = last.pc + (uint64_t)last.imm;
    return e;
  }
  switch (last.op) {
  case a64::Op::BR:
  case a64::Op::RET:
    e.kind = BlockEnd::Leaf;
    break;
  case a64::Op::SVC:
  case a64::Op::ISB:
  case a64::Op::SYS:
    e.kind = BlockEnd::Resume;
    break;
  default:
    e.succs = a64::directSuccessors(b);
  }
  return e;
}

const GuestCode kRiscv{GuestIsa::Riscv64,
                       EM_RISCV,
                       2,
                       R_RISCV_RELATIVE,
                       R_RISCV_IRELATIVE,
                       R_RISCV_64,
                       {"/lib/riscv64-linux-gnu", "/usr/lib/riscv64-linux-gnu", "/lib64/lp64d",
                        "/usr/lib64/lp64d", "/lib", "/usr/lib"},
                       riscvBlockEnd};
const GuestCode kAarch64{GuestIsa::Aarch64,
                         EM_AARCH64,
                         4,
                         R_AARCH64_RELATIVE,
                         R_AARCH64_IRELATIVE,
                         R_AARCH64_ABS64,
                         {"/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64",
                          "/usr/lib64", "/lib", "/usr/lib"},
                         aarch64BlockEnd};

// Whether an instruction of isa decodes at pc.
bool decodesAt(GuestIsa isa, CodeReader &code, uint64_t pc) {
  if (isa == GuestIsa::Aarch64) {
    a64::Insn in;
    return !(pc & 3) && a64::fetchInsn(code, pc, in) && in.op != a64::Op::ILLEGAL;
  }
  rv::Insn in;
  return !(pc & 1) && rv::fetchInsn(code, pc, in) && in.op != rv::Op::ILLEGAL;
}

} // namespace

const GuestCode *guestCode(uint16_t machine) {
  for (const GuestCode *g : {&kRiscv, &kAarch64})
    if (g->machine == machine)
      return g;
  return nullptr;
}

void sweep(GuestIsa isa, CodeReader &code, uint64_t start, uint64_t end,
           const SweepFound &found) {
  if (isa == GuestIsa::Aarch64)
    sweepAarch64(code, start, end, found);
  else
    sweepRiscv(code, start, end, found);
}

std::vector<uint64_t> jumpTableTargets(GuestIsa isa, const JumpTable &t, CodeReader &data,
                                       CodeReader &code, uint64_t lo, uint64_t hi) {
  std::vector<uint64_t> out;
  std::set<uint64_t> seen;
  uint64_t n = t.entries ? std::min<uint64_t>(t.entries, 4096) : 4096;
  for (uint64_t i = 0; i < n; i++) {
    uint64_t raw = 0;
    if (!data.read(t.table + i * t.entrySize, &raw, t.entrySize))
      break;
    uint64_t target = raw;
    if (t.relative) {
      unsigned drop = 64 - 8 * t.entrySize;
      uint64_t v = t.signedEntries ? (uint64_t)((int64_t)(raw << drop) >> drop) : raw;
      target = t.relBase + (v << t.scale);
    }
    if (target < lo || target >= hi || !decodesAt(isa, code, target))
      break; // past the table's end
    if (seen.insert(target).second)
      out.push_back(target);
  }
  return out;
}

} // namespace xlat::aot
