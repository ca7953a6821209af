// The devices of the virt board (addresses and interrupt numbers in
// sysemu/machine.cpp and docs/sysemu.md).
#pragma once

#include "sysemu/bus.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace xlat::sysemu {

class Hart;
class Machine;

// SiFive CLINT (the ACLINT's MSWI + MTIMER at the classic offsets): msip
// per hart at 0x0, mtimecmp per hart at 0x4000, mtime at 0xbff8. mtime is
// the machine's clock (Machine::mtime, 10 MHz); writes to it are ignored.
class Clint final : public Device {
public:
  explicit Clint(Machine &m) : m_(m) {}
  uint64_t read(uint64_t off, unsigned size) override;
  void write(uint64_t off, unsigned size, uint64_t v) override;

private:
  Machine &m_;
};

// SiFive PLIC: sources 1..kSources-1 (riscv,ndev = 96, as on qemu's
// virt), two contexts per hart (M external interrupt, S external
// interrupt). Level-triggered sources.
class Plic final : public Device, public IrqLine {
public:
  static constexpr unsigned kSources = 97;
  static constexpr unsigned kWords = (kSources + 31) / 32; // per context
  explicit Plic(Machine &m);
  uint64_t read(uint64_t off, unsigned size) override;
  void write(uint64_t off, unsigned size, uint64_t v) override;
  void setIrq(unsigned source, bool level) override;
  void save(StateWriter &w) override;
  bool load(StateReader &r) override;

private:
  unsigned contexts() const;
  void update(); // with mu_ held: recomputes each context's output
  unsigned best(unsigned ctx) const;

  Machine &m_;
  std::mutex mu_;
  uint32_t priority_[kSources] = {};
  bool level_[kSources] = {};
  bool pending_[kSources] = {};
  bool claimed_[kSources] = {};
  std::vector<uint32_t> enable_;    // kWords per context
  std::vector<uint32_t> threshold_; // per context
};

// NS16550A UART: output to the host terminal, input from the console.
class Uart16550 final : public Device {
public:
  Uart16550(IrqLine &irq, unsigned source, std::function<void(uint8_t)> out)
      : irq_(irq), source_(source), out_(std::move(out)) {}
  uint64_t read(uint64_t off, unsigned size) override;
  void write(uint64_t off, unsigned size, uint64_t v) override;
  void receive(uint8_t byte); // from the console
  void save(StateWriter &w) override;
  bool load(StateReader &r) override;

private:
  void update(); // with mu_ held

  IrqLine &irq_;
  unsigned source_;
  std::function<void(uint8_t)> out_;
  std::mutex mu_;
  std::deque<uint8_t> rx_;
  uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, dll_ = 0, dlm_ = 0;
  bool fifo_ = false;
  bool thrPending_ = false; // transmit-holding-empty interrupt not yet seen
};

// SiFive test device ("sifive,test0", also a syscon): 0x5555 powers off,
// 0x3333 | code << 16 powers off with a failure code, 0x7777 resets.
class TestDevice final : public Device {
public:
  explicit TestDevice(Machine &m) : m_(m) {}
  uint64_t read(uint64_t off, unsigned size) override { return 0; }
  void write(uint64_t off, unsigned size, uint64_t v) override;

private:
  Machine &m_;
};

// Goldfish RTC: the host's real time in nanoseconds; reading TIME_LOW
// latches TIME_HIGH. The alarm is not implemented (Linux's rtc driver
// works without it).
class GoldfishRtc final : public Device {
public:
  uint64_t read(uint64_t off, unsigned size) override;
  void write(uint64_t off, unsigned size, uint64_t v) override {}
  void save(StateWriter &w) override;
  bool load(StateReader &r) override;

private:
  std::mutex mu_;
  uint32_t high_ = 0;
};

} // namespace xlat::sysemu
