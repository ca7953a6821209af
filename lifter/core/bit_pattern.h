// The bit patterns of the decode tables of every guest ISA ("0000000 -----
// ... 0110011"): '0' and '1' are fixed bits, '-' a field bit, spaces only
// group for the reader.
#pragma once

#include <cstdint>
#include <string_view>

namespace xlat {

struct BitPattern {
  uint32_t mask = 0, match = 0;
};

// The pattern's first character is bit `topBit` (31 or 15).
constexpr BitPattern parseBitPattern(std::string_view pat, int topBit) {
  BitPattern p;
  int bit = topBit;
  for (char c : pat) {
    if (c == ' ')
      continue;
    if (c == '0' || c == '1') {
      p.mask |= 1u << bit;
      if (c == '1')
        p.match |= 1u << bit;
    }
    --bit;
  }
  return p;
}

// How many bits the pattern spells out (the tables check 32 or 16).
constexpr int countPatternBits(std::string_view pat) {
  int n = 0;
  for (char c : pat)
    n += c != ' ';
  return n;
}

} // namespace xlat
