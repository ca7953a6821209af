// Where translators read guest code from: the runner's guest memory, a byte
// buffer (xlat-lift), or later an AOT input file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace xlat {

class CodeReader {
public:
  virtual ~CodeReader() = default;
  // Copies n bytes of executable guest code at addr; false if any byte is
  // not mapped executable.
  virtual bool read(uint64_t addr, void *dst, size_t n) = 0;
};

// Reads through another reader a chunk at a time: a decoder that fetches
// an instruction's halfwords one by one costs the inner reader one call
// per chunk rather than per halfword (for the runner, a lock and a mapping
// lookup each). A chunk never crosses a page, since permissions are per
// page: if a chunk cannot be read, only the bytes asked for are.
class ChunkedCodeReader final : public CodeReader {
public:
  explicit ChunkedCodeReader(CodeReader &inner) : inner_(inner) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    // Written so that nothing wraps: code can end at 2^64 (a system-mode
    // guest's last page), and the empty chunk starts at 0.
    if (addr >= start_ && n <= len_ && addr - start_ <= len_ - n) {
      memcpy(dst, buf_ + (addr - start_), n);
      return true;
    }
    uint64_t len = kPage - (addr & (kPage - 1));
    if (len > sizeof buf_)
      len = sizeof buf_;
    if (n <= len && inner_.read(addr, buf_, len)) {
      start_ = addr;
      len_ = len;
      memcpy(dst, buf_, n);
      return true;
    }
    return inner_.read(addr, dst, n);
  }

private:
  static constexpr uint64_t kPage = 4096;
  CodeReader &inner_;
  uint64_t start_ = 0, len_ = 0;
  uint8_t buf_[256];
};

} // namespace xlat
