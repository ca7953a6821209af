// Executable memory for generated code, never writable and executable at
// once: shared anonymous memory mapped twice, a read-write view the
// translator writes through and a read-execute view that runs. Allocation
// is a bump pointer. Single translations are never freed (another thread
// may still run a dropped block); when the buffer is full the runner stops
// every thread outside translated code and recycles it whole (resetTo).
// The executable view is mapped below 2 GiB unless asked not to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace xlat::jit {

// The error of a translation that found its code buffer full: the runner
// recycles the buffers and translates again.
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
  // `align`-byte aligned (a power of two). Not thread-safe: the translator
  // holds its lock.
  Allocation allocate(size_t n, size_t align = 16);
  // Makes the written bytes visible to instruction fetch.
  void commit(const Allocation &a);
  size_t used() const { return used_; }
  size_t capacity() const { return capacity_; }
  // Forgets every allocation after the first `used` bytes; their pages
  // are given back to the system. Only when no thread can run that code.
  void resetTo(size_t used);
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
  static constexpr size_t kPopulateStep = 256 << 10;

  uint8_t *rw_ = nullptr;
  uint8_t *rx_ = nullptr;
  size_t capacity_ = 0, used_ = 0;
  size_t populated_ = 0; // bytes mapped in both views ahead of use
  bool populateWorks_ = true;
};

} // namespace xlat::jit
