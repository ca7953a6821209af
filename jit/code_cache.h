// Where translated blocks live: guest pc -> host entry point.
//
// CodeCache is process-wide and shared by every guest thread; each thread
// looks up through its own CodeCacheFront, a direct-mapped table that needs
// no lock. Clearing the cache (fence.i) bumps a generation number, and every
// front empties itself when it sees a new generation.
#pragma once

#include "lifter/riscv/state.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace xlat::jit {

using BlockFn = void (*)(rv::RvState *);

class CodeCache {
public:
  BlockFn find(uint64_t pc) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(pc);
    return it == map_.end() ? nullptr : it->second;
  }
  void insert(uint64_t pc, BlockFn fn) {
    std::lock_guard<std::mutex> lock(mu_);
    map_[pc] = fn;
    if (auto it = cells_.find(pc); it != cells_.end())
      it->second->store(fn, std::memory_order_release);
  }
  // Replaces pc's translation with a better one (promotion), unless the
  // cache was cleared since `generation`: the new code may have been made
  // from guest code that is gone. Threads' fronts pick it up in catchUp().
  bool promote(uint64_t pc, BlockFn fn, uint64_t generation,
               BlockFn *old = nullptr) {
    std::lock_guard<std::mutex> lock(mu_);
    if (generation != generation_.load(std::memory_order_relaxed))
      return false;
    BlockFn &slot = map_[pc];
    if (old)
      *old = slot;
    slot = fn;
    if (auto it = cells_.find(pc); it != cells_.end())
      it->second->store(fn, std::memory_order_release);
    promotions_.push_back({pc, fn});
    promotionCount_.store(promotions_.size(), std::memory_order_release);
    return true;
  }
  uint64_t promotionCount() const {
    return promotionCount_.load(std::memory_order_acquire);
  }
  // Calls f(pc, fn) for the promotions from index `from` on; returns the
  // index to continue from.
  template <typename F> uint64_t promotionsSince(uint64_t from, F f) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (uint64_t i = from; i < promotions_.size(); i++)
      f(promotions_[i].first, promotions_[i].second);
    return promotions_.size();
  }

  // Forgets every translation and unlinks all chained blocks. The host code
  // stays allocated: another thread may still be running it, and leaves it
  // at its next block boundary.
  void clear() {
    std::lock_guard<std::mutex> lock(mu_);
    map_.clear();
    promotions_.clear();
    promotionCount_.store(0, std::memory_order_release);
    for (auto &[pc, cell] : cells_)
      cell->store(nullptr, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_release);
  }
  // The link cell of a guest pc: a word that holds the translation of pc
  // (or null), which translated predecessors load and tail-call (block
  // chaining). Cells live as long as the cache; their address is stable.
  const std::atomic<BlockFn> *linkCell(uint64_t pc) {
    std::lock_guard<std::mutex> lock(mu_);
    std::atomic<BlockFn> *&cell = cells_[pc];
    if (!cell) {
      cell = &storage_.emplace_back(nullptr);
      if (auto it = map_.find(pc); it != map_.end())
        cell->store(it->second, std::memory_order_release);
    }
    return cell;
  }
  uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return map_.size();
  }

private:
  mutable std::mutex mu_;
  std::unordered_map<uint64_t, BlockFn> map_;
  std::unordered_map<uint64_t, std::atomic<BlockFn> *> cells_;
  std::deque<std::atomic<BlockFn>> storage_;
  std::atomic<uint64_t> generation_{0};
  std::vector<std::pair<uint64_t, BlockFn>> promotions_; // since clear()
  std::atomic<uint64_t> promotionCount_{0};
};

// Also the thread's IBTC: translated code indexes slots_ directly (see
// RvState::ibtc), so the layout is fixed: {pc, fn} pairs, kIbtcSize of them.
class CodeCacheFront {
public:
  const void *table() const { return slots_.data(); }
  // A new translation replaced pc's (adaptive promotion): keep the slot
  // pointing at the current code.
  void update(uint64_t pc, BlockFn fn) {
    Slot &s = slots_[(pc >> 1) & (kSize - 1)];
    if (s.pc == pc)
      s.fn = fn;
  }

  // Brings slots of promoted blocks up to date (promotions made by
  // another thread, such as the background compiler).
  void catchUp(const CodeCache &cache) {
    if (cache.promotionCount() == promotionsSeen_ ||
        cache.generation() != generation_)
      return; // lookup() empties the table first
    promotionsSeen_ = cache.promotionsSince(
        promotionsSeen_, [this](uint64_t pc, BlockFn fn) { update(pc, fn); });
  }

  BlockFn lookup(const CodeCache &cache, uint64_t pc) {
    uint64_t gen = cache.generation();
    if (gen != generation_) {
      slots_.fill({});
      generation_ = gen;
      promotionsSeen_ = 0;
    }
    Slot &s = slots_[(pc >> 1) & (kSize - 1)];
    if (s.pc == pc)
      return s.fn;
    BlockFn fn = cache.find(pc);
    if (fn)
      s = {pc, fn};
    return fn;
  }

private:
  struct Slot {
    uint64_t pc = ~0ull;
    BlockFn fn = nullptr;
  };
  static_assert(sizeof(Slot) == 16);
  static constexpr size_t kSize = rv::kIbtcSize;
  std::array<Slot, kSize> slots_{};
  uint64_t generation_ = 0;
  uint64_t promotionsSeen_ = 0;
};

} // namespace xlat::jit
