// Executable memory for generated code, never writable and executable at
// once: shared anonymous memory mapped twice, a read-write view the
// translator writes through and a read-execute view that runs.
//
// The buffer is divided into up to kMaxSegments segments; the one
// allocation goes on in is filled by a bump pointer. Single translations
// are never freed (another thread may still run a dropped block), but
// their owner tells the buffer when one is dead (release()). When the
// segment in use is full, allocation goes on in a segment without code if
// there is one, unless the oldest segment holding code is mostly dead:
// then, as when every segment holds code, allocation fails, the runner
// stops every thread outside translated code, drops the translations in
// the oldest segment (evictNext) and goes on there. An evicted segment
// keeps its pages and is used again before one never used: a guest that
// keeps writing code (a JIT) reuses memory the host has already mapped,
// where a fresh page costs more than the code copied into it. Code that
// lives long (shared code, veneers) goes first, before keepFirst(): it
// is never evicted.
// The executable view is mapped below 2 GiB unless asked not to.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace xlat::jit {

// The error of a translation that found its code buffer full: the runner
// evicts the oldest segment and translates again.
constexpr const char *kCodeBufferFull = "the code buffer is full";

class CodeBuffer {
public:
  struct Allocation {
    uint8_t *write = nullptr; // null: the buffer is full
    uint64_t exec = 0;        // where the same bytes run
    size_t size = 0;
  };

  ~CodeBuffer();
  // low: the executable view is in the low 2 GiB (for code that uses 32-bit
  // absolute addresses, as stencils do).
  bool init(std::string &err, size_t capacity = kDefaultCapacity,
            bool low = true);
  static constexpr size_t kDefaultCapacity = size_t(256) << 20;
  // `align`-byte aligned (a power of two), inside one segment. Not
  // thread-safe: the translator holds its lock. A null allocation: the
  // next segment must be evicted first (wantsEviction).
  Allocation allocate(size_t n, size_t align = 16);
  // Makes the written bytes visible to instruction fetch.
  void commit(const Allocation &a);
  // The bytes allocated so far are never evicted (shared code, veneers).
  // Call before the first segment is full.
  void keepFirst() {
    kept_ = used_;
    fill_[0] = dead_[0] = 0;
  }
  // Allocation failed for want of a free segment, or because the oldest
  // is mostly dead code.
  bool wantsEviction() const { return wantsEviction_; }
  // Frees the oldest segment for allocation to go on in, and returns its
  // executable range [lo, hi): the caller drops every translation in it
  // and anything that points into it, with no thread able to run it. Its
  // pages stay mapped, for the code that comes next. Returns the bytes
  // freed.
  size_t evictNext(uint64_t &lo, uint64_t &hi);
  // The n bytes of code at `exec` will not run again once every thread
  // has left them (dropped), or will after all (revived).
  void release(uint64_t exec, size_t n) {
    size_t &d = dead_[segmentOf(exec)];
    d += n;
  }
  void retain(uint64_t exec, size_t n) {
    size_t &d = dead_[segmentOf(exec)];
    d -= std::min(d, n);
  }
  // Bytes allocated in segments that hold code, and the most ever.
  // (Read by --stats from any thread.)
  size_t bytesInUse() const { return inUse_.load(std::memory_order_relaxed); }
  size_t peakBytesInUse() const { return peak_.load(std::memory_order_relaxed); }
  size_t capacity() const { return capacity_; }
  // Small segments make eviction cheap where most code is dead, and
  // reuse memory sooner.
  static constexpr unsigned kMaxSegments = 64;
  // The segment executable address `exec` (inside the buffer) is in.
  unsigned segmentOf(uint64_t exec) const {
    return std::min<unsigned>((unsigned)((exec - execStart()) / segment_),
                              segments_ - 1);
  }
  // The writable view of executable address `exec` (inside the buffer).
  uint8_t *writable(uint64_t exec) { return rw_ + (exec - execStart()); }
  // The executable view's address range.
  uint64_t execStart() const { return reinterpret_cast<uint64_t>(rx_); }
  uint64_t execEnd() const { return execStart() + capacity_; }
  // In a child after fork: both views are shared mappings of the same
  // pages, so parent and child would write into each other's code. Gives
  // the child pages of its own, at the same addresses with the same
  // contents.
  bool unshare(std::string &err);

private:
  // Maps the pages from populated_ to past used_ in both views.
  void populate();
  // Makes seg, which holds no code, the one allocation goes on in.
  void begin(unsigned seg);
  size_t segmentEnd(unsigned seg) const {
    return seg + 1 == segments_ ? capacity_ : (seg + 1) * segment_;
  }
  size_t segmentStart(unsigned seg) const {
    return seg == 0 ? kept_ : seg * segment_;
  }
  // The oldest segment is worth evicting for its pages: at least half of
  // its code is dead.
  bool oldestMostlyDead() const {
    unsigned seg = live_.front();
    return live_.size() > 1 && fill_[seg] && dead_[seg] * 2 >= fill_[seg];
  }
  static constexpr size_t kPopulateStep = 256 << 10;

  uint8_t *rw_ = nullptr;
  uint8_t *rx_ = nullptr;
  size_t capacity_ = 0, segment_ = 0;
  unsigned segments_ = 1;
  size_t used_ = 0; // the bump pointer, in segment live_.back()
  // Segments holding code, oldest first; the last is where allocation
  // goes on. Those without code are taken from the back of free_: the
  // evicted ones, their pages still mapped, before those never used.
  std::deque<unsigned> live_;
  std::vector<unsigned> free_;
  size_t kept_ = 0;                   // bytes at the start never evicted
  size_t fill_[kMaxSegments] = {};    // bytes allocated in each segment
  size_t dead_[kMaxSegments] = {};    // of those, released
  size_t mapped_[kMaxSegments] = {};  // each segment's pages are mapped up to here
  std::atomic<size_t> inUse_{0}, peak_{0};
  size_t populated_ = 0; // bytes mapped in both views ahead of use
  bool populateWorks_ = true;
  bool wantsEviction_ = false;
};

} // namespace xlat::jit
