#include "lifter/riscv/block.h"

#include "lifter/core/log.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/disasm.h"

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

uint64_t fetchFaultAddr(CodeReader &code, uint64_t pc) {
  uint16_t lo;
  return code.read(pc, &lo, 2) && insnLength(lo) == 4 ? pc + 2 : pc;
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

void logGuestBlock(const GuestBlock &block, Disassembler *d) {
  log().printf("IN: block 0x%llx\n", (unsigned long long)block.pc);
  for (const Insn &in : block.insns) {
    std::string text = d ? d->disassemble(in.pc, in.raw, in.len)
                         : std::string(mnemonic(in.op));
    log().printf("0x%012llx:  %0*x  %s\n", (unsigned long long)in.pc,
                 in.len * 2, in.raw, text.c_str());
  }
  log().printf("\n");
}

} // namespace xlat::rv
