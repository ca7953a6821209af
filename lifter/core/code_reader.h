// Where translators read guest code from: the runner's guest memory, a byte
// buffer (xlat-lift), or later an AOT input file.
#pragma once

#include <cstddef>
#include <cstdint>

namespace xlat {

class CodeReader {
public:
  virtual ~CodeReader() = default;
  // Copies n bytes of executable guest code at addr; false if any byte is
  // not mapped executable.
  virtual bool read(uint64_t addr, void *dst, size_t n) = 0;
};

} // namespace xlat
