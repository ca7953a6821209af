// The virt machine: RAM, boot ROM, devices, device tree, harts, and the
// clock that drives the timer interrupts. Its memory map follows QEMU's
// `-M virt`, which Linux and OpenSBI know (docs/sysemu.md).
#pragma once

#include "aot/cache.h"
#include "jit/code_pages.h"
#include "sysemu/bus.h"
#include "sysemu/devices/devices.h"
#include "sysemu/devices/net.h"
#include "sysemu/devices/virtio.h"
#include "sysemu/hart.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace xlat::sysemu {

struct Drive {
  std::string path;
  bool readOnly = false;
};

// -device virtio-net-device,netdev=ID[,mac=...] on a -netdev user.
struct NicConfig {
  std::string netdev;
  std::array<uint8_t, 6> mac{0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
};

struct MachineConfig {
  uint64_t ramBytes = 128ull << 20;
  unsigned harts = 1;
  std::string bios;   // an ELF or a raw .bin; "none": the kernel runs in M mode
  std::string kernel; // an ELF, or a Linux Image (raw, with its header)
  std::string initrd;
  std::string append;
  bool noReboot = false;
  std::vector<Drive> drives; // virtio-blk, in the virtio-mmio slots in order
  std::vector<UserNetConfig> netdevs;
  std::vector<NicConfig> nics; // virtio-net, in the slots after the drives
  jit::Tier tier = jit::Tier::Template;
  uint64_t hotThreshold = 30000; // adaptive: runs that make a block hot
  // The translation cache, for the LLVM tiers' code (aot/cache.h), in a
  // file per decode context keyed by the kernel's (else the firmware's)
  // bytes.
  aot::CacheOptions cache;
};

// How run() ended: the status xlat-system exits with.
enum ExitStatus : int {
  kExitPoweredOff = 0,
  kExitGuestCrash = 2, // a trap in the M-mode trap handler itself
};

class StateReader;
class StateWriter;

class Machine {
public:
  static constexpr uint64_t kRomBase = 0x1000, kRomSize = 0x1000;
  static constexpr uint64_t kTestBase = 0x100000, kRtcBase = 0x101000;
  static constexpr uint64_t kClintBase = 0x2000000, kClintSize = 0x10000;
  static constexpr uint64_t kPlicBase = 0xc000000, kPlicSize = 0x600000;
  static constexpr uint64_t kUartBase = 0x10000000;
  static constexpr uint64_t kVirtioBase = 0x10001000, kVirtioSize = 0x1000;
  static constexpr unsigned kVirtioSlots = 8, kVirtioIrq = 1; // + slot
  static constexpr uint64_t kRamBase = 0x80000000;
  static constexpr unsigned kUartIrq = 10, kRtcIrq = 11;
  static constexpr uint64_t kTimebaseHz = 10000000;

  explicit Machine(MachineConfig cfg);
  ~Machine();

  // Maps memory, loads the firmware, kernel and initrd, builds the device
  // tree and the boot ROM. False with a one-line reason on bad input.
  bool boot(std::string &err);
  // Runs the harts until the guest powers off (or resets, with -no-reboot,
  // or crashes); the exit status.
  int run();

  // From devices and harts.
  void powerOff(int status);
  void requestReset();
  void guestCrash(const std::string &why);
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  const std::atomic<bool> &stoppingFlag() const { return stopping_; }

  // The monitor's stop and cont (and -S without gdb): every hart parks at
  // its next safe point; pause() returns once all have. Nested: harts go
  // on when every pause() has had its resume(). The clock runs on.
  // wait = false: before the harts run (-S), nobody to wait for. True if
  // every hart parked (within a second: one gdb holds does not).
  bool pause(bool wait = true);
  void resume();
  bool paused() const { return pauseRequested_.load(std::memory_order_acquire); }
  // A hart's safe point: waits while the machine is paused.
  void parkIfPaused();
  // Seconds since the machine started (the clock mtime counts).
  double uptime() const;
  // Snapshots (snapshot.h), with the harts paused: every hart, the clock,
  // each device by its address, RAM, and the contents of writable disks.
  // loadState returns why it failed ("" when it did not).
  // saveState returns why it failed ("" when it did not).
  std::string saveState(StateWriter &w);
  std::string loadState(StateReader &r);
  // What a snapshot must match to be loaded: harts, RAM size, disks.
  uint64_t configHash() const;
  // The most state bytes a snapshot of this machine can hold.
  uint64_t maxStateBytes() const;
  // The counters of --stats and the monitor's `info jit`.
  void printStats(FILE *out, double wallSeconds);

  // -s, -gdb: serves gdb on `where` (a TCP port on the loopback interface
  // or a Unix socket path), each hart a gdb thread (sysemu/gdb_target.cpp);
  // startStopped (-S): the harts wait for gdb before their first
  // instruction. False with err.
  bool attachGdb(const std::string &where, bool startStopped, std::string &err);
  debug::GdbServer *gdb() { return gdb_.get(); }
  void timerChanged(); // a mtimecmp was written
  uint64_t mtime() const;
  void consoleOut(uint8_t byte);
  void consoleIn(uint8_t byte) { uart_->receive(byte); }

  // Write tracking of the RAM that harts translated code from
  // (jit/code_pages.h, pages of RAM numbered from its base). A hart
  // watches a page before it reads code there to keep; at fence.i it asks
  // which pages were written since its last look.
  //
  // The RAM page of host address p, or kNotRam.
  static constexpr uint64_t kNotRam = ~0ull;
  uint64_t ramPage(const uint8_t *p) const {
    return p >= ram_ && p < ram_ + cfg_.ramBytes ? uint64_t(p - ram_) >> 12 : kNotRam;
  }
  void watchCode(uint64_t page);
  // Appends the pages written since `pos` (a position in the machine's
  // log of them, from 0) and advances it; false if writes may have gone
  // unseen since (a page the host would not protect, or a position the log
  // has dropped): then every translation must be checked.
  bool codeWritten(uint64_t &pos, std::vector<uint64_t> &pages);

  const MachineConfig &config() const { return cfg_; }
  Bus bus;
  std::vector<std::unique_ptr<Hart>> harts;
  Plic &plic() { return *plic_; }

private:
  bool loadImages(std::string &err);
  std::string applyState(StateReader &r, const std::vector<int> &diskFds);
  void timerLoop();

  MachineConfig cfg_;
  uint8_t *ram_ = nullptr;
  uint8_t rom_[kRomSize] = {};
  std::unique_ptr<Clint> clint_;
  std::unique_ptr<Plic> plic_;
  std::unique_ptr<Uart16550> uart_;
  std::unique_ptr<TestDevice> test_;
  std::unique_ptr<GoldfishRtc> rtc_;
  std::vector<std::unique_ptr<VirtioMmio>> virtio_;
  std::vector<VirtioNet *> nets_; // owned by their transports
  std::vector<uint8_t> fdt_;
  CodePages codePages_;
  std::mutex codeMu_; // noteCode, and the log below
  std::vector<uint64_t> writtenLog_;
  uint64_t writtenLogBase_ = 0; // the position of writtenLog_[0]
  std::atomic<uint64_t> startNs_{0}; // moved by a snapshot's load

  std::mutex pauseMu_;
  std::condition_variable pauseCv_;
  std::atomic<bool> pauseRequested_{false};
  std::atomic<bool> hartsRunning_{false}; // run() has started them
  unsigned pauses_ = 0, parkedHarts_ = 0;
  std::unique_ptr<debug::DebugTarget> gdbTarget_;
  std::unique_ptr<debug::GdbServer> gdb_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_; // stop/reset requests; timer changes
  bool resetRequested_ = false;
  int status_ = kExitPoweredOff;
  std::vector<bool> timerSignalled_;
  bool timerDirty_ = false;
};

// The machine of this process (one per xlat-system).
Machine &machine();

} // namespace xlat::sysemu
