#include "sysemu/devices/virtio.h"

#include "sysemu/snapshot.h"
#include "sysemu/trace.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace xlat::sysemu {

namespace {
enum : uint64_t {
  kMagic = 0x74726976, // "virt"
  kVendor = 0x54414c58, // "XLAT"
  kFeatureVersion1 = 1ull << 32,
  kStatusDriverOk = 4,
  kDescNext = 1, kDescWrite = 2,
};

template <typename T> T rd(const uint8_t *p) {
  T v;
  memcpy(&v, p, sizeof v);
  return v;
}
template <typename T> void wr(uint8_t *p, T v) { memcpy(p, &v, sizeof v); }
} // namespace

VirtioMmio::VirtioMmio(const Bus &bus, IrqLine &irq, unsigned source,
                       std::unique_ptr<VirtioDevice> dev)
    : bus_(bus), irq_(irq), source_(source), dev_(std::move(dev)) {
  queues_.resize(dev_ ? dev_->queues() : 0);
  if (dev_)
    dev_->attach(*this);
}

void VirtioMmio::setQuiesced(bool q) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    quiesced_ = q;
  }
  if (!q && dev_)
    for (unsigned i = 0; i < queues_.size(); i++)
      if (!dev_->servesOnNotify(i))
        dev_->buffersAdded(i);
}

void VirtioMmio::resetTransport() {
  std::lock_guard<std::mutex> lk(mu_);
  reset();
}

void VirtioMmio::reset() {
  if (dev_)
    dev_->reset();
  status_ = interruptStatus_ = 0;
  deviceFeaturesSel_ = driverFeaturesSel_ = queueSel_ = 0;
  driverFeatures_ = 0;
  for (Queue &q : queues_)
    q = Queue{};
  updateIrq();
}

void VirtioMmio::updateIrq() { irq_.setIrq(source_, interruptStatus_ != 0); }

uint64_t VirtioMmio::read(uint64_t off, unsigned size) {
  std::lock_guard<std::mutex> lk(mu_);
  if (off >= 0x100)
    return dev_ ? dev_->configByte(off - 0x100) |
                      (size > 1 ? uint64_t(dev_->configByte(off - 0x100 + 1)) << 8 : 0) |
                      (size > 2 ? uint64_t(dev_->configByte(off - 0x100 + 2)) << 16 |
                                      uint64_t(dev_->configByte(off - 0x100 + 3)) << 24
                                : 0)
                : 0;
  Queue *q = queueSel_ < queues_.size() ? &queues_[queueSel_] : nullptr;
  switch (off) {
  case 0x000: return kMagic;
  case 0x004: return 2;
  case 0x008: return dev_ ? dev_->deviceId() : 0;
  case 0x00c: return kVendor;
  case 0x010: {
    uint64_t f = dev_ ? dev_->features() | kFeatureVersion1 : 0;
    return deviceFeaturesSel_ < 2 ? uint32_t(f >> (32 * deviceFeaturesSel_)) : 0;
  }
  case 0x034: return q ? kQueueMax : 0;
  case 0x044: return q && q->ready;
  case 0x060: return interruptStatus_;
  case 0x070: return status_;
  case 0x0fc: return 0; // config generation: the config never changes
  }
  return 0;
}

void VirtioMmio::write(uint64_t off, unsigned size, uint64_t v) {
  std::lock_guard<std::mutex> lk(mu_);
  Queue *q = queueSel_ < queues_.size() ? &queues_[queueSel_] : nullptr;
  uint32_t w = uint32_t(v);
  switch (off) {
  case 0x014: deviceFeaturesSel_ = w; break;
  case 0x020:
    if (driverFeaturesSel_ < 2)
      driverFeatures_ = (driverFeatures_ & ~(0xffffffffull << (32 * driverFeaturesSel_))) |
                        uint64_t(w) << (32 * driverFeaturesSel_);
    break;
  case 0x024: driverFeaturesSel_ = w; break;
  case 0x030: queueSel_ = w; break;
  case 0x038: if (q) q->num = w <= kQueueMax && w && !(w & (w - 1)) ? w : 0; break;
  case 0x044: if (q) q->ready = w & 1; break;
  case 0x050: if (w < queues_.size()) notify(w); break;
  case 0x064: interruptStatus_ &= ~w; updateIrq(); break;
  case 0x070:
    if (w == 0)
      reset();
    else
      status_ = w;
    break;
  case 0x080: if (q) q->desc = (q->desc & ~0xffffffffull) | w; break;
  case 0x084: if (q) q->desc = (q->desc & 0xffffffffull) | uint64_t(w) << 32; break;
  case 0x090: if (q) q->avail = (q->avail & ~0xffffffffull) | w; break;
  case 0x094: if (q) q->avail = (q->avail & 0xffffffffull) | uint64_t(w) << 32; break;
  case 0x0a0: if (q) q->used = (q->used & ~0xffffffffull) | w; break;
  case 0x0a4: if (q) q->used = (q->used & 0xffffffffull) | uint64_t(w) << 32; break;
  }
}

// The buffers of the chain starting at head; false if it leaves guest RAM,
// loops, or is longer than the queue.
bool VirtioMmio::chain(const Queue &q, uint16_t head, std::vector<VirtioBuffer> &out) {
  out.clear();
  uint16_t i = head;
  for (uint32_t n = 0; n < q.num; n++) {
    const MemoryRegion *r = bus_.memory(q.desc + 16ull * (i % q.num), 16);
    if (!r)
      return false;
    const uint8_t *d = r->host + (q.desc + 16ull * (i % q.num) - r->base);
    uint64_t addr = rd<uint64_t>(d);
    uint32_t len = rd<uint32_t>(d + 8);
    uint16_t flags = rd<uint16_t>(d + 12), next = rd<uint16_t>(d + 14);
    const MemoryRegion *buf = len ? bus_.memory(addr, len) : bus_.memory(addr);
    if (!buf || ((flags & kDescWrite) && !buf->writable))
      return false;
    out.push_back({buf->host + (addr - buf->base), len, bool(flags & kDescWrite)});
    if (!(flags & kDescNext))
      return true;
    i = next;
  }
  return false;
}

// Serves every request the driver made available, in order, then raises
// the used-buffer interrupt once.
void VirtioMmio::notify(unsigned qi) {
  if (tracing(TraceEvent::VirtioNotify))
    trace(TraceEvent::VirtioNotify, "device %u queue %u",
          dev_ ? dev_->deviceId() : 0, qi);
  Queue &q = queues_[qi];
  uint8_t *avail, *used;
  if (!rings(q, avail, used))
    return;
  if (!dev_->servesOnNotify(qi)) {
    dev_->buffersAdded(qi);
    return;
  }
  std::vector<VirtioBuffer> bufs;
  bool any = false;
  for (;;) {
    uint16_t availIdx = __atomic_load_n(reinterpret_cast<uint16_t *>(avail + 2), __ATOMIC_ACQUIRE);
    if (q.lastAvail == availIdx)
      break;
    uint16_t head = rd<uint16_t>(avail + 4 + 2 * (q.lastAvail % q.num));
    uint32_t written = 0;
    if (chain(q, head, bufs))
      written = dev_->serve(qi, bufs);
    pushUsed(q, used, head, written);
    any = true;
  }
  if (any) {
    interruptStatus_ |= 1;
    updateIrq();
  }
}

bool VirtioMmio::rings(const Queue &q, uint8_t *&avail, uint8_t *&used) const {
  if (!q.ready || !q.num || !(status_ & kStatusDriverOk))
    return false;
  const MemoryRegion *ar = bus_.memory(q.avail, 6 + 2 * q.num);
  const MemoryRegion *ur = bus_.memory(q.used, 6 + 8 * q.num);
  if (!ar || !ur || !ur->writable)
    return false;
  avail = ar->host + (q.avail - ar->base);
  used = ur->host + (q.used - ur->base);
  return true;
}

void VirtioMmio::pushUsed(Queue &q, uint8_t *used, uint16_t head,
                          uint32_t written) {
  uint16_t usedIdx = rd<uint16_t>(used + 2);
  uint8_t *elem = used + 4 + 8 * (usedIdx % q.num);
  wr<uint32_t>(elem, head);
  wr<uint32_t>(elem + 4, written);
  __atomic_store_n(reinterpret_cast<uint16_t *>(used + 2), uint16_t(usedIdx + 1),
                   __ATOMIC_RELEASE);
  q.lastAvail++;
}

bool VirtioMmio::deliver(unsigned qi, const uint8_t *data, size_t n) {
  std::lock_guard<std::mutex> lk(mu_);
  if (qi >= queues_.size() || quiesced_)
    return false;
  Queue &q = queues_[qi];
  uint8_t *avail, *used;
  if (!rings(q, avail, used))
    return false;
  uint16_t availIdx = __atomic_load_n(reinterpret_cast<uint16_t *>(avail + 2), __ATOMIC_ACQUIRE);
  if (q.lastAvail == availIdx)
    return false;
  uint16_t head = rd<uint16_t>(avail + 4 + 2 * (q.lastAvail % q.num));
  std::vector<VirtioBuffer> bufs;
  uint32_t written = 0;
  if (chain(q, head, bufs))
    for (const VirtioBuffer &b : bufs) {
      if (!b.deviceWritable || written == n)
        continue;
      uint32_t k = uint32_t(std::min<size_t>(b.len, n - written));
      memcpy(b.data, data + written, k);
      written += k;
    }
  pushUsed(q, used, head, written);
  interruptStatus_ |= 1;
  updateIrq();
  return true;
}

// --- virtio-blk

namespace {
enum : uint32_t { kBlkIn = 0, kBlkOut = 1, kBlkFlush = 4, kBlkGetId = 8 };
enum : uint8_t { kBlkOk = 0, kBlkIoErr = 1, kBlkUnsupp = 2 };
constexpr uint64_t kBlkFRo = 1ull << 5, kBlkFFlush = 1ull << 9;
} // namespace

bool VirtioBlk::open(const std::string &path, bool readOnly, std::string &err) {
  fd_ = ::open(path.c_str(), (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  struct stat st;
  if (fd_ < 0 || fstat(fd_, &st) != 0) {
    err = path + ": " + strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    err = path + ": not a regular file";
    return false;
  }
  readOnly_ = readOnly;
  sectors_ = st.st_size / 512;
  return true;
}

VirtioBlk::~VirtioBlk() {
  if (fd_ >= 0)
    close(fd_);
}

uint64_t VirtioBlk::features() const {
  return kBlkFFlush | (readOnly_ ? kBlkFRo : 0);
}

// The config space: capacity in 512-byte sectors; the rest reads 0.
uint8_t VirtioBlk::configByte(uint64_t off) const {
  return off < 8 ? uint8_t(sectors_ >> (8 * off)) : 0;
}

// A request is a 16-byte header {type, reserved, sector}, data buffers,
// and a status byte the device writes last.
uint32_t VirtioBlk::serve(unsigned, const std::vector<VirtioBuffer> &chain) {
  if (chain.size() < 2 || chain.front().len < 16 || chain.front().deviceWritable ||
      !chain.back().deviceWritable || chain.back().len < 1)
    return 0;
  const uint8_t *hdr = chain.front().data;
  uint32_t type = rd<uint32_t>(hdr);
  uint64_t sector = rd<uint64_t>(hdr + 8);
  uint8_t *status = chain.back().data;
  uint32_t written = 0;
  uint8_t result = kBlkOk;
  uint64_t pos = sector * 512;
  for (size_t i = 1; i + 1 < chain.size() && result == kBlkOk; i++) {
    const VirtioBuffer &b = chain[i];
    if (pos + b.len > sectors_ * 512 && (type == kBlkIn || type == kBlkOut)) {
      result = kBlkIoErr;
      break;
    }
    switch (type) {
    case kBlkIn:
      bounce_.resize(b.len);
      if (!b.deviceWritable || pread(fd_, bounce_.data(), b.len, pos) != ssize_t(b.len)) {
        result = kBlkIoErr;
      } else {
        memcpy(b.data, bounce_.data(), b.len);
        written += b.len;
      }
      break;
    case kBlkOut:
      if (readOnly_ || pwrite(fd_, b.data, b.len, pos) != ssize_t(b.len))
        result = kBlkIoErr;
      break;
    case kBlkGetId: {
      static const char kId[20] = "xlat-virtio-blk";
      uint32_t n = std::min<uint32_t>(b.len, sizeof kId);
      memcpy(b.data, kId, n);
      written += n;
      break;
    }
    case kBlkFlush:
      break;
    default:
      result = kBlkUnsupp;
    }
    pos += b.len;
  }
  if (type == kBlkFlush && result == kBlkOk && fdatasync(fd_) != 0)
    result = kBlkIoErr;
  *status = result;
  return written + 1;
}

void VirtioMmio::save(StateWriter &w) {
  std::lock_guard<std::mutex> lk(mu_);
  for (uint32_t v : {status_, interruptStatus_, deviceFeaturesSel_,
                     driverFeaturesSel_, queueSel_})
    w.u32(v);
  w.u64(driverFeatures_);
  w.u32(uint32_t(queues_.size()));
  for (const Queue &q : queues_) {
    w.u32(q.num);
    w.u8(q.ready);
    w.u64(q.desc);
    w.u64(q.avail);
    w.u64(q.used);
    w.u32(q.lastAvail);
  }
}

bool VirtioMmio::load(StateReader &r) {
  std::lock_guard<std::mutex> lk(mu_);
  for (uint32_t *v : {&status_, &interruptStatus_, &deviceFeaturesSel_,
                      &driverFeaturesSel_, &queueSel_})
    *v = r.u32();
  driverFeatures_ = r.u64();
  if (r.u32() != queues_.size())
    return false;
  for (Queue &q : queues_) {
    q.num = r.u32();
    q.ready = r.u8();
    q.desc = r.u64();
    q.avail = r.u64();
    q.used = r.u64();
    q.lastAvail = uint16_t(r.u32());
  }
  if (!r.ok())
    return false;
  updateIrq();
  return true;
}

} // namespace xlat::sysemu
