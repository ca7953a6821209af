#include "lifter/aarch64/block.h"

namespace xlat::a64 {

GuestBlock decodeBlock(CodeReader &inner, uint64_t pc, unsigned maxInsns) {
  ChunkedCodeReader code(inner);
  return decodeBlockWith<GuestBlock>(
      pc, maxInsns, [&](uint64_t at, Insn &in) { return fetchInsn(code, at, in); },
      [](const Insn &) { return 4u; },
      [](const Insn &in) { return (flags(in.op) & kEndsBlock) != 0; });
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
