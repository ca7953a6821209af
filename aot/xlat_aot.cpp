// xlat-aot: translates a riscv64 or aarch64 program ahead of time into the
// translation cache (aot/cache.h), so that xlat-run starts on optimised
// code. The program is loaded as xlat-run loads it (same addresses); code
// is discovered statically in it, its program interpreter and its
// libraries, and every function entry, return site and jump-table target
// (and every loop no region holds whole, and every place a region was cut)
// becomes an O2 region (aot/regions.h), compiled on all cores.
#include "aot/cache.h"
#include "aot/guest_code.h"
#include "aot/regions.h"
#include "aot/sweep.h"
#include "jit/block_tier.h"
#include "jit/llvm_tiers.h"
#include "lifter/core/log.h"
#include "runtime/elf_interp.h"
#include "runtime/elf_loader.h"
#include "runtime/guest_memory.h"
#include "runtime/linux/syscalls.h"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/DebugInfo/DWARF/DWARFDebugFrame.h>
#include <llvm/Object/ELFObjectFile.h>

#include <cerrno>
#include <climits>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace llvm;
using namespace llvm::object;

namespace xlat {
namespace {

constexpr const char *kUsage =
    "usage: xlat-aot [options] PROG\n"
    "Translates a riscv64 or aarch64 Linux program ahead of time into the\n"
    "translation cache that xlat-run uses (docs/cache-format.md).\n"
    "\n"
    "options:\n"
    "  -L SYSROOT        where to find a dynamic program's interpreter\n"
    "                    (default: $XLAT_LD_PREFIX, as for xlat-run)\n"
    "  -j N              compile on N threads (default: every core)\n"
    "  --tier=adaptive|region\n"
    "                    the xlat-run tier whose cache file to fill (adaptive)\n"
    "  --region-blocks=N most blocks in one compiled region (16)\n"
    "  --cache-dir=DIR   the cache directory (default: as xlat-run)\n"
    "  --cache-max=SIZE  bound on the cache directory (N[K|M|G], default 1G)\n"
    "  --no-shared-code  neither take the program's code from nor add it to\n"
    "                    the code shared between static programs\n"
    "  --stats[=json]    what was found, compiled and written, at the end\n"
    "  -d ITEM[,...]     log: in_asm, op, out_asm, region (as xlat-run)\n"
    "  -D LOGFILE        write logs to LOGFILE instead of stderr\n"
    "  -h, --help        show this help\n";

[[noreturn]] void fail(const std::string &msg) {
  fprintf(stderr, "xlat-aot: %s\n", msg.c_str());
  exit(1);
}

struct Options {
  std::string sysroot;
  unsigned jobs = 0;
  std::string tier = "adaptive";
  unsigned regionBlocks = 16;
  aot::CacheOptions cache;
  bool stats = false, json = false;
  bool sharedCode = true;
  uint32_t logMask = 0;
  std::string logFile;
  std::string prog;
};

Options parseOptions(int argc, char **argv) {
  Options o;
  auto number = [](const std::string &v, const char *what, unsigned max) {
    char *end = nullptr;
    unsigned long n = strtoul(v.c_str(), &end, 10);
    if (v.empty() || *end || n == 0 || n > max)
      fail(std::string(what) + " takes a number from 1 to " + std::to_string(max));
    return (unsigned)n;
  };
  int i = 1;
  for (; i < argc; i++) {
    std::string a = argv[i];
    if (a.empty() || a[0] != '-')
      break;
    if (a == "-h" || a == "--help") {
      fputs(kUsage, stdout);
      exit(0);
    } else if (a == "-L" && i + 1 < argc) {
      o.sysroot = argv[++i];
    } else if (a == "-j" && i + 1 < argc) {
      o.jobs = number(argv[++i], "-j", 256);
    } else if (a.rfind("-j", 0) == 0 && a.size() > 2) {
      o.jobs = number(a.substr(2), "-j", 256);
    } else if (a == "--tier=adaptive" || a == "--tier=region") {
      o.tier = a.substr(7);
    } else if (a.rfind("--region-blocks=", 0) == 0) {
      o.regionBlocks = number(a.substr(16), "--region-blocks", 256);
    } else if (a.rfind("--cache-dir=", 0) == 0 && a.size() > 12) {
      o.cache.dir = a.substr(12);
    } else if (a.rfind("--cache-max=", 0) == 0) {
      if (!aot::parseCacheSize(a.substr(12), o.cache.maxBytes))
        fail("--cache-max takes a size: N, NK, NM or NG");
    } else if (a == "-d" && i + 1 < argc) {
      std::string bad;
      if (!parseLogMask(argv[++i], o.logMask, bad))
        fail("unknown log item '" + bad + "' (in_asm, op, out_asm, region)");
      if (o.logMask & (kLogExec | kLogUnimp | kLogStrace))
        fail("-d exec, unimp and strace log a run: give them to xlat-run");
    } else if (a == "-D" && i + 1 < argc) {
      o.logFile = argv[++i];
    } else if (a == "--no-shared-code") {
      o.sharedCode = false;
    } else if (a == "--stats" || a == "--stats=text") {
      o.stats = true;
    } else if (a == "--stats=json") {
      o.stats = o.json = true;
    } else {
      fail("unknown option '" + a + "' (see --help)");
    }
  }
  if (i >= argc)
    fail("no program given (see --help)");
  o.prog = argv[i++];
  if (i < argc)
    fail("one program at a time (extra argument '" + std::string(argv[i]) + "')");
  if (!o.jobs)
    o.jobs = std::max(1u, std::thread::hardware_concurrency());
  if (const char *p = getenv("XLAT_LD_PREFIX"); o.sysroot.empty() && p && *p)
    o.sysroot = p;
  return o;
}

// One loaded ELF file: its executable segments at the addresses xlat-run
// maps them to, read from the file (so compile threads need no locks).
struct Module {
  std::string path;
  uint64_t bias = 0;
  OwningBinary<Binary> binary;
  const ELF64LEObjectFile *obj = nullptr;
  struct Segment {
    uint64_t start, size;
    const uint8_t *bytes;
    // xlat-run's module base for it (xlat::ModuleCaches::moduleOf): where
    // the file's offset 0 is, or 0 for the program.
    uint64_t base;
  };
  std::vector<Segment> exec;
  std::vector<Segment> load; // every PT_LOAD's file bytes (jump tables)
  std::unique_ptr<aot::TranslationCache> cache; // the module's cache file
  size_t compiled = 0, alreadyCached = 0;        // regions of the module

  bool contains(uint64_t addr) const {
    for (const Segment &s : exec)
      if (addr >= s.start && addr < s.start + s.size)
        return true;
    return false;
  }
};

// The module and executable segment that hold pc (null if none do).
template <typename Modules> auto segmentAt(Modules &mods, uint64_t pc) {
  using ModulePtr = decltype(&mods.front());
  for (auto &m : mods)
    for (const Module::Segment &s : m.exec)
      if (pc >= s.start && pc < s.start + s.size)
        return std::pair<ModulePtr, const Module::Segment *>{&m, &s};
  return std::pair<ModulePtr, const Module::Segment *>{nullptr, nullptr};
}

// Reads the modules' executable segments, or with `data` every segment's
// file bytes.
class ModulesCode final : public CodeReader {
public:
  explicit ModulesCode(const std::vector<Module> &mods, bool data = false)
      : mods_(mods), data_(data) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    for (const Module &m : mods_)
      for (const Module::Segment &s : data_ ? m.load : m.exec)
        if (addr >= s.start && addr - s.start + n <= s.size) {
          memcpy(dst, s.bytes + (addr - s.start), n);
          return true;
        }
    return false;
  }

private:
  const std::vector<Module> &mods_;
  bool data_;
};

// The ELF file at path, loaded at bias; false with a one-line err.
bool openModule(const std::string &path, uint64_t bias, Module &m, std::string &err) {
  m.path = path;
  m.bias = bias;
  auto bin = createBinary(path);
  if (!bin) {
    err = path + ": " + toString(bin.takeError());
    return false;
  }
  m.binary = std::move(*bin);
  m.obj = dyn_cast<ELF64LEObjectFile>(m.binary.getBinary());
  if (!m.obj) {
    err = path + ": not a 64-bit little-endian ELF file";
    return false;
  }
  const auto &elf = m.obj->getELFFile();
  auto phdrs = elf.program_headers();
  if (!phdrs) {
    err = path + ": " + toString(phdrs.takeError());
    return false;
  }
  for (const auto &ph : *phdrs) {
    if (ph.p_type != ELF::PT_LOAD)
      continue;
    if (ph.p_offset > elf.getBufSize() || ph.p_filesz > elf.getBufSize() - ph.p_offset) {
      err = path + ": a segment lies outside the file";
      return false;
    }
    Module::Segment seg{ph.p_vaddr + bias, ph.p_filesz, elf.base() + ph.p_offset,
                        ph.p_vaddr + bias - ph.p_offset};
    m.load.push_back(seg);
    if (ph.p_flags & ELF::PF_X)
      m.exec.push_back(seg);
  }
  return true;
}

Module openModule(const std::string &path, uint64_t bias) {
  Module m;
  std::string err;
  if (!openModule(path, bias, m, err))
    fail(err);
  return m;
}

// The shared objects a module names in DT_NEEDED, as the dynamic linker
// finds them under the sysroot `root` (DT_RUNPATH or DT_RPATH, then the
// default directories); those not found for the guest are left out (the
// JIT translates them, if the program finds them at all).
std::vector<std::string> neededLibraries(const aot::GuestCode &guest, const Module &m,
                                         const std::string &root) {
  const auto &elf = m.obj->getELFFile();
  auto dyn = elf.dynamicEntries();
  if (!dyn) {
    consumeError(dyn.takeError());
    return {};
  }
  uint64_t strtab = 0;
  std::vector<uint64_t> needed, paths;
  for (const auto &d : *dyn) {
    if (d.d_tag == ELF::DT_STRTAB)
      strtab = d.getVal();
    else if (d.d_tag == ELF::DT_NEEDED)
      needed.push_back(d.getVal());
    else if (d.d_tag == ELF::DT_RUNPATH || d.d_tag == ELF::DT_RPATH)
      paths.push_back(d.getVal());
  }
  auto strings = elf.toMappedAddr(strtab);
  if (!strtab || !strings) {
    if (!strings)
      consumeError(strings.takeError());
    return {};
  }
  const char *end = (const char *)elf.base() + elf.getBufSize();
  auto str = [&](uint64_t off) {
    const char *p = (const char *)*strings + off;
    return p < end ? std::string(p, strnlen(p, end - p)) : std::string();
  };
  std::vector<std::string> dirs;
  for (uint64_t p : paths) {
    std::string list = str(p);
    for (size_t at = 0; at <= list.size();) {
      size_t colon = std::min(list.find(':', at), list.size());
      if (colon > at && list[at] == '/')
        dirs.push_back(list.substr(at, colon - at));
      at = colon + 1;
    }
  }
  for (const char *d : guest.libraryDirs)
    dirs.push_back(d);
  std::vector<std::string> out;
  for (uint64_t n : needed) {
    std::string name = str(n);
    if (name.empty() || name.find('/') != std::string::npos)
      continue;
    for (const std::string &d : dirs) {
      std::string path = root + d + "/" + name;
      char resolved[PATH_MAX];
      if (access(path.c_str(), R_OK) != 0 || !realpath(path.c_str(), resolved))
        continue;
      auto bin = createBinary(resolved);
      if (!bin) {
        consumeError(bin.takeError());
        continue;
      }
      auto *obj = dyn_cast<ELF64LEObjectFile>(bin->getBinary());
      if (obj && obj->getELFFile().getHeader().e_machine == guest.machine) {
        out.push_back(resolved);
        break;
      }
    }
  }
  return out;
}

// Where code starts, by how it was found.
enum Source { Entry, Symbols, EhFrame, InitFini, Relocs, Calls, kSources };
const char *const kSourceNames[] = {"entry", "symbols", "eh_frame",
                                    "init_fini", "relocations", "calls"};

struct Discovery {
  const aot::GuestCode &guest;
  std::map<uint64_t, int> functions; // entry -> first source that found it
  // Where code can be entered from outside what discovery follows: the
  // entry, init and fini arrays, relocation targets, exported functions.
  std::set<uint64_t> roots;
  aot::ControlFlow cfg; // the blocks found, their loops and regions
  uint64_t found[kSources] = {};
  uint64_t jumpTables = 0, jumpTargets = 0;

  void add(const Module &m, uint64_t pc, Source src, bool root = false) {
    if (pc % guest.align || !m.contains(pc))
      return;
    if (functions.emplace(pc, src).second)
      found[src]++;
    if (root)
      roots.insert(pc);
  }
};

void discoverStatic(const Module &m, Discovery &d) {
  const auto &elf = m.obj->getELFFile();
  d.add(m, elf.getHeader().e_entry + m.bias, Entry, /*root=*/true);
  // A module's exported functions are called from other modules.
  auto addSymbols = [&](auto range, bool exported) {
    for (const ELFSymbolRef &sym : range) {
      Expected<SymbolRef::Type> type = sym.getType();
      Expected<uint64_t> addr = sym.getAddress();
      if (type && addr && *type == SymbolRef::ST_Function && *addr)
        d.add(m, *addr + m.bias, Symbols, exported);
      if (!type)
        consumeError(type.takeError());
      if (!addr)
        consumeError(addr.takeError());
    }
  };
  addSymbols(m.obj->symbols(), false);
  addSymbols(m.obj->getDynamicSymbolIterators(), true);

  for (ELFSectionRef sec : m.obj->sections()) {
    Expected<StringRef> name = sec.getName();
    if (!name) {
      consumeError(name.takeError());
      continue;
    }
    if (*name == ".init_array" || *name == ".fini_array" || *name == ".preinit_array") {
      Expected<StringRef> bytes = sec.getContents();
      if (!bytes) {
        consumeError(bytes.takeError());
        continue;
      }
      for (size_t i = 0; i + 8 <= bytes->size(); i += 8) {
        uint64_t v;
        memcpy(&v, bytes->data() + i, 8);
        if (v)
          d.add(m, v + m.bias, InitFini, /*root=*/true);
      }
    }
    if (sec.getType() == ELF::SHT_RELA) {
      for (const RelocationRef &rr : sec.relocations()) {
        ELFRelocationRef r(rr);
        uint64_t type = r.getType();
        Expected<int64_t> addend = r.getAddend();
        if (!addend) {
          consumeError(addend.takeError());
          continue;
        }
        if (type == d.guest.relative || type == d.guest.irelative) {
          d.add(m, *addend + m.bias, Relocs, /*root=*/true);
        } else if (type == d.guest.abs64) {
          symbol_iterator sym = r.getSymbol();
          if (sym == m.obj->symbol_end())
            continue;
          Expected<uint64_t> addr = sym->getAddress();
          if (addr && *addr)
            d.add(m, *addr + *addend + m.bias, Relocs, /*root=*/true);
          else if (!addr)
            consumeError(addr.takeError());
        }
      }
    }
  }

  // Unwind tables: an FDE for (almost) every function, stripped or not.
  std::unique_ptr<DWARFContext> dwarf = DWARFContext::create(*m.obj);
  Expected<const DWARFDebugFrame *> eh = dwarf->getEHFrame();
  if (!eh) {
    consumeError(eh.takeError());
    return;
  }
  for (const dwarf::FrameEntry &e : **eh)
    if (const auto *fde = dyn_cast<dwarf::FDE>(&e))
      d.add(m, fde->getInitialLocation() + m.bias, EhFrame);
}

// The functions that can run: those the roots are in, those whose code the
// words of the modules' segments point into (function pointers, vtables,
// jump tables), and, from each of these, every function its code calls or
// takes the address of (auipc or lui, then addi, or adrp, then add: a
// callback's address, a far call), found by decoding the function's bytes
// in a line up to the next function, so that code after a jump table is
// seen too. The rest,
// as a linker's --gc-sections would find, cannot run unless code computes
// its address some other way, and then the JIT translates it: xlat-aot
// does not compile it.
std::set<uint64_t> liveFunctions(const std::vector<Module> &mods, CodeReader &code,
                                 const Discovery &d) {
  std::vector<uint64_t> entries;
  for (auto &[pc, src] : d.functions)
    entries.push_back(pc);
  std::set<uint64_t> live;
  std::vector<uint64_t> work;
  // The function whose code holds addr becomes live.
  auto reach = [&](uint64_t addr) {
    const Module::Segment *seg = segmentAt(mods, addr).second;
    auto it = std::upper_bound(entries.begin(), entries.end(), addr);
    if (seg && it != entries.begin() && *std::prev(it) >= seg->start &&
        live.insert(*std::prev(it)).second)
      work.push_back(*std::prev(it));
  };
  for (uint64_t pc : d.roots)
    reach(pc);
  for (const Module &m : mods)
    for (const Module::Segment &seg : m.load)
      for (uint64_t o = (8 - seg.start % 8) % 8; o + 8 <= seg.size; o += 8) {
        uint64_t v;
        memcpy(&v, seg.bytes + o, 8);
        reach(v + m.bias);
      }
  while (!work.empty()) {
    uint64_t entry = work.back();
    work.pop_back();
    const Module::Segment *seg = segmentAt(mods, entry).second;
    auto next = std::upper_bound(entries.begin(), entries.end(), entry);
    uint64_t end = seg->start + seg->size;
    if (next != entries.end())
      end = std::min(*next, end);
    aot::SweepFound found;
    found.address = reach;
    aot::sweep(d.guest.isa, code, entry, end, found);
  }
  return live;
}

// Follows every function's direct branches: callees are functions too, and
// the instruction after each call is a return site, entered by returns (as
// is the one after a system call or an instruction fence, where the runner
// resumes).
void traverse(const std::vector<Module> &mods, CodeReader &code, Discovery &d,
              unsigned maxInsns, std::vector<uint64_t> work, std::set<uint64_t> &blocks,
              uint64_t &bytes) {
  auto inModules = [&](uint64_t pc) {
    for (const Module &m : mods)
      if (m.contains(pc))
        return &m;
    return (const Module *)nullptr;
  };
  while (!work.empty()) {
    uint64_t pc = work.back();
    work.pop_back();
    if (!blocks.insert(pc).second)
      continue;
    aot::BlockEnd b = d.guest.blockEnd(code, pc, maxInsns);
    if (!b.bytes)
      continue; // data, or a bad decode: the JIT will see
    bytes += b.bytes;
    if (b.kind == aot::BlockEnd::Leaf)
      d.cfg.leaves.insert(pc); // a return, or a jump anywhere (a PLT stub's)
    if (b.kind == aot::BlockEnd::Resume || b.kind == aot::BlockEnd::Call) {
      // Returns land after a call; the runner resumes after a trap.
      if (inModules(b.next)) {
        d.cfg.returnSites.insert(b.next);
        d.cfg.edge(pc, b.next);
        work.push_back(b.next);
      }
      if (b.callee) {
        d.cfg.callees[pc] = b.callee;
        if (const Module *m = inModules(b.callee)) {
          size_t before = d.functions.size();
          d.add(*m, b.callee, Calls);
          if (d.functions.size() != before)
            work.push_back(b.callee);
        }
      }
      continue;
    }
    for (uint64_t next : b.succs)
      if (inModules(next)) {
        d.cfg.edge(pc, next);
        work.push_back(next);
      }
  }
}

// The blocks only an indirect jump enters (a switch's cases, a computed
// goto's labels): the targets of the jump tables in the code of the
// functions not swept yet, each one a head. Returns those that are not
// among `blocks` yet, for traverse to follow.
std::vector<uint64_t> findJumpTables(const std::vector<Module> &mods, CodeReader &code,
                                     CodeReader &data, Discovery &d,
                                     std::set<uint64_t> &swept,
                                     const std::set<uint64_t> &blocks) {
  std::vector<uint64_t> fresh;
  for (auto it = d.functions.begin(); it != d.functions.end(); ++it) {
    uint64_t entry = it->first;
    if (!swept.insert(entry).second)
      continue;
    const Module::Segment *seg = segmentAt(mods, entry).second;
    if (!seg)
      continue;
    uint64_t end = seg->start + seg->size;
    if (auto next = std::next(it); next != d.functions.end())
      end = std::min(end, next->first);
    aot::SweepFound found;
    found.table = [&](const aot::JumpTable &t) {
      std::vector<uint64_t> targets =
          aot::jumpTableTargets(d.guest.isa, t, data, code, entry, end);
      if (targets.empty())
        return;
      d.jumpTables++;
      for (uint64_t pc : targets)
        if (d.cfg.indirectTargets.insert(pc).second) {
          d.jumpTargets++;
          if (!blocks.count(pc))
            fresh.push_back(pc);
        }
    };
    aot::sweep(d.guest.isa, code, entry, end, found);
  }
  return fresh;
}

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

} // namespace
} // namespace xlat

int main(int argc, char **argv) {
  using namespace xlat;
  Options o = parseOptions(argc, argv);
  log().mask = o.logMask;
  if (!o.logFile.empty()) {
    log().out = fopen(o.logFile.c_str(), "w");
    if (!log().out)
      fail("cannot open log file '" + o.logFile + "': " + strerror(errno));
  }
  auto start = std::chrono::steady_clock::now();

  // Load as xlat-run does, for the addresses.
  GuestMemory mem;
  LoadedImage image;
  std::string err;
  if (!mem.init(GuestMemory::kDefaultLimit, err))
    fail(err);
  if (!loadElf(o.prog, mem, image, err))
    fail(o.prog + ": " + err);
  const aot::GuestCode *guest = aot::guestCode(image.machine);
  if (!guest)
    fail(o.prog + ": not a riscv64 or aarch64 program");
  char resolved[PATH_MAX];
  std::string exePath = realpath(o.prog.c_str(), resolved) ? resolved : o.prog;
  std::vector<Module> mods;
  mods.push_back(openModule(exePath, image.loadBias));
  for (Module::Segment &s : mods.back().exec)
    s.base = 0; // the program is at one address (ModuleCaches::moduleOf)
  if (!image.interpPath.empty()) {
    std::string root;
    std::string interp =
        findInterpreter(o.sysroot, linuxAbiFor(image.machine)->defaultSysroot, image.interpPath, root);
    if (interp.empty())
      fail(o.prog + ": program interpreter '" + image.interpPath +
           "' not found (use -L SYSROOT)");
    if (!loadInterpreter(interp, mem, image, err))
      fail(interp + ": " + err);
    mods.push_back(openModule(interp, image.interpBase));
    // The libraries, each wherever is free: their code is compiled
    // relative to their base, so that it serves them wherever the dynamic
    // linker puts them.
    uint64_t next = 0;
    for (const Module &m : mods)
      for (const Module::Segment &s : m.exec)
        next = std::max(next, s.start + s.size);
    std::set<std::string> seen{exePath, interp};
    for (size_t i = 0; i < mods.size(); i++)
      for (const std::string &lib : neededLibraries(*guest, mods[i], root)) {
        if (!seen.insert(lib).second)
          continue;
        next = (next + (uint64_t(1) << 24)) & ~((uint64_t(1) << 24) - 1);
        Module m;
        std::string err;
        if (!openModule(lib, next, m, err)) {
          // The JIT translates it, if the program's ld.so loads it at all.
          fprintf(stderr, "xlat-aot: %s; not translated\n", err.c_str());
          continue;
        }
        for (const Module::Segment &s : m.exec)
          next = std::max(next, s.start + s.size);
        mods.push_back(std::move(m));
      }
  }

  jit::BlockTierOptions block; // xlat-run's defaults
  block.isa = guest->isa;
  const std::string config = aot::codeConfig(o.tier, block, 16);
  for (Module &m : mods) {
    std::string warning;
    m.cache = aot::TranslationCache::open(o.cache, m.path, guest->isa, config, warning);
    if (!warning.empty())
      fprintf(stderr, "xlat-aot: %s\n", warning.c_str());
    if (!m.cache)
      fail("no usable translation cache directory (see --cache-dir)");
  }
  // Static programs each carry their own libc: the program's code is
  // compiled position-independent and kept in the file of code shared
  // between programs too, so the next program's copy is not compiled again.
  // (RISC-V code only: the A64 lifter makes no position-independent code.)
  std::unique_ptr<aot::TranslationCache> shared;
  if (o.sharedCode && guest->isa == GuestIsa::Riscv64) {
    std::string warning;
    shared = aot::TranslationCache::openShared(o.cache, guest->isa, config, warning);
    if (!warning.empty())
      fprintf(stderr, "xlat-aot: %s\n", warning.c_str());
  }
  auto segmentOf = [&](uint64_t pc) { return segmentAt(mods, pc); };

  Discovery d{*guest};
  for (const Module &m : mods)
    discoverStatic(m, d);
  ModulesCode code(mods);
  std::set<uint64_t> blocks;
  uint64_t bytesCovered = 0;
  {
    ModulesCode data(mods, /*data=*/true);
    std::set<uint64_t> swept;
    std::vector<uint64_t> seeds;
    for (auto &[pc, src] : d.functions)
      seeds.push_back(pc);
    while (!seeds.empty()) { // the cases of a switch may call new functions
      traverse(mods, code, d, block.maxBlockInsns, std::move(seeds), blocks, bytesCovered);
      seeds = findJumpTables(mods, code, data, d, swept, blocks);
    }
  }
  for (auto &[pc, src] : d.functions)
    d.cfg.functions.insert(pc);
  size_t noReturnSites = d.cfg.dropNoReturnSites();
  d.cfg.findLoops(blocks);

  // Entries: functions first, then the other heads (return sites,
  // jump-table targets), then the loops and cuts regions stopped at; those
  // the file already has for the same bytes are not compiled again.
  // Regions of the functions that can run (a head before every function
  // entry counts as in a live function).
  std::set<uint64_t> heads = d.cfg.heads();
  std::set<uint64_t> live = liveFunctions(mods, code, d);
  auto isLive = [&](uint64_t pc) {
    auto fn = d.functions.upper_bound(pc);
    const Module::Segment *seg = segmentOf(pc).second;
    if (fn == d.functions.begin() || !seg || std::prev(fn)->first < seg->start)
      return true; // before the segment's first function
    return live.count(std::prev(fn)->first) != 0;
  };
  std::vector<uint64_t> entries;
  uint64_t alreadyCached = 0, liveCount = 0, liveBlocks = 0;
  for (auto &[pc, src] : d.functions)
    if (live.count(pc)) {
      entries.push_back(pc);
      liveCount++;
    }
  for (uint64_t pc : heads)
    if (!d.functions.count(pc) && isLive(pc))
      entries.push_back(pc);
  for (uint64_t pc : blocks)
    liveBlocks += isLive(pc);
  size_t headEntries = entries.size();
  entries = d.cfg.closeUnderExits(std::move(entries), o.regionBlocks, heads);
  size_t exitEntries = entries.size() - headEntries;
  {
    std::vector<uint64_t> todo;
    jit::CodeObject scratch;
    for (uint64_t pc : entries) {
      auto [m, seg] = segmentOf(pc);
      if (m && m->cache->lookup(pc, seg->base, code, scratch)) {
        alreadyCached++;
        m->alreadyCached++;
      } else
        todo.push_back(pc);
    }
    entries.swap(todo);
  }
  double discoverSeconds = secondsSince(start);

  // Compile on every core: one LLVM tier (context, lifter, codegen) each.
  jit::BlockTierOptions region = block;
  region.codegenOpt = 2;
  region.logInAsm = log().enabled(kLogInAsm);
  region.makeDisassembler = jit::createLlvmDisassembler;
  region.logIr = log().enabled(kLogOp);
  region.logOutAsm = log().enabled(kLogOutAsm);
  region.moduleOf = [&](uint64_t pc, jit::GuestModuleSpan &span) {
    auto [m, seg] = segmentOf(pc);
    if (!m)
      return false;
    span = {seg->base, seg->start, seg->start + seg->size};
    return true;
  };
  if (shared) {
    region.pcIndependentProgram = true;
    region.findShared = [&](const std::vector<uint8_t> &identity, jit::CodeObject &out) {
      return shared->findShared(identity, out);
    };
  }
  std::mutex compiledMu;
  size_t notRelocatable = 0, reused = 0;
  region.onCompiled = [&](const jit::CompiledTranslation &t) {
    Module *m = t.moduleBase ? segmentOf(t.pc).first : nullptr;
    if (m)
      m->cache->record(t);
    if (shared && t.pcIndependent && !t.reused)
      shared->recordShared(t);
    std::lock_guard<std::mutex> lock(compiledMu);
    if (m)
      m->compiled++;
    else
      notRelocatable++; // spans modules: left to the JIT
    reused += t.reused;
  };
  std::atomic<size_t> next{0}, done{0}, failed{0};
  std::mutex statsMu;
  jit::TierStats total;
  std::string firstError;
  auto worker = [&] {
    std::string e;
    std::unique_ptr<jit::BlockTier> tier = jit::BlockTier::create(region, e);
    if (!tier) {
      std::lock_guard<std::mutex> lock(statsMu);
      firstError = e;
      return;
    }
    jit::TierStats mine;
    for (size_t i; (i = next++) < entries.size();) {
      std::vector<uint64_t> pcs = d.cfg.region(entries[i], o.regionBlocks, heads);
      if (log().enabled(kLogRegion))
        logRegion(pcs.data(), pcs.size());
      if (!tier->compileRegion(pcs, code, mine, e))
        failed++;
      done++;
    }
    std::lock_guard<std::mutex> lock(statsMu);
    total += mine;
  };
  auto compileStart = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < o.jobs; i++)
    threads.emplace_back(worker);
  if (isatty(STDERR_FILENO)) {
    while (done < entries.size() && firstError.empty()) {
      fprintf(stderr, "\rxlat-aot: %zu/%zu regions compiled, %.1f s", done.load(),
              entries.size(), secondsSince(start));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    fprintf(stderr, "\rxlat-aot: %zu/%zu regions compiled, %.1f s\n", done.load(),
            entries.size(), secondsSince(start));
  }
  for (std::thread &t : threads)
    t.join();
  if (!firstError.empty())
    fail("cannot set up LLVM: " + firstError);
  double compileSeconds = secondsSince(compileStart);

  aot::CacheStats cs;
  for (Module &m : mods) {
    std::string warning;
    if (!m.cache->save(warning))
      fail(warning);
    cs += m.cache->stats();
  }
  if (shared) {
    std::string warning;
    if (!shared->save(warning))
      fprintf(stderr, "xlat-aot: %s\n", warning.c_str()); // the modules' files stand
    if (std::string why = shared->takeRejection(); !why.empty())
      fprintf(stderr, "xlat-aot: %s\n", why.c_str());
  }
  double seconds = secondsSince(start);

  if (o.stats) {
    uint64_t functions = d.functions.size();
    if (o.json) {
      printf("{\n  \"schema\": 1,\n  \"tool\": \"xlat-aot\",\n");
      printf("  \"program\": \"%s\",\n  \"modules\": %zu,\n", o.prog.c_str(), mods.size());
      printf("  \"functions_by_source\": {");
      for (int s = 0; s < kSources; s++)
        printf("%s\"%s\": %llu", s ? ", " : "", kSourceNames[s],
               (unsigned long long)d.found[s]);
      printf("},\n");
      printf("  \"functions\": %llu,\n  \"return_sites\": %zu,\n",
             (unsigned long long)functions, d.cfg.returnSites.size());
      printf("  \"loop_heads\": %zu,\n", d.cfg.loops.size());
      printf("  \"return_sites_after_noreturn_calls\": %zu,\n", noReturnSites);
      printf("  \"jump_tables\": %llu,\n  \"jump_table_targets\": %llu,\n",
             (unsigned long long)d.jumpTables, (unsigned long long)d.jumpTargets);
      printf("  \"functions_reachable\": %llu,\n  \"blocks_reachable\": %zu,\n",
             (unsigned long long)liveCount, (size_t)liveBlocks);
      printf("  \"blocks\": %zu,\n  \"guest_bytes_covered\": %llu,\n", blocks.size(),
             (unsigned long long)bytesCovered);
      printf("  \"regions_at_cut_exits\": %zu,\n", exitEntries);
      printf("  \"regions_already_cached\": %llu,\n", (unsigned long long)alreadyCached);
      printf("  \"regions_compiled\": %zu,\n  \"regions_failed\": %zu,\n",
             entries.size() - failed.load() - reused, failed.load());
      printf("  \"regions_from_shared_code\": %zu,\n", reused);
      printf("  \"region_blocks\": %llu,\n  \"host_bytes\": %llu,\n",
             (unsigned long long)total.regionBlocks,
             (unsigned long long)total.hostBytesEmitted);
      printf("  \"discover_seconds\": %.3f,\n  \"compile_seconds\": %.3f,\n",
             discoverSeconds, compileSeconds);
      printf("  \"compile_cpu_seconds\": %.3f,\n", total.translateNanos / 1e9);
      printf("  \"lift_cpu_seconds\": %.3f,\n  \"optimize_cpu_seconds\": %.3f,\n"
             "  \"codegen_cpu_seconds\": %.3f,\n",
             total.llvmLiftNanos / 1e9, total.llvmOptNanos / 1e9,
             total.llvmCodegenNanos / 1e9);
      printf("  \"jobs\": %u,\n", o.jobs);
      printf("  \"module_files\": [");
      for (size_t i = 0; i < mods.size(); i++)
        printf("%s\n    {\"path\": \"%s\", \"cache_file\": \"%s\", "
               "\"regions_compiled\": %zu, \"regions_already_cached\": %zu}",
               i ? "," : "", mods[i].path.c_str(), mods[i].cache->path().c_str(),
               mods[i].compiled, mods[i].alreadyCached);
      printf("\n  ],\n");
      printf("  \"shared_code_file\": \"%s\",\n", shared ? shared->path().c_str() : "");
      printf("  \"regions_spanning_modules\": %zu,\n", notRelocatable);
      printf("  \"cache_entries_written\": %llu,\n  \"cache_bytes_written\": %llu,\n",
             (unsigned long long)cs.entriesWritten, (unsigned long long)cs.bytesWritten);
      printf("  \"seconds\": %.3f\n}\n", seconds);
    } else {
      printf("xlat-aot statistics (%s)\n", o.prog.c_str());
      printf("  modules                %zu\n", mods.size());
      for (const Module &m : mods)
        printf("    %s: %zu regions compiled, %zu already cached\n", m.path.c_str(),
               m.compiled, m.alreadyCached);
      printf("  functions              %llu (", (unsigned long long)functions);
      for (int s = 0; s < kSources; s++)
        printf("%s%s %llu", s ? ", " : "", kSourceNames[s],
               (unsigned long long)d.found[s]);
      printf(")\n");
      printf("  reachable              %llu functions, %zu blocks (the rest left to the JIT)\n",
             (unsigned long long)liveCount, (size_t)liveBlocks);
      printf("  return sites           %zu (and %zu after calls that cannot return)\n",
             d.cfg.returnSites.size(), noReturnSites);
      printf("  loop heads             %zu\n", d.cfg.loops.size());
      printf("  jump tables            %llu (%llu targets)\n",
             (unsigned long long)d.jumpTables, (unsigned long long)d.jumpTargets);
      printf("  blocks                 %zu (%llu guest bytes)\n", blocks.size(),
             (unsigned long long)bytesCovered);
      printf("  regions                %zu compiled, %zu failed, %llu already cached, "
             "%zu from shared code\n",
             entries.size() - failed.load() - reused, failed.load(),
             (unsigned long long)alreadyCached, reused);
      printf("  regions at cut exits   %zu (where a region of at most %u blocks left off)\n",
             exitEntries, o.regionBlocks);
      printf("  region blocks          %llu (%llu host bytes)\n",
             (unsigned long long)total.regionBlocks,
             (unsigned long long)total.hostBytesEmitted);
      printf("  time                   %.3f s discovery, %.3f s compile (%.3f s cpu, %u jobs)\n",
             discoverSeconds, compileSeconds, total.translateNanos / 1e9, o.jobs);
      printf("  compile cpu            %.3f s lift, %.3f s optimize, %.3f s codegen\n",
             total.llvmLiftNanos / 1e9, total.llvmOptNanos / 1e9,
             total.llvmCodegenNanos / 1e9);
      printf("  cache written          %llu entries (%llu bytes) to %zu files, one per module\n",
             (unsigned long long)cs.entriesWritten,
             (unsigned long long)cs.bytesWritten, mods.size());
    }
  }
  return 0;
}
