// virtio over MMIO (the virtio 1.x "virtio-mmio" transport, version 2) and
// the devices behind it. The transport owns the registers, the feature
// handshake and the split virtqueues; a VirtioDevice says what it is and
// serves the requests its queues carry. An empty slot (no device) reads
// DeviceID 0, which the kernel skips, as on qemu's virt board.
#pragma once

#include "sysemu/bus.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace xlat::sysemu {

// One buffer of a descriptor chain, in host memory.
struct VirtioBuffer {
  uint8_t *data;
  uint32_t len;
  bool deviceWritable;
};

class VirtioDevice {
public:
  virtual ~VirtioDevice() = default;
  virtual uint32_t deviceId() const = 0;
  virtual uint64_t features() const = 0; // device-specific bits
  virtual unsigned queues() const = 0;
  virtual uint8_t configByte(uint64_t off) const = 0;
  // Serves one request (a descriptor chain); returns the bytes written
  // into device-writable buffers.
  virtual uint32_t serve(unsigned queue, const std::vector<VirtioBuffer> &chain) = 0;
  // A queue whose buffers the device fills when it has something (a
  // network card's receive queue) is not served on the driver's notify:
  // the device is told buffers were added, and fills them through
  // VirtioMmio::deliver from a thread of its own.
  virtual bool servesOnNotify(unsigned queue) const { return true; }
  virtual void buffersAdded(unsigned queue) {}
  // The transport the device is behind (called once, at creation).
  virtual void attach(class VirtioMmio &transport) {}
  // The driver reset the device, or the machine was reset: what the
  // device holds for the driver goes.
  virtual void reset() {}
};

class VirtioMmio final : public Device {
public:
  // bus: where descriptors and buffers live (guest RAM).
  VirtioMmio(const Bus &bus, IrqLine &irq, unsigned source,
             std::unique_ptr<VirtioDevice> dev);
  uint64_t read(uint64_t off, unsigned size) override;
  void write(uint64_t off, unsigned size, uint64_t v) override;
  // Device-initiated: writes data into the next chain the driver made
  // available on queue, marks it used and interrupts; false when the
  // driver has made none available (or is not ready).
  bool deliver(unsigned queue, const uint8_t *data, size_t n);
  // While the machine is paused (a snapshot copies RAM and the rings),
  // nothing is delivered; devices are told buffers may be there again
  // when it goes on.
  void setQuiesced(bool q);
  // The machine's reset: as the driver's.
  void resetTransport();
  // The transport's registers and queues (a disk's contents are the
  // machine's to save: Machine::saveState).
  void save(StateWriter &w) override;
  bool load(StateReader &r) override;

private:
  struct Queue {
    uint32_t num = 0;
    bool ready = false;
    uint64_t desc = 0, avail = 0, used = 0;
    uint16_t lastAvail = 0;
  };
  static constexpr uint32_t kQueueMax = 256;
  void notify(unsigned q);
  // The queue's rings in host memory, when the driver set them up.
  bool rings(const Queue &q, uint8_t *&avail, uint8_t *&used) const;
  void pushUsed(Queue &q, uint8_t *used, uint16_t head, uint32_t written);
  bool chain(const Queue &q, uint16_t head, std::vector<VirtioBuffer> &out);
  void reset();
  void updateIrq();

  const Bus &bus_;
  IrqLine &irq_;
  unsigned source_;
  std::mutex mu_;
  uint32_t status_ = 0, interruptStatus_ = 0;
  uint32_t deviceFeaturesSel_ = 0, driverFeaturesSel_ = 0, queueSel_ = 0;
  uint64_t driverFeatures_ = 0;
  std::vector<Queue> queues_;
  bool quiesced_ = false;
  // Last: a device's thread (the network's) may use the above until the
  // device is gone.
  std::unique_ptr<VirtioDevice> dev_;
};

// virtio-blk on a raw image file (-drive file=IMG,format=raw,if=virtio).
class VirtioBlk final : public VirtioDevice {
public:
  // Opens the image; false with err set when it cannot.
  bool open(const std::string &path, bool readOnly, std::string &err);
  ~VirtioBlk() override;
  uint32_t deviceId() const override { return 2; }
  uint64_t features() const override;
  unsigned queues() const override { return 1; }
  uint8_t configByte(uint64_t off) const override;
  uint32_t serve(unsigned queue, const std::vector<VirtioBuffer> &chain) override;

private:
  int fd_ = -1;
  bool readOnly_ = false;
  uint64_t sectors_ = 0;
  // Reads land here, then are copied into RAM: the host kernel would get
  // EFAULT, where a copy takes the fault, on a page write-protected
  // because code was translated from it (Machine::watchCode).
  std::vector<uint8_t> bounce_;
};

} // namespace xlat::sysemu
