#include "lifter/riscv/block.h"

#include "lifter/riscv/decoder.h"

namespace xlat::rv {

bool fetchInsn(CodeReader &code, uint64_t pc, Insn &out) {
  uint16_t lo;
  if (!code.read(pc, &lo, 2))
    return false;
  uint32_t raw = lo;
  if (insnLength(lo) == 4) {
    uint16_t hi;
    if (!code.read(pc + 2, &hi, 2))
      return false;
    raw |= uint32_t(hi) << 16;
  }
  out = decode(pc, raw);
  return true;
}

GuestBlock decodeBlock(CodeReader &code, uint64_t pc, unsigned maxInsns) {
  GuestBlock b;
  b.pc = b.endPc = pc;
  while (b.insns.size() < maxInsns) {
    Insn in;
    if (!fetchInsn(code, b.endPc, in)) {
      b.fetchFault = b.insns.empty();
      break;
    }
    b.insns.push_back(in);
    b.endPc += in.len;
    if (flags(in.op) & kEndsBlock)
      break;
  }
  return b;
}

} // namespace xlat::rv

namespace xlat::rv {

std::vector<uint64_t> directSuccessors(const GuestBlock &block) {
  const Insn &last = block.insns.back();
  switch (last.op) {
  case Op::JAL:
    return {last.pc + (uint64_t)last.imm};
  case Op::BEQ: case Op::BNE: case Op::BLT: case Op::BGE: case Op::BLTU:
  case Op::BGEU:
    return {last.pc + (uint64_t)last.imm, last.pc + last.len};
  default:
    return flags(last.op) & kEndsBlock ? std::vector<uint64_t>{}
                                       : std::vector<uint64_t>{block.endPc};
  }
}

} // namespace xlat::rv
