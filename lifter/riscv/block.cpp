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
