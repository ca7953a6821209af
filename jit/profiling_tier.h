// The cold tier of a guest ISA that has no stencils yet (A64): it makes no
// code. The runner interprets each block that has no translation and asks
// this tier to count it, as template code counts its own executions, so
// that the adaptive policy finds hot blocks and the warm blocks around
// them just as it does with the template tier.
#pragma once

#include "jit/block_tier.h"

#include <cstdint>
#include <unordered_map>

namespace xlat::jit {

class ProfilingTier final : public BlockTier {
public:
  explicit ProfilingTier(uint64_t hotThreshold) : threshold_(hotThreshold) {}

  // One more execution of the block at pc; true when that makes it hot:
  // every threshold executions, as the block runs here only while it has
  // no translation (its region was dropped: a guest JIT rewrote the page,
  // or compiling it failed). Under the translate lock.
  bool count(uint64_t pc) { return ++counts_[pc] % threshold_ == 0; }

  // There is no code to make: the runner interprets (count()).
  BlockFn translate(uint64_t, CodeReader &, CodeCache &, TierStats &,
                    std::string &err) override {
    err = "the profiling tier makes no code";
    return nullptr;
  }
  uint64_t executions(uint64_t pc) const override {
    auto it = counts_.find(pc);
    return it == counts_.end() ? 0 : it->second;
  }
  void rearm(uint64_t pc) override { counts_[pc] = 0; }

private:
  uint64_t threshold_;
  std::unordered_map<uint64_t, uint64_t> counts_;
};

} // namespace xlat::jit
