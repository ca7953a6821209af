#include "jit/code_pages.h"

#include <algorithm>
#include <cerrno>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>

namespace xlat {
namespace {

// Fault handlers (and beforeHostWrite calls) between their first look at a
// page's flags or a listener slot and their last use of them. Whoever takes
// kWatched away from a page before changing its host protection, or
// detaches a listener, waits for this to drain, so no handler acts on what
// it read before the change.
std::atomic<int> inFlight{0};

void waitForHandlers() {
  while (inFlight.load(std::memory_order_seq_cst) != 0)
    sched_yield();
}

struct InFlight {
  InFlight() { inFlight.fetch_add(1, std::memory_order_seq_cst); }
  ~InFlight() { inFlight.fetch_sub(1, std::memory_order_seq_cst); }
};

} // namespace

// Slots are never freed, so the handler can walk the list without a lock;
// a detached slot is reused by the next thread.
struct CodeWriteListener::Slot {
  std::atomic<uint32_t *> interrupt{nullptr};
  std::atomic<std::atomic<bool> *> stop{nullptr};
  std::atomic<bool> taken{false};
  Slot *next = nullptr;
};

namespace {
std::atomic<CodeWriteListener::Slot *> listeners{nullptr};
} // namespace

void CodeWriteListener::attach(uint32_t *interrupt, std::atomic<bool> *stop) {
  if (!slot_) {
    for (Slot *s = listeners.load(std::memory_order_acquire); s && !slot_;
         s = s->next)
      if (!s->taken.exchange(true))
        slot_ = s;
    if (!slot_) {
      slot_ = new Slot;
      slot_->taken.store(true);
      slot_->next = listeners.load();
      while (!listeners.compare_exchange_weak(slot_->next, slot_)) {
      }
    }
  }
  slot_->stop.store(stop, std::memory_order_release);
  slot_->interrupt.store(interrupt, std::memory_order_release);
}

CodeWriteListener::~CodeWriteListener() {
  if (!slot_)
    return;
  slot_->interrupt.store(nullptr, std::memory_order_seq_cst);
  slot_->stop.store(nullptr, std::memory_order_seq_cst);
  waitForHandlers();
  slot_->taken.store(false, std::memory_order_release);
}

CodePages::~CodePages() {
  if (flags_)
    ::munmap(flags_, tableSize_);
}

bool CodePages::init(uint8_t *base, uint64_t limit) {
  // Two bytes per page (128 MiB for 256 GiB) and one per chunk, of which
  // only those of pages code runs from are ever written.
  pages_ = limit / kPage;
  uint64_t chunks = (pages_ >> kChunkShift) + 1;
  uint64_t chunkWords = (chunks + 63) / 64;
  dirtyWordCount_ = (chunkWords + 63) / 64;
  // Page and chunk bytes, then the dirty bit words (8-byte aligned).
  uint64_t bytes = (2 * pages_ + chunks + 7) & ~uint64_t(7);
  tableSize_ = bytes + 8 * (chunkWords + dirtyWordCount_);
  void *p = ::mmap(nullptr, tableSize_, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return false;
  base_ = base;
  flags_ = static_cast<std::atomic<Flags> *>(p);
  chunks_ = reinterpret_cast<std::atomic<uint8_t> *>(flags_ + pages_);
  dirtyChunks_ = reinterpret_cast<std::atomic<uint64_t> *>(
      static_cast<uint8_t *>(p) + bytes);
  dirtyWords_ = dirtyChunks_ + chunkWords;
  // A fork child has only the forking thread: handlers that were running
  // in other threads will never finish there.
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, [] {
    pthread_atfork(nullptr, nullptr, [] { inFlight.store(0); });
  });
  return true;
}

bool CodePages::span(uint64_t start, uint64_t end, uint64_t &first,
                     uint64_t &last) const {
  first = std::max(start / kPage, lo_.load(std::memory_order_relaxed));
  last = std::min({(end + kPage - 1) / kPage, pages_,
                   hi_.load(std::memory_order_relaxed) + 1});
  return flags_ && first < last;
}

uint64_t CodePages::skipClean(uint64_t p, uint64_t last) const {
  while (p < last && !chunks_[p >> kChunkShift].load(std::memory_order_relaxed))
    p = ((p >> kChunkShift) + 1) << kChunkShift;
  return std::min(p, last);
}

void CodePages::noteCode(uint64_t page, bool writable) {
  std::atomic<Flags> &f = flags_[page];
  Flags now = f.load(std::memory_order_relaxed);
  if (writable && (now & kFenced)) {
    // Not protected: the next fence drops what is read from it now.
    if (!(now & kLive)) {
      f.fetch_or(kLive);
      live_.push_back(page);
    }
    return;
  }
  // Code read from a page written since the last fence: the program does
  // not fence before it runs what it writes, so stores must be seen.
  if (now & kUnfenced)
    f.fetch_and(~(kUnfenced | kFenceCount));
  Flags want = writable ? kCode | kWatched | kHostRO : kCode;
  if ((now & want) == want)
    return;
  if (page < lo_.load(std::memory_order_relaxed))
    lo_.store(page, std::memory_order_relaxed);
  if (page > hi_.load(std::memory_order_relaxed))
    hi_.store(page, std::memory_order_relaxed);
  chunks_[page >> kChunkShift].store(1, std::memory_order_relaxed);
  // Flags before protection: a store that faults once the page is
  // read-only must find it watched.
  Flags old = f.fetch_or(want);
  if (!writable)
    return;
  if (!(old & kWatched))
    watched_.fetch_add(1, std::memory_order_relaxed);
  if (!(old & kHostRO) &&
      ::mprotect(base_ + page * kPage, kPage, PROT_READ) != 0) {
    f.fetch_and(~kHostRO); // e.g. out of host mappings: leave it unwatched
    unwatchable_.fetch_add(1, std::memory_order_relaxed);
  }
}

void CodePages::clear(uint64_t start, uint64_t end, Flags keep,
                      bool &hadHostRO) {
  uint64_t first, last;
  bool unwatched = false;
  hadHostRO = false;
  if (!span(start, end, first, last))
    return;
  for (uint64_t p = skipClean(first, last); p < last;
       p = skipClean(p + 1, last)) {
    if (!flags_[p].load(std::memory_order_relaxed))
      continue;
    // A write not yet taken stays dirty: its translations must still go.
    Flags old = flags_[p].fetch_and(keep | kDirty);
    if (old & kWatched) {
      watched_.fetch_sub(1, std::memory_order_relaxed);
      unwatched = true;
    }
    hadHostRO |= (old & kHostRO) != 0;
  }
  if (unwatched)
    waitForHandlers();
}

bool CodePages::forget(uint64_t start, uint64_t end) {
  bool hadHostRO;
  clear(start, end, 0, hadHostRO);
  return hadHostRO;
}

int CodePages::protect(uint64_t start, uint64_t end, int hprot, bool exec,
                       bool write) {
  auto hostProtect = [&](uint64_t from, uint64_t to, int prot) {
    return ::mprotect(base_ + from, to - from, prot) == 0 ? 0 : -errno;
  };
  bool hadHostRO;
  uint64_t first, last;
  if (!exec || !write || !span(start, end, first, last)) {
    // Not executable: the syscall layer drops its translations. Read-only:
    // guest stores fault as guest faults.
    if (!exec || !write)
      clear(start, end, exec ? kCode : 0, hadHostRO);
    return hostProtect(start, end, hprot);
  }
  // Writable and executable: code pages stay (or become) read-only, except
  // those a code write made writable and that nothing was translated from
  // since. Runs of equal protection, one mprotect each.
  auto readOnly = [&](uint64_t p) {
    if (p < first || p >= last)
      return false;
    std::atomic<Flags> &f = flags_[p];
    Flags v = f.load(std::memory_order_relaxed);
    if (!(v & kCode) || (v & kFenced) ||
        (v & (kWatched | kHostRO)) == kWatched)
      return false;
    if (!(v & kWatched))
      watched_.fetch_add(1, std::memory_order_relaxed);
    f.fetch_or(kWatched | kHostRO); // before the host protection changes
    return true;
  };
  uint64_t endPage = (end + kPage - 1) / kPage;
  uint64_t p = start / kPage;
  while (p < endPage) {
    bool ro = readOnly(p);
    uint64_t q = p + 1;
    if (!ro && q < first)
      q = std::min(first, endPage);
    while (q < endPage && q < last) {
      if (uint64_t next = ro ? q : skipClean(q, last); next != q) {
        q = next;
        continue;
      }
      if (readOnly(q) != ro)
        break;
      q++;
    }
    if (!ro && q >= last)
      q = endPage;
    if (int e = hostProtect(p * kPage, q * kPage,
                            ro ? hprot & ~PROT_WRITE : hprot))
      return e;
    p = q;
  }
  return 0;
}

int CodePages::unprotect(uint64_t page) const {
  if (::mprotect(base_ + page * kPage, kPage, PROT_READ | PROT_WRITE) != 0)
    return -1;
  if (!(flags_[page].fetch_and(~kHostRO) & kHostRO))
    return 0;
  flags_[page].fetch_or(kDirty | kUnfenced, std::memory_order_seq_cst);
  uint64_t chunk = page >> kChunkShift;
  dirtyChunks_[chunk / 64].fetch_or(1ull << (chunk % 64), std::memory_order_seq_cst);
  dirtyWords_[chunk / 4096].fetch_or(1ull << (chunk / 64 % 64),
                                     std::memory_order_seq_cst);
  return 1;
}

void CodePages::takeDirty(std::vector<uint64_t> &pages) {
  if (!flags_)
    return;
  // Each level's bits are taken before the level below is read: a bit set
  // again meanwhile is seen by the next call.
  for (uint64_t i = 0; i < dirtyWordCount_; i++) {
    if (!dirtyWords_[i].load(std::memory_order_relaxed))
      continue;
    for (uint64_t words = dirtyWords_[i].exchange(0, std::memory_order_seq_cst);
         words; words &= words - 1) {
      uint64_t w = i * 64 + __builtin_ctzll(words);
      for (uint64_t chunks = dirtyChunks_[w].exchange(0, std::memory_order_seq_cst);
           chunks; chunks &= chunks - 1) {
        uint64_t c = w * 64 + __builtin_ctzll(chunks);
        uint64_t first = c << kChunkShift;
        uint64_t last = std::min(pages_, (c + 1) << kChunkShift);
        for (uint64_t p = first; p < last; p++)
          if ((flags_[p].load(std::memory_order_relaxed) & kDirty) &&
              (flags_[p].fetch_and(~kDirty, std::memory_order_seq_cst) & kDirty))
            pages.push_back(p);
      }
    }
  }
}

void CodePages::onFence(const std::vector<uint64_t> &written,
                        std::vector<uint64_t> &stale) {
  bool unwatched = false;
  for (uint64_t page : written) {
    if (page >= pages_)
      continue;
    std::atomic<Flags> &f = flags_[page];
    // Written, then fenced before code was read from it again. (The
    // syscall layer may set kDirty meanwhile: hence the loop.)
    Flags v = f.load(std::memory_order_relaxed), count = 0;
    do {
      if (!(v & kUnfenced) || (v & kFenced))
        break;
      count = (v & kFenceCount) + kFenceCountOne;
    } while (count < kFenceCount &&
             !f.compare_exchange_weak(v, (v & ~(kUnfenced | kFenceCount)) | count));
    if (!(v & kUnfenced) || (v & kFenced) || count < kFenceCount)
      continue;
    // Fenced every time: the page stays writable from now on. (It is now:
    // the write that set kUnfenced took its protection away.)
    Flags old = f.fetch_and(~(kUnfenced | kFenceCount | kWatched | kHostRO));
    f.fetch_or(kFenced);
    if (old & kWatched) {
      watched_.fetch_sub(1, std::memory_order_relaxed);
      unwatched = true;
    }
    fenced_.fetch_add(1, std::memory_order_relaxed);
  }
  if (unwatched)
    waitForHandlers();
  for (uint64_t page : live_)
    if (page < pages_ && (flags_[page].fetch_and(~kLive) & kLive))
      stale.push_back(page);
  live_.clear();
}

void CodePages::codeWritten() const {
  writes_.fetch_add(1, std::memory_order_seq_cst);
  for (auto *s = listeners.load(std::memory_order_acquire); s; s = s->next) {
    if (uint32_t *i = s->interrupt.load(std::memory_order_acquire))
      __atomic_store_n(i, 1, __ATOMIC_RELEASE);
    if (std::atomic<bool> *stop = s->stop.load(std::memory_order_acquire))
      stop->store(true, std::memory_order_release);
  }
}

bool CodePages::onWriteFault(const void *p) const {
  if (!flags_ || (const uint8_t *)p < base_)
    return false;
  uint64_t page = ((const uint8_t *)p - base_) / kPage;
  if (page >= pages_)
    return false;
  int savedErrno = errno;
  bool ours = false;
  {
    InFlight guard;
    // Another thread's fault on the page may have unprotected it already:
    // the store is retried then too.
    if (flags_[page].load(std::memory_order_seq_cst) & kWatched) {
      int r = unprotect(page);
      ours = r >= 0;
      if (r > 0)
        codeWritten();
    }
  }
  errno = savedErrno;
  return ours;
}

void CodePages::beforeHostWrite(uint64_t addr, uint64_t len) const {
  uint64_t first, last;
  if (len == 0 || watched_.load(std::memory_order_relaxed) == 0 ||
      !span(addr, addr + len, first, last))
    return;
  InFlight guard;
  bool written = false;
  for (uint64_t p = skipClean(first, last); p < last;
       p = skipClean(p + 1, last))
    if (flags_[p].load(std::memory_order_seq_cst) & kWatched)
      written |= unprotect(p) > 0;
  if (written)
    codeWritten();
}

} // namespace xlat
