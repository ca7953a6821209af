// The run loop of guest threads: picks translated code (or the
// interpreter), runs it, and services what it hands back (syscalls, traps,
// faults, signals). One Dispatcher per process; every guest thread runs its
// own loop in it, sharing the code cache and the translator.
#pragma once

#include "aot/cache.h"
#include "runtime/module_caches.h"
#include "jit/block_tier.h"
#include "jit/code_cache.h"
#include "jit/code_object.h"
#include "jit/interpreter.h"
#include "jit/tier.h"
#include "lifter/core/disasm.h"
#include "runtime/guest_thread.h"
#include "runtime/process.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>
#include <utility>

namespace xlat::debug {
class DebugTarget;
class GdbServer;
} // namespace xlat::debug

namespace xlat {

// How a guest thread's run ended, in the terms of a wait status.
struct GuestExit {
  enum Kind { ThreadExit, ProcessExit, Signal } kind = ProcessExit;
  int code = 0; // exit status, or the signal number
};

struct RunOptions {
  jit::Tier tier = jit::Tier::Adaptive;
  jit::BlockTierOptions block;
  // adaptive: executions after which a block is compiled again at O2.
  uint64_t hotThreshold = 30000;
  // adaptive: compile hot blocks on a thread of their own while the guest
  // goes on running the template code; off: the hot thread waits for it.
  bool backgroundCompile = true;
  // adaptive: most blocks in a hot region (the hot block and the warm
  // blocks it branches to, compiled as one function); 1: single blocks.
  unsigned regionBlocks = 16;
  // The persistent translation cache (aot/cache.h), for the tiers that
  // compile with LLVM.
  aot::CacheOptions cache;
  // Ends the process (exit_group or a fatal signal) from whichever thread
  // saw it: prints what must be printed, then exits. Does not return.
  std::function<void(const GuestExit &)> endProcess;
};

class Dispatcher {
public:
  // Null with err on failure (e.g. LLVM could not be set up).
  static std::unique_ptr<Dispatcher> create(Process &proc,
                                            const RunOptions &opts,
                                            std::string &err);
  ~Dispatcher();

  // Runs thread t until it exits or the process ends.
  GuestExit run(GuestThread &t);

  // Starts `child` on a new host thread. `atStart` runs on the new thread
  // with its tid set, before the parent continues and before any guest code
  // (clone's CLONE_PARENT_SETTID / CLONE_CHILD_SETTID). Returns the tid or
  // -errno.
  int spawnThread(std::unique_ptr<GuestThread> child,
                  std::function<void(GuestThread &)> atStart);

  // fork for the guest: the child is a copy of this process with only the
  // calling thread; the translator's locks are held across so that the child
  // does not inherit one taken by another thread. Returns the pid, 0 in the
  // child, or -errno.
  int forkProcess(int exitSignal);

  // Guest threads running now, the caller included.
  int liveThreads() const;

  // Counters of every thread, finished or running.
  jit::TierStats stats() const;

  // Writes what this run compiled to the persistent cache (at exit and
  // before execve); a failure is one warning line.
  void saveCache();

  // -g: serves gdb on `where` (a TCP port on the loopback interface, or a
  // Unix socket path). Threads park at their first instruction until gdb
  // connects and lets them go (runtime/debugger.cpp). False with err.
  bool attachGdb(const std::string &where, std::string &err);

private:
  struct ThreadRun;
  class GdbTarget;
  Dispatcher(Process &proc, const RunOptions &opts);
  void runUntilExit(GuestThread &t, ThreadRun &run);
  // The loop of the translating tiers, for the thread's ISA: `interp`
  // runs a block whose translation's assumptions do not hold, and a store
  // into code that left translated code (kCodeWrite).
  template <class Guest>
  void runTranslated(GuestThread &t, ThreadRun &run, typename Guest::State &s,
                     jit::BasicInterpreter<Guest> &interp);
  // Why translate() gave no code: pc cannot be fetched, or a code buffer
  // is full and must have a segment evicted first.
  enum class Miss { Fault, Full };
  jit::BlockFn translate(GuestThread &t, ThreadRun &run, uint64_t pc, Miss &miss);
  // Handles the exit reason in t.state; false if the thread must stop.
  bool handleExit(GuestThread &t, ThreadRun &run, GuestExit &result);
  void logIllegal(const GuestThread &t);
  // The instruction at pc as LLVM prints it (the plugin is loaded the
  // first time), or "" if it cannot be.
  std::string disassemble(GuestIsa isa, uint64_t pc, uint32_t raw, unsigned len);
  // -d in_asm in the interpreter: each instruction as it is decoded.
  static void logDecodedRv(const rv::Insn &in, const void *dispatcher);
  static void logDecodedA64(const a64::Insn &in, const void *dispatcher);
  // Under gdb (runtime/debugger.cpp): at the top of the run loop, reports
  // the stop a step or a watchpoint made and parks while gdb has the
  // thread stopped; false (with result) if the signal gdb resumed with
  // ends the thread.
  bool debugBefore(GuestThread &t, ThreadRun &run, GuestExit &result);
  // Whether the thread runs an instruction at a time (a step, a
  // watchpoint, or the instruction under the breakpoint it stopped at).
  bool debugStepping(GuestThread &t, ThreadRun &run);
  // Runs one instruction from the guest's own code (no breakpoint in it),
  // after checking it against breakpoints and watchpoints.
  void debugStep(GuestThread &t, ThreadRun &run);
  // A trap or fault signal for t (sig, code, addr): gdb hears of it first
  // and says which signal, if any, the guest gets.
  void debugSignal(GuestThread &t, ThreadRun &run, uint32_t why, int &sig,
                   int &code, uint64_t &addr);
  bool debugging() const;
  // Drops every translation (fence.i when stores into code may have gone
  // unseen). Under translateMu_.
  void flushTranslations(ThreadRun &run);
  // Stores hit translated code (code_pages.h): drops the translations made
  // from the pages written, before this thread runs more guest code.
  void dropWrittenCode(ThreadRun &run);
  // Guest [start, end) was unmapped, replaced or made non-executable.
  void dropRange(ThreadRun &run, uint64_t start, uint64_t end);
  // fence.i and riscv_flush_icache.
  void syncInstructionStream(ThreadRun &run);
  // The cache dropped the translations entered at `dropped`: unlinks them
  // in the tiers and the region map, and sends every thread back to its
  // loop. Under translateMu_.
  void dropCode(jit::TierStats &stats, const std::vector<uint64_t> &dropped);
  void interruptAll();
  // The interpreter's decoded instructions go when the cache drops code.
  void forgetStaleDecodes(ThreadRun &run);
  // A code buffer is full (evictWanted_): stops every other thread
  // outside translated code and frees the oldest segment of each full
  // buffer, dropping the translations there (jit/code_buffer.h). Called
  // with no lock held.
  void evictCode(ThreadRun &run);
  // adaptive: compiles the hot block at pc again with the optimizing tier,
  // now or (backgroundCompile) by the compile thread.
  void promote(ThreadRun &run, uint64_t pc);
  void compileLoop();
  // The optimizing tier, created on first use (under the lock of whoever
  // compiles hot blocks).
  jit::BlockTier *hotTier();
  // The blocks to compile with the block at head: those reachable by
  // direct branches (needWarm: whose template code ran at least a quarter
  // of the hot threshold), at most regionBlocks, up to the heads of
  // regions already compiled, which the region chains to instead of
  // compiling their code again. Under translateMu_.
  std::vector<uint64_t> formRegion(uint64_t head, CodeReader &code,
                                   bool needWarm = true);
  // The region `pcs` (head first) was installed. Under translateMu_.
  void noteRegion(const std::vector<uint64_t> &pcs);
  // The region at head (if any) is gone. Under translateMu_.
  void forgetRegion(uint64_t head);
  // Whether a hot block queued before it was compiled into another region
  // should wait: then its count starts again, and only if it gets hot
  // once more on its own (entered from outside that region) does it head
  // a region. Under translateMu_.
  bool coveredByRegion(uint64_t pc);
  // The persistent cache's translation entered at pc, installed; or null.
  // Under translateMu_.
  jit::BlockFn fromCache(ThreadRun &run, uint64_t pc, CodeReader &code);
  // The tier options the LLVM tiers are created with: the shared
  // installer, and the cache as the sink of what they compile.
  jit::BlockTierOptions llvmOptions(jit::BlockTierOptions o);

  Process &proc_;
  RunOptions opts_;
  std::unique_ptr<CodeReader> code_;
  std::unique_ptr<CodeReader> unwatchedCode_; // kCodeWrite's block
  // Under gdb, code_ shows its breakpoints and this is the guest's own.
  std::unique_ptr<CodeReader> guestCode_;
  std::unique_ptr<debug::DebugTarget> gdbTarget_; // a GdbTarget
  std::unique_ptr<debug::GdbServer> gdb_;
  jit::TierStats gdbStats_; // translations dropped for breakpoints
  jit::CodeInstaller installer_; // code from the LLVM tiers and the cache
  std::unique_ptr<ModuleCaches> aot_; // the modules' translation caches
  // When the compile thread last wrote the cache (or the run started).
  std::chrono::steady_clock::time_point lastCacheSave_ =
      std::chrono::steady_clock::now();
  std::unique_ptr<jit::BlockTier> blockTier_;
  std::unique_ptr<jit::BlockTier> hotTier_; // adaptive: O2 for hot blocks
  bool hotTierFailed_ = false;
  std::mutex translateMu_; // the block tier is single-threaded
  std::mutex disasmMu_;    // the disassemblers, made when first needed
  std::unique_ptr<Disassembler> disasm_[2]; // by GuestIsa
  bool disasmTried_[2] = {};
  // Code pages written since the guest last fenced (under translateMu_).
  jit::GuestPages writtenSinceFence_;
  // The background compiler: a queue of hot pcs and a thread (started on
  // first use, and again in a forked child).
  mutable std::mutex hotMu_;
  std::condition_variable hotCv_;
  std::deque<uint64_t> hotQueue_;
  std::unordered_set<uint64_t> hotPending_;
  // The regions installed since the cache's generation `generation`: their
  // heads with their other blocks, how many regions each of those is in,
  // and the blocks rearmed by coveredByRegion. Under translateMu_.
  struct RegionMap {
    uint64_t generation = 0;
    std::unordered_map<uint64_t, std::vector<uint64_t>> heads;
    std::unordered_map<uint64_t, uint32_t> members;
    std::unordered_set<uint64_t> rearmed;
  } regions_;
  RegionMap &regionMap(); // regions_, emptied if the cache was
  bool hotThreadRunning_ = false;
  std::mutex hotCompileMu_; // held while hotTier_ compiles
  jit::TierStats hotStats_;
  // Code eviction: wanted (a translation found a buffer full), in progress
  // (no thread may enter translated code; they wait on stopCv_), and how
  // many have ended (a thread that looked code up before one must look
  // again).
  std::atomic<bool> evictWanted_{false};
  std::atomic<uint64_t> codeEpoch_{0};
  std::atomic<bool> stopping_{false};
  std::mutex stopMu_;
  std::condition_variable stopCv_;
  jit::CodeCache cache_;
  mutable std::mutex threadsMu_;
  std::set<ThreadRun *> running_;
  static thread_local ThreadRun *currentRun_;
  jit::TierStats finished_;
};

// Terminates xlat-run the way the guest's fatal signal would: the parent
// sees the signal, and for a signal whose default action dumps core, the
// core flag (WCOREDUMP) wherever the guest's RLIMIT_CORE and the host's
// core_pattern let the kernel write one, as for a native program. The core
// is xlat-run's own (the guest's memory is in it, at base + address), as
// qemu-user's is when it writes no guest core.
[[noreturn]] void dieWithSignal(int sig);

// Installs, once, the SIGSEGV/SIGBUS handler that turns a host fault on
// guest memory (GuestMemory's reservation and guard zones, or the state's
// membase/memlimit and guard zones for a thread without a process) into the
// guest's fault, precise as the translation's pc map says, and gives the
// calling thread the alternate stack it runs on. Dispatcher::run calls it.
void installHostFaultHandlers();

} // namespace xlat
