#include "sysemu/machine.h"

#include "sysemu/fdt.h"
#include "sysemu/snapshot.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/ucontext.h>
#include <unistd.h>
#include <xxhash.h>

namespace xlat::sysemu {

namespace {
Machine *theMachine = nullptr;

uint64_t monotonicNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

bool readFile(const std::string &path, std::vector<uint8_t> &out,
              std::string &err) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    err = path + ": " + (fd < 0 ? strerror(errno) : "not a regular file");
    if (fd >= 0)
      close(fd);
    return false;
  }
  out.resize(st.st_size);
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = read(fd, out.data() + done, out.size() - done);
    if (n <= 0) {
      err = path + ": " + (n < 0 ? strerror(errno) : "short read");
      close(fd);
      return false;
    }
    done += n;
  }
  close(fd);
  return true;
}

struct Loaded {
  uint64_t entry = 0, low = ~0ull, high = 0; // physical extent
};

// Copies an image into guest physical memory, or says why it does not fit.
bool place(Bus &bus, uint64_t pa, const uint8_t *src, uint64_t fileBytes,
           uint64_t memBytes, const std::string &path, std::string &err) {
  const MemoryRegion *r = memBytes ? bus.memory(pa, memBytes) : bus.memory(pa);
  if (!r || !r->writable) {
    char b[128];
    snprintf(b, sizeof b, ": %#llx bytes at %#llx do not fit in RAM (-m)",
             (unsigned long long)memBytes, (unsigned long long)pa);
    err = path + b;
    return false;
  }
  memcpy(r->host + (pa - r->base), src, fileBytes);
  memset(r->host + (pa - r->base) + fileBytes, 0, memBytes - fileBytes);
  return true;
}

// An ELF's PT_LOAD segments at their physical addresses.
bool loadElf(Bus &bus, const std::string &path, const std::vector<uint8_t> &f,
             Loaded &out, std::string &err) {
  elf_version(EV_CURRENT);
  Elf *e = elf_memory(reinterpret_cast<char *>(const_cast<uint8_t *>(f.data())), f.size());
  GElf_Ehdr eh;
  bool ok = false;
  size_t n = 0;
  if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
    err = path + ": not an ELF file";
  } else if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_RISCV) {
    err = path + ": not a 64-bit RISC-V ELF file";
  } else if (elf_getphdrnum(e, &n) != 0) {
    err = path + ": bad program headers";
  } else {
    ok = true;
    out.entry = eh.e_entry;
    for (size_t i = 0; ok && i < n; i++) {
      GElf_Phdr ph;
      if (!gelf_getphdr(e, i, &ph)) {
        err = path + ": bad program header";
        ok = false;
      } else if (ph.p_type == PT_LOAD && ph.p_memsz) {
        if (ph.p_filesz > ph.p_memsz || ph.p_offset > f.size() ||
            ph.p_filesz > f.size() - ph.p_offset) {
          err = path + ": segment outside the file";
          ok = false;
        } else {
          ok = place(bus, ph.p_paddr, f.data() + ph.p_offset, ph.p_filesz,
                     ph.p_memsz, path, err);
          out.low = std::min<uint64_t>(out.low, ph.p_paddr);
          out.high = std::max<uint64_t>(out.high, ph.p_paddr + ph.p_memsz);
        }
      }
    }
    if (ok && out.high == 0) {
      err = path + ": no loadable segment";
      ok = false;
    }
  }
  if (e)
    elf_end(e);
  return ok;
}

bool isElf(const std::vector<uint8_t> &f) {
  return f.size() >= 4 && memcmp(f.data(), ELFMAG, SELFMAG) == 0;
}

// A RISC-V Linux Image: raw, with the header that says so.
bool isLinuxImage(const std::vector<uint8_t> &f, uint64_t &imageSize) {
  if (f.size() < 64 || memcmp(f.data() + 56, "RSC\x05", 4) != 0)
    return false;
  memcpy(&imageSize, f.data() + 16, 8);
  imageSize = std::max<uint64_t>(imageSize, f.size());
  return true;
}

constexpr uint64_t k2M = 2ull << 20;
uint64_t alignUp(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
uint64_t alignDown(uint64_t v, uint64_t a) { return v & ~(a - 1); }

// A host write fault in a RAM page that code was translated from is the
// write tracking's (Machine::watchCode): the page becomes writable and the
// store runs again, whichever thread made it (a hart in translated code or
// not, a device). Anything else goes to the handler there was before.
const CodePages *segvPages = nullptr;
struct sigaction previousSegv;

void onSegv(int sig, siginfo_t *info, void *ctx) {
  bool isWrite = true;
#if defined(__x86_64__)
  isWrite = static_cast<ucontext_t *>(ctx)->uc_mcontext.gregs[REG_ERR] & 2;
#endif
  if (segvPages && info->si_code == SEGV_ACCERR && isWrite &&
      segvPages->onWriteFault(info->si_addr))
    return;
  if (previousSegv.sa_flags & SA_SIGINFO) {
    previousSegv.sa_sigaction(sig, info, ctx);
  } else if (previousSegv.sa_handler != SIG_DFL && previousSegv.sa_handler != SIG_IGN) {
    previousSegv.sa_handler(sig);
  } else {
    signal(sig, SIG_DFL);
    raise(sig);
  }
}
} // namespace

Machine &machine() { return *theMachine; }

Machine::Machine(MachineConfig cfg) : cfg_(std::move(cfg)) {
  theMachine = this;
  startNs_ = monotonicNs();
}

Machine::~Machine() {
  // The network threads write guest RAM: they go first.
  for (VirtioNet *n : nets_)
    n->stop();
  if (segvPages == &codePages_)
    segvPages = nullptr;
  if (ram_)
    munmap(ram_, cfg_.ramBytes);
  theMachine = nullptr;
}

void Machine::printStats(FILE *out, double wallSeconds) {
  uint64_t insns = 0, tlbMisses = 0, tlbFlushes = 0, sys = 0, wfi = 0, mmio = 0;
  uint64_t exc[16] = {}, irq[16] = {};
  jit::TierStats t;
  for (auto &h : harts) {
    t += h->tierStats;
    insns += h->tierStats.insnsInterpreted;
    tlbMisses += h->stats.tlbMisses;
    tlbFlushes += h->stats.tlbFlushes;
    sys += h->stats.systemInsns;
    wfi += h->stats.wfiSleeps;
    mmio += h->stats.mmioAccesses;
    for (int i = 0; i < 16; i++) {
      exc[i] += h->stats.exceptions[i];
      irq[i] += h->stats.interrupts[i];
    }
  }
  fprintf(out, "xlat-system statistics (tier %s, %u hart%s)\n",
          std::string(jit::tierName(cfg_.tier)).c_str(), (unsigned)harts.size(),
          harts.size() == 1 ? "" : "s");
  if (cfg_.tier != jit::Tier::Interp) {
    fprintf(out, "  blocks translated      %llu (%llu insns, %.1f ms)\n",
            (unsigned long long)t.blocksTranslated,
            (unsigned long long)t.guestInsnsTranslated, t.translateNanos / 1e6);
    fprintf(out, "  host bytes per insn    %.1f\n",
            t.guestInsnsTranslated ? double(t.hostBytesEmitted) / t.guestInsnsTranslated : 0.0);
    fprintf(out, "  blocks entered         %llu (from the hart's loop)\n",
            (unsigned long long)t.blocksExecuted);
    fprintf(out, "  blocks invalidated     %llu (%llu flushes of a whole context)\n",
            (unsigned long long)t.blocksInvalidated, (unsigned long long)t.cacheFlushes);
    fprintf(out, "  blocks revived         %llu (their page mapped again)\n",
            (unsigned long long)t.blocksRevived);
    if (cfg_.tier == jit::Tier::Adaptive)
      fprintf(out, "  regions promoted       %llu (%llu blocks; %.1f ms compiling)\n",
              (unsigned long long)t.blocksPromoted, (unsigned long long)t.regionBlocks,
              t.promoteNanos / 1e6);
    else if (cfg_.tier == jit::Tier::Region)
      fprintf(out, "  regions                %llu (%llu blocks)\n",
              (unsigned long long)t.regionsTranslated, (unsigned long long)t.regionBlocks);
    aot::CacheStats c;
    for (auto &h : harts)
      c += h->cacheStats();
    if (c.lookups || c.fileEntries || c.entriesWritten)
      fprintf(out, "  translation cache      %llu lookups, %llu hits (%.1f ms installing), "
                   "%llu stale; %llu entries read, %llu written (%llu bytes), %llu refused\n",
              (unsigned long long)c.lookups, (unsigned long long)c.hits,
              t.aotInstallNanos / 1e6, (unsigned long long)c.stale,
              (unsigned long long)c.fileEntries, (unsigned long long)c.entriesWritten,
              (unsigned long long)c.bytesWritten, (unsigned long long)c.rejected);
    fprintf(out, "  code evictions         %llu (%llu bytes freed)\n",
            (unsigned long long)t.codeEvictions, (unsigned long long)t.codeBytesFreed);
    uint64_t fences = 0, compared = 0;
    for (auto &h : harts)
      fences += h->stats.fences, compared += h->stats.fenceCompared;
    fprintf(out, "  fence.i                %llu (%llu translations compared; "
                 "%llu writes to code pages)\n",
            (unsigned long long)fences, (unsigned long long)compared,
            (unsigned long long)codePages_.writes());
  }
  fprintf(out, "  insns interpreted      %llu (%.1f M/s)\n",
          (unsigned long long)insns, insns / wallSeconds / 1e6);
  fprintf(out, "  system insns           %llu\n", (unsigned long long)sys);
  uint64_t allExc = 0, allIrq = 0;
  for (int i = 0; i < 16; i++)
    allExc += exc[i], allIrq += irq[i];
  fprintf(out, "  exceptions             %llu (ecall U %llu, S %llu; page faults %llu)\n",
          (unsigned long long)allExc, (unsigned long long)exc[8],
          (unsigned long long)exc[9],
          (unsigned long long)(exc[12] + exc[13] + exc[15]));
  fprintf(out, "  interrupts             %llu (timer M %llu, external S %llu)\n",
          (unsigned long long)allIrq, (unsigned long long)irq[7],
          (unsigned long long)irq[9]);
  fprintf(out, "  tlb misses             %llu (%llu flushes)\n",
          (unsigned long long)tlbMisses, (unsigned long long)tlbFlushes);
  fprintf(out, "  mmio accesses          %llu\n", (unsigned long long)mmio);
  fprintf(out, "  wfi sleeps             %llu\n", (unsigned long long)wfi);
  fprintf(out, "  wall time              %.3f s\n", wallSeconds);
}

uint64_t Machine::configHash() const {
  StateWriter w;
  w.bytes("rv64gc virt", 11);
  w.u32(cfg_.harts);
  w.u64(cfg_.ramBytes);
  w.u32(uint32_t(cfg_.drives.size()));
  for (const Drive &d : cfg_.drives)
    w.u8(d.readOnly);
  w.u32(uint32_t(cfg_.nics.size()));
  return XXH3_64bits(w.data.data(), w.data.size());
}

uint64_t Machine::maxStateBytes() const {
  uint64_t disks = 0;
  for (const Drive &d : cfg_.drives) {
    struct stat st;
    if (!d.readOnly && stat(d.path.c_str(), &st) == 0)
      disks += uint64_t(st.st_size) + 16;
  }
  return cfg_.ramBytes + disks + (64ull << 20);
}

namespace {
// Whole files, in pieces (one pread or pwrite moves at most 2 GiB).
bool readFile(const std::string &path, std::vector<uint8_t> &out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  bool ok = fd >= 0 && fstat(fd, &st) == 0;
  if (ok) {
    out.resize(size_t(st.st_size));
    for (size_t done = 0; ok && done < out.size();) {
      ssize_t r = pread(fd, out.data() + done, out.size() - done, off_t(done));
      ok = r > 0;
      done += ok ? size_t(r) : 0;
    }
  }
  if (fd >= 0)
    close(fd);
  return ok;
}

bool writeFile(int fd, const std::vector<uint8_t> &bytes) {
  for (size_t done = 0; done < bytes.size();) {
    ssize_t r = pwrite(fd, bytes.data() + done, bytes.size() - done, off_t(done));
    if (r <= 0)
      return false;
    done += size_t(r);
  }
  return ftruncate(fd, off_t(bytes.size())) == 0 && fdatasync(fd) == 0;
}
} // namespace

std::string Machine::saveState(StateWriter &w) {
  w.u32(uint32_t(harts.size()));
  for (auto &h : harts)
    h->save(w);
  w.u64(mtime());
  const std::vector<MmioWindow> &windows = bus.windows();
  w.u32(uint32_t(windows.size()));
  for (const MmioWindow &win : windows) {
    StateWriter dev;
    win.dev->save(dev);
    w.u64(win.base);
    w.blob(dev.data);
  }
  w.u64(cfg_.ramBytes);
  w.bytes(ram_, cfg_.ramBytes);
  // A raw disk has no snapshots of its own: a writable one's contents
  // are part of the machine's.
  w.u32(uint32_t(cfg_.drives.size()));
  for (const Drive &d : cfg_.drives) {
    std::vector<uint8_t> bytes;
    if (!d.readOnly && !readFile(d.path, bytes))
      return "cannot read " + d.path + ": " + strerror(errno);
    w.u8(d.readOnly);
    w.blob(bytes);
  }
  return "";
}

std::string Machine::loadState(StateReader &r) {
  // What could fail for reasons outside the file is checked before
  // anything changes: the disks must take their contents back.
  std::vector<int> diskFds;
  for (const Drive &d : cfg_.drives) {
    int fd = d.readOnly ? -1 : open(d.path.c_str(), O_WRONLY | O_CLOEXEC);
    if (!d.readOnly && fd < 0) {
      std::string why = "cannot restore " + d.path + ": " + strerror(errno);
      for (int f : diskFds)
        if (f >= 0)
          close(f);
      return why;
    }
    diskFds.push_back(fd);
  }
  std::string why = applyState(r, diskFds);
  for (int f : diskFds)
    if (f >= 0)
      close(f);
  if (why.empty())
    return "";
  // The file was checked whole, so this is a payload this build wrote
  // differently, or a disk that failed: the machine is half restored.
  fprintf(stderr, "xlat-system: loadvm: %s; the machine is powered off\n", why.c_str());
  powerOff(kExitGuestCrash);
  return why;
}

std::string Machine::applyState(StateReader &r, const std::vector<int> &diskFds) {
  if (r.u32() != harts.size())
    return "another number of harts";
  for (auto &h : harts)
    if (!h->load(r))
      return "bad hart state";
  uint64_t time = r.u64();
  uint32_t nWindows = r.u32();
  const std::vector<MmioWindow> &windows = bus.windows();
  if (!r.ok() || nWindows != windows.size())
    return "another set of devices";
  for (uint32_t i = 0; i < nWindows; i++) {
    uint64_t base = r.u64();
    std::vector<uint8_t> bytes = r.blob();
    auto it = std::find_if(windows.begin(), windows.end(),
                           [&](const MmioWindow &w) { return w.base == base; });
    StateReader dev(bytes.data(), bytes.size());
    if (!r.ok() || it == windows.end() || !it->dev->load(dev))
      return "bad device state at " + std::to_string(base);
  }
  if (r.u64() != cfg_.ramBytes || !r.bytes(ram_, cfg_.ramBytes))
    return "another RAM size";
  if (r.u32() != cfg_.drives.size())
    return "another set of drives";
  for (size_t i = 0; i < cfg_.drives.size(); i++) {
    const Drive &d = cfg_.drives[i];
    bool readOnly = r.u8();
    std::vector<uint8_t> bytes = r.blob();
    if (!r.ok() || readOnly != d.readOnly)
      return "another set of drives";
    if (!readOnly && !writeFile(diskFds[i], bytes))
      return "cannot restore " + d.path + ": " + strerror(errno);
  }
  if (!r.ok() || !r.atEnd())
    return "trailing or missing state";
  // The clock goes on from where it was.
  startNs_ = monotonicNs() - time * (1000000000 / kTimebaseHz);
  timerChanged();
  return "";
}

double Machine::uptime() const { return (monotonicNs() - startNs_) / 1e9; }

bool Machine::pause(bool wait) {
  std::unique_lock<std::mutex> lk(pauseMu_);
  if (pauses_++ == 0) {
    pauseRequested_.store(true, std::memory_order_release);
    for (auto &v : virtio_)
      v->setQuiesced(true);
  }
  if (!wait || !hartsRunning_.load())
    return true;
  lk.unlock();
  for (auto &h : harts)
    h->kick();
  lk.lock();
  // A hart that gdb holds, or one that has left, does not come: a second.
  return pauseCv_.wait_for(lk, std::chrono::seconds(1), [&] {
    return parkedHarts_ == harts.size() || stopping_.load();
  });
}

void Machine::resume() {
  bool going = false;
  {
    std::lock_guard<std::mutex> lk(pauseMu_);
    if (pauses_ && --pauses_ == 0) {
      pauseRequested_.store(false, std::memory_order_release);
      going = true;
    }
    pauseCv_.notify_all();
  }
  if (going)
    for (auto &v : virtio_)
      v->setQuiesced(false);
}

void Machine::parkIfPaused() {
  if (!pauseRequested_.load(std::memory_order_acquire))
    return;
  std::unique_lock<std::mutex> lk(pauseMu_);
  parkedHarts_++;
  pauseCv_.notify_all();
  pauseCv_.wait(lk, [&] { return !pauseRequested_.load() || stopping_.load(); });
  parkedHarts_--;
}

uint64_t Machine::mtime() const {
  return (monotonicNs() - startNs_) / (1000000000 / kTimebaseHz);
}

void Machine::consoleOut(uint8_t byte) {
  while (::write(STDOUT_FILENO, &byte, 1) < 0 && errno == EINTR) {
  }
}

bool Machine::boot(std::string &err) {
  ram_ = static_cast<uint8_t *>(mmap(nullptr, cfg_.ramBytes, PROT_READ | PROT_WRITE,
                                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
  if (ram_ == MAP_FAILED) {
    ram_ = nullptr;
    err = "cannot allocate " + std::to_string(cfg_.ramBytes >> 20) + " MiB of guest RAM";
    return false;
  }
  bus.addMemory(kRomBase, kRomSize, rom_, false, "rom");
  bus.addMemory(kRamBase, cfg_.ramBytes, ram_, true, "ram");
  if (!codePages_.init(ram_, cfg_.ramBytes)) {
    err = "cannot allocate the table of RAM pages";
    return false;
  }

  clint_ = std::make_unique<Clint>(*this);
  plic_ = std::make_unique<Plic>(*this);
  uart_ = std::make_unique<Uart16550>(*plic_, kUartIrq,
                                      [this](uint8_t b) { consoleOut(b); });
  test_ = std::make_unique<TestDevice>(*this);
  rtc_ = std::make_unique<GoldfishRtc>();
  bus.addDevice(kTestBase, 0x1000, test_.get(), "test");
  bus.addDevice(kRtcBase, 0x1000, rtc_.get(), "rtc");
  bus.addDevice(kClintBase, kClintSize, clint_.get(), "clint");
  bus.addDevice(kPlicBase, kPlicSize, plic_.get(), "plic");
  bus.addDevice(kUartBase, 0x100, uart_.get(), "serial");
  if (cfg_.drives.size() + cfg_.nics.size() > kVirtioSlots) {
    err = "at most " + std::to_string(kVirtioSlots) + " virtio devices (drives and NICs)";
    return false;
  }
  for (const UserNetConfig &n : cfg_.netdevs)
    if (std::none_of(cfg_.nics.begin(), cfg_.nics.end(),
                     [&](const NicConfig &c) { return c.netdev == n.id; })) {
      err = "-netdev " + n.id + " has no device (-device virtio-net-device,netdev=" +
            n.id + ")";
      return false;
    }
  for (unsigned i = 0; i < kVirtioSlots; i++) {
    std::unique_ptr<VirtioDevice> dev;
    if (i < cfg_.drives.size()) {
      auto blk = std::make_unique<VirtioBlk>();
      if (!blk->open(cfg_.drives[i].path, cfg_.drives[i].readOnly, err))
        return false;
      dev = std::move(blk);
    } else if (size_t n = i - cfg_.drives.size(); n < cfg_.nics.size()) {
      const NicConfig &nic = cfg_.nics[n];
      auto net = std::find_if(cfg_.netdevs.begin(), cfg_.netdevs.end(),
                              [&](const UserNetConfig &u) { return u.id == nic.netdev; });
      if (net == cfg_.netdevs.end()) {
        err = "-device virtio-net-device: no -netdev with id " + nic.netdev;
        return false;
      }
      auto vnet = std::make_unique<VirtioNet>(*net, nic.mac);
      nets_.push_back(vnet.get());
      dev = std::move(vnet);
    }
    virtio_.push_back(std::make_unique<VirtioMmio>(bus, *plic_, kVirtioIrq + i, std::move(dev)));
    bus.addDevice(kVirtioBase + i * kVirtioSize, kVirtioSize, virtio_.back().get(),
                  "virtio-mmio");
  }

  // The networks start once their devices have transports.
  for (VirtioNet *n : nets_)
    if (!n->start(err))
      return false;
  for (unsigned h = 0; h < cfg_.harts; h++)
    harts.push_back(std::make_unique<Hart>(*this, h));
  timerSignalled_.assign(cfg_.harts, false);
  return loadImages(err);
}

// Firmware, kernel, initrd and device tree where QEMU's virt board puts
// them, and the reset vector in the boot ROM that enters the firmware with
// a0 = hartid, a1 = the device tree, a2 = OpenSBI's fw_dynamic_info.
bool Machine::loadImages(std::string &err) {
  memset(rom_, 0, sizeof rom_);
  std::vector<uint8_t> file;
  uint64_t start = kRamBase, kernelStart = kRamBase;
  bool haveFirmware = cfg_.bios != "none";
  if (haveFirmware) {
    if (!readFile(cfg_.bios, file, err))
      return false;
    Loaded fw;
    if (isElf(file)) {
      if (!loadElf(bus, cfg_.bios, file, fw, err))
        return false;
    } else if (cfg_.bios.size() > 4 &&
               cfg_.bios.compare(cfg_.bios.size() - 4, 4, ".bin") == 0) {
      if (!place(bus, kRamBase, file.data(), file.size(), file.size(), cfg_.bios, err))
        return false;
      fw = {kRamBase, kRamBase, kRamBase + file.size()};
    } else {
      err = cfg_.bios + ": not an ELF file (a raw firmware must be named *.bin)";
      return false;
    }
    start = fw.entry;
    kernelStart = alignUp(fw.high, k2M);
  }

  uint64_t kernelEntry = kernelStart, kernelEnd = kernelStart;
  if (!cfg_.kernel.empty()) {
    if (!readFile(cfg_.kernel, file, err))
      return false;
    uint64_t imageSize = 0;
    if (isElf(file)) {
      Loaded k;
      if (!loadElf(bus, cfg_.kernel, file, k, err))
        return false;
      kernelEntry = k.entry;
      kernelStart = k.low;
      kernelEnd = k.high;
    } else if (isLinuxImage(file, imageSize)) {
      if (!place(bus, kernelStart, file.data(), file.size(), imageSize, cfg_.kernel, err))
        return false;
      kernelEntry = kernelStart;
      kernelEnd = kernelStart + imageSize;
    } else {
      err = cfg_.kernel + ": neither an ELF file nor a RISC-V Linux Image";
      return false;
    }
    if (!haveFirmware)
      start = kernelEntry;
  } else if (!haveFirmware) {
    err = "-bios none needs -kernel";
    return false;
  }

  uint64_t ramEnd = kRamBase + cfg_.ramBytes;
  FdtBootInfo info;
  if (!cfg_.initrd.empty()) {
    if (cfg_.kernel.empty()) {
      err = "-initrd needs -kernel";
      return false;
    }
    if (!readFile(cfg_.initrd, file, err))
      return false;
    // Far enough above the kernel that its decompression does not reach it.
    uint64_t at = std::max(kernelEnd, kernelStart + std::min<uint64_t>(cfg_.ramBytes / 2, 128ull << 20));
    at = alignUp(at, 4096);
    if (at + file.size() + k2M > ramEnd) {
      err = cfg_.initrd + ": does not fit in RAM (-m) above the kernel";
      return false;
    }
    memcpy(ram_ + (at - kRamBase), file.data(), file.size());
    info.initrdStart = at;
    info.initrdEnd = at + file.size();
  }

  fdt_ = buildFdt(*this, info, err);
  if (fdt_.empty())
    return false;
  uint64_t fdtAt = alignDown(std::min<uint64_t>(ramEnd, 3ull << 30) - fdt_.size(), k2M);
  if (fdtAt < std::max(kernelEnd, info.initrdEnd) || fdtAt < kRamBase) {
    err = "the device tree does not fit in RAM (-m) above the kernel and initrd";
    return false;
  }
  memcpy(ram_ + (fdtAt - kRamBase), fdt_.data(), fdt_.size());

  static const uint32_t kResetVector[] = {
      0x00000297, // auipc t0, 0
      0x02828613, // addi  a2, t0, 40     (fw_dynamic_info)
      0xf1402573, // csrr  a0, mhartid
      0x0202b583, // ld    a1, 32(t0)     (device tree)
      0x0182b283, // ld    t0, 24(t0)     (entry)
      0x00028067, // jr    t0
  };
  memcpy(rom_, kResetVector, sizeof kResetVector);
  uint64_t words[] = {
      start, fdtAt,
      // fw_dynamic_info: magic "OSBI", version 2, next address, next mode
      // (S), options, boot hart (-1: any)
      0x4942534f, 2, kernelEntry, 1, 0, ~0ull};
  memcpy(rom_ + 24, words, sizeof words);

  for (auto &h : harts)
    h->reset(kRomBase);
  return true;
}

void Machine::powerOff(int status) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stopping_.load())
      return;
    status_ = status;
    stopping_.store(true);
  }
  cv_.notify_all();
  for (auto &h : harts)
    h->kick();
  if (gdb_)
    gdb_->wakeParked(); // harts gdb holds stopped go too
  std::lock_guard<std::mutex> plk(pauseMu_);
  pauseCv_.notify_all(); // and paused ones
}

void Machine::guestCrash(const std::string &why) {
  fprintf(stderr, "xlat-system: guest crashed: %s\n", why.c_str());
  powerOff(kExitGuestCrash);
}

void Machine::requestReset() {
  if (cfg_.noReboot) {
    powerOff(kExitPoweredOff);
    return;
  }
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stopping_.load())
      return;
    resetRequested_ = true;
    stopping_.store(true);
  }
  cv_.notify_all();
  for (auto &h : harts)
    h->kick();
  if (gdb_)
    gdb_->wakeParked();
  std::lock_guard<std::mutex> plk(pauseMu_);
  pauseCv_.notify_all();
}

void Machine::timerChanged() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    timerDirty_ = true;
    std::fill(timerSignalled_.begin(), timerSignalled_.end(), false);
  }
  cv_.notify_all();
}

// Kicks each hart when its mtimecmp falls due (once per value written),
// sleeping until the earliest one.
void Machine::timerLoop() {
  using Clock = std::chrono::steady_clock;
  std::unique_lock<std::mutex> lk(mu_);
  while (!stopping_.load()) {
    uint64_t now = mtime(), next = ~0ull;
    for (unsigned h = 0; h < harts.size(); h++) {
      uint64_t cmp = harts[h]->mtimecmp.load();
      if (timerSignalled_[h])
        continue;
      if (now >= cmp) {
        timerSignalled_[h] = true;
        harts[h]->kick();
      } else {
        next = std::min(next, cmp);
      }
    }
    timerDirty_ = false;
    if (next == ~0ull) {
      cv_.wait(lk, [&] { return stopping_.load() || timerDirty_; });
    } else {
      auto at = Clock::time_point(std::chrono::nanoseconds(
          startNs_ + next * (1000000000 / kTimebaseHz)));
      cv_.wait_until(lk, at, [&] { return stopping_.load() || timerDirty_; });
    }
  }
}

void Machine::watchCode(uint64_t page) {
  if (page == kNotRam)
    return;
  std::lock_guard<std::mutex> lk(codeMu_);
  codePages_.noteCode(page, true);
}

bool Machine::codeWritten(uint64_t &pos, std::vector<uint64_t> &pages) {
  std::lock_guard<std::mutex> lk(codeMu_);
  codePages_.takeDirty(writtenLog_);
  uint64_t end = writtenLogBase_ + writtenLog_.size();
  bool complete = pos >= writtenLogBase_ && !codePages_.missedWrites();
  if (complete)
    pages.insert(pages.end(), writtenLog_.begin() + (pos - writtenLogBase_), writtenLog_.end());
  pos = end;
  // The log is bounded: a hart that is this far behind checks everything.
  if (writtenLog_.size() > (1u << 16)) {
    size_t drop = writtenLog_.size() / 2;
    writtenLog_.erase(writtenLog_.begin(), writtenLog_.begin() + drop);
    writtenLogBase_ += drop;
  }
  return complete;
}

int Machine::run() {
  static std::once_flag once;
  std::call_once(once, [&] {
    segvPages = &codePages_;
    struct sigaction sa{};
    sa.sa_sigaction = onSegv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previousSegv);
  });
  for (;;) {
    std::thread timer([this] { timerLoop(); });
    std::vector<std::thread> threads;
    hartsRunning_.store(true);
    for (auto &h : harts)
      threads.emplace_back([&h] { h->run(); });
    for (std::thread &t : threads)
      t.join();
    hartsRunning_.store(false);
    timer.join();
    std::unique_lock<std::mutex> lk(mu_);
    if (!resetRequested_)
      return status_;
    resetRequested_ = false;
    stopping_.store(false);
    lk.unlock();
    // The devices start again as at power-on: no rings in the new RAM.
    for (auto &v : virtio_)
      v->resetTransport();
    // Fresh zero pages in place of the old RAM: cheaper than clearing it,
    // and untouched pages cost nothing.
    if (mmap(ram_, cfg_.ramBytes, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED) {
      fprintf(stderr, "xlat-system: reset: cannot map guest RAM\n");
      return 1;
    }
    // The new RAM is writable throughout: nothing is watched.
    {
      std::lock_guard<std::mutex> code(codeMu_);
      codePages_.forget(0, cfg_.ramBytes);
    }
    std::string err;
    if (!loadImages(err)) {
      fprintf(stderr, "xlat-system: reset: %s\n", err.c_str());
      return 1;
    }
  }
}

} // namespace xlat::sysemu
