// Stores into memory that code was translated from, seen as they happen.
//
// Both runners use it. In user mode a page is a page of the guest's
// address space (addresses are guest addresses); in system mode it is a
// page of the machine's RAM (addresses are offsets into it), since a hart
// writes code through whatever virtual mapping, and so do devices.
//
// RISC-V makes stores visible to instruction fetch only after fence.i, but
// programs written with x86 habits, JITs that count on the kernel's icache
// flush, and programs that merely work under qemu (which detects such
// stores) write code and run it at once. So each guest page that code is
// translated from while the guest may write it is write-protected on the
// host; the guest's own view (GuestMemory's map) stays RW+X. A store to it
// faults on the host: the fault handler gives the page its write permission
// back, marks the page dirty, counts a code write, interrupts every guest
// thread and returns, so the store runs again. Before they run another
// block, the dispatchers take the dirty pages (takeDirty) and drop the
// translations made from them, and only those. The page stays writable
// until code is translated from it again, so a page holding both code and
// busy data costs one drop per retranslation, never a livelock.
//
// A guest JIT that writes code into pages it runs from pays a host fault
// and two mprotects per write that way. One that fences as RISC-V asks
// (fence.i, or riscv_flush_icache as __builtin___clear_cache does) between
// writing code and running it does not need its stores seen: a page
// written and then fenced, before code was read from it again, three times
// in a row becomes fence-managed (kFenced). It is never write-protected
// again, and every fence drops the translations read from it since the
// last fence (onFence). A page written and then translated from before a
// fence starts the count again. Unmapping the page, or making it
// non-writable or non-executable, ends fence management.
//
// Per guest page, flags (atomic, read by the fault handler):
//   kCode     code was read from it since it was mapped
//   kWatched  kCode, and the guest may write it: host write faults are ours
//   kHostRO   host write permission is withheld
//   kDirty    a write ended kHostRO; not yet taken by takeDirty
//   kUnfenced a write ended kHostRO; no fence since, nor code read
//   kFenceCount  writes that a fence followed in a row (2 bits)
//   kFenced   fence-managed: writable, translations dropped at fences
//   kLive     kFenced, and code was read from it since the last fence
// Flags are set and cleared under GuestMemory's lock, except that the fault
// handler and the syscall layer (beforeHostWrite) clear kHostRO. Both
// restore write permission before they clear kHostRO and count the write
// after it, and a translator sets kHostRO before it write-protects and
// reads: so every translation read from a page is either protected against
// later stores or dropped by a flush that comes after them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace xlat {

class CodePages {
public:
  CodePages() = default;
  ~CodePages();
  CodePages(const CodePages &) = delete;
  CodePages &operator=(const CodePages &) = delete;

  // base and limit: the guest reservation (GuestMemory::init).
  bool init(uint8_t *base, uint64_t limit);

  // --- under GuestMemory's lock; addresses are guest addresses ---------------

  // A translator reads code from `page` (a page number); `writable`: the
  // guest may write it, so it is write-protected on the host.
  void noteCode(uint64_t page, bool writable);
  // [start, end) is about to be unmapped or replaced: its pages are no
  // longer code. True if one of them was write-protected on the host.
  bool forget(uint64_t start, uint64_t end);
  // mprotect of [start, end) to host protection hprot for guest protection
  // with `exec` and `write`: pages that are still code stay write-protected
  // when the guest may write and execute them. 0 or -errno.
  int protect(uint64_t start, uint64_t end, int hprot, bool exec, bool write);

  // --- from any thread ------------------------------------------------------

  // The host fault handler (async-signal-safe): a write fault at host
  // address p. True if p is in a watched page, which is now writable: the
  // store can run again.
  bool onWriteFault(const void *p) const;
  // The host kernel is about to write guest [addr, addr+len) for a syscall
  // (the kernel reports EFAULT instead of faulting): watched pages in it
  // become writable, as a faulting store would make them.
  void beforeHostWrite(uint64_t addr, uint64_t len) const;

  // --- under GuestMemory's lock ----------------------------------------------

  // The guest fenced (fence.i or riscv_flush_icache). `written`: the pages
  // takeDirty returned since the last fence. Appends to `stale` the
  // fence-managed pages code was read from since the last fence: their
  // translations must go.
  void onFence(const std::vector<uint64_t> &written,
               std::vector<uint64_t> &stale);
  // Pages that have become fence-managed so far.
  uint64_t fencedPages() const { return fenced_.load(std::memory_order_relaxed); }

  // --- from any thread ------------------------------------------------------

  // Code writes counted so far, and the count the last flush covered.
  uint64_t writes() const { return writes_.load(std::memory_order_seq_cst); }
  bool writesPending() const {
    return writes_.load(std::memory_order_acquire) !=
           flushed_.load(std::memory_order_acquire);
  }
  // Appends the pages written since they were last taken (page numbers) and
  // clears their kDirty. Every write counted in writes() before the call is
  // among them; one counted during it may be too (dropping more is safe).
  // Under the lock of whoever drops translations.
  void takeDirty(std::vector<uint64_t> &pages);
  // Every translation older than the code writes counted in w is gone.
  void markFlushed(uint64_t w) { flushed_.store(w, std::memory_order_release); }
  // A page could not be write-protected (the host refused): stores into
  // code there go unseen, so only a full flush makes fence.i safe.
  bool missedWrites() const {
    return unwatchable_.load(std::memory_order_relaxed) != 0;
  }

private:
  using Flags = uint16_t;
  enum : Flags {
    kCode = 1, kWatched = 2, kHostRO = 4, kDirty = 8, kUnfenced = 16,
    kFenceCountOne = 32, kFenceCount = 96, kFenced = 128, kLive = 256,
  };
  static constexpr uint64_t kPage = 4096;
  static constexpr unsigned kChunkShift = 9; // 2 MiB of guest memory

  // Pages of [start, end) that may carry flags.
  bool span(uint64_t start, uint64_t end, uint64_t &first, uint64_t &last) const;
  // The first page from p (at most last) in a chunk that ever had kCode.
  uint64_t skipClean(uint64_t p, uint64_t last) const;
  void clear(uint64_t start, uint64_t end, Flags keep, bool &hadHostRO);
  // Gives a watched page its host write permission back: 1 if that ended a
  // write protection (translations from it may be stale: the page is now
  // dirty), 0 if it had none, -1 if the host refused.
  int unprotect(uint64_t page) const;
  void codeWritten() const;

  uint8_t *base_ = nullptr;
  uint64_t pages_ = 0, tableSize_ = 0;
  std::atomic<Flags> *flags_ = nullptr;
  // Per chunk of 1 << kChunkShift pages: nonzero once one had kCode, so
  // that range operations skip the rest of the address space quickly.
  std::atomic<uint8_t> *chunks_ = nullptr;
  // Where kDirty pages may be, in two levels of bits: a bit per chunk in
  // dirtyChunks_, and a bit per word of those in dirtyWords_. Set after the
  // page's flag, lower level first, and before the write is counted, so
  // takeDirty finds every counted write without a scan of the address
  // space.
  std::atomic<uint64_t> *dirtyChunks_ = nullptr, *dirtyWords_ = nullptr;
  uint64_t dirtyWordCount_ = 0;
  std::atomic<uint64_t> unwatchable_{0};
  // Pages [lo_, hi_] are the only ones that ever had kCode (cheap range ops
  // for the rest of the address space).
  std::atomic<uint64_t> lo_{~0ull}, hi_{0};
  std::atomic<uint64_t> watched_{0}; // pages with kWatched
  std::atomic<uint64_t> fenced_{0};  // pages that became kFenced
  std::vector<uint64_t> live_;       // pages given kLive since the last fence
  mutable std::atomic<uint64_t> writes_{0};
  std::atomic<uint64_t> flushed_{0};
};

// A guest thread that code writes must interrupt: while attached, a code
// write sets *interrupt (chained translated code returns to the dispatcher)
// and *stop (the interpreter stops before its next instruction). Process-
// wide, since any thread's store can hit code any other thread runs.
class CodeWriteListener {
public:
  CodeWriteListener() = default;
  CodeWriteListener(const CodeWriteListener &) = delete;
  CodeWriteListener &operator=(const CodeWriteListener &) = delete;
  // Detaches, after any fault handler that may still use the pointers.
  ~CodeWriteListener();
  void attach(uint32_t *interrupt, std::atomic<bool> *stop);

  struct Slot; // code_pages.cpp

private:
  Slot *slot_ = nullptr;
};

} // namespace xlat
