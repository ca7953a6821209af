// The cold tier of a guest ISA that has no stencils yet (A64): it makes no
// code. The runner interprets each block that has no translation and asks
// this tier to count it, as template code counts its own executions, so
// that the adaptive policy finds hot blocks and the warm blocks around
// them just as it does with the template tier.
#pragma once

#include "jit/block_tier.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>

namespace xlat::jit {

class ProfilingTier final : public BlockTier {
public:
  explicit ProfilingTier(uint64_t hotThreshold) : threshold_(hotThreshold) {}

  // n more executions of the block at pc; true when they make it hot:
  // every threshold executions, as the block runs here only while it has
  // no translation (its region was dropped: a guest JIT rewrote the page,
  // or compiling it failed). Under the translate lock.
  bool count(uint64_t pc, uint64_t n) {
    uint64_t &c = counts_[pc];
    uint64_t before = c;
    c += n;
    return c / threshold_ != before / threshold_;
  }
  uint64_t threshold() const { return threshold_; }

  // A thread's executions not yet counted: each block's are added to the
  // tier's count (under the translate lock) every kBatch runs, or when
  // another block takes its slot, so that interpreting a block takes no
  // lock. A block is found hot at most kBatch - 1 runs late per thread.
  class Pending {
  public:
    explicit Pending(uint64_t threshold)
        : batch_(uint32_t(std::min<uint64_t>(threshold, kBatch))) {}
    struct Flush {
      uint64_t pc, n;
    };
    // One run of pc: true if nothing must be counted yet, else what is due
    // (pc's own runs, and those of the block whose slot it took).
    bool add(uint64_t pc, Flush (&due)[2], unsigned &numDue) {
      Slot &s = slots_[(pc >> 2) & (kSlots - 1)];
      if (s.pc == pc && ++s.n < batch_)
        return true;
      numDue = 0;
      if (s.pc != pc) {
        if (s.n)
          due[numDue++] = {s.pc, s.n};
        s.pc = pc;
        s.n = 1;
        if (s.n < batch_)
          return numDue == 0;
      }
      due[numDue++] = {pc, s.n};
      s.n = 0;
      return false;
    }
  private:
    static constexpr uint64_t kBatch = 64;
    static constexpr size_t kSlots = 1024;
    struct Slot {
      uint64_t pc = ~0ull;
      uint32_t n = 0;
    };
    uint32_t batch_;
    std::array<Slot, kSlots> slots_{};
  };

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
