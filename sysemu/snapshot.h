// Machine snapshots (the monitor's savevm/loadvm/delvm, -loadvm): the
// whole machine in one file, in the format docs/snapshot-format.md
// describes. Each part of the machine writes and reads its own state
// through StateWriter/StateReader.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace xlat::sysemu {

class Machine;

// Little-endian fields, appended.
class StateWriter {
public:
  void u8(uint8_t v) { bytes(&v, 1); }
  void u32(uint32_t v) { bytes(&v, 4); }
  void u64(uint64_t v) { bytes(&v, 8); }
  void bytes(const void *p, size_t n) {
    auto *b = static_cast<const uint8_t *>(p);
    data.insert(data.end(), b, b + n);
  }
  void blob(const std::vector<uint8_t> &v) {
    u64(v.size());
    bytes(v.data(), v.size());
  }
  std::vector<uint8_t> data;
};

// Reads what a StateWriter wrote; a read past the end fails, and stays
// failed (ok() is false): callers check once at the end.
class StateReader {
public:
  StateReader(const uint8_t *p, size_t n) : p_(p), n_(n) {}
  uint8_t u8() {
    uint8_t v = 0;
    bytes(&v, 1);
    return v;
  }
  uint32_t u32() {
    uint32_t v = 0;
    bytes(&v, 4);
    return v;
  }
  uint64_t u64() {
    uint64_t v = 0;
    bytes(&v, 8);
    return v;
  }
  bool bytes(void *dst, size_t n) {
    if (!ok_ || n > n_ - at_) {
      ok_ = false;
      return false;
    }
    memcpy(dst, p_ + at_, n);
    at_ += n;
    return true;
  }
  std::vector<uint8_t> blob() {
    uint64_t n = u64();
    if (!ok_ || n > n_ - at_) {
      ok_ = false;
      return {};
    }
    std::vector<uint8_t> v(p_ + at_, p_ + at_ + n);
    at_ += n;
    return v;
  }
  bool ok() const { return ok_; }
  bool atEnd() const { return at_ == n_; }

private:
  const uint8_t *p_;
  size_t n_, at_ = 0;
  bool ok_ = true;
};

// Where a machine's snapshots live and how they are written and read.
class Snapshots {
public:
  // dir: --snapshot-dir, else next to the first disk image
  // (IMG.snapshots/), else $XDG_DATA_HOME/xlat/snapshots.
  Snapshots(Machine &m, std::string dir);
  // Each returns "" on success, else one line saying why; the machine
  // goes on either way (a failed load leaves it as it was).
  std::string save(const std::string &name);
  std::string load(const std::string &name);
  std::string remove(const std::string &name);
  // `info snapshots`.
  std::string list();
  const std::string &dir() const { return dir_; }

private:
  std::string path(const std::string &name, std::string &err);

  Machine &m_;
  std::string dir_;
};

} // namespace xlat::sysemu
