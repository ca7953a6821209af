// The bit patterns of the decode tables of every guest ISA ("0000000 -----
// ... 0110011"): '0' and '1' are fixed bits, '-' a field bit, spaces only
// group for the reader.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

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

// Bits hi..lo of an encoding, and a field of `width` bits sign-extended:
// how every decoder reads its fields.
constexpr uint32_t bits(uint32_t v, unsigned hi, unsigned lo) {
  return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}
constexpr int64_t sext(uint64_t v, unsigned width) {
  return static_cast<int64_t>(v << (64 - width)) >> (64 - width);
}

// Orders a decoder's candidate entries (each with an `enc` mask) most
// specific first, table order among equals, so that the first entry whose
// pattern matches is the instruction.
template <class Entry> void mostSpecificFirst(std::vector<const Entry *> &entries) {
  std::sort(entries.begin(), entries.end(), [](const Entry *a, const Entry *b) {
    int pa = __builtin_popcount(a->enc.mask), pb = __builtin_popcount(b->enc.mask);
    return pa != pb ? pa > pb : a < b;
  });
}

} // namespace xlat
