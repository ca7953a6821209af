// The pieces of a divergence report every ISA's plug prints with: a diff
// table of two outcomes and a state in columns.
#pragma once

#include <cstdint>
#include <cstdio>
#include <vector>

namespace xlat::lockstep {

// The diff table: its header names the two engines; a row is printed only
// where the two values differ.
void diffHeader(FILE *out, const char *nameA, const char *nameB);
void diffLine(FILE *out, const char *name, uint64_t a, uint64_t b);
void diffText(FILE *out, const char *name, const char *a, const char *b);
// A register file's rows: "x0", "x1", ... for prefix "x".
void diffRegisters(FILE *out, const char *prefix, const uint64_t *a, const uint64_t *b,
                   unsigned n);
// The first 16 bytes where two memories differ, a row each.
void diffMemory(FILE *out, const std::vector<uint8_t> &a, const std::vector<uint8_t> &b);

// Registers as "x5 =0123...", `perLine` to a line.
class Columns {
public:
  Columns(FILE *out, unsigned perLine) : out_(out), perLine_(perLine) {}
  ~Columns() { end(); }
  void item(const char *reg, unsigned n, uint64_t v);
  // "v3 =hi:lo", for a 128-bit register.
  void item(const char *reg, unsigned n, uint64_t hi, uint64_t lo);
  // Ends a partly filled line.
  void end();

private:
  void next();
  FILE *out_;
  unsigned perLine_, col_ = 0;
};

} // namespace xlat::lockstep
