#include "lifter/riscv/block.h"

#include "lifter/core/log.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/disasm.h"
#include "lifter/riscv/state.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

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

namespace {

bool isFpCompare(Op op) {
  switch (op) {
  case Op::FEQ_S: case Op::FLT_S: case Op::FLE_S:
  case Op::FEQ_D: case Op::FLT_D: case Op::FLE_D:
    return true;
  default:
    return false;
  }
}

bool isCsr(Op op) {
  return op == Op::CSRRW || op == Op::CSRRS || op == Op::CSRRC ||
         op == Op::CSRRWI || op == Op::CSRRSI || op == Op::CSRRCI;
}

// Instructions that never touch the host's FP flags: those outside F and D
// other than CSR accesses, and the FP moves and classifications.
bool leavesHostFlags(Op op) {
  if (isCsr(op))
    return false;
  if (op < Op::FLW)
    return true;
  switch (op) {
  case Op::FLW: case Op::FLD: case Op::FSW: case Op::FSD:
  case Op::FMV_X_W: case Op::FMV_X_D: case Op::FMV_W_X: case Op::FMV_D_X:
  case Op::FCLASS_S: case Op::FCLASS_D:
  case Op::FSGNJ_S: case Op::FSGNJN_S: case Op::FSGNJX_S:
  case Op::FSGNJ_D: case Op::FSGNJN_D: case Op::FSGNJX_D:
    return true;
  default:
    return false;
  }
}

// Marks each frflags rX ... fsflags rX pair (see InsnFused).
void markFflagsRestores(std::vector<Insn> &insns) {
  for (size_t open = 0; open < insns.size(); ++open) {
    const Insn &read = insns[open];
    if (read.op != Op::CSRRS || read.imm != kCsrFflags || read.rs1 != 0 ||
        read.rd == 0)
      continue;
    std::vector<size_t> compares;
    for (size_t i = open + 1; i < insns.size(); ++i) {
      Insn &in = insns[i];
      if (in.op == Op::CSRRW && in.imm == kCsrFflags && in.rd == 0 &&
          in.rs1 == read.rd) {
        for (size_t c : compares)
          insns[c].fused |= kSoftFpFlags;
        in.fused |= kRestoreFflags;
        break;
      }
      if (in.rd == read.rd || !(isFpCompare(in.op) || leavesHostFlags(in.op)))
        break;
      if (isFpCompare(in.op))
        compares.push_back(i);
    }
  }
}

bool hasFflagsRestore(const GuestBlock &b) {
  return std::any_of(b.insns.begin(), b.insns.end(),
                     [](const Insn &in) { return in.fused & kRestoreFflags; });
}

} // namespace

GuestBlock decodeBlock(CodeReader &inner, uint64_t pc, unsigned maxInsns,
                       DecodeFilter filter, const void *filterCtx) {
  ChunkedCodeReader code(inner);
  GuestBlock b = decodeBlockWith<GuestBlock>(
      pc, maxInsns,
      [&](uint64_t at, Insn &in) {
        if (!fetchInsn(code, at, in))
          return false;
        if (filter && filter(in, filterCtx))
          in.op = Op::ILLEGAL;
        return true;
      },
      [](const Insn &in) { return in.len; },
      [](const Insn &in) { return (flags(in.op) & kEndsBlock) != 0; });
  markFflagsRestores(b.insns);
  if (hasFflagsRestore(b)) {
    std::vector<GuestBlock> one{std::move(b)};
    markDeadFflagsReads(one);
    b = std::move(one[0]);
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

uint64_t callContinuation(const GuestBlock &block) {
  const Insn &last = block.insns.back();
  return (last.op == Op::JAL || last.op == Op::JALR) && isLinkReg(last.rd)
             ? last.pc + last.len
             : 0;
}

namespace {
// Blocks some path may run through: the given ones, then those decodeMore
// gives, at most kMaxMore of them.
class LivenessBlocks {
public:
  LivenessBlocks(std::vector<GuestBlock> &blocks, const BlockDecodeFn &decodeMore)
      : blocks_(blocks), decodeMore_(decodeMore) {
    for (size_t b = 0; b < blocks.size(); ++b)
      index_.emplace(blocks[b].pc, b);
  }
  // The block at pc, null if there is none to look at.
  const GuestBlock *at(uint64_t pc) {
    if (auto it = index_.find(pc); it != index_.end())
      return &blocks_[it->second];
    if (auto it = more_.find(pc); it != more_.end())
      return it->second.insns.empty() ? nullptr : &it->second;
    if (!decodeMore_ || more_.size() >= kMaxMore)
      return nullptr;
    GuestBlock &b = more_[pc];
    if (!decodeMore_(pc, b))
      b.insns.clear();
    return b.insns.empty() ? nullptr : &b;
  }
  std::vector<GuestBlock> decodedMore() {
    std::vector<GuestBlock> out;
    for (auto &[pc, b] : more_)
      if (!b.insns.empty())
        out.push_back(std::move(b));
    return out;
  }

private:
  static constexpr size_t kMaxMore = 8;
  std::vector<GuestBlock> &blocks_;
  const BlockDecodeFn &decodeMore_;
  std::unordered_map<uint64_t, size_t> index_;
  std::map<uint64_t, GuestBlock> more_;
};

// Whether every path from after instruction `at` of `from` writes
// x-register r before anything may read it.
bool xRegDeadAfter(LivenessBlocks &blocks, const GuestBlock &from, size_t at,
                   unsigned r) {
  std::vector<std::pair<const GuestBlock *, size_t>> work{{&from, at + 1}};
  std::unordered_set<const GuestBlock *> entered;
  while (!work.empty()) {
    auto [block, i] = work.back();
    work.pop_back();
    bool written = false;
    for (; i < block->insns.size() && !written; ++i) {
      const Insn &in = block->insns[i];
      if (mayReadXReg(in, r))
        return false;
      written = writesXReg(in) && in.rd == r;
    }
    if (written)
      continue;
    std::vector<uint64_t> succs = directSuccessors(*block);
    if (succs.empty())
      return false; // an indirect jump or a trap: anything may read r
    for (uint64_t pc : succs) {
      const GuestBlock *next = blocks.at(pc);
      if (!next)
        return false;
      if (entered.insert(next).second)
        work.push_back({next, 0});
    }
  }
  return true;
}
} // namespace

std::vector<GuestBlock> markDeadFflagsReads(std::vector<GuestBlock> &blocks,
                                            const BlockDecodeFn &decodeMore) {
  // Most code has no such pair: no index of the blocks for it.
  if (std::none_of(blocks.begin(), blocks.end(), hasFflagsRestore))
    return {};
  LivenessBlocks known(blocks, decodeMore);
  for (GuestBlock &block : blocks) {
    std::vector<Insn> &insns = block.insns;
    for (size_t w = 0; w < insns.size(); ++w) {
      if (!(insns[w].fused & kRestoreFflags))
        continue;
      unsigned r = insns[w].rs1;
      // The frflags it restores is the nearest earlier write of r
      // (markFflagsRestores); only the fsflags may read r after it.
      size_t read = w;
      bool onlyRestoreReads = true;
      while (read-- > 0 && insns[read].rd != r)
        onlyRestoreReads &= !mayReadXReg(insns[read], r);
      if (read < w && onlyRestoreReads && insns[read].op == Op::CSRRS &&
          insns[read].imm == kCsrFflags && xRegDeadAfter(known, block, w, r))
        insns[read].fused |= kDeadFflagsRead;
    }
  }
  return known.decodedMore();
}

bool endsInReturn(const GuestBlock &block) {
  const Insn &last = block.insns.back();
  return last.op == Op::JALR && last.rd == 0 && isLinkReg(last.rs1);
}

} // namespace xlat::rv
