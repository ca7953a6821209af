#include "jit/code_buffer.h"

#include "jit/host_pc_map.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

// Linux 5.14; older C libraries lack the names.
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

namespace xlat::jit {

namespace {

// Shared anonymous memory (sparse: only pages written cost memory), with a
// second, executable view at `rx` (or anywhere in the low 2 GiB when null).
// Linux names such a mapping "/dev/zero (deleted)", which perf reads as
// anonymous: it names samples in it from /tmp/perf-PID.map (--perfmap),
// which it would not for a memfd. Returns the writable view, or null.
uint8_t *mapViews(size_t capacity, bool low, uint8_t *&rx, std::string &err) {
  void *rw = mmap(nullptr, capacity, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (rw == MAP_FAILED) {
    err = std::string("cannot map the code buffer: ") + strerror(errno);
    return nullptr;
  }
  // Stencils are compiled for the static relocation model, in which code
  // may address its shared constants with 32-bit absolute addresses: their
  // executable view lives in the low 2 GiB.
  void *at = rx;
  if (!at) {
    at = mmap(nullptr, capacity, PROT_NONE,
              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | (low ? MAP_32BIT : 0),
              -1, 0);
    if (at == MAP_FAILED) {
      err = std::string("cannot reserve the code buffer: ") + strerror(errno);
      munmap(rw, capacity);
      return nullptr;
    }
  }
  // An old size of 0 makes a second mapping of the same shared pages.
  void *view = mremap(rw, 0, capacity, MREMAP_MAYMOVE | MREMAP_FIXED, at);
  if (view == MAP_FAILED || mprotect(view, capacity, PROT_READ | PROT_EXEC)) {
    err = std::string("cannot map the code buffer twice: ") + strerror(errno);
    munmap(rw, capacity);
    return nullptr;
  }
  rx = static_cast<uint8_t *>(view);
  return static_cast<uint8_t *>(rw);
}

} // namespace

CodeBuffer::~CodeBuffer() {
  // Its code is gone: the next mapping at these addresses (a new tier's
  // buffer, in xlat-lockstep) must not inherit its host-pc map entries,
  // which would name the wrong guest pc for a fault.
  if (rx_)
    HostPcMap::instance().removeRange(execStart(), execEnd());
  if (rw_)
    munmap(rw_, capacity_);
  if (rx_)
    munmap(rx_, capacity_);
}

bool CodeBuffer::init(std::string &err, size_t capacity, bool low) {
  uint8_t *rx = nullptr;
  uint8_t *rw = mapViews(capacity, low, rx, err);
  if (!rw)
    return false;
  rw_ = rw;
  rx_ = rx;
  capacity_ = capacity;
  // Segments of at least 64 KiB (a big region must fit in one).
  segments_ = (unsigned)std::clamp<size_t>(capacity >> 16, 2, kMaxSegments);
  segment_ = (capacity / segments_) & ~size_t(4095);
  for (unsigned seg = segments_; seg-- > 1;)
    free_.push_back(seg);
  for (unsigned seg = 0; seg < segments_; seg++)
    mapped_[seg] = seg * segment_;
  live_ = {0};
  return true;
}

bool CodeBuffer::unshare(std::string &err) {
  if (!rw_)
    return true;
  // New pages, with the code so far, at the same addresses as before.
  uint8_t *rx = rx_;
  uint8_t *rw = mapViews(capacity_, false, rx, err);
  if (!rw)
    return false;
  for (unsigned seg = 0; seg < segments_; seg++) {
    size_t start = seg * segment_;
    mapped_[seg] = start;
    if (fill_[seg])
      memcpy(rw + start, rw_ + start, segmentStart(seg) - start + fill_[seg]);
  }
  populated_ = (used_ + 4095) & ~size_t(4095);
  if (mremap(rw, capacity_, capacity_, MREMAP_MAYMOVE | MREMAP_FIXED, rw_) ==
      MAP_FAILED) {
    err = std::string("cannot remap the code buffer: ") + strerror(errno);
    return false;
  }
  return true;
}

CodeBuffer::Allocation CodeBuffer::allocate(size_t n, size_t align) {
  size_t start = (used_ + align - 1) & ~(align - 1);
  if (start + n > segmentEnd(live_.back())) {
    // On to a segment without code; if the next one has never had pages
    // and the oldest is mostly dead, the oldest is evicted and taken
    // instead (one eviction per segment filled).
    bool mapped = !free_.empty() && mapped_[free_.back()] > free_.back() * segment_;
    if (n > segment_ || free_.empty() || (!mapped && oldestMostlyDead())) {
      wantsEviction_ = true;
      return {};
    }
    unsigned seg = free_.back();
    free_.pop_back();
    begin(seg);
    start = (used_ + align - 1) & ~(align - 1);
    if (start + n > segmentEnd(seg)) {
      wantsEviction_ = true;
      return {};
    }
  }
  unsigned head = live_.back();
  size_t before = used_;
  used_ = start + n;
  fill_[head] += used_ - before;
  size_t inUse = inUse_.load(std::memory_order_relaxed) + (used_ - before);
  inUse_.store(inUse, std::memory_order_relaxed);
  if (inUse > peak_.load(std::memory_order_relaxed))
    peak_.store(inUse, std::memory_order_relaxed);
  if (used_ > populated_)
    populate();
  return {rw_ + start, reinterpret_cast<uint64_t>(rx_ + start), n};
}

void CodeBuffer::begin(unsigned seg) {
  live_.push_back(seg);
  used_ = segmentStart(seg);
  populated_ = std::max(used_, mapped_[seg]);
}

void CodeBuffer::populate() {
  // Each fresh page would fault twice (written through one view, run
  // through the other): with code that keeps changing, those faults cost
  // more than the translations. Both views get the next pages in one call
  // each instead.
  unsigned head = live_.back();
  size_t end = std::min(segmentEnd(head),
                        (used_ + kPopulateStep) & ~(kPopulateStep - 1));
  size_t from = populated_ & ~size_t(4095);
  if (populateWorks_ &&
      (madvise(rw_ + from, end - from, MADV_POPULATE_WRITE) != 0 ||
       madvise(rx_ + from, end - from, MADV_POPULATE_READ) != 0))
    populateWorks_ = false; // an older kernel: faults it is
  populated_ = end;
  mapped_[head] = std::max(mapped_[head], end);
}

size_t CodeBuffer::evictNext(uint64_t &lo, uint64_t &hi) {
  wantsEviction_ = false;
  unsigned seg = live_.front();
  live_.pop_front();
  size_t start = segmentStart(seg), end = segmentEnd(seg);
  lo = reinterpret_cast<uint64_t>(rx_ + start);
  hi = reinterpret_cast<uint64_t>(rx_ + end);
  size_t freed = fill_[seg];
  inUse_.fetch_sub(freed, std::memory_order_relaxed);
  fill_[seg] = dead_[seg] = 0;
  // Allocation goes on here next, its pages still mapped.
  if (live_.empty())
    begin(seg);
  else
    free_.push_back(seg);
  return freed;
}

void CodeBuffer::commit(const Allocation &a) {
  // x86 keeps instruction fetch coherent with stores, also through another
  // mapping of the same page; publishing the code to other threads is the
  // release store of the code cache that follows.
  __builtin___clear_cache(reinterpret_cast<char *>(a.exec),
                          reinterpret_cast<char *>(a.exec + a.size));
}

} // namespace xlat::jit
