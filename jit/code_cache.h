// Where translated blocks live: guest pc -> host entry point.
#pragma once

#include "lifter/riscv/state.h"

#include <array>
#include <cstdint>
#include <unordered_map>

namespace xlat::jit {

using BlockFn = void (*)(rv::RvState *);

class CodeCache {
public:
  BlockFn lookup(uint64_t pc) {
    Slot &s = fast_[(pc >> 1) & (kFastSize - 1)];
    if (s.pc == pc)
      return s.fn;
    auto it = map_.find(pc);
    if (it == map_.end())
      return nullptr;
    s = {pc, it->second};
    return it->second;
  }
  void insert(uint64_t pc, BlockFn fn) {
    map_[pc] = fn;
    fast_[(pc >> 1) & (kFastSize - 1)] = {pc, fn};
  }
  // Forgets every translation (fence.i). The host code stays allocated.
  void clear() {
    map_.clear();
    fast_.fill({});
  }
  size_t size() const { return map_.size(); }

private:
  struct Slot {
    uint64_t pc = ~0ull;
    BlockFn fn = nullptr;
  };
  static constexpr size_t kFastSize = 1 << 12;
  std::array<Slot, kFastSize> fast_{};
  std::unordered_map<uint64_t, BlockFn> map_;
};

} // namespace xlat::jit
