// Random A64 instruction streams that both engines can run to completion.
//
// A stream is `n` instructions followed by `svc #0` (the terminator).
// Control flow only goes forward, to an instruction of the same stream or
// to the terminator, so every run ends. Register roles keep streams
// runnable:
//   sp, x20, x21  data bases: point into the scratch region; the only base
//                 registers of loads, stores, exclusives, atomics and
//                 dc/ic. Only `add/sub base, base, #small` and an access's
//                 writeback may write them.
//   x28           the terminator's address: the target of every br, blr
//                 and ret.
// Everything else is drawn from the decode table (insns.def) with random
// field bits, then checked on the decoded instruction.
#pragma once

#include "lifter/aarch64/insn.h"
#include "utils/lockstep/rng.h"
#include "utils/lockstep/stream.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace xlat::lockstep::aarch64 {

// The top-level encoding groups of the Arm ARM's A64 decode (bits 28:25),
// as --only-group names them. A GroupSet is a bit mask of them.
enum class Group : uint8_t { DpImm, Branch, LdSt, DpReg, FpSimd };
using GroupSet = uint32_t;
constexpr GroupSet kAllGroups = (1u << 5) - 1;
constexpr std::string_view kGroupNames = "dpimm,branch,ldst,dpreg,fpsimd";
// "dpimm,ldst" -> mask; false on an unknown name.
bool parseGroups(std::string_view list, GroupSet &out);

// One line of the decode table (an A64_INSN or an A64_FORM).
struct Encoding {
  std::string_view mnemonic;
  std::string_view format;  // the table's Format column
  uint32_t mask = 0, match = 0;
  a64::Op op = a64::Op::ILLEGAL;
  Group group = Group::DpImm;
};
std::vector<Encoding> selectEncodings(GroupSet groups);

constexpr uint8_t kSp = 31; // as a base register number
constexpr uint8_t kDataBases[] = {kSp, 20, 21};
constexpr uint8_t kEndReg = 28;

class Generator {
public:
  explicit Generator(std::vector<Encoding> encodings) : encodings_(std::move(encodings)) {}
  bool empty() const { return encodings_.empty(); }
  const std::vector<Encoding> &encodings() const { return encodings_; }

  // `n` instructions plus the terminator, at guest address `pc` (4-aligned).
  Stream generate(Rng &rng, uint64_t pc, unsigned n) const;

private:
  bool draw(Rng &rng, const Encoding &e, const Slot &cx, uint32_t &raw) const;
  bool acceptable(const a64::Insn &in, const Encoding &e, const Slot &cx) const;

  std::vector<Encoding> encodings_;
};

} // namespace xlat::lockstep::aarch64
