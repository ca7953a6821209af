// The guest address space: Linux mmap/munmap/mprotect/mremap/brk semantics
// on guest addresses, all inside one PROT_NONE host reservation.
//
// Every guest mapping is a MAP_FIXED host mapping at base + addr; unmapping
// re-reserves PROT_NONE instead of returning the range to the host, so no
// host allocation can land inside the guest space. maps_ is the guest's view
// (guest prot including PROT_EXEC, names) and is what access checks consult.
// The host protection follows it, except that writable pages code was
// translated from are write-protected on the host (code_pages.h).
#include "runtime/guest_memory.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace xlat {
namespace {

// Guest mman values (asm-generic: riscv64 and aarch64 share them).
constexpr int kProtRead = 1, kProtWrite = 2, kProtExec = 4, kProtSem = 8;
constexpr int kProtRWX = kProtRead | kProtWrite | kProtExec;
constexpr int kProtGrowsDown = 0x01000000, kProtGrowsUp = 0x02000000;
constexpr int kMapShared = 1, kMapPrivate = 2, kMapSharedValidate = 3;
constexpr int kMapType = 0xf;
constexpr int kMapFixed = 0x10, kMapAnonymous = 0x20;
constexpr int kMapNoReserve = 0x4000, kMapPopulate = 0x8000;
constexpr int kMapHugeTlb = 0x40000, kMapFixedNoReplace = 0x100000;
// Flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK + NOREPLACE).
constexpr int kMapKnownFlags = 0xf | kMapFixed | kMapAnonymous | 0x100 | 0x800 |
                               0x1000 | 0x2000 | kMapNoReserve | kMapPopulate |
                               0x10000 | 0x20000 | kMapHugeTlb |
                               kMapFixedNoReplace | 0x4000000;
constexpr int kMremapMayMove = 1, kMremapFixed = 2, kMremapDontUnmap = 4;

constexpr uint64_t kPageMask = GuestMemory::kPageSize - 1;
// Linux's default vm.mmap_min_addr: placement never goes below it (hints
// are raised); MAP_FIXED below the host's value is EPERM unless the process
// may (hostFixedMinAddr).
constexpr uint64_t kMmapMinAddr = 0x10000;

// The lowest address MAP_FIXED may map, by the host kernel's rule: its
// vm.mmap_min_addr, or 0 for a process with CAP_SYS_RAWIO (root, usually).
uint64_t hostFixedMinAddr() {
  uint64_t min = kMmapMinAddr;
  if (FILE *f = fopen("/proc/sys/vm/mmap_min_addr", "r")) {
    unsigned long long v;
    if (fscanf(f, "%llu", &v) == 1)
      min = v;
    fclose(f);
  }
  if (FILE *f = fopen("/proc/self/status", "r")) {
    char line[256];
    unsigned long long caps;
    constexpr int kCapSysRawio = 17;
    while (fgets(line, sizeof line, f))
      if (sscanf(line, "CapEff: %llx", &caps) == 1 && (caps >> kCapSysRawio & 1))
        min = 0;
    fclose(f);
  }
  return min;
}
// Linux keeps at least 128 MiB between the stack top and mmap_base.
constexpr uint64_t kStackGap = 128ull << 20;

using MapTable = std::map<uint64_t, GuestMemory::Mapping>;

// Callers check for overflow (x near UINT64_MAX) themselves.
uint64_t pageUp(uint64_t x) { return (x + kPageMask) & ~kPageMask; }

// Guest code is never run natively, so no host PROT_EXEC; the translator
// reads code bytes through the host mapping, so exec implies host read.
int hostProt(int prot) {
  int h = PROT_NONE;
  if (prot & (kProtRead | kProtExec))
    h |= PROT_READ;
  if (prot & kProtWrite)
    h |= PROT_READ | PROT_WRITE;
  return h;
}

// Puts [p, p+len) back into the reservation (PROT_NONE, no backing).
void reserveHost(void *p, uint64_t len) {
  ::mmap(p, len, PROT_NONE,
         MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}

// Refills a hole the host left (after a host mremap) without clobbering a
// host mapping that may have raced into it.
void refillHole(void *p, uint64_t len) {
  void *r = ::mmap(
      p, len, PROT_NONE,
      MAP_FIXED_NOREPLACE | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (r != MAP_FAILED && r != p)
    ::munmap(r, len); // pre-4.17 kernel treated it as a hint
}

std::string fdPath(int fd) {
  char link[64], buf[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, n) : std::string();
}

// Anonymous-like mappings merge with equal neighbours (as Linux VMAs do);
// file mappings stay separate since we do not track their offsets.
bool mergeable(const GuestMemory::Mapping &a, uint64_t aEnd, uint64_t bStart,
               const GuestMemory::Mapping &b) {
  return aEnd == bStart && a.prot == b.prot && a.name == b.name &&
         a.shared == b.shared &&
         (a.name.empty() || a.name[0] == '[');
}

// The mapping containing addr, or end().
MapTable::const_iterator findContaining(const MapTable &maps, uint64_t addr) {
  auto it = maps.upper_bound(addr);
  if (it == maps.begin())
    return maps.end();
  --it;
  return addr < it->second.end ? it : maps.end();
}

bool anyOverlap(const MapTable &maps, uint64_t start, uint64_t end) {
  auto it = maps.lower_bound(start);
  if (it != maps.end() && it->first < end)
    return true;
  return it != maps.begin() && std::prev(it)->second.end > start;
}

// End of the contiguous run of mappings from addr (capped at end) whose
// prot includes `prot`; returns addr if addr itself is not covered.
uint64_t coveredEnd(const MapTable &maps, uint64_t addr, uint64_t end,
                    int prot) {
  auto it = findContaining(maps, addr);
  uint64_t cur = addr;
  while (it != maps.end() && it->first <= cur && cur < end) {
    if ((it->second.prot & prot) != prot)
      break;
    cur = it->second.end;
    ++it;
  }
  return std::min(cur, end);
}

// Splits the mapping that strictly contains addr into two at addr.
void splitAt(MapTable &maps, uint64_t addr) {
  auto it = findContaining(maps, addr);
  if (it == maps.end() || it->first == addr)
    return;
  GuestMemory::Mapping tail = it->second;
  maps[it->first].end = addr;
  maps.emplace(addr, std::move(tail));
}

// Merges equal neighbours within [start, end] (inclusive of the borders).
void mergeRange(MapTable &maps, uint64_t start, uint64_t end) {
  auto it = maps.lower_bound(start);
  if (it != maps.begin())
    --it;
  while (it != maps.end() && it->first <= end) {
    auto next = std::next(it);
    if (next != maps.end() &&
        mergeable(it->second, it->second.end, next->first, next->second)) {
      it->second.end = next->second.end;
      maps.erase(next);
      continue;
    }
    it = next;
  }
}

// Host side of growing [addr, addr+oldLen) in place to newLen.
bool hostGrow(uint8_t *base, uint64_t addr, uint64_t oldLen, uint64_t newLen,
              const GuestMemory::Mapping &m) {
  uint64_t ext = addr + oldLen, extLen = newLen - oldLen;
  if (m.name.empty() || m.name[0] == '[') {
    // Anonymous private memory: the extension is just more zero pages.
    if (::mmap(base + ext, extLen, hostProt(m.prot),
               MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
      return false;
  } else {
    // File or shared memory: let the host extend its own mapping. This
    // briefly opens a hole in the reservation (see refillHole).
    ::munmap(base + ext, extLen);
    if (::mremap(base + addr, oldLen, newLen, 0) == MAP_FAILED) {
      refillHole(base + ext, extLen);
      return false;
    }
  }
  return true;
}

// Host side of moving [from, from+oldLen) to [to, to+newLen).
bool hostMove(uint8_t *base, uint64_t from, uint64_t oldLen, uint64_t to,
              uint64_t newLen, int prot) {
  if (::mremap(base + from, oldLen, newLen, MREMAP_MAYMOVE | MREMAP_FIXED,
               base + to) != MAP_FAILED) {
    refillHole(base + from, oldLen);
    return true;
  }
  // The old range spans several host mappings (e.g. split by host-only
  // protection changes): copy instead.
  if (::mmap(base + to, newLen, PROT_READ | PROT_WRITE,
             MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
    return false;
  ::mprotect(base + from, oldLen, PROT_READ);
  memcpy(base + to, base + from, std::min(oldLen, newLen));
  ::mprotect(base + to, newLen, hostProt(prot));
  reserveHost(base + from, oldLen);
  return true;
}

// Host protection of [start, end) as the guest mappings there say.
void restoreHostProt(const MapTable &maps, uint8_t *base, uint64_t start,
                     uint64_t end) {
  auto it = findContaining(maps, start);
  if (it == maps.end())
    it = maps.lower_bound(start);
  for (; it != maps.end() && it->first < end; ++it) {
    uint64_t from = std::max(start, it->first);
    uint64_t to = std::min(end, it->second.end);
    ::mprotect(base + from, to - from, hostProt(it->second.prot));
  }
}

} // namespace

bool GuestMemory::init(uint64_t limit, std::string &err) {
  if (base_) {
    err = "guest memory is already initialised";
    return false;
  }
  if ((limit & kPageMask) || limit < 4 * kStackGap) {
    err = "guest address space limit " + std::to_string(limit) +
          " is too small or not page aligned";
    return false;
  }
  fixedMinAddr_ = hostFixedMinAddr();
  void *p = ::mmap(nullptr, limit + 2 * kGuard, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    err = std::string("cannot reserve the guest address space: ") +
          strerror(errno);
    return false;
  }
  uint8_t *base = static_cast<uint8_t *>(p) + kGuard;
  if (!code_.init(base, limit)) {
    err = std::string("cannot reserve the code page table: ") + strerror(errno);
    ::munmap(p, limit + 2 * kGuard);
    return false;
  }
  base_ = base;
  limit_ = limit;
  mmapBase_ = limit - kStackGap;
  return true;
}

GuestMemory::~GuestMemory() {
  if (base_)
    ::munmap(base_ - kGuard, limit_ + 2 * kGuard);
}

uint64_t GuestMemory::findFree(uint64_t len, uint64_t hint) const {
  if (len == 0 || len > limit_)
    return 0;
  if (hint) {
    uint64_t h = std::max(pageUp(hint), kMmapMinAddr);
    if (h <= limit_ - len && !anyOverlap(maps_, h, h + len))
      return h;
  }
  // Top-down from mmapBase_, the highest gap that fits (Linux's default).
  uint64_t top = mmapBase_;
  auto it = maps_.lower_bound(top);
  while (true) {
    uint64_t low = kMmapMinAddr;
    if (it != maps_.begin()) {
      auto prev = std::prev(it);
      if (prev->second.end > top) { // prev straddles top
        top = prev->first;
        it = prev;
        continue;
      }
      low = std::max(low, prev->second.end);
    }
    if (top >= low && top - low >= len)
      return top - len;
    if (it == maps_.begin())
      break;
    --it;
    top = it->first;
  }
  // Linux falls back to a bottom-up search of the whole space.
  uint64_t cur = kMmapMinAddr;
  for (const auto &[start, m] : maps_) {
    if (m.end <= cur)
      continue;
    if (start >= cur && start - cur >= len)
      return cur;
    cur = std::max(cur, m.end);
  }
  return cur <= limit_ && limit_ - cur >= len ? cur : 0;
}

void GuestMemory::eraseMappings(uint64_t start, uint64_t end) {
  // What of an executable file mapping lies outside [start, end) stays,
  // at its offsets.
  auto f = execFiles_.upper_bound(start);
  if (f != execFiles_.begin() && std::prev(f)->second.end > start)
    --f;
  while (f != execFiles_.end() && f->first < end) {
    ExecFile old = f->second;
    f = execFiles_.erase(f);
    if (old.start < start)
      execFiles_[old.start] = {old.start, start, old.offset, old.path};
    if (old.end > end)
      f = execFiles_.insert_or_assign(
                        end, ExecFile{end, old.end, old.offset + (end - old.start),
                                      old.path})
              .first;
  }
  splitAt(maps_, start);
  splitAt(maps_, end);
  maps_.erase(maps_.lower_bound(start), maps_.lower_bound(end));
}

void GuestMemory::recordMapping(uint64_t start, uint64_t end, int prot,
                                std::string name, bool shared) {
  // New pages are not code yet. Callers that replace code forget it before
  // the host mapping changes (so no fault handler acts on the new one);
  // this catches any that do not.
  code_.forget(start, end);
  eraseMappings(start, end);
  maps_.emplace(start, Mapping{end, prot, std::move(name), shared});
  mergeRange(maps_, start, end);
}

bool GuestMemory::execFileAt(uint64_t addr, ExecFile &out) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto f = execFiles_.upper_bound(addr);
  if (f == execFiles_.begin() || addr >= std::prev(f)->second.end)
    return false;
  out = std::prev(f)->second;
  return true;
}

void GuestMemory::setName(uint64_t start, uint64_t end,
                          const std::string &name) {
  std::lock_guard<std::mutex> lock(mu_);
  splitAt(maps_, start);
  splitAt(maps_, end);
  for (auto it = maps_.lower_bound(start); it != maps_.end() && it->first < end;
       ++it)
    it->second.name = name;
  mergeRange(maps_, start, end);
}

int64_t GuestMemory::mmap(uint64_t addr, uint64_t len, int prot, int flags,
                          int fd, uint64_t offset) {
  int type = flags & kMapType;
  if (len == 0 || (offset & kPageMask))
    return -EINVAL;
  if (type != kMapShared && type != kMapPrivate && type != kMapSharedValidate)
    return -EINVAL;
  if (type == kMapSharedValidate && (flags & ~kMapKnownFlags))
    return -EOPNOTSUPP;
  if (flags & kMapHugeTlb)
    return -ENOMEM; // no huge pages reserved, as on a default Linux
  bool anon = flags & kMapAnonymous;
  bool fixed = flags & (kMapFixed | kMapFixedNoReplace);
  if (fixed && (addr & kPageMask))
    return -EINVAL;
  if (len > limit_)
    return -ENOMEM;
  len = pageUp(len);
  if (!anon && offset + len < offset)
    return -EOVERFLOW;

  std::string name;
  if (!anon) {
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
      return -EBADF;
    name = fdPath(fd);
  } else if (type != kMapPrivate) {
    name = "/dev/zero (deleted)"; // how Linux names shared anonymous memory
  }

  std::lock_guard<std::mutex> lock(mu_);
  if (fixed) {
    if (addr > limit_ - len)
      return -ENOMEM;
    if (addr < fixedMinAddr_)
      return -EPERM;
    if ((flags & kMapFixedNoReplace) && anyOverlap(maps_, addr, addr + len))
      return -EEXIST;
  } else {
    addr = findFree(len, addr);
    if (addr == 0)
      return -ENOMEM;
  }

  int hflags = MAP_FIXED | (type == kMapPrivate ? MAP_PRIVATE : MAP_SHARED);
  if (anon)
    hflags |= MAP_ANONYMOUS;
  if (flags & kMapNoReserve)
    hflags |= MAP_NORESERVE;
  if (flags & kMapPopulate)
    hflags |= MAP_POPULATE;
  bool hadWatchedCode = fixed && code_.forget(addr, addr + len);
  void *p = ::mmap(g2h(addr), len, hostProt(prot), hflags, anon ? -1 : fd,
                   anon ? 0 : (off_t)offset);
  if (p == MAP_FAILED) {
    int e = errno;
    if (hadWatchedCode) // the old pages stay, no longer watched
      restoreHostProt(maps_, base_, addr, addr + len);
    // Argument errors (EACCES, ENODEV, ...) leave the range untouched; only
    // a late ENOMEM may have dropped it, so restore the reservation then.
    if (e == ENOMEM) {
      reserveHost(g2h(addr), len);
      eraseMappings(addr, addr + len);
    }
    return -e;
  }
  ExecFile file{addr, addr + len, offset, name};
  recordMapping(addr, addr + len, prot & kProtRWX, std::move(name),
                type != kMapPrivate);
  if (!anon && type == kMapPrivate && (prot & kProtExec))
    execFiles_[addr] = std::move(file);
  return (int64_t)addr;
}

int64_t GuestMemory::munmap(uint64_t addr, uint64_t len) {
  if ((addr & kPageMask) || len == 0 || len > limit_)
    return -EINVAL;
  len = pageUp(len);
  if (!inRange(addr, len))
    return -EINVAL;
  std::lock_guard<std::mutex> lock(mu_);
  code_.forget(addr, addr + len);
  reserveHost(g2h(addr), len);
  eraseMappings(addr, addr + len);
  return 0;
}

int64_t GuestMemory::mapHostShared(uint64_t addr, uint64_t len, int prot,
                                   bool replace, std::string name,
                                   const std::function<bool(void *)> &hostMap) {
  if (len == 0 || len > limit_ || (addr & kPageMask))
    return -EINVAL;
  len = pageUp(len);
  std::lock_guard<std::mutex> lock(mu_);
  if (addr) {
    if (addr > limit_ - len)
      return -EINVAL;
    if (addr < fixedMinAddr_)
      return -EPERM;
    if (!replace && anyOverlap(maps_, addr, addr + len))
      return -EINVAL;
  } else if ((addr = findFree(len, 0)) == 0) {
    return -ENOMEM;
  }
  bool hadWatchedCode = replace && code_.forget(addr, addr + len);
  if (!hostMap(g2h(addr))) {
    int e = errno;
    if (hadWatchedCode) // as in mmap
      restoreHostProt(maps_, base_, addr, addr + len);
    if (e == ENOMEM) { // as in mmap: the range may be gone
      reserveHost(g2h(addr), len);
      eraseMappings(addr, addr + len);
    }
    return -e;
  }
  recordMapping(addr, addr + len, prot & kProtRWX, std::move(name), true);
  return (int64_t)addr;
}

int64_t GuestMemory::mprotect(uint64_t addr, uint64_t len, int prot) {
  if (addr & kPageMask)
    return -EINVAL;
  if (prot & ~(kProtRWX | kProtSem | kProtGrowsDown | kProtGrowsUp))
    return -EINVAL;
  if (prot & kProtGrowsUp)
    return -EINVAL; // no grows-up mappings on riscv64
  if (len == 0)
    return 0;
  if (len > limit_)
    return -ENOMEM;
  uint64_t end = addr + pageUp(len);
  if (end > limit_)
    return -ENOMEM;

  std::lock_guard<std::mutex> lock(mu_);
  if (prot & kProtGrowsDown) {
    // Only the stack grows down; extend the change to its low end.
    auto it = findContaining(maps_, addr);
    if (it == maps_.end() || it->second.name != "[stack]")
      return -EINVAL;
    addr = it->first;
  }
  // Like Linux: change the covered prefix, fail with ENOMEM at a hole.
  uint64_t stop = coveredEnd(maps_, addr, end, 0);
  if (stop == addr)
    return -ENOMEM;
  int gprot = prot & kProtRWX;
  if (int e = code_.protect(addr, stop, hostProt(gprot), gprot & kProtExec,
                            gprot & kProtWrite))
    return e;
  splitAt(maps_, addr);
  splitAt(maps_, stop);
  for (auto it = maps_.lower_bound(addr); it != maps_.end() && it->first < stop;
       ++it)
    it->second.prot = gprot;
  mergeRange(maps_, addr, stop);
  return stop == end ? 0 : -ENOMEM;
}

int64_t GuestMemory::mremap(uint64_t oldAddr, uint64_t oldLen, uint64_t newLen,
                            int flags, uint64_t newAddr) {
  bool mayMove = flags & kMremapMayMove, toFixed = flags & kMremapFixed;
  bool dontUnmap = flags & kMremapDontUnmap;
  if (flags & ~(kMremapMayMove | kMremapFixed | kMremapDontUnmap))
    return -EINVAL;
  if ((toFixed || dontUnmap) && !mayMove)
    return -EINVAL;
  if (dontUnmap && oldLen != newLen)
    return -EINVAL;
  if ((oldAddr & kPageMask) || oldLen > limit_ || newLen > limit_)
    return -EINVAL;
  oldLen = pageUp(oldLen);
  newLen = pageUp(newLen);
  // old_len == 0 duplicates a shared mapping in Linux; not supported here.
  if (newLen == 0 || oldLen == 0)
    return -EINVAL;
  if (toFixed) {
    if ((newAddr & kPageMask) || !inRange(newAddr, newLen))
      return -EINVAL;
    if (newAddr < oldAddr + oldLen && oldAddr < newAddr + newLen)
      return -EINVAL;
  }

  std::lock_guard<std::mutex> lock(mu_);
  if (!inRange(oldAddr, oldLen))
    return -EFAULT;
  // The old range must lie within one mapping.
  auto it = findContaining(maps_, oldAddr);
  if (it == maps_.end() || it->second.end < oldAddr + oldLen)
    return -EFAULT;
  Mapping m = it->second;
  bool anonLike = m.name.empty() || m.name[0] == '[';
  if (dontUnmap && !anonLike)
    return -EINVAL;
  // The syscall layer drops translations of the old range: it need not be
  // watched, and the host must see one protection to move it as one.
  if (code_.forget(oldAddr, oldAddr + oldLen))
    ::mprotect(g2h(oldAddr), oldLen, hostProt(m.prot));

  if (!toFixed && !dontUnmap) {
    if (newLen <= oldLen) {
      reserveHost(g2h(oldAddr + newLen), oldLen - newLen);
      eraseMappings(oldAddr + newLen, oldAddr + oldLen);
      return (int64_t)oldAddr;
    }
    uint64_t ext = oldAddr + oldLen, extLen = newLen - oldLen;
    if (m.end == ext && inRange(oldAddr, newLen) &&
        !anyOverlap(maps_, ext, ext + extLen) &&
        hostGrow(base_, oldAddr, oldLen, newLen, m)) {
      // Extend the entry itself: file mappings never merge with neighbours.
      maps_[it->first].end = ext + extLen;
      mergeRange(maps_, ext, ext + extLen);
      return (int64_t)oldAddr;
    }
    if (!mayMove)
      return -ENOMEM;
  }
  uint64_t dst = toFixed ? newAddr : findFree(newLen, 0);
  if (dst == 0)
    return -ENOMEM;
  if (toFixed)
    code_.forget(dst, dst + newLen);
  if (!hostMove(base_, oldAddr, oldLen, dst, newLen, m.prot))
    return -ENOMEM;
  if (dontUnmap) // the old range stays mapped, its pages now empty
    ::mmap(g2h(oldAddr), oldLen, hostProt(m.prot),
           MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  else
    eraseMappings(oldAddr, oldAddr + oldLen);
  recordMapping(dst, dst + newLen, m.prot, m.name, m.shared);
  return (int64_t)dst;
}

void GuestMemory::initBrk(uint64_t start) {
  std::lock_guard<std::mutex> lock(mu_);
  brkStart_ = brkCur_ = brkMapped_ = pageUp(start);
}

uint64_t GuestMemory::brk(uint64_t newBrk) {
  std::lock_guard<std::mutex> lock(mu_);
  // Linux returns the unchanged break for every kind of failure.
  if (brkStart_ == 0 || newBrk < brkStart_ || newBrk > limit_ - kPageSize)
    return brkCur_;
  uint64_t newTop = pageUp(newBrk);
  if (newTop <= brkMapped_) {
    if (newTop < brkMapped_) {
      code_.forget(newTop, brkMapped_);
      reserveHost(g2h(newTop), brkMapped_ - newTop);
      eraseMappings(newTop, brkMapped_);
      brkMapped_ = newTop;
    }
    brkCur_ = newBrk;
    return brkCur_;
  }
  // The new pages and one guard page above them must be free.
  if (anyOverlap(maps_, brkMapped_, newTop + kPageSize))
    return brkCur_;
  if (::mmap(g2h(brkMapped_), newTop - brkMapped_, PROT_READ | PROT_WRITE,
             MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
    return brkCur_;
  recordMapping(brkMapped_, newTop, kProtRead | kProtWrite, "[heap]");
  brkMapped_ = newTop;
  brkCur_ = newBrk;
  return brkCur_;
}

static bool covers(const MapTable &maps, uint64_t limit, uint64_t addr,
                   uint64_t len, int prot) {
  if (addr >= limit || len > limit - addr)
    return false;
  if (len == 0)
    return true;
  return coveredEnd(maps, addr, addr + len, prot) == addr + len;
}

bool GuestMemory::isMapped(uint64_t addr, uint64_t len, int prot) const {
  std::lock_guard<std::mutex> lock(mu_);
  return covers(maps_, limit_, addr, len, prot & kProtRWX);
}

bool GuestMemory::read(uint64_t addr, void *dst, size_t n) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!covers(maps_, limit_, addr, n, kProtRead))
    return false;
  memcpy(dst, g2h(addr), n);
  return true;
}

bool GuestMemory::write(uint64_t addr, const void *src, size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!covers(maps_, limit_, addr, n, kProtWrite))
    return false;
  memcpy(g2h(addr), src, n);
  return true;
}

bool GuestMemory::readCode(uint64_t addr, void *dst, size_t n, bool watch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!covers(maps_, limit_, addr, n, kProtExec))
    return false;
  for (uint64_t page = addr & ~kPageMask; watch && n && page < addr + n;
       page += kPageSize)
    code_.noteCode(page / kPageSize,
                   findContaining(maps_, page)->second.prot & kProtWrite);
  memcpy(dst, g2h(addr), n);
  return true;
}

void GuestMemory::fenceCode(const std::vector<uint64_t> &written,
                            std::vector<uint64_t> &stale) {
  std::lock_guard<std::mutex> lock(mu_);
  code_.onFence(written, stale);
}

bool GuestMemory::readString(uint64_t addr, std::string &out,
                             size_t max) const {
  std::lock_guard<std::mutex> lock(mu_);
  out.clear();
  // Page by page, so an unmapped page after the NUL does not matter.
  while (out.size() < max) {
    uint64_t chunk =
        std::min<uint64_t>(kPageSize - (addr & kPageMask), max - out.size());
    if (!covers(maps_, limit_, addr, chunk, kProtRead))
      return false;
    const char *p = static_cast<const char *>(g2h(addr));
    const void *nul = memchr(p, 0, chunk);
    if (nul) {
      out.append(p, static_cast<const char *>(nul) - p);
      return true;
    }
    out.append(p, chunk);
    addr += chunk;
  }
  return false;
}

std::map<uint64_t, GuestMemory::Mapping> GuestMemory::mappings() const {
  std::lock_guard<std::mutex> lock(mu_);
  return maps_;
}

bool GuestMemory::hasSharedCode() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto &[start, m] : maps_)
    if (m.shared && (m.prot & PROT_EXEC))
      return true;
  return false;
}

} // namespace xlat
