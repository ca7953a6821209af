// The regions xlat-aot compiles, from the control flow it found: every
// function entry, return site and jump-table target starts one, and a
// region stops at the others' heads, as the JIT's hot regions stop at the
// heads of compiled ones (Dispatcher::formRegion). A loop is taken into a
// region whole, or starts a region of its own. ISA-neutral: blocks are
// guest pcs, and the edges are what the ISA's decoder said.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace xlat::aot {

struct ControlFlow {
  // What discovery found: function entries, the blocks after calls (where
  // returns land) and after traps the runner resumes from (a system call),
  // and the direct edges between blocks. A block that ends
  // in a call has one edge, to its return site.
  std::set<uint64_t> functions, returnSites;
  // Blocks entered by indirect jumps through tables found in the code.
  std::set<uint64_t> indirectTargets;
  std::map<uint64_t, std::vector<uint64_t>> succs, preds;
  std::map<uint64_t, uint64_t> callees; // a block ending in a direct call -> callee
  // Blocks that end in an indirect jump that is no call (a return, a tail
  // call, a switch or a PLT stub's jump through a register): where control
  // may go back to a caller.
  std::set<uint64_t> leaves;
  void edge(uint64_t from, uint64_t to);

  // Drops the return sites of direct calls to functions that cannot
  // return (no path from their entry reaches a leaf, where paths go past
  // a call only if its callee can return): the bytes after `call abort`
  // are no place a return lands, and as a head they would be compiled and
  // would cut the regions that reach them. Returns how many it dropped.
  // Before findLoops. A function wrongly found not to return costs a
  // cache miss at that return site, and the JIT compiles it.
  size_t dropNoReturnSites();

  // Loops, as a loop-nesting forest: each strongly connected component of
  // the graph is a loop, its heads are the blocks entered from outside it
  // (or function entries, return sites and jump-table targets in it), and the loops nested in
  // it are the components of what is left without its heads. A rotated
  // loop's backward branches may target a block that is not where the
  // loop is entered; the components do not care, so such a loop has one
  // head, and a trip round it stays in one region. Each head maps to its
  // loop's blocks, nested loops' included.
  std::map<uint64_t, std::set<uint64_t>> loops;
  void findLoops(const std::set<uint64_t> &blocks);

  // The blocks every region starts at: functions, return sites, jump-table
  // targets. Loop heads join them only where a loop is left out of the
  // region that reaches it (closeUnderExits).
  std::set<uint64_t> heads() const;
  // The region entered at `entry`, at most `limit` blocks: what it reaches
  // by edges, breadth first, up to the heads of other regions. A loop it
  // reaches is taken whole (`whole`), so that entering the loop and leaving
  // it stay in one translation (a hash-chain walk that runs one lap per
  // call, a copy loop after its length test); otherwise the region stops
  // at the loop's head. A call's one edge is to its return site, which the
  // region holds only when it holds the callee too: a leaf, taken whole
  // when it fits, or the function itself (a recursive call). The callee's
  // return is then a branch to it, as in the JIT's regions.
  std::vector<uint64_t> region(uint64_t entry, size_t limit,
                               const std::set<uint64_t> &heads) const;
  // `entries` and the blocks where their regions were cut at `limit`
  // blocks, each made a head (added to `heads`) and the entry of a region
  // of its own, and so are the heads of loops left out of the regions that
  // reach them, until every way out of every region lands on a head. Code
  // that leaves a compiled region then finds compiled code, not a cache
  // miss that the JIT compiles again on every run; and since the regions
  // before a cut stop at it, its blocks are compiled once, not in every
  // region that reaches them.
  std::vector<uint64_t> closeUnderExits(std::vector<uint64_t> entries, size_t limit,
                                        std::set<uint64_t> &heads) const;

private:
  // A function entry, a return site or a jump-table target: a block that
  // control reaches by more than the edges found.
  bool enteredFromElsewhere(uint64_t b) const;
  std::vector<std::vector<uint64_t>> cycles(const std::set<uint64_t> &nodes) const;
  const std::vector<uint64_t> &successors(uint64_t b) const;
  // The blocks reached from `entry` (inside `within`, when given), breadth
  // first, that `seen` does not hold, with the leaves they call; empty when
  // they are more than `room`, or one of them is entered from elsewhere (a
  // function, return site or jump-table target other than `entry` and the
  // return sites of the calls taken), or calls what is no leaf. A leaf
  // (`within` not given) makes no calls.
  std::vector<uint64_t> whole(uint64_t entry, const std::set<uint64_t> *within,
                              const std::set<uint64_t> &seen, size_t room) const;
};

} // namespace xlat::aot
