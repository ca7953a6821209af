// Bounds-checked reading of the little-endian byte formats xlat writes
// (code objects, translation cache files): every read says whether the
// bytes were there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace xlat::jit {

class ByteReader {
public:
  ByteReader(const uint8_t *p, size_t n) : p_(p), end_(p + n) {}
  template <typename T> bool get(T &v) { return bytes(&v, sizeof v); }
  bool bytes(void *dst, size_t n) {
    if ((size_t)(end_ - p_) < n)
      return false;
    memcpy(dst, p_, n);
    p_ += n;
    return true;
  }
  size_t left() const { return end_ - p_; }
  bool done() const { return p_ == end_; }

private:
  const uint8_t *p_, *end_;
};

} // namespace xlat::jit
