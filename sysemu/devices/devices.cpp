#include "sysemu/devices/devices.h"

#include "sysemu/snapshot.h"
#include "sysemu/trace.h"

#include "sysemu/machine.h"

#include <ctime>

namespace xlat::sysemu {

namespace {
// A 4-byte access to half of a 64-bit register, or an 8-byte one to all.
uint64_t readPart(uint64_t reg, uint64_t off, unsigned size) {
  return size == 8 ? reg : (uint32_t)(reg >> (8 * (off & 4)));
}
uint64_t writePart(uint64_t reg, uint64_t off, unsigned size, uint64_t v) {
  if (size == 8)
    return v;
  unsigned shift = 8 * (off & 4);
  return (reg & ~(0xffffffffull << shift)) | (uint64_t)(uint32_t)v << shift;
}
} // namespace

// --- CLINT

uint64_t Clint::read(uint64_t off, unsigned size) {
  if (off < 0x4000) {
    unsigned h = off / 4;
    return h < m_.harts.size() && (m_.harts[h]->lines() & kMSIP) ? 1 : 0;
  }
  if (off >= 0x4000 && off < 0xbff8) {
    unsigned h = (off - 0x4000) / 8;
    return h < m_.harts.size() ? readPart(m_.harts[h]->mtimecmp.load(), off, size) : 0;
  }
  if (off >= 0xbff8 && off < 0xc000)
    return readPart(m_.mtime(), off, size);
  return 0;
}

void Clint::write(uint64_t off, unsigned size, uint64_t v) {
  if (off < 0x4000) {
    unsigned h = off / 4;
    if (h < m_.harts.size() && (off & 3) == 0)
      m_.harts[h]->setLine(kMSIP, v & 1);
    return;
  }
  if (off >= 0x4000 && off < 0xbff8) {
    unsigned h = (off - 0x4000) / 8;
    if (h >= m_.harts.size())
      return;
    Hart &hart = *m_.harts[h];
    hart.mtimecmp.store(writePart(hart.mtimecmp.load(), off, size, v));
    m_.timerChanged();
  }
}

// --- PLIC

Plic::Plic(Machine &m) : m_(m) {
  enable_.assign(contexts() * kWords, 0);
  threshold_.assign(contexts(), 0);
}

unsigned Plic::contexts() const { return 2 * m_.config().harts; }

// The highest-priority pending, enabled source above the context's
// threshold (lowest number on ties); 0 if none.
unsigned Plic::best(unsigned ctx) const {
  unsigned found = 0;
  uint32_t prio = threshold_[ctx];
  for (unsigned s = 1; s < kSources; s++)
    if (pending_[s] && !claimed_[s] && priority_[s] > prio &&
        (enable_[ctx * kWords + s / 32] >> (s % 32) & 1)) {
      found = s;
      prio = priority_[s];
    }
  return found;
}

void Plic::update() {
  for (unsigned ctx = 0; ctx < contexts(); ctx++)
    m_.harts[ctx / 2]->setLine(ctx % 2 ? kSEIP : kMEIP, best(ctx) != 0);
}

void Plic::setIrq(unsigned source, bool level) {
  if (source == 0 || source >= kSources)
    return;
  std::lock_guard<std::mutex> lk(mu_);
  if (level_[source] == level)
    return;
  if (tracing(TraceEvent::PlicSetIrq))
    trace(TraceEvent::PlicSetIrq, "source %u level %d", source, int(level));
  level_[source] = level;
  if (level && !claimed_[source])
    pending_[source] = true;
  if (!level)
    pending_[source] = false;
  update();
}

uint64_t Plic::read(uint64_t off, unsigned size) {
  std::lock_guard<std::mutex> lk(mu_);
  if (off < 4 * kSources)
    return priority_[off / 4];
  if (off >= 0x1000 && off < 0x1000 + 4 * kWords) {
    uint32_t w = 0;
    unsigned base = (off - 0x1000) / 4 * 32;
    for (unsigned i = 0; i < 32 && base + i < kSources; i++)
      w |= uint32_t(pending_[base + i]) << i;
    return w;
  }
  if (off >= 0x2000 && off < 0x2000 + 0x80 * contexts()) {
    unsigned ctx = (off - 0x2000) / 0x80, word = (off - 0x2000) % 0x80 / 4;
    return word < kWords ? enable_[ctx * kWords + word] : 0;
  }
  if (off >= 0x200000 && off < 0x200000 + 0x1000 * contexts()) {
    unsigned ctx = (off - 0x200000) / 0x1000;
    switch ((off - 0x200000) % 0x1000) {
    case 0:
      return threshold_[ctx];
    case 4: { // claim
      unsigned s = best(ctx);
      if (s) {
        pending_[s] = false;
        claimed_[s] = true;
        update();
      }
      return s;
    }
    }
  }
  return 0;
}

void Plic::write(uint64_t off, unsigned size, uint64_t v) {
  std::lock_guard<std::mutex> lk(mu_);
  if (off < 4 * kSources) {
    if (off / 4)
      priority_[off / 4] = v & 7;
  } else if (off >= 0x2000 && off < 0x2000 + 0x80 * contexts()) {
    unsigned ctx = (off - 0x2000) / 0x80, word = (off - 0x2000) % 0x80 / 4;
    if (word < kWords)
      enable_[ctx * kWords + word] = word == 0 ? v & ~1u : v;
  } else if (off >= 0x200000 && off < 0x200000 + 0x1000 * contexts()) {
    unsigned ctx = (off - 0x200000) / 0x1000;
    switch ((off - 0x200000) % 0x1000) {
    case 0:
      threshold_[ctx] = v & 7;
      break;
    case 4: // complete: a source still asserted is pending again
      if (v > 0 && v < kSources && claimed_[v]) {
        claimed_[v] = false;
        if (level_[v])
          pending_[v] = true;
      }
      break;
    }
  } else {
    return;
  }
  update();
}

// --- NS16550A

namespace {
enum : uint8_t {
  kIerRx = 1, kIerThre = 2,
  kLsrDataReady = 0x01, kLsrThre = 0x20, kLsrTemt = 0x40,
  kLcrDlab = 0x80, kMcrLoop = 0x10,
  kIirNone = 0x01, kIirThre = 0x02, kIirRx = 0x04, kIirFifo = 0xc0,
};
} // namespace

void Uart16550::update() {
  bool level = ((ier_ & kIerRx) && !rx_.empty()) || ((ier_ & kIerThre) && thrPending_);
  irq_.setIrq(source_, level);
}

void Uart16550::receive(uint8_t byte) {
  std::lock_guard<std::mutex> lk(mu_);
  if (rx_.size() < 4096)
    rx_.push_back(byte);
  update();
}

uint64_t Uart16550::read(uint64_t off, unsigned size) {
  std::lock_guard<std::mutex> lk(mu_);
  uint8_t v = 0;
  switch (off) {
  case 0:
    if (lcr_ & kLcrDlab) {
      v = dll_;
    } else if (!rx_.empty()) {
      v = rx_.front();
      rx_.pop_front();
    }
    break;
  case 1:
    v = lcr_ & kLcrDlab ? dlm_ : ier_;
    break;
  case 2:
    if ((ier_ & kIerRx) && !rx_.empty()) {
      v = kIirRx;
    } else if ((ier_ & kIerThre) && thrPending_) {
      v = kIirThre;
      thrPending_ = false; // reading the cause acknowledges it
    } else {
      v = kIirNone;
    }
    if (fifo_)
      v |= kIirFifo;
    break;
  case 3: v = lcr_; break;
  case 4: v = mcr_; break;
  case 5: v = kLsrThre | kLsrTemt | (rx_.empty() ? 0 : kLsrDataReady); break;
  case 6:
    // Loopback wires DTR, RTS, OUT1, OUT2 to DSR, CTS, RI, DCD; otherwise
    // a modem that is always there (DCD, DSR, CTS).
    v = mcr_ & kMcrLoop ? ((mcr_ & 1) << 5 | (mcr_ & 2) << 3 | (mcr_ & 4) << 4 |
                           (mcr_ & 8) << 4)
                        : 0xb0;
    break;
  case 7: v = scr_; break;
  }
  update();
  return v;
}

void Uart16550::write(uint64_t off, unsigned size, uint64_t value) {
  std::lock_guard<std::mutex> lk(mu_);
  uint8_t v = uint8_t(value);
  switch (off) {
  case 0:
    if (lcr_ & kLcrDlab) {
      dll_ = v;
      return;
    }
    if (mcr_ & kMcrLoop)
      rx_.push_back(v);
    else
      out_(v);
    thrPending_ = true; // sent at once: the holding register is empty
    break;
  case 1:
    if (lcr_ & kLcrDlab) {
      dlm_ = v;
      return;
    }
    if ((v & kIerThre) && !(ier_ & kIerThre))
      thrPending_ = true;
    ier_ = v & 0x0f;
    break;
  case 2:
    fifo_ = v & 1;
    if (v & 2)
      rx_.clear();
    break;
  case 3: lcr_ = v; break;
  case 4: mcr_ = v & 0x1f; break;
  case 7: scr_ = v; break;
  }
  update();
}

// --- test device

void TestDevice::write(uint64_t off, unsigned size, uint64_t v) {
  if (off != 0)
    return;
  switch (v & 0xffff) {
  case 0x5555: m_.powerOff(kExitPoweredOff); break;
  case 0x3333: m_.powerOff(int((v >> 16) & 0xffff)); break;
  case 0x7777: m_.requestReset(); break;
  }
}

// --- goldfish RTC

uint64_t GoldfishRtc::read(uint64_t off, unsigned size) {
  std::lock_guard<std::mutex> lk(mu_);
  if (off == 0) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
    high_ = ns >> 32;
    return (uint32_t)ns;
  }
  if (off == 4)
    return high_;
  return 0;
}

// --- Snapshots -----------------------------------------------------------------

void Plic::save(StateWriter &w) {
  std::lock_guard<std::mutex> lk(mu_);
  for (unsigned i = 0; i < kSources; i++) {
    w.u32(priority_[i]);
    w.u8(uint8_t(level_[i] | pending_[i] << 1 | claimed_[i] << 2));
  }
  w.u32(uint32_t(enable_.size()));
  for (uint32_t e : enable_)
    w.u32(e);
  w.u32(uint32_t(threshold_.size()));
  for (uint32_t t : threshold_)
    w.u32(t);
}

bool Plic::load(StateReader &r) {
  std::lock_guard<std::mutex> lk(mu_);
  for (unsigned i = 0; i < kSources; i++) {
    priority_[i] = r.u32();
    uint8_t b = r.u8();
    level_[i] = b & 1, pending_[i] = b & 2, claimed_[i] = b & 4;
  }
  if (r.u32() != enable_.size())
    return false;
  for (uint32_t &e : enable_)
    e = r.u32();
  if (r.u32() != threshold_.size())
    return false;
  for (uint32_t &t : threshold_)
    t = r.u32();
  if (!r.ok())
    return false;
  update();
  return true;
}

void Uart16550::save(StateWriter &w) {
  std::lock_guard<std::mutex> lk(mu_);
  for (uint8_t v : {ier_, lcr_, mcr_, scr_, dll_, dlm_})
    w.u8(v);
  w.u8(uint8_t(fifo_ | thrPending_ << 1));
  w.u32(uint32_t(rx_.size()));
  for (uint8_t b : rx_)
    w.u8(b);
}

bool Uart16550::load(StateReader &r) {
  std::lock_guard<std::mutex> lk(mu_);
  for (uint8_t *v : {&ier_, &lcr_, &mcr_, &scr_, &dll_, &dlm_})
    *v = r.u8();
  uint8_t b = r.u8();
  fifo_ = b & 1, thrPending_ = b & 2;
  uint32_t n = r.u32();
  if (!r.ok() || n > (1u << 20))
    return false;
  rx_.clear();
  for (uint32_t i = 0; i < n; i++)
    rx_.push_back(r.u8());
  if (!r.ok())
    return false;
  update();
  return true;
}

void GoldfishRtc::save(StateWriter &w) {
  std::lock_guard<std::mutex> lk(mu_);
  w.u32(high_);
}

bool GoldfishRtc::load(StateReader &r) {
  std::lock_guard<std::mutex> lk(mu_);
  high_ = r.u32();
  return r.ok();
}

} // namespace xlat::sysemu
