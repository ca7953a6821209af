// RV64GC's lockstep plug: what driver.cpp needs to know about the guest ISA
// (see the list in driver.h), from the pieces in this directory.
#pragma once

#include "jit/interpreter.h"
#include "lifter/core/guest_isa.h"
#include "lifter/riscv/decoder.h"
#include "runtime/guest_thread.h"
#include "utils/lockstep/riscv/generator.h"
#include "utils/lockstep/riscv/scenario.h"

#include <memory>
#include <string>
#include <string_view>

namespace xlat::lockstep::riscv {

struct Plug {
  static constexpr GuestIsa kIsa = GuestIsa::Riscv64;
  using State = rv::RvState;
  using Generator = riscv::Generator;
  // The option that narrows the encodings drawn, and its letters.
  static constexpr std::string_view kOnlyOption = "--only-ext";
  static constexpr std::string_view kAllOnly = "I,M,A,F,D,C";

  static State &state(GuestThread &t) { return t.state; }
  static std::unique_ptr<Generator> makeGenerator(std::string_view only, std::string &err) {
    ExtSet exts;
    if (!parseExts(only, exts)) {
      err = "--only-ext needs letters of IMAFDC";
      return nullptr;
    }
    auto gen = std::make_unique<Generator>(selectEncodings(exts));
    if (gen->empty()) {
      err = "--only-ext " + std::string(only) +
            " selects no encodings (C needs the extensions of its expansions too)";
      return nullptr;
    }
    return gen;
  }
  static uint64_t streamPc(Rng &rng) { return 0x100000 + 2 * rng.below(0x40000); }

  static void makeScenario(Rng &rng, const Stream &st, Scenario &out) {
    riscv::makeScenario(rng, st, out);
  }
  static bool sameOutcome(const Outcome &a, const Outcome &b) { return riscv::sameOutcome(a, b); }
  static void printDiff(FILE *out, const Outcome &a, const Outcome &b, const char *na,
                        const char *nb) {
    riscv::printDiff(out, a, b, na, nb);
  }
  static void printState(FILE *out, const State &s) { riscv::printState(out, s); }
  static const char *exitName(uint32_t reason) { return riscv::exitName(reason); }

  // ebreak, or c.ebreak over a compressed instruction: stops with the pc
  // at the trap.
  static uint32_t trap(const StreamInsn &si) { return si.len == 4 ? 0x00100073 : 0x9002; }
  // The table line an instruction was drawn from, as the report names it.
  static std::string_view lineName(const StreamInsn &si, const Generator &gen) {
    if (si.encoding < 0)
      return "terminator";
    if (si.len == 2)
      return gen.encodings()[si.encoding].mnemonic;
    return rv::mnemonic(rv::decode(si.pc, si.raw).op);
  }

  // The tool's own test: a wrong result bit once the run got past the
  // stream's first 32-bit addi with a destination, if no jump or branch
  // precedes it (so getting past it means executing it).
  static void injectBug(const Stream &st, Outcome &dut) {
    for (const StreamInsn &si : st.insns) {
      rv::Insn in = si.len == 2 ? rv::decodeCompressed(si.pc, uint16_t(si.raw))
                                : rv::decode(si.pc, si.raw);
      if (isControlTransfer(in.op))
        return;
      if (si.len == 4 && in.op == rv::Op::ADDI && in.rd != 0) {
        if (dut.state.pc > si.pc)
          dut.state.x[in.rd] ^= 1;
        return;
      }
    }
  }
};

} // namespace xlat::lockstep::riscv
