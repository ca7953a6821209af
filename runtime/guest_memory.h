// The guest address space of a user-mode process.
//
// One host reservation of `limit` bytes holds the whole guest address space:
// guest address g lives at host address base + g. Everything not mapped by
// the guest is PROT_NONE, so a wild guest access faults inside the
// reservation (and becomes a guest SIGSEGV) instead of touching translator
// memory. Guest addresses >= limit are rejected before the host is touched.
#pragma once

#include "jit/code_pages.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace xlat {

class GuestMemory {
public:
  // Sv39 user space: 256 GiB.
  static constexpr uint64_t kDefaultLimit = 1ull << 38;
  static constexpr uint64_t kPageSize = 4096;
  // The guard zones below the base and above the limit, never mapped: an
  // access that runs past the limit, or whose range check a dominating
  // access made (dropDominatedRangeChecks, lifter/core/memory_lowering.h),
  // lands in one and faults at its guest address (h2g wraps below 0).
  static constexpr uint64_t kGuard = 64 * 1024;

  // Reserves the address space; false with a message on failure.
  bool init(uint64_t limit, std::string &err);
  ~GuestMemory();

  uint8_t *base() const { return base_; }
  uint64_t limit() const { return limit_; }
  bool inRange(uint64_t addr, uint64_t len) const {
    return addr < limit_ && len <= limit_ - addr;
  }
  void *g2h(uint64_t addr) const { return base_ + addr; }
  uint64_t h2g(const void *p) const { return (const uint8_t *)p - base_; }
  // True if host address p lies inside the reservation (the guard zones
  // included).
  bool containsHost(const void *p) const {
    return (const uint8_t *)p >= base_ - kGuard &&
           (const uint8_t *)p < base_ + limit_ + kGuard;
  }

  // Linux mmap/munmap/mprotect/mremap semantics on guest addresses. Results
  // are guest addresses or -errno, as the syscall returns them.
  int64_t mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd,
               uint64_t offset);
  int64_t munmap(uint64_t addr, uint64_t len);
  int64_t mprotect(uint64_t addr, uint64_t len, int prot);
  int64_t mremap(uint64_t old_addr, uint64_t old_len, uint64_t new_len,
                 int flags, uint64_t new_addr);
  // SysV shmat: places a mapping that `hostMap` makes at the host address
  // it is given (false with errno set on failure), at guest `addr` or, for
  // 0, where mmap would. An existing mapping there is an error (-EINVAL)
  // unless `replace`. Returns the guest address or -errno.
  int64_t mapHostShared(uint64_t addr, uint64_t len, int prot, bool replace,
                        std::string name,
                        const std::function<bool(void *)> &hostMap);
  // brk: setBrk() at load time; brk(0) queries, brk(x) grows or shrinks.
  void initBrk(uint64_t start);
  uint64_t brk(uint64_t newBrk);

  // Copies with validity checks (false on an unmapped or out-of-range byte).
  bool read(uint64_t addr, void *dst, size_t n) const;
  bool write(uint64_t addr, const void *src, size_t n);
  // Reads a NUL-terminated string of at most `max` bytes.
  bool readString(uint64_t addr, std::string &out, size_t max = 4096) const;
  // Reads guest code for a translator: false unless every byte is mapped
  // executable. Pages the guest may also write are write-protected on the
  // host from now on, so that stores into them are seen (code_pages.h),
  // unless `watch` is false: code read once and forgotten.
  bool readCode(uint64_t addr, void *dst, size_t n, bool watch = true);
  // The guest fenced: CodePages::onFence.
  void fenceCode(const std::vector<uint64_t> &written,
                 std::vector<uint64_t> &stale);
  // The pages code was read from, and the code writes seen so far.
  CodePages &codePages() { return code_; }
  const CodePages &codePages() const { return code_; }

  // Is every page of [addr, addr+len) mapped with at least `prot`?
  bool isMapped(uint64_t addr, uint64_t len, int prot) const;

  // The guest's mappings, for /proc/self/maps and diagnostics.
  struct Mapping {
    uint64_t end;
    int prot;
    std::string name;
    bool shared = false; // MAP_SHARED: 's' in /proc/self/maps
  };
  std::map<uint64_t, Mapping> mappings() const;
  // Is a shared mapping executable? Its pages may be written through
  // another mapping of the same memory, which no write protection here
  // sees.
  bool hasSharedCode() const;

  // A private executable mapping of a file, as mmap made it: the unit of
  // code the translation cache keeps (a module; its base is start - offset,
  // so guest pcs there are base + their file offset).
  struct ExecFile {
    uint64_t start = 0, end = 0, offset = 0;
    std::string path;
  };
  // The one that holds addr, if any.
  bool execFileAt(uint64_t addr, ExecFile &out) const;

  // Where the loader and mmap place things when the guest gives no hint.
  uint64_t mmapBase() const { return mmapBase_; }
  // The lowest address MAP_FIXED may map: the host's vm.mmap_min_addr, or
  // 0 for a process with CAP_SYS_RAWIO (as Linux decides).
  uint64_t fixedMinAddr() const { return fixedMinAddr_; }

  // [loader addition] Names the mappings in [start, end) as /proc/self/maps
  // shows them (the loader's "[stack]"; mmap names file mappings itself).
  void setName(uint64_t start, uint64_t end, const std::string &name);

private:
  uint64_t findFree(uint64_t len, uint64_t hint) const;
  void recordMapping(uint64_t start, uint64_t end, int prot, std::string name,
                     bool shared = false);
  void eraseMappings(uint64_t start, uint64_t end);

  uint8_t *base_ = nullptr;
  uint64_t limit_ = 0;
  uint64_t mmapBase_ = 0;
  uint64_t fixedMinAddr_ = 0x10000; // MAP_FIXED below it is EPERM (init)
  uint64_t brkStart_ = 0, brkCur_ = 0, brkMapped_ = 0;
  mutable std::mutex mu_;
  std::map<uint64_t, Mapping> maps_; // start -> mapping, non-overlapping
  // start -> executable file mapping, as mapped; gone when any of it is
  // unmapped or replaced.
  std::map<uint64_t, ExecFile> execFiles_;
  CodePages code_;
};

} // namespace xlat
