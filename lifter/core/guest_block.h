// A guest basic block, and how regions of them are formed, for every
// guest ISA: each supplies its Insn and, found by argument-dependent
// lookup in its namespace, directSuccessors and callContinuation.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <unordered_set>
#include <vector>

namespace xlat {

template <class InsnT> struct BasicGuestBlock {
  using Insn = InsnT;
  uint64_t pc = 0;
  uint64_t endPc = 0;          // address after the last instruction
  std::vector<Insn> insns;
  bool fetchFault = false;     // the first instruction could not be fetched
};

// The block at pc: instructions up to and including the first that ends a
// block, at most maxInsns, stopping early before one that cannot be
// fetched. fetch(pc, insn) reads one (false: it cannot), length(insn) is
// its size, ends(insn) whether it ends a block.
template <class Block, class Fetch, class Length, class Ends>
Block decodeBlockWith(uint64_t pc, unsigned maxInsns, Fetch fetch, Length length, Ends ends) {
  Block b;
  b.pc = b.endPc = pc;
  while (b.insns.size() < maxInsns) {
    typename Block::Insn in;
    if (!fetch(b.endPc, in)) {
      b.fetchFault = b.insns.empty();
      break;
    }
    b.insns.push_back(in);
    b.endPc += length(in);
    if (ends(in))
      break;
  }
  return b;
}

// The blocks of a region headed at `head`, head first, breadth first:
// each block's direct successors and, when a call's callee is in the
// region, where the call continues, as far as admit(pc) lets them in, at
// most `limit`. A block that decode(pc, out) cannot give (false) is left
// out; if that is the head, the region is empty. Every runner forms its
// regions here, with its own rules for what is admitted.
template <class Block>
std::vector<uint64_t> formRegion(uint64_t head, size_t limit,
                                 const std::function<bool(uint64_t, Block &)> &decode,
                                 const std::function<bool(uint64_t)> &admit) {
  std::vector<uint64_t> queued{head}, pcs;
  std::unordered_set<uint64_t> seen{head};
  auto add = [&](uint64_t next) {
    if (queued.size() < limit && seen.insert(next).second && admit(next))
      queued.push_back(next);
  };
  for (size_t i = 0; i < queued.size(); i++) {
    Block b;
    if (!decode(queued[i], b) || b.insns.empty()) {
      if (i == 0)
        return {};
      continue;
    }
    pcs.push_back(queued[i]);
    std::vector<uint64_t> succs = directSuccessors(b);
    for (uint64_t next : succs)
      add(next);
    // A call whose callee is in the region: its return is a branch to
    // where the call continues, if that is in the region too.
    if (uint64_t ret = callContinuation(b);
        ret && !succs.empty() && std::count(queued.begin(), queued.end(), succs[0]))
      add(ret);
  }
  return pcs;
}

} // namespace xlat
