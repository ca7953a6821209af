// Loading a riscv64 ELF executable (and its interpreter) into guest memory,
// following the Linux kernel's binfmt_elf: PT_LOAD segments are mapped from
// the file (MAP_PRIVATE), the bss is zeroed and mapped anonymously, and
// ET_DYN images get a load bias.
#include "runtime/elf_loader.h"
#include "runtime/elf_interp.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace xlat {
namespace {

constexpr uint64_t kPage = GuestMemory::kPageSize;
constexpr int kProtRead = 1, kProtWrite = 2, kProtExec = 4;
constexpr int kMapPrivate = 2, kMapFixed = 0x10, kMapAnonymous = 0x20;

uint64_t pageDown(uint64_t x) { return x & ~(kPage - 1); }
uint64_t pageUp(uint64_t x) { return (x + kPage - 1) & ~(kPage - 1); }

// An opened, validated ELF file; closes itself.
struct ElfFile {
  int fd = -1;
  Elf *elf = nullptr;
  uint64_t size = 0;
  std::string path;
  GElf_Ehdr eh{};
  std::vector<GElf_Phdr> phdrs;
  std::vector<GElf_Phdr> loads; // PT_LOAD only, sorted by p_vaddr

  ~ElfFile() {
    if (elf)
      elf_end(elf);
    if (fd >= 0)
      close(fd);
  }
};

std::string machineName(unsigned m) {
  switch (m) {
  case EM_386:
    return "x86";
  case EM_X86_64:
    return "x86-64";
  case EM_ARM:
    return "ARM";
  case EM_AARCH64:
    return "AArch64";
  case EM_RISCV:
    return "RISC-V";
  case EM_MIPS:
    return "MIPS";
  case EM_PPC:
    return "PowerPC";
  case EM_PPC64:
    return "PowerPC64";
  case EM_S390:
    return "s390";
  case EM_SPARCV9:
    return "SPARC V9";
  case EM_IA_64:
    return "IA-64";
  case 258:
    return "LoongArch"; // EM_LOONGARCH, missing from older elf.h
  default:
    return "machine " + std::to_string(m);
  }
}

std::string typeError(unsigned t) {
  switch (t) {
  case ET_REL:
    return "ELF relocatable object is not an executable";
  case ET_CORE:
    return "ELF core file is not an executable";
  default:
    return "ELF type " + std::to_string(t) + " is not an executable";
  }
}

bool openFile(const std::string &path, ElfFile &f, std::string &err,
              int fd = -1) {
  f.path = path;
  f.fd = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (f.fd < 0 || fstat(f.fd, &st) != 0) {
    err = "cannot open '" + path + "': " + strerror(errno);
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    err = "cannot open '" + path + "': " + strerror(EISDIR);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    err = "'" + path + "' is not a regular file";
    return false;
  }
  f.size = st.st_size;
  return true;
}

// The ELF header checks, in the order the messages are most useful.
bool checkHeader(ElfFile &f, std::string &err) {
  if (elf_version(EV_CURRENT) == EV_NONE) {
    err = "libelf is out of date";
    return false;
  }
  f.elf = elf_begin(f.fd, ELF_C_READ, nullptr);
  if (!f.elf || elf_kind(f.elf) != ELF_K_ELF) {
    // libelf does not recognise an ELF cut inside its header either.
    unsigned char ident[EI_NIDENT] = {};
    bool magic = pread(f.fd, ident, SELFMAG, 0) == SELFMAG &&
                 memcmp(ident, ELFMAG, SELFMAG) == 0;
    err = magic && f.size < sizeof(Elf64_Ehdr) ? "truncated ELF file"
                                               : "not an ELF file";
    return false;
  }
  int cls = gelf_getclass(f.elf);
  if (cls == ELFCLASS32) {
    err = "32-bit ELF is not supported";
    return false;
  }
  if (cls != ELFCLASS64) {
    err = "not an ELF file";
    return false;
  }
  if (!gelf_getehdr(f.elf, &f.eh)) {
    err = "truncated ELF file";
    return false;
  }
  if (f.eh.e_machine != EM_RISCV && f.eh.e_machine != EM_AARCH64) {
    err = "ELF for " + machineName(f.eh.e_machine) + ", not RISC-V or AArch64";
    return false;
  }
  if (f.eh.e_ident[EI_DATA] != ELFDATA2LSB) {
    err = "big-endian " + machineName(f.eh.e_machine) + " ELF is not supported";
    return false;
  }
  if (f.eh.e_type != ET_EXEC && f.eh.e_type != ET_DYN) {
    err = typeError(f.eh.e_type);
    return false;
  }
  return true;
}

bool readPhdrs(ElfFile &f, std::string &err) {
  // e_phnum itself (elf_getphdrnum would clamp it to what the file holds),
  // unless it is PN_XNUM and the real count is in section 0.
  size_t n = f.eh.e_phnum;
  if (n == PN_XNUM && elf_getphdrnum(f.elf, &n) != 0) {
    err = "truncated ELF file";
    return false;
  }
  if (n > 0 && f.eh.e_phentsize != sizeof(Elf64_Phdr)) {
    err = "malformed ELF program header table";
    return false;
  }
  uint64_t bytes = n * sizeof(Elf64_Phdr);
  if (n > 65536 || f.eh.e_phoff > f.size || bytes > f.size - f.eh.e_phoff) {
    err = "truncated ELF file";
    return false;
  }
  for (size_t i = 0; i < n; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(f.elf, i, &ph)) {
      err = "truncated ELF file";
      return false;
    }
    f.phdrs.push_back(ph);
  }
  return true;
}

bool checkLoads(ElfFile &f, std::string &err) {
  for (const GElf_Phdr &ph : f.phdrs) {
    if (ph.p_type != PT_LOAD)
      continue;
    if (ph.p_offset > f.size || ph.p_filesz > f.size - ph.p_offset) {
      err = "truncated ELF file";
      return false;
    }
    if (ph.p_filesz > ph.p_memsz || ph.p_vaddr + ph.p_memsz < ph.p_vaddr) {
      err = "malformed ELF segment";
      return false;
    }
    if (ph.p_memsz)
      f.loads.push_back(ph);
  }
  if (f.loads.empty()) {
    err = "no PT_LOAD segment";
    return false;
  }
  std::sort(f.loads.begin(), f.loads.end(),
            [](const GElf_Phdr &a, const GElf_Phdr &b) {
              return a.p_vaddr < b.p_vaddr;
            });
  for (size_t i = 1; i < f.loads.size(); ++i) {
    const GElf_Phdr &prev = f.loads[i - 1];
    if (f.loads[i].p_vaddr < prev.p_vaddr + prev.p_memsz) {
      err = "overlapping ELF segments";
      return false;
    }
  }
  return true;
}

bool openElf(const std::string &path, ElfFile &f, std::string &err, int fd = -1) {
  return openFile(path, f, err, fd) && checkHeader(f, err) && readPhdrs(f, err) &&
         checkLoads(f, err);
}

int segmentProt(const GElf_Phdr &ph) {
  return (ph.p_flags & PF_R ? kProtRead : 0) |
         (ph.p_flags & PF_W ? kProtWrite : 0) |
         (ph.p_flags & PF_X ? kProtExec : 0);
}

// Page-aligned span of all PT_LOADs, before the bias.
uint64_t spanLow(const ElfFile &f) { return pageDown(f.loads.front().p_vaddr); }
uint64_t spanHigh(const ElfFile &f) {
  const GElf_Phdr &last = f.loads.back();
  return pageUp(last.p_vaddr + last.p_memsz);
}

// The largest power-of-two p_align above the page size (ET_DYN only).
uint64_t maxAlign(const ElfFile &f) {
  uint64_t a = kPage;
  for (const GElf_Phdr &ph : f.loads)
    if (ph.p_align > a && (ph.p_align & (ph.p_align - 1)) == 0 &&
        ph.p_align <= (1ull << 30))
      a = ph.p_align;
  return a;
}

bool preadAll(int fd, void *dst, uint64_t len, uint64_t off) {
  auto *p = static_cast<uint8_t *>(dst);
  while (len) {
    ssize_t n = pread(fd, p, len, (off_t)off);
    if (n <= 0) {
      if (n < 0 && errno == EINTR)
        continue;
      return false;
    }
    p += n, len -= n, off += n;
  }
  return true;
}

std::string mapError(uint64_t addr, int64_t rc) {
  char buf[64];
  snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)addr);
  return std::string("cannot map ELF segment at ") + buf + ": " +
         strerror((int)-rc);
}

int protAt(GuestMemory &mem, uint64_t addr) {
  auto maps = mem.mappings();
  auto it = maps.upper_bound(addr);
  return it == maps.begin() ? 0 : std::prev(it)->second.prot;
}

// A first page already mapped by the previous segment: copy this segment's
// bytes into it by hand and give the page the union of both prots.
bool fillSharedPage(const ElfFile &f, const GElf_Phdr &ph, uint64_t bias,
                    GuestMemory &mem, std::string &err) {
  uint64_t start = bias + ph.p_vaddr, page = pageDown(start);
  uint64_t pageEnd = page + kPage;
  uint64_t fileEnd = std::min(start + ph.p_filesz, pageEnd);
  uint64_t memEnd = std::min(start + ph.p_memsz, pageEnd);
  int prot = protAt(mem, page) | segmentProt(ph);
  mem.mprotect(page, kPage, prot | kProtWrite);
  auto *host = static_cast<uint8_t *>(mem.g2h(0));
  if (fileEnd > start &&
      !preadAll(f.fd, host + start, fileEnd - start, ph.p_offset)) {
    err = "cannot read '" + f.path + "'";
    return false;
  }
  if (memEnd > std::max(start, fileEnd))
    memset(host + std::max(start, fileEnd), 0,
           memEnd - std::max(start, fileEnd));
  mem.mprotect(page, kPage, prot);
  return true;
}

// Maps the file-backed pages [from, pageUp(fileEnd)) of a segment. Offsets
// congruent to addresses modulo the page size (the norm) are mapped from
// the file; others are copied.
bool mapFilePages(const ElfFile &f, const GElf_Phdr &ph, uint64_t bias,
                  uint64_t from, GuestMemory &mem, std::string &err) {
  uint64_t start = bias + ph.p_vaddr;
  uint64_t fileEnd = start + ph.p_filesz, memEnd = start + ph.p_memsz;
  uint64_t to = pageUp(fileEnd);
  int prot = segmentProt(ph);
  // The bss tail of the last file page is zeroed, so it must be writable.
  int mapProt = memEnd > fileEnd ? prot | kProtWrite : prot;
  auto *host = static_cast<uint8_t *>(mem.g2h(0));
  if ((ph.p_vaddr - ph.p_offset) % kPage == 0) {
    int64_t rc = mem.mmap(from, to - from, mapProt, kMapPrivate | kMapFixed,
                          f.fd, ph.p_offset + from - start);
    if (rc < 0) {
      err = mapError(from, rc);
      return false;
    }
  } else {
    int64_t rc = mem.mmap(from, to - from, kProtRead | kProtWrite,
                          kMapPrivate | kMapFixed | kMapAnonymous, -1, 0);
    if (rc < 0) {
      err = mapError(from, rc);
      return false;
    }
    // Like the mapped case, the first page also gets the file bytes that
    // precede the segment.
    uint64_t lead = from < start ? std::min(start - from, ph.p_offset) : 0;
    uint64_t copyFrom = std::max(from, start) - lead;
    if (!preadAll(f.fd, host + copyFrom, fileEnd - copyFrom,
                  ph.p_offset + copyFrom - start)) {
      err = "cannot read '" + f.path + "'";
      return false;
    }
    mem.setName(from, to, f.path);
  }
  if (memEnd > fileEnd)
    memset(host + fileEnd, 0, to - fileEnd);
  if (mapProt != prot || (ph.p_vaddr - ph.p_offset) % kPage != 0)
    mem.mprotect(from, to - from, prot);
  return true;
}

bool mapSegments(const ElfFile &f, uint64_t bias, GuestMemory &mem,
                 std::string &err) {
  uint64_t lo = bias + spanLow(f), hi = bias + spanHigh(f);
  if (hi < lo || hi > mem.mmapBase()) {
    err = "ELF segments lie outside the guest address space";
    return false;
  }
  uint64_t prevEnd = 0;
  for (const GElf_Phdr &ph : f.loads) {
    uint64_t start = bias + ph.p_vaddr, memEnd = start + ph.p_memsz;
    uint64_t fileEnd = start + ph.p_filesz;
    uint64_t cur = pageDown(start);
    if (cur < pageUp(prevEnd)) {
      if (!fillSharedPage(f, ph, bias, mem, err))
        return false;
      cur += kPage;
    }
    if (fileEnd > cur && !mapFilePages(f, ph, bias, cur, mem, err))
      return false;
    cur = std::max(cur, pageUp(fileEnd));
    if (pageUp(memEnd) > cur) {
      int64_t rc = mem.mmap(cur, pageUp(memEnd) - cur, segmentProt(ph),
                            kMapPrivate | kMapFixed | kMapAnonymous, -1, 0);
      if (rc < 0) {
        err = mapError(cur, rc);
        return false;
      }
    }
    prevEnd = memEnd;
  }
  return true;
}

// AT_PHDR: PT_PHDR if present, else where the PT_LOAD holding e_phoff puts
// the table, else 0.
uint64_t phdrAddress(const ElfFile &f, uint64_t bias) {
  for (const GElf_Phdr &ph : f.phdrs)
    if (ph.p_type == PT_PHDR)
      return bias + ph.p_vaddr;
  for (const GElf_Phdr &ph : f.loads)
    if (ph.p_offset <= f.eh.e_phoff && f.eh.e_phoff < ph.p_offset + ph.p_filesz)
      return bias + ph.p_vaddr + (f.eh.e_phoff - ph.p_offset);
  // Headers before the first segment's bytes but on its first file page,
  // which is mapped too (old kernels' load_addr + e_phoff).
  const GElf_Phdr &first = f.loads.front();
  uint64_t lead = first.p_vaddr - pageDown(first.p_vaddr);
  if (first.p_offset >= lead && f.eh.e_phoff >= first.p_offset - lead &&
      f.eh.e_phoff < first.p_offset)
    return bias + first.p_vaddr - (first.p_offset - f.eh.e_phoff);
  return 0;
}

bool readInterpPath(const ElfFile &f, std::string &out, std::string &err) {
  for (const GElf_Phdr &ph : f.phdrs) {
    if (ph.p_type != PT_INTERP)
      continue;
    if (ph.p_offset > f.size || ph.p_filesz > f.size - ph.p_offset) {
      err = "truncated ELF file";
      return false;
    }
    std::string s(ph.p_filesz, '\0');
    if (ph.p_filesz < 2 || ph.p_filesz > PATH_MAX ||
        !preadAll(f.fd, s.data(), s.size(), ph.p_offset) || s.back() != 0) {
      err = "malformed PT_INTERP";
      return false;
    }
    s.pop_back();
    out = s;
    return true;
  }
  return true;
}

// Unmaps the pages of [lo, hi) that no segment covers (after reserving the
// whole span to place an ET_DYN interpreter).
void unmapGaps(const ElfFile &f, uint64_t bias, uint64_t lo, uint64_t hi,
               GuestMemory &mem) {
  uint64_t cur = lo;
  for (const GElf_Phdr &ph : f.loads) {
    uint64_t s = pageDown(bias + ph.p_vaddr);
    if (s > cur)
      mem.munmap(cur, s - cur);
    cur = std::max(cur, pageUp(bias + ph.p_vaddr + ph.p_memsz));
  }
  if (hi > cur)
    mem.munmap(cur, hi - cur);
}

} // namespace

bool loadElf(const std::string &path, GuestMemory &mem, LoadedImage &img,
             std::string &err, int fd) {
  ElfFile f;
  std::string interp;
  if (!openElf(path, f, err, fd) || !readInterpPath(f, interp, err))
    return false;
  uint64_t bias = 0;
  if (f.eh.e_type == ET_DYN) {
    // Linux's ELF_ET_DYN_BASE on riscv64 and arm64: two thirds of the user space.
    uint64_t base = pageDown(mem.limit() / 3 * 2) & ~(maxAlign(f) - 1);
    bias = base - spanLow(f);
  }
  if (!mapSegments(f, bias, mem, err))
    return false;
  img = LoadedImage{};
  img.path = path;
  img.machine = f.eh.e_machine;
  img.loadBias = bias;
  img.entry = img.progEntry = bias + f.eh.e_entry;
  img.phdrAddr = phdrAddress(f, bias);
  img.phnum = f.phdrs.size();
  img.phent = sizeof(Elf64_Phdr);
  img.brkStart = bias + spanHigh(f);
  img.startCode = ~0ull;
  for (const GElf_Phdr &ph : f.loads) {
    uint64_t lo = bias + ph.p_vaddr, hi = lo + ph.p_filesz;
    if (ph.p_flags & PF_X) {
      img.startCode = std::min(img.startCode, lo);
      img.endCode = std::max(img.endCode, hi);
    }
    img.startData = std::max(img.startData, lo);
    img.endData = std::max(img.endData, hi);
  }
  if (img.startCode == ~0ull)
    img.startCode = 0;
  img.interpPath = interp;
  mem.initBrk(img.brkStart);
  return true;
}

bool loadInterpreter(const std::string &hostPath, GuestMemory &mem,
                     LoadedImage &img, std::string &err) {
  ElfFile f;
  if (!openElf(hostPath, f, err))
    return false;
  if (f.eh.e_machine != img.machine) {
    err = "interpreter for " + machineName(f.eh.e_machine) + ", program for " +
          machineName(img.machine);
    return false;
  }
  uint64_t bias = 0;
  if (f.eh.e_type == ET_DYN) {
    // Reserve room for the whole image where mmap would put it, aligned.
    uint64_t span = spanHigh(f) - spanLow(f), align = maxAlign(f);
    int64_t at = mem.mmap(0, span + align - kPage, 0,
                          kMapPrivate | kMapAnonymous, -1, 0);
    if (at < 0) {
      err = "no room for the interpreter '" + hostPath + "'";
      return false;
    }
    uint64_t lo = ((uint64_t)at + align - 1) & ~(align - 1);
    if (lo > (uint64_t)at)
      mem.munmap(at, lo - at);
    uint64_t reservedEnd = at + span + align - kPage;
    if (reservedEnd > lo + span)
      mem.munmap(lo + span, reservedEnd - (lo + span));
    bias = lo - spanLow(f);
    if (!mapSegments(f, bias, mem, err))
      return false;
    unmapGaps(f, bias, lo, lo + span, mem);
  } else if (!mapSegments(f, 0, mem, err)) {
    return false;
  }
  img.interpBase = bias;
  img.entry = bias + f.eh.e_entry;
  return true;
}

std::string findInterpreter(const std::string &sysroot, const std::string &defaultSysroot,
                            const std::string &interp, std::string &root) {
  std::vector<std::string> prefixes;
  if (!sysroot.empty())
    prefixes.push_back(sysroot);
  prefixes.push_back("");
  prefixes.push_back(defaultSysroot);
  for (const std::string &p : prefixes)
    if (access((p + interp).c_str(), R_OK) == 0) {
      root = p;
      return p + interp;
    }
  return "";
}

} // namespace xlat
