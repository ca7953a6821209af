// Which guest instruction a host instruction belongs to, for faults the host
// reports inside translated code.
//
// Translated code does not store the pc of each guest memory access on its
// fast path. When a host access faults (a guest page that is unmapped or
// protected), the runner asks this map for the guest pc of the faulting host
// instruction: LLVM-compiled code registers the exact address of each
// access (from the .xlat_pcmap section its accesses emit), the template tier
// the host range of each copied memory stencil. Process-wide, shared by
// every tier and thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace xlat::jit {

class HostPcMap {
public:
  static HostPcMap &instance();

  // [hostStart, hostEnd) executes guest instruction guestPc.
  void addRange(uint64_t hostStart, uint64_t hostEnd, uint64_t guestPc);
  // An access instruction of LLVM code: its host address, guest pc and
  // raw-FP mask (the FP registers the state may hold as raw host NaNs when
  // it faults, see hasRawFpMask in lifter/core/memory_lowering.h).
  struct Access {
    uint64_t host;
    uint64_t guestPc;
    uint32_t rawFp;
  };
  void addExact(const std::vector<Access> &entries);
  // Forgets everything in [hostStart, hostEnd) (code that is freed).
  void removeRange(uint64_t hostStart, uint64_t hostEnd);

  // The guest pc of host instruction hostPc; false if none is known. Called
  // from the host fault handler of the faulting thread, which never holds
  // the map's lock itself (translators register before their code runs).
  bool lookup(uint64_t hostPc, uint64_t &guestPc, uint32_t &rawFp) const;

  size_t size() const;

private:
  // Entries are kept per window of host addresses (by start address),
  // sorted. Translators emit at increasing addresses, so adding an entry
  // is an append, and a segment's eviction erases whole windows: the
  // template tier adds one entry per memory stencil, millions for a guest
  // that churns code, which a node-based map made the cost of
  // translation.
  static constexpr unsigned kWindowShift = 16;
  struct Entry {
    uint64_t start, end, guestPc;
    uint32_t rawFp;
  };
  void add(const Entry &e);
  const Entry *find(uint64_t window, uint64_t hostPc) const;

  mutable std::mutex mu_;
  std::unordered_map<uint64_t, std::vector<Entry>> windows_;
  size_t size_ = 0;
};

} // namespace xlat::jit
