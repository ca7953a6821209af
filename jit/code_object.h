// Compiled guest code in a relocatable form of xlat's own: what the LLVM
// tiers produce, what the translation cache stores, and what is installed
// into executable memory without LLVM.
//
// The code is compiled for a module (an ELF file mapped for execution) at
// no particular address: every guest pc in it is the module's base plus an
// offset, and every link cell it chains through is named by the offset of
// its guest pc. Installing the object for a module loaded at some base
// copies the image into executable memory and patches its relocations:
// so one compiled region serves every program that loads the same library,
// wherever it is loaded.
#pragma once

#include "jit/code_buffer.h"
#include "jit/code_cache.h"
#include "jit/host_pc_map.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace xlat::jit {

struct CodeObject {
  // What a relocation's value is.
  enum class Target : uint8_t {
    Image,      // the image's own address + addend (its sections)
    ModuleBase, // the module's load base + addend
    Cell,       // the link cell of guest pc base + cells[index], + addend
    External,   // runtime function externals[index] + addend
  };
  // x86-64 relocation types, as in ELF.
  enum class Type : uint8_t { Abs64 = 1, Pc32 = 2, Plt32 = 4, Abs32 = 10, Abs32S = 11 };
  struct Reloc {
    uint32_t offset; // in the image
    Type type;
    Target target;
    uint32_t index;  // Cell / External
    int64_t addend;
  };

  std::vector<uint8_t> image; // code first, then read-only data
  uint32_t codeSize = 0;      // bytes of code at the start of the image
  // Where the code's cold part starts (the out-of-line fault paths of its
  // memory accesses, up to codeSize): for --perfmap.
  uint32_t coldStart = 0;
  uint32_t entry = 0;         // the function, an offset in the image
  std::vector<Reloc> relocs;
  std::vector<uint64_t> cells;         // module-relative guest offsets
  std::vector<std::string> externals;  // runtime functions, by name
  // Each guest memory access (the .xlat_pcmap table of the memory
  // lowering): its host offset in the image, its guest pc (module-relative),
  // its raw-FP mask (see hasRawFpMask in lifter/core/memory_lowering.h) and
  // the registers its fault spills (withSpills there).
  struct Access {
    uint32_t host;
    uint64_t guestPc;
    uint32_t rawFp;
    RegSpills spills{};
    bool operator==(const Access &) const = default;
  };
  std::vector<Access> pcmap;

  // A byte form, versioned; parse() rejects what serialize() did not make
  // (false with err).
  std::vector<uint8_t> serialize() const;
  static bool parse(const uint8_t *data, size_t size, CodeObject &out,
                    std::string &err);
};

// Installs code objects into executable memory of its own: the image is
// copied and patched, runtime functions are reached through veneers (the
// code is anywhere in the address space), its accesses go into the
// host-pc map, and the function is returned.
class CodeInstaller {
public:
  bool init(std::string &err, size_t capacity = CodeBuffer::kDefaultCapacity);
  // The function of `obj` installed for a module at `base`, or null with
  // err (the buffer is full, an unknown runtime function, a relocation out
  // of range). `name` and `guestPc` (the translation's entry) are for
  // --perfmap. Thread-safe; the caller holds whatever lock guards
  // `cache`'s link cells.
  BlockFn install(const CodeObject &obj, uint64_t base, CodeCache &cache,
                  const std::string &name, uint64_t guestPc, std::string &err);
  size_t bytesInUse() const { return buf_.bytesInUse(); }
  size_t peakBytesInUse() const { return buf_.peakBytesInUse(); }
  bool wantsEviction() const { return buf_.wantsEviction(); }
  // Frees the oldest segment of the buffer (see CodeBuffer): the
  // translations in it leave `cache` (their pcs appended to `dropped`) and
  // the host-pc map. Only when no thread can be running it
  // (Dispatcher::evictCode). Returns the bytes freed.
  size_t evict(CodeCache &cache, std::vector<uint64_t> &dropped, uint64_t &lo,
               uint64_t &hi);
  // In the child of a fork: a private copy of the code (see CodeBuffer).
  bool afterFork(std::string &err);

private:
  uint64_t veneer(const std::string &name, std::string &err);

  std::mutex mu_;
  CodeBuffer buf_;
  // Veneers live in an area at the start of the buffer, never evicted.
  static constexpr size_t kVeneerArea = 4096;
  uint64_t veneerArea_ = 0, veneerUsed_ = 0;
  std::unordered_map<std::string, uint64_t> veneers_;
};

} // namespace xlat::jit
