// Address-space syscalls: thin adapters over GuestMemory, which owns the
// guest's mappings.
#include "lifter/core/log.h"
#include "runtime/linux/syscall_impl.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace xlat::linux_abi {

namespace {

// Does [addr, addr+len) overlap guest code? Its translations must go when it
// is unmapped, replaced or made non-executable: Linux keeps instruction
// fetch coherent across those without a fence.i from the program (ld.so
// does not flush after dlclose + dlopen at the same address).
bool touchesCode(const GuestMemory &mem, uint64_t addr, uint64_t len) {
  uint64_t end = addr + len;
  for (const auto &[start, m] : mem.mappings())
    if ((m.prot & PROT_EXEC) && start < end && addr < m.end)
      return true;
  return false;
}

} // namespace

// Also used by shmat/shmdt (ipc.cpp).
void dropTranslationsIfCode(SyscallCtx &c, uint64_t addr, uint64_t len) {
  if (len && touchesCode(c.mem, addr, len))
    c.result.codeGone.push_back({addr, addr + len});
}

int64_t sys_mmap(SyscallCtx &c) {
  if (c.a[3] & MAP_FIXED)
    dropTranslationsIfCode(c, c.a[0], c.a[1]);
  return c.mem.mmap(c.a[0], c.a[1], (int)c.a[2], (int)c.a[3], (int)c.a[4],
                    c.a[5]);
}

int64_t sys_munmap(SyscallCtx &c) {
  dropTranslationsIfCode(c, c.a[0], c.a[1]);
  return c.mem.munmap(c.a[0], c.a[1]);
}

int64_t sys_mprotect(SyscallCtx &c) {
  if (!(c.a[2] & PROT_EXEC))
    dropTranslationsIfCode(c, c.a[0], c.a[1]);
  return c.mem.mprotect(c.a[0], c.a[1], (int)c.a[2]);
}

int64_t sys_mremap(SyscallCtx &c) {
  dropTranslationsIfCode(c, c.a[0], c.a[1]);
  if (c.a[3] & MREMAP_FIXED) // replaces whatever was at the new address
    dropTranslationsIfCode(c, c.a[4], c.a[2]);
  return c.mem.mremap(c.a[0], c.a[1], c.a[2], (int)c.a[3], c.a[4]);
}

int64_t sys_brk(SyscallCtx &c) { return (int64_t)c.mem.brk(c.a[0]); }

int64_t sys_madvise(SyscallCtx &c) {
  uint64_t addr = c.a[0], len = c.a[1];
  int advice = (int)c.a[2];
  constexpr uint64_t kPageMask = GuestMemory::kPageSize - 1;
  if (addr & kPageMask)
    return -EINVAL;
  len = (len + kPageMask) & ~kPageMask;
  if (len == 0)
    return 0;
  if (!c.mem.inRange(addr, len))
    return -ENOMEM;
  switch (advice) {
  case MADV_DONTNEED:
  case MADV_FREE:
    // The guest's pages are host pages of the same size, mapped the same
    // way (private anonymous or private file), so the host gives exactly
    // the guest semantics: anonymous pages read back as zero, file pages
    // as the file's contents.
    if (!c.mem.isMapped(addr, len, PROT_NONE))
      return -ENOMEM;
    // Code read back as zeroes is new code, though no store wrote it.
    dropTranslationsIfCode(c, addr, len);
    return errnoResult(::madvise(c.mem.g2h(addr), len, advice));
  case MADV_NORMAL:
  case MADV_RANDOM:
  case MADV_SEQUENTIAL:
  case MADV_WILLNEED:
  case MADV_HUGEPAGE:
  case MADV_NOHUGEPAGE:
  case MADV_DONTDUMP:
  case MADV_DODUMP:
  case MADV_DONTFORK:
  case MADV_DOFORK:
  case MADV_MERGEABLE:
  case MADV_UNMERGEABLE:
  case MADV_COLD:
  case MADV_PAGEOUT:
    // Hints only: ignoring them changes no result the guest can see.
    return 0;
  default:
    if (log().enabled(kLogUnimp))
      log().printf("xlat: unimplemented madvise advice %d\n", advice);
    return -EINVAL;
  }
}

int64_t sys_msync(SyscallCtx &c) {
  // Shared file mappings are host mappings of the file: sync them there.
  if (c.a[0] & (GuestMemory::kPageSize - 1))
    return -EINVAL;
  if (!c.mem.inRange(c.a[0], c.a[1]))
    return -ENOMEM;
  return errnoResult(::msync(c.mem.g2h(c.a[0]), c.a[1], (int)c.a[2]));
}

// Residency is the host's (guest pages are host pages of the reservation);
// which pages are mapped at all is the guest's.
int64_t sys_mincore(SyscallCtx &c) {
  constexpr uint64_t kPage = GuestMemory::kPageSize;
  uint64_t start = c.a[0], pages = (c.a[1] + kPage - 1) / kPage;
  if (start & (kPage - 1))
    return -EINVAL;
  if (!c.mem.inRange(start, pages * kPage))
    return -ENOMEM;
  if (!pages)
    return 0;
  if (!c.mem.isMapped(start, pages * kPage, 0))
    return -ENOMEM;
  return errnoResult(::syscall(SYS_mincore, c.mem.g2h(start), c.a[1],
                               kernelPtr(c.mem, c.a[2], pages)));
}

int64_t sys_riscv_flush_icache(SyscallCtx &c) {
  // The runner treats this like fence.i.
  c.result.fenceI = true;
  return 0;
}

} // namespace xlat::linux_abi

// NUMA memory policy. Guest memory is host memory of the reservation, so the
// host kernel places it and answers. Address ranges become host ranges. The
// reservation is mapped where the guest has holes, so where Linux refuses a
// hole and the host accepted, the answer is EFAULT: a range with nothing
// mapped, or the policy at an address with nothing mapped. (A range only
// partly a hole is accepted, as by Linux 6.x; older kernels refused it.)
namespace xlat::linux_abi {
namespace {

constexpr unsigned long kMpolFAddr = 1 << 1; // get_mempolicy: policy at addr

// Bytes of a node mask of maxnode bits, as the kernel reads it.
uint64_t nodemaskBytes(uint64_t maxnode) {
  return maxnode > (1ull << 20) ? 0 : (maxnode + 63) / 64 * 8;
}

// A guest range's host address (an unmappable one if it leaves the guest
// space, so that the kernel refuses it itself).
void *hostRange(const GuestMemory &m, uint64_t g, uint64_t len) {
  return m.inRange(g, len) ? m.g2h(g) : faultingPtr();
}

int64_t unlessHole(const GuestMemory &m, int64_t r, uint64_t g, uint64_t len) {
  if (r != 0)
    return r;
  for (const auto &[start, mapping] : m.mappings())
    if (start < g + len && g < mapping.end)
      return r;
  return -EFAULT;
}

} // namespace

int64_t sys_mbind(SyscallCtx &c) {
  uint64_t len = c.a[1];
  int64_t r = errnoResult(::syscall(SYS_mbind, hostRange(c.mem, c.a[0], len), len,
                                    (int)c.a[2],
                                    kernelPtr(c.mem, c.a[3], nodemaskBytes(c.a[4])),
                                    c.a[4], (unsigned)c.a[5]));
  return len ? unlessHole(c.mem, r, c.a[0], len) : r;
}

// Only bound ranges take a home node: a guest hole is an unbound host
// range, refused as the kernel refuses a hole.
int64_t sys_set_mempolicy_home_node(SyscallCtx &c) {
  uint64_t len = c.a[1];
  return errnoResult(::syscall(450, hostRange(c.mem, c.a[0], len), len, c.a[2],
                               c.a[3]));
}

int64_t sys_get_mempolicy(SyscallCtx &c) {
  unsigned long flags = c.a[4];
  void *addr = reinterpret_cast<void *>(c.a[3]);
  if (flags & kMpolFAddr)
    addr = hostRange(c.mem, c.a[3], 1);
  int64_t r = errnoResult(::syscall(SYS_get_mempolicy, kernelPtr(c.mem, c.a[0], 4),
                                    kernelPtr(c.mem, c.a[1], nodemaskBytes(c.a[2])),
                                    c.a[2], addr, flags));
  return (flags & kMpolFAddr) ? unlessHole(c.mem, r, c.a[3], 1) : r;
}

int64_t sys_set_mempolicy(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_set_mempolicy, (int)c.a[0],
                               kernelPtr(c.mem, c.a[1], nodemaskBytes(c.a[2])),
                               c.a[2]));
}

int64_t sys_migrate_pages(SyscallCtx &c) {
  uint64_t bytes = nodemaskBytes(c.a[1]);
  return errnoResult(::syscall(SYS_migrate_pages, (pid_t)c.a[0], c.a[1],
                               kernelPtr(c.mem, c.a[2], bytes),
                               kernelPtr(c.mem, c.a[3], bytes)));
}

int64_t sys_move_pages(SyscallCtx &c) {
  pid_t pid = (pid_t)c.a[0];
  uint64_t count = c.a[1];
  // Our own pages are guest addresses: each becomes its host page, or an
  // address the kernel reports as EFAULT in its status where the guest has
  // nothing mapped. Another process's addresses are its own.
  std::vector<uint64_t> pages;
  void *pagesArg = kernelPtr(c.mem, c.a[2], count * 8);
  if ((pid == 0 || pid == ::getpid()) && count && count <= (1u << 24)) {
    pages.resize(count);
    if (c.mem.read(c.a[2], pages.data(), count * 8)) {
      for (uint64_t &p : pages)
        p = reinterpret_cast<uint64_t>(
            c.mem.isMapped(p & ~(GuestMemory::kPageSize - 1), 1, 0) ? c.mem.g2h(p)
                                                                   : faultingPtr());
      pagesArg = pages.data();
    }
  }
  return errnoResult(::syscall(SYS_move_pages, pid, count, pagesArg,
                               kernelPtr(c.mem, c.a[3], count * 4),
                               kernelPtr(c.mem, c.a[4], count * 4), (int)c.a[5]));
}

} // namespace xlat::linux_abi
