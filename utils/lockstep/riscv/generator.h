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
#include "utils/lockstep/riscv/encodings.h"
#include "utils/lockstep/rng.h"
#include "utils/lockstep/stream.h"

#include <cstdint>
#include <vector>

namespace xlat::lockstep::riscv {

constexpr uint8_t kDataBases[] = {2, 8, 9};
constexpr uint8_t kEndReg = 31;
bool isDataBase(unsigned r);
bool isReservedReg(unsigned r);

// The CSRs streams access: the FP CSRs, and one that does not exist (an
// illegal-instruction trap in both tiers). Never the counters: they differ
// between any two runs.
using rv::kCsrFflags, rv::kCsrFrm, rv::kCsrFcsr;
constexpr uint16_t kCsrMissing = 0x7c0;

class Generator {
public:
  explicit Generator(std::vector<Encoding> encodings);
  bool empty() const { return encodings_.empty(); }
  const std::vector<Encoding> &encodings() const { return encodings_; }

  // `n` instructions plus the terminator, at guest address `pc` (even).
  Stream generate(Rng &rng, uint64_t pc, unsigned n) const;

private:
  bool acceptable(const rv::Insn &in, const Slot &cx) const;
  bool drawBase(Rng &rng, const Encoding &e, const Slot &cx,
                uint32_t &raw) const;
  bool drawCompressed(Rng &rng, const Encoding &e, const Slot &cx,
                      uint16_t &raw) const;

  std::vector<Encoding> encodings_;
  std::vector<int> base_, compressed_;  // indices into encodings_
};

} // namespace xlat::lockstep::riscv
