// A64's lockstep plug: what driver.cpp needs to know about the guest ISA
// (see the list in driver.h), from the pieces in this directory.
#pragma once

#include "lifter/aarch64/decoder.h"
#include "lifter/core/guest_isa.h"
#include "runtime/guest_thread.h"
#include "utils/lockstep/aarch64/generator.h"
#include "utils/lockstep/aarch64/scenario.h"

#include <memory>
#include <string>
#include <string_view>

namespace xlat::lockstep::aarch64 {

struct Plug {
  static constexpr GuestIsa kIsa = GuestIsa::Aarch64;
  using State = a64::A64State;
  using Generator = aarch64::Generator;
  static constexpr std::string_view kOnlyOption = "--only-group";
  static constexpr std::string_view kAllOnly = kGroupNames;

  static State &state(GuestThread &t) { return t.a64; }
  static std::unique_ptr<Generator> makeGenerator(std::string_view only, std::string &err) {
    GroupSet groups;
    if (!parseGroups(only, groups)) {
      err = "--only-group needs names of " + std::string(kGroupNames);
      return nullptr;
    }
    return std::make_unique<Generator>(selectEncodings(groups));
  }
  static uint64_t streamPc(Rng &rng) { return 0x100000 + 4 * rng.below(0x20000); }

  static void makeScenario(Rng &rng, const Stream &st, Scenario &out) {
    aarch64::makeScenario(rng, st, out);
  }
  static bool sameOutcome(const Outcome &a, const Outcome &b) { return aarch64::sameOutcome(a, b); }
  static void printDiff(FILE *out, const Outcome &a, const Outcome &b, const char *na,
                        const char *nb) {
    aarch64::printDiff(out, a, b, na, nb);
  }
  static void printState(FILE *out, const State &s) { aarch64::printState(out, s); }
  static const char *exitName(uint32_t reason) { return aarch64::exitName(reason); }

  // brk #0: stops with the pc at the trap.
  static uint32_t trap(const StreamInsn &) { return 0xd4200000; }
  static std::string_view lineName(const StreamInsn &si, const Generator &gen) {
    return si.encoding < 0 ? "terminator" : gen.encodings()[si.encoding].mnemonic;
  }

  // The tool's own test: a wrong result bit once the run got past the
  // stream's first add (immediate) to an X register, if no branch precedes
  // it (so getting past it means executing it).
  static void injectBug(const Stream &st, Outcome &dut) {
    for (const StreamInsn &si : st.insns) {
      a64::Insn in = a64::decode(si.pc, si.raw);
      if (a64::flags(in.op) & a64::kEndsBlock)
        return;
      if (in.op == a64::Op::ADD_IMM && in.rd != kSp) {
        if (dut.state.pc > si.pc)
          dut.state.x[in.rd] ^= 1;
        return;
      }
    }
  }
};

} // namespace xlat::lockstep::aarch64
