// Where translated blocks live: guest pc -> host entry point.
//
// CodeCache is process-wide and shared by every guest thread; each thread
// looks up through its own CodeCacheFront, a direct-mapped table that needs
// no lock. Each translation is filed under the guest pages its code was read
// from, so that a write to a page, or an unmap, drops only the translations
// made from that page (dropPages); clear() drops them all.
#pragma once

#include "lifter/core/code_reader.h"
#include "lifter/riscv/state.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace xlat::jit {

// Translated code, entered with the thread's state (rv::RvState, a64::A64State:
// the ISA's). Every tier's code uses the
// preserve_none convention (state in r12, no callee-saved registers but rsp
// and rbp): a translation enters another by a tail call, and neither saves
// nor restores the registers its C caller must keep; enterTranslated does
// that once per entry from the runner.
typedef void (*BlockFn)(void *state) __attribute__((preserve_none));

// Runs translated code from C++. A frame that is realigned and has dynamic
// allocas (AddressSanitizer's, for one) addresses its locals through a base
// pointer, rbx, which LLVM takes to survive every call, preserve_none's too:
// the dispatcher then read its locals through the rbx the translation left.
// This function has no locals, so no base pointer, and it saves what its
// C caller keeps in registers before the call as any function does.
[[gnu::noinline]] inline void enterTranslated(BlockFn fn, void *state) { fn(state); }

// Guest pages are numbered addr >> kGuestPageShift.
constexpr unsigned kGuestPageShift = 12;
using GuestPages = std::vector<uint64_t>;

// Reads guest code through another reader and notes the pages it read: what
// a translation made from those reads depends on. One per translation, on
// the translating thread.
class PageRecorder final : public CodeReader {
public:
  explicit PageRecorder(CodeReader &inner) : inner_(inner) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    if (n)
      for (uint64_t p = addr >> kGuestPageShift;
           p <= (addr + n - 1) >> kGuestPageShift; p++)
        note(p);
    return inner_.read(addr, dst, n);
  }
  const GuestPages &pages() const { return pages_; }

private:
  void note(uint64_t page) {
    if (pages_.empty() || (pages_.back() != page &&
                           std::find(pages_.begin(), pages_.end(), page) ==
                               pages_.end()))
      pages_.push_back(page);
  }
  CodeReader &inner_;
  GuestPages pages_;
};

class CodeCache {
public:
  BlockFn find(uint64_t pc) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(pc);
    return it == map_.end() ? nullptr : it->second.fn;
  }
  // pc's translation is fn, made from code read from `pages`.
  void insert(uint64_t pc, BlockFn fn, const GuestPages &pages) {
    std::lock_guard<std::mutex> lock(mu_);
    set(pc, fn, pages);
  }
  // Advances with every drop and clear. Code read after epoch() returned e
  // can be installed by promote(..., since = e).
  uint64_t epoch() const { return epoch_.load(std::memory_order_acquire); }
  // Replaces pc's translation with a better one (promotion), made from code
  // read from `pages` since epoch `since`; false if one of those pages was
  // dropped since (or the cache cleared): the new code may have been made
  // from guest code that is gone. Threads' fronts pick it up in catchUp().
  bool promote(uint64_t pc, BlockFn fn, const GuestPages &pages,
               uint64_t since) {
    std::lock_guard<std::mutex> lock(mu_);
    if (since < floor_)
      return false;
    for (uint64_t page : pages)
      if (auto it = droppedAt_.find(page);
          it != droppedAt_.end() && it->second > since)
        return false;
    set(pc, fn, pages);
    log(pc, fn);
    return true;
  }
  // Drops every translation made from one of `pages` and unlinks it (link
  // cells, and the fronts through the change log); returns their entry
  // pcs. Translations made from other pages stay, with their links. The
  // host code stays allocated: another thread may still be running it,
  // and leaves it at its next block boundary.
  std::vector<uint64_t> dropPages(const GuestPages &pages) {
    std::lock_guard<std::mutex> lock(mu_);
    return dropLocked(pages, false);
  }
  // dropPages() for the pages of guest addresses [start, end).
  std::vector<uint64_t> dropRange(uint64_t start, uint64_t end) {
    uint64_t first = start >> kGuestPageShift;
    uint64_t last = (end + (1ull << kGuestPageShift) - 1) >> kGuestPageShift;
    GuestPages pages;
    std::lock_guard<std::mutex> lock(mu_);
    if (last - first <= kMaxDropRecords) {
      for (uint64_t p = first; p < last; p++)
        pages.push_back(p);
      return dropLocked(pages, false);
    }
    // Too many pages to note each: only those with translations go, and
    // compiles in flight are refused.
    for (const auto &[page, pcs] : byPage_)
      if (page >= first && page < last)
        pages.push_back(page);
    return dropLocked(pages, true);
  }
  // Drops pc's translation if it is fn (its code is going away).
  bool dropIf(uint64_t pc, BlockFn fn) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(pc);
    if (it == map_.end() || it->second.fn != fn)
      return false;
    erase(pc);
    return true;
  }
  // Drops every translation whose entry is in host code [lo, hi) (a code
  // buffer segment going away); returns their pcs.
  std::vector<uint64_t> dropHostRange(uint64_t lo, uint64_t hi) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<uint64_t> dropped;
    for (const auto &[pc, entry] : map_)
      if (uint64_t fn = reinterpret_cast<uint64_t>(entry.fn); fn >= lo && fn < hi)
        dropped.push_back(pc);
    for (uint64_t pc : dropped)
      erase(pc);
    return dropped;
  }
  // The changes made since index `from` of the change log (promotions, and
  // drops with fn null) while the log was not reset (resets() == seen):
  // calls f(pc, fn) for each and returns the index to continue from.
  template <typename F>
  uint64_t changesSince(uint64_t from, uint64_t seen, F f) const {
    std::lock_guard<std::mutex> lock(mu_);
    if (seen != resets_.load(std::memory_order_relaxed))
      return from; // the front empties itself first
    for (uint64_t i = from; i < changes_.size(); i++)
      f(changes_[i].first, changes_[i].second);
    return changes_.size();
  }
  uint64_t changeCount() const {
    return changeCount_.load(std::memory_order_acquire);
  }
  // Bumped when the change log starts again (clear(), or a long log): the
  // fronts then empty themselves.
  uint64_t resets() const { return resets_.load(std::memory_order_acquire); }

  // Forgets every translation and unlinks all chained blocks. The host code
  // stays allocated until the runner evicts it.
  void clear() {
    std::lock_guard<std::mutex> lock(mu_);
    map_.clear();
    byPage_.clear();
    droppedAt_.clear();
    floor_ = epoch_.fetch_add(1, std::memory_order_acq_rel) + 1;
    resetLog();
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
        cell->store(it->second.fn, std::memory_order_release);
    }
    return cell;
  }
  // Bumped by clear() only: everything made before is gone.
  uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return map_.size();
  }

private:
  struct Entry {
    BlockFn fn = nullptr;
    GuestPages pages; // of every translation of pc since it was last dropped
  };
  static constexpr size_t kMaxLog = 1 << 16, kMaxDropRecords = 1 << 16;

  std::vector<uint64_t> dropLocked(const GuestPages &pages, bool refuseAll) {
    std::vector<uint64_t> dropped;
    uint64_t e = epoch_.fetch_add(1, std::memory_order_acq_rel) + 1;
    if (refuseAll || droppedAt_.size() + pages.size() > kMaxDropRecords) {
      droppedAt_.clear(); // compiles that started before cannot be checked
      floor_ = e;
    }
    for (uint64_t page : pages) {
      if (floor_ != e)
        droppedAt_[page] = e;
      auto it = byPage_.find(page);
      if (it == byPage_.end())
        continue;
      std::vector<uint64_t> pcs = std::move(it->second);
      byPage_.erase(it);
      for (uint64_t pc : pcs)
        if (map_.count(pc)) {
          erase(pc);
          dropped.push_back(pc);
        }
    }
    return dropped;
  }
  // Drops one entry: unfiled, unlinked, logged for the fronts.
  void erase(uint64_t pc) {
    auto entry = map_.find(pc);
    for (uint64_t page : entry->second.pages)
      unfile(page, pc);
    map_.erase(entry);
    if (auto cell = cells_.find(pc); cell != cells_.end())
      cell->second->store(nullptr, std::memory_order_release);
    log(pc, nullptr);
  }

  void set(uint64_t pc, BlockFn fn, const GuestPages &pages) {
    Entry &e = map_[pc];
    e.fn = fn;
    for (uint64_t page : pages)
      if (std::find(e.pages.begin(), e.pages.end(), page) == e.pages.end()) {
        e.pages.push_back(page);
        byPage_[page].push_back(pc);
      }
    if (auto it = cells_.find(pc); it != cells_.end())
      it->second->store(fn, std::memory_order_release);
  }
  void unfile(uint64_t page, uint64_t pc) {
    auto it = byPage_.find(page);
    if (it == byPage_.end())
      return;
    std::vector<uint64_t> &pcs = it->second;
    if (auto p = std::find(pcs.begin(), pcs.end(), pc); p != pcs.end()) {
      *p = pcs.back();
      pcs.pop_back();
    }
    if (pcs.empty())
      byPage_.erase(it);
  }
  void log(uint64_t pc, BlockFn fn) {
    if (changes_.size() >= kMaxLog)
      resetLog();
    changes_.push_back({pc, fn});
    changeCount_.store(changes_.size(), std::memory_order_release);
  }
  void resetLog() {
    changes_.clear();
    changeCount_.store(0, std::memory_order_release);
    resets_.fetch_add(1, std::memory_order_release);
  }

  mutable std::mutex mu_;
  std::unordered_map<uint64_t, Entry> map_;
  std::unordered_map<uint64_t, std::vector<uint64_t>> byPage_; // page -> pcs
  // The epoch each page was last dropped at, and the oldest epoch whose
  // drops are all recorded.
  std::unordered_map<uint64_t, uint64_t> droppedAt_;
  uint64_t floor_ = 0;
  std::unordered_map<uint64_t, std::atomic<BlockFn> *> cells_;
  std::deque<std::atomic<BlockFn>> storage_;
  std::atomic<uint64_t> generation_{0}, epoch_{0}, resets_{0};
  std::vector<std::pair<uint64_t, BlockFn>> changes_; // since resets_ moved
  std::atomic<uint64_t> changeCount_{0};
};

// Also the thread's IBTC: translated code indexes slots_ directly (see
// RvState::ibtc), so the layout is fixed: {pc, fn} pairs, kIbtcSize of them.
class CodeCacheFront {
public:
  const void *table() const { return slots_.data(); }
  // pc's translation is now fn (a promotion), or none (fn null: dropped).
  void update(uint64_t pc, BlockFn fn) {
    Slot &s = slots_[(pc >> 1) & (kSize - 1)];
    if (s.pc == pc)
      s = fn ? Slot{pc, fn} : Slot{};
  }

  // Brings the table up to date with the cache: slots of promoted blocks
  // point at their new code, slots of dropped ones are emptied (changes
  // made by other threads, such as the background compiler).
  void catchUp(const CodeCache &cache) {
    if (cache.resets() != resets_) {
      slots_.fill({});
      resets_ = cache.resets();
      changesSeen_ = 0;
    }
    if (cache.changeCount() == changesSeen_)
      return;
    changesSeen_ = cache.changesSince(
        changesSeen_, resets_, [this](uint64_t pc, BlockFn fn) { update(pc, fn); });
  }

  // Call catchUp() first.
  BlockFn lookup(const CodeCache &cache, uint64_t pc) {
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
  uint64_t resets_ = 0;
  uint64_t changesSeen_ = 0;
};

} // namespace xlat::jit
