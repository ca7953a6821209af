// The physical address space of a machine: memory regions (RAM and the
// boot ROM) that translated code and the MMU reach by host pointer, and the
// MMIO windows of devices, reached through Device::read/write.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace xlat::sysemu {

// A device register window. Offsets are relative to the window's base;
// size is 1, 2, 4 or 8. Registers that do not exist read 0 and ignore
// writes, as on the virt board. Devices are called from every hart's thread
// and from the console thread: each serialises itself.
class StateWriter;
class StateReader;

class Device {
public:
  virtual ~Device() = default;
  virtual uint64_t read(uint64_t off, unsigned size) = 0;
  virtual void write(uint64_t off, unsigned size, uint64_t v) = 0;
  // Snapshots (snapshot.h): the device's state, with the machine paused.
  // load() is false when the bytes are not what save() wrote.
  virtual void save(StateWriter &) {}
  virtual bool load(StateReader &) { return true; }
};

// What a device's interrupt line is wired to (the PLIC): level-triggered.
class IrqLine {
public:
  virtual ~IrqLine() = default;
  virtual void setIrq(unsigned source, bool level) = 0;
};

struct MemoryRegion {
  uint64_t base, size;
  uint8_t *host;
  bool writable;
  std::string name;
};

struct MmioWindow {
  uint64_t base, size;
  Device *dev;
  std::string name;
};

class Bus {
public:
  void addMemory(uint64_t base, uint64_t size, uint8_t *host, bool writable,
                 std::string name) {
    mem_.push_back({base, size, host, writable, std::move(name)});
  }
  void addDevice(uint64_t base, uint64_t size, Device *dev, std::string name) {
    mmio_.push_back({base, size, dev, std::move(name)});
  }

  // The region holding [pa, pa + len), or null.
  const MemoryRegion *memory(uint64_t pa, uint64_t len = 1) const {
    for (const MemoryRegion &m : mem_)
      if (pa - m.base < m.size && len <= m.size - (pa - m.base))
        return &m;
    return nullptr;
  }
  const MmioWindow *mmio(uint64_t pa) const {
    for (const MmioWindow &w : mmio_)
      if (pa - w.base < w.size)
        return &w;
    return nullptr;
  }
  const std::vector<MemoryRegion> &memories() const { return mem_; }
  const std::vector<MmioWindow> &windows() const { return mmio_; }

private:
  std::vector<MemoryRegion> mem_;
  std::vector<MmioWindow> mmio_;
};

} // namespace xlat::sysemu
