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

#include <array>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace xlat::jit {

// A guest register that translated code holds in a host register at an
// access, and has not stored into the state: when the access faults, the
// fault handler stores it (at a state offset; the host register by number:
// 0-15 the general-purpose ones in x86-64 encoding order, rax, rcx, rdx,
// rbx, rsp, rbp, rsi, rdi, r8-r15; 16-31 the low 64 bits of xmm0-xmm15).
struct RegSpill {
  uint16_t field = 0; // 0: none
  uint8_t hostReg = 0;
  bool operator==(const RegSpill &) const = default;
};
constexpr unsigned kMaxRegSpills = 8; // kMaxAccessSpills of the lowering
constexpr uint8_t kFirstXmmSpill = 16;
using RegSpills = std::array<RegSpill, kMaxRegSpills>;
// What a code object may hold: none, or an aligned 64-bit field from a
// register that is not the stack pointer.
inline bool validSpill(const RegSpill &s) {
  return s.field == 0 ? s.hostReg == 0 : s.field % 8 == 0 && s.hostReg < 32 && s.hostReg != 4;
}

class HostPcMap {
public:
  static HostPcMap &instance();

  // [hostStart, hostEnd) executes guest instruction guestPc.
  void addRange(uint64_t hostStart, uint64_t hostEnd, uint64_t guestPc);
  struct Range {
    uint64_t hostStart, hostEnd, guestPc;
  };
  // Many at once, under one lock (the ranges of one template block).
  void addRanges(const std::vector<Range> &ranges);
  // An access instruction of LLVM code: its host address, guest pc and
  // raw-FP mask (the FP registers the state may hold as raw host NaNs when
  // it faults, see hasRawFpMask in lifter/core/memory_lowering.h).
  struct Access {
    uint64_t host;
    uint64_t guestPc;
    uint32_t rawFp;
    RegSpills spills;
  };
  void addExact(const std::vector<Access> &entries);
  // Forgets everything in [hostStart, hostEnd) (code that is freed).
  void removeRange(uint64_t hostStart, uint64_t hostEnd);

  // The guest pc of host instruction hostPc; false if none is known. Called
  // from the host fault handler of the faulting thread, which never holds
  // the map's lock itself (translators register before their code runs).
  // With `spills`, also the registers to store for the access there.
  bool lookup(uint64_t hostPc, uint64_t &guestPc, uint32_t &rawFp,
              RegSpills *spills = nullptr) const;

  size_t size() const;

private:
  // Entries are kept per window of host addresses (by start address),
  // sorted. Translators emit at increasing addresses, so adding an entry
  // is an append, and a segment's eviction erases whole windows: the
  // template tier adds one entry per memory stencil, millions for a guest
  // that churns code, which a node-based map made the cost of
  // translation. For the same reason an entry is 24 bytes: the raw-FP
  // mask and spills, which only LLVM code's accesses have, live beside
  // the entries and are referred to by index.
  static constexpr unsigned kWindowShift = 16;
  struct Detail {
    uint32_t rawFp;
    RegSpills spills;
  };
  struct Entry {
    uint64_t start, guestPc;
    uint32_t len;
    uint32_t detail; // 1 + its index in the window's details; 0: none
  };
  struct Window {
    std::vector<Entry> entries;
    // Only ever appended to: a detail an entry no longer refers to goes
    // with its window.
    std::vector<Detail> details;
  };
  void add(Window &w, const Entry &e);
  void addRangeLocked(uint64_t hostStart, uint64_t hostEnd, uint64_t guestPc);
  const Entry *find(const Window *&w, uint64_t hostPc) const;

  mutable std::mutex mu_;
  std::unordered_map<uint64_t, Window> windows_;
  size_t size_ = 0;
};

} // namespace xlat::jit
