// The run loop of a guest thread: picks translated code (or the
// interpreter), runs it, and services what it hands back (syscalls, traps,
// faults).
#pragma once

#include "jit/block_tier.h"
#include "jit/interpreter.h"
#include "jit/tier.h"
#include "runtime/guest_thread.h"
#include "runtime/process.h"

#include <string>

namespace xlat {

struct RunOptions {
  jit::Tier tier = jit::Tier::Block;
  jit::BlockTierOptions block;
};

// How the guest ended, in the terms of a wait status.
struct GuestExit {
  bool bySignal = false;
  int code = 0; // exit status, or the signal number
};

class Dispatcher {
public:
  // Null with err on failure (e.g. LLVM could not be set up).
  static std::unique_ptr<Dispatcher> create(Process &proc,
                                            const RunOptions &opts,
                                            std::string &err);
  ~Dispatcher();
  // Runs the thread until the guest process exits or dies.
  GuestExit run(GuestThread &t);
  const jit::TierStats &stats() const { return stats_; }

private:
  Dispatcher(Process &proc, const RunOptions &opts);
  // Runs guest code until something needs the runner's attention.
  void runUntilExit(GuestThread &t);
  // Handles the exit reason in t.state; true if the guest goes on.
  bool handleExit(GuestThread &t, GuestExit &result);
  // Guest code may have changed (fence.i, riscv_flush_icache).
  void flushTranslations();

  Process &proc_;
  RunOptions opts_;
  std::unique_ptr<jit::BlockTier> blockTier_;
  std::unique_ptr<CodeReader> code_;
  std::unique_ptr<jit::Interpreter> interp_;
  jit::CodeCache cache_;
  jit::TierStats stats_;
};

// Terminates xlat-run the way the guest's fatal signal would (exit status
// 128+sig as seen by a shell), without a core dump of the guest reservation.
[[noreturn]] void dieWithSignal(int sig);

} // namespace xlat
