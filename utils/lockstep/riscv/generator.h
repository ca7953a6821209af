// Random instruction streams that both tiers can run to completion.
//
// A stream is `n` instructions followed by an ecall (the terminator). Control
// flow only goes forward, to an instruction start of the same stream or to
// the terminator, so every run ends. Register roles keep streams runnable:
//   x2, x8, x9  data bases: point into the scratch region; the only base
//               registers of loads, stores and atomics (sp for the c.*sp
//               forms, x8/x9 for the CL/CS forms). Only `addi base, base,
//               small` may write them.
//   x31         the terminator's address: the base of every jalr/c.jr.
// Everything else is drawn from the tables (encodings.h) with random field
// bits, then checked on the decoded instruction.
#pragma once

#include "lifter/riscv/state.h"
#include "utils/lockstep/encodings.h"
#include "utils/lockstep/rng.h"

#include <cstdint>
#include <vector>

namespace xlat::lockstep {

constexpr uint8_t kDataBases[] = {2, 8, 9};
constexpr uint8_t kEndReg = 31;
bool isDataBase(unsigned r);
bool isReservedReg(unsigned r);

// The CSRs streams access: the FP CSRs, and one that does not exist (an
// illegal-instruction trap in both tiers). Never the counters: they differ
// between any two runs.
using rv::kCsrFflags, rv::kCsrFrm, rv::kCsrFcsr;
constexpr uint16_t kCsrMissing = 0x7c0;

struct StreamInsn {
  uint64_t pc;
  uint32_t raw;
  uint8_t len;
  int encoding;  // index into Generator::encodings(); -1 for the terminator
};

struct Stream {
  uint64_t pc = 0;
  uint64_t endPc = 0;              // the terminator's address
  std::vector<uint8_t> bytes;      // code, terminator included
  std::vector<StreamInsn> insns;   // in address order, terminator last
};

class Generator {
public:
  explicit Generator(std::vector<Encoding> encodings);
  bool empty() const { return encodings_.empty(); }
  const std::vector<Encoding> &encodings() const { return encodings_; }

  // `n` instructions plus the terminator, at guest address `pc` (even).
  Stream generate(Rng &rng, uint64_t pc, unsigned n) const;

private:
  struct Context;
  bool acceptable(const rv::Insn &in, const Context &cx) const;
  bool drawBase(Rng &rng, const Encoding &e, const Context &cx,
                uint32_t &raw) const;
  bool drawCompressed(Rng &rng, const Encoding &e, const Context &cx,
                      uint16_t &raw) const;

  std::vector<Encoding> encodings_;
  std::vector<int> base_, compressed_;  // indices into encodings_
};

} // namespace xlat::lockstep
