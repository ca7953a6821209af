// The software TLB that system-mode translated code probes inline (see
// createSoftMmuLowering in memory_lowering.h): its layout is shared by the
// lowering, which emits the probe, and the runner, which fills it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace xlat {

// Indexed by the virtual page number modulo kSoftTlbEntries. A tag is the
// virtual address of the page that an access of its kind may make at host
// address + addend without further checks (the runner translated it,
// permits it, and RAM backs it), or kSoftTlbNoPage, which matches no page.
struct SoftTlbEntry {
  uint64_t readTag = 1, writeTag = 1;
  uintptr_t addend = 0;
  uint64_t unused = 0;
};
constexpr uint64_t kSoftTlbNoPage = 1;
constexpr unsigned kSoftTlbEntries = 256;
constexpr unsigned kSoftTlbEntrySize = sizeof(SoftTlbEntry);
constexpr unsigned kSoftTlbReadTag = offsetof(SoftTlbEntry, readTag);
constexpr unsigned kSoftTlbWriteTag = offsetof(SoftTlbEntry, writeTag);
constexpr unsigned kSoftTlbAddend = offsetof(SoftTlbEntry, addend);
static_assert(kSoftTlbEntrySize == 32);

} // namespace xlat
