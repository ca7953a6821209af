// What every guest ISA's lockstep plug produces and consumes: a stream of
// instructions (the code of one block), an initial state with its scratch
// memory, and the outcome of running one from the other.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace xlat::lockstep {

// Guest addresses [0, kMemSize) are the scratch region, and kMemSize the
// limit. It is laid out as xlat-run's guest memory is, with a guard zone on
// either side (driver.cpp), so an access that starts below the limit and
// runs past it, or one without a range check of its own, faults on the
// host in every engine, as in xlat-run.
constexpr uint64_t kMemSize = 64 << 10;

struct StreamInsn {
  uint64_t pc;
  uint32_t raw;
  uint8_t len;
  int encoding;  // index into the generator's encodings; -1 for the terminator
};

// `n` drawn instructions and the terminator (a system call), which every
// run reaches unless it traps or faults first: control flow only goes
// forward, to an instruction start of the stream or to the terminator.
struct Stream {
  uint64_t pc = 0;
  uint64_t endPc = 0;              // the terminator's address
  std::vector<uint8_t> bytes;      // code, terminator included
  std::vector<StreamInsn> insns;   // in address order, terminator last
};

// Where the instruction being drawn sits: its length (the drawer sets it),
// the bytes after it up to the terminator, and the targets it may branch
// to, as distances to the terminator (0 is the terminator itself).
struct Slot {
  unsigned len = 4;
  int64_t after = 0;
  std::vector<int64_t> targets;
  bool allows(int64_t dist) const;
  // The offset from this instruction to the target `dist` before the end.
  int64_t offsetTo(int64_t dist) const { return len + after - dist; }
};

// A stream of `n` instructions at `pc` and the terminator after them. They
// are drawn back to front, so that every later instruction start (all a
// forward branch can target: one of the next eight, or the terminator) is
// known when a branch is drawn. draw(slot, insn) fills insn's raw, len and
// encoding, or returns false after many tries; the slot then gets `filler`.
Stream drawStream(uint64_t pc, unsigned n, const StreamInsn &filler,
                  const StreamInsn &terminator,
                  const std::function<bool(Slot &, StreamInsn &)> &draw);

template <class State> struct Scenario {
  State state{};   // membase/memlimit are set by the runner
  std::vector<uint8_t> mem;
};

// The outcome of one run: final state and the scratch memory.
template <class State> struct Outcome {
  State state{};
  std::vector<uint8_t> mem;
};

} // namespace xlat::lockstep
