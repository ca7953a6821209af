// The execution engines lockstep compares: the reference interpreter and
// the tiers under test, each driven the way runtime/dispatcher.cpp drives it
// (guest FP environment in MXCSR, faults unwinding through faultJump).
#pragma once

#include "lifter/core/code_reader.h"
#include "lifter/core/guest_isa.h"
#include "runtime/guest_thread.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace xlat::lockstep {

// Guest code from a byte buffer at a guest address.
class BufferCodeReader final : public CodeReader {
public:
  void set(uint64_t pc, const std::vector<uint8_t> &bytes) {
    pc_ = pc;
    bytes_ = bytes;
  }
  bool read(uint64_t addr, void *dst, size_t n) override;
  std::vector<uint8_t> &bytes() { return bytes_; }

private:
  uint64_t pc_ = 0;
  std::vector<uint8_t> bytes_;
};

class Engine {
public:
  virtual ~Engine() = default;
  virtual std::string_view name() const = 0;
  // The code changed: forget everything decoded or translated.
  virtual void setCode(CodeReader &code) = 0;
  // Runs the thread's state until an exit reason is set. Called by runGuest only: a
  // guest fault does not return from here. False with `err` on an engine
  // failure (translation error, no exit after many blocks).
  virtual bool run(GuestThread &t, std::string &err) = 0;
  // Blocks translated so far (0 for the interpreter).
  virtual uint64_t translated() const { return 0; }
  // Instructions interpreted so far (0 for translating tiers).
  virtual uint64_t interpreted() const { return 0; }
};

std::unique_ptr<Engine> createInterpreterEngine(GuestIsa isa);
// A tier to compare against the interpreter: "block", "template" or
// "region". Null with `err` set for an unknown tier or a tier that cannot
// start.
std::unique_ptr<Engine> createTierEngine(GuestIsa isa, std::string_view tier,
                                         std::string &err);

// Runs `e` on the thread's state (of t.isa) as the dispatcher does: sets
// the current thread, enters the guest FP environment, catches guest faults
// (which set exit_reason, pc and fault_addr), and leaves the FP environment
// (folding host flags into fflags or FPSR). The state's membase and
// memlimit must be set.
bool runGuest(Engine &e, GuestThread &t, std::string &err);

} // namespace xlat::lockstep
