#include "lifter/aarch64/block.h"

namespace xlat::a64 {

GuestBlock decodeBlock(CodeReader &inner, uint64_t pc, unsigned maxInsns) {
  ChunkedCodeReader code(inner);
  GuestBlock b;
  b.pc = b.endPc = pc;
  while (b.insns.size() < maxInsns) {
    Insn in;
    if (!fetchInsn(code, b.endPc, in)) {
      b.fetchFault = b.insns.empty();
      break;
    }
    b.insns.push_back(in);
    b.endPc += 4;
    if (flags(in.op) & kEndsBlock)
      break;
  }
  return b;
}

std::vector<uint64_t> directSuccessors(const GuestBlock &block) {
  const Insn &last = block.insns.back();
  uint64_t target = last.pc + uint64_t(last.imm);
  switch (last.op) {
  case Op::B:
  case Op::BL:
    return {target};
  case Op::B_COND: case Op::CBZ: case Op::CBNZ: case Op::TBZ: case Op::TBNZ:
    return {target, last.pc + 4};
  default:
    return flags(last.op) & kEndsBlock ? std::vector<uint64_t>{}
                                       : std::vector<uint64_t>{block.endPc};
  }
}

uint64_t callContinuation(const GuestBlock &block) {
  const Insn &last = block.insns.back();
  return last.op == Op::BL || last.op == Op::BLR ? last.pc + 4 : 0;
}

bool endsInReturn(const GuestBlock &block) { return block.insns.back().op == Op::RET; }

} // namespace xlat::a64
