#include "runtime/dispatcher.h"

#include "debug/gdb_server.h"
#include "runtime/thread_run.h"

#include "jit/host_pc_map.h"
#include "jit/llvm_tiers.h"
#include "jit/template_tier.h"

#include "lifter/aarch64/block.h"
#include "lifter/aarch64/fenv.h"
#include "lifter/core/log.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/sem/fenv.h"
#include "runtime/linux/signal_delivery.h"
#include "runtime/linux/syscalls.h"

#include <chrono>
#include <csignal>
#include <cstring>
#include <pthread.h>
#include <semaphore.h>
#include <thread>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <xmmintrin.h>

namespace xlat {

// Guest code as the translators see it: executable guest pages only. A
// page the guest may also write is write-protected on the host from here
// on, so that a store into it drops the translations (code_pages.h).
// Unwatched: code read once and forgotten (kCodeWrite's block), which
// must not protect again the page a store is about to write.
class UserCodeReader final : public CodeReader {
public:
  explicit UserCodeReader(GuestMemory &mem, bool watch = true) : mem_(mem), watch_(watch) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    return mem_.readCode(addr, dst, n, watch_);
  }

private:
  GuestMemory &mem_;
  bool watch_;
};

thread_local Dispatcher::ThreadRun *Dispatcher::currentRun_ = nullptr;

namespace {

// Host code that may do FP arithmetic of its own (LLVM compiling) runs
// outside the guest's FP environment: RISC-V's lives in MXCSR while its
// code runs, and A64's leaves three FPSR flags there (lifter/aarch64/fenv.h).
class OutsideGuestFp {
public:
  explicit OutsideGuestFp(GuestThread &t) : t_(t) {
    if (t_.isA64())
      a64::foldHostFlags(t_.a64);
    else
      rv::fenv::leaveGuestFp(&t_.state);
  }
  ~OutsideGuestFp() {
    if (t_.isA64())
      a64::clearHostFlags();
    else
      rv::fenv::enterGuestFp(&t_.state);
  }

private:
  GuestThread &t_;
};

// A host SIGSEGV/SIGBUS inside the guest reservation is a guest access to
// an unmapped or protected page: unwind to the dispatcher as a guest fault
// of the exact instruction. One sent by kill() is an ordinary signal for the
// guest. Anywhere else it is a bug in xlat itself.
//
// A store into a page that translated code came from is none of these: the
// page was write-protected to see it (code_pages.h). It becomes writable
// and the store runs again: in the interpreter if translated code made it,
// else where it was (the runtime's stores, the interpreter's own).
// The guest space the thread's state addresses (membase is the process's
// GuestMemory::base) and the guard zones around it (GuestMemory::kGuard):
// a process's reservation, or a harness's scratch memory laid out the same
// way (xlat-lockstep).
bool inGuestReservation(const GuestThread &t, const void *p) {
  if (t.process)
    return t.process->mem.containsHost(p);
  const uint8_t *host = static_cast<const uint8_t *>(p), *base = t.memBase();
  return base && host >= base - GuestMemory::kGuard &&
         host < base + t.memLimit() + GuestMemory::kGuard;
}

// Leaves translated code for the dispatcher (Dispatcher::run) at the guest
// instruction of the host access that faulted, with the state exact there:
// the guest registers the access held in host registers stored, then the
// NaNs that the state (spills included) may hold raw made canonical.
[[noreturn]] void unwindFromAccess(GuestThread *t, void *ctx) {
  uint64_t pc = t->currentPc;
#if defined(__x86_64__)
  uint32_t rawFp = 0;
  jit::RegSpills spills{};
  const greg_t *gregs = static_cast<ucontext_t *>(ctx)->uc_mcontext.gregs;
  if (!t->interpreting &&
      !jit::HostPcMap::instance().lookup(gregs[REG_RIP], pc, rawFp, &spills))
    // an atomic in LLVM code (MemoryLowering)
    pc = t->withState([](auto &s) { return s.access_pc; });
  static constexpr int kGreg[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX,
                                    REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                    REG_R8,  REG_R9,  REG_R10, REG_R11,
                                    REG_R12, REG_R13, REG_R14, REG_R15};
  const fpregset_t fpregs = static_cast<ucontext_t *>(ctx)->uc_mcontext.fpregs;
  for (const jit::RegSpill &s : spills)
    if (s.field && s.field + sizeof(uint64_t) <= t->stateSize()) {
      uint64_t v;
      if (s.hostReg < jit::kFirstXmmSpill)
        v = gregs[kGreg[s.hostReg]];
      else
        memcpy(&v, fpregs->_xmm[s.hostReg - jit::kFirstXmmSpill].element, sizeof v);
      memcpy(static_cast<char *>(t->stateBytes()) + s.field, &v, sizeof v);
    }
  if (!t->isA64())
    rv::canonicalizeRawFp(t->state, rawFp);
  // The kernel ran this handler with MXCSR at its defaults, and a long
  // jump does not restore it: the guest's rounding mode and the sticky
  // flags its FP code raised since they were last folded into fflags or
  // FPSR are in the interrupted code's MXCSR.
  if (fpregs)
    _mm_setcsr(fpregs->mxcsr);
#endif
  t->setPc(pc);
  siglongjmp(t->faultJump, 1);
}

void hostFaultHandler(int sig, siginfo_t *info, void *ctx) {
  GuestThread *t = currentThread();
  if (t && info->si_code <= 0) {
    linux_abi::RawSiginfo raw;
    memcpy(raw.bytes, info, sizeof raw.bytes);
    linux_abi::queueSignal(*t, sig, raw);
    return;
  }
  bool isWrite = true;
#if defined(__x86_64__)
  isWrite = static_cast<ucontext_t *>(ctx)->uc_mcontext.gregs[REG_ERR] & 2;
#endif
  if (t && t->process && sig == SIGSEGV && info->si_code == SEGV_ACCERR && isWrite &&
      t->process->mem.codePages().onWriteFault(info->si_addr)) {
    // A store from translated code may write the code it runs, or code
    // it reaches without going through the dispatcher (a region's blocks,
    // the rest of its own block): it does not run again there but in the
    // interpreter, and the thread goes on from the dispatcher, which drops
    // what was written first (kCodeWrite). Any other store runs again.
    if (t->faultJumpArmed && !t->interpreting) {
      t->setExitReason(exits::kCodeWrite);
      unwindFromAccess(t, ctx);
    }
    return;
  }
  if (t && t->faultJumpArmed && inGuestReservation(*t, info->si_addr)) {
    t->faultWrite = isWrite;
    t->setExitReason(exits::kMemFault);
    t->setFaultAddr((const uint8_t *)info->si_addr - t->memBase());
    unwindFromAccess(t, ctx);
  }
  // Async-signal-safe: no stdio.
  char msg[128] = "xlat-run: internal error: host fault outside guest memory at 0x";
  size_t n = strlen(msg);
  auto hex = [&](uint64_t v) {
    for (int shift = 60; shift >= 0; shift -= 4)
      msg[n++] = "0123456789abcdef"[(v >> shift) & 15];
  };
  hex(reinterpret_cast<uint64_t>(info->si_addr));
#if defined(__x86_64__)
  for (const char *s = ", host pc 0x"; *s; s++)
    msg[n++] = *s;
  hex(static_cast<ucontext_t *>(ctx)->uc_mcontext.gregs[REG_RIP]);
#endif
  msg[n++] = '\n';
  ssize_t unused = write(2, msg, n);
  (void)unused;
  signal(sig, SIG_DFL);
  raise(sig);
}

} // namespace

// Per host thread: the handler runs on its own stack so that a guest fault
// near the end of a stack does not overflow ours.
void installHostFaultHandlers() {
  static thread_local char altStack[64 * 1024];
  stack_t ss{};
  ss.ss_sp = altStack;
  ss.ss_size = sizeof altStack;
  sigaltstack(&ss, nullptr);
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa{};
    sa.sa_sigaction = hostFaultHandler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, nullptr);
    sigaction(SIGBUS, &sa, nullptr);
  });
}

[[noreturn]] void dieWithSignal(int sig) {
  fflush(nullptr);
  signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  // Every thread must go, not just this one.
  kill(getpid(), sig);
  raise(sig);
  _exit(128 + sig);
}

Dispatcher::Dispatcher(Process &proc, const RunOptions &opts)
    : proc_(proc), opts_(opts) {}
Dispatcher::~Dispatcher() = default;

std::unique_ptr<Dispatcher> Dispatcher::create(Process &proc,
                                               const RunOptions &opts,
                                               std::string &err) {
  std::unique_ptr<Dispatcher> d(new Dispatcher(proc, opts));
  d->code_ = std::make_unique<UserCodeReader>(proc.mem);
  d->unwatchedCode_ = std::make_unique<UserCodeReader>(proc.mem, false);
  if (opts.tier != jit::Tier::Interp && opts.tier != jit::Tier::Template) {
    if (!d->installer_.init(err, opts.block.codeBufferBytes))
      return nullptr;
    std::string config =
        aot::codeConfig(jit::tierName(opts.tier), opts.block, opts.regionBlocks);
    if (opts.cache.enabled)
      d->aot_ = std::make_unique<ModuleCaches>(proc.mem, opts.cache, opts.block.isa, config,
                                               proc.exePath);
  }
  if (opts.tier == jit::Tier::Block) {
    d->blockTier_ = jit::createLlvmBlockTier(d->llvmOptions(opts.block), err);
    if (!d->blockTier_)
      return nullptr;
  } else if (opts.tier == jit::Tier::Region) {
    jit::BlockTierOptions region = opts.block;
    region.codegenOpt = 2;
    d->blockTier_ = jit::createLlvmBlockTier(d->llvmOptions(region), err);
    if (!d->blockTier_)
      return nullptr;
  } else if (opts.tier == jit::Tier::Template) {
    d->blockTier_ = jit::createTemplateTier(opts.block, err);
    if (!d->blockTier_)
      return nullptr;
  } else if (opts.tier == jit::Tier::Adaptive) {
    // Cold code is copied from stencils; hot code is lifted and compiled
    // at O2.
    // LLVM is set up when the first block gets hot: short programs never
    // pay for it.
    jit::BlockTierOptions cold = opts.block;
    cold.hotThreshold = opts.hotThreshold;
    d->blockTier_ = jit::createTemplateTier(cold, err);
    if (!d->blockTier_)
      return nullptr;
  }
  return d;
}

jit::BlockFn Dispatcher::translate(GuestThread &t, ThreadRun &run,
                                   uint64_t pc, Miss &miss) {
  miss = Miss::Fault;
  std::lock_guard<std::mutex> lock(translateMu_);
  if (jit::BlockFn fn = cache_.find(pc)) // another thread was faster
    return fn;
  OutsideGuestFp hostFp(t);
  jit::PageRecorder code(*code_);
  if (jit::BlockFn fn = fromCache(run, pc, code)) {
    cache_.insert(pc, fn, code.pages());
    // A cached region's head, like a compiled one's, ends the regions
    // formed later (formRegion).
    regionMap().heads.emplace(pc, std::vector<uint64_t>{});
    return fn;
  }
  std::string err;
  jit::BlockFn fn;
  if (opts_.tier == jit::Tier::Region) {
    std::vector<uint64_t> region = formRegion(pc, code, /*needWarm=*/false);
    fn = blockTier_->translateRegion(region, code, cache_, run.stats, err);
    if (fn)
      noteRegion(region);
  } else {
    fn = blockTier_->translate(pc, code, cache_, run.stats, err);
  }
  if (!fn) {
    if (err == jit::kCodeBufferFull) {
      evictWanted_.store(true, std::memory_order_relaxed);
      miss = Miss::Full;
      return nullptr;
    }
    if (err != "fetch") {
      fprintf(stderr, "xlat-run: cannot translate block at 0x%llx: %s\n",
              (unsigned long long)pc, err.c_str());
      _exit(1);
    }
    return nullptr;
  }
  cache_.insert(pc, fn, code.pages());
  return fn;
}

void Dispatcher::runUntilExit(GuestThread &t, ThreadRun &run) {
  run.codeWrites.attach(t.interruptFlag(), &t.signalPending);
  if (t.isA64()) {
    if (!run.a64Interp) {
      run.a64Interp = std::make_unique<jit::A64Interpreter>();
      // The interpreter runs every block, or adaptive's cold ones.
      if (log().enabled(kLogInAsm))
        run.a64Interp->setDecodeLog(logDecodedA64, this);
    }
    if (opts_.tier != jit::Tier::Interp)
      return runTranslated<jit::A64Guest>(t, run, t.a64, *run.a64Interp);
    dropWrittenCode(run);
    forgetStaleDecodes(run);
    run.a64Interp->run(t.a64, *code_, &t.currentPc, t.signalPending, run.stats);
    return;
  }
  if (opts_.tier != jit::Tier::Interp)
    return runTranslated<jit::RiscvGuest>(t, run, t.state, run.interp);
  dropWrittenCode(run);
  forgetStaleDecodes(run);
  run.interp.run(t.state, *code_, &t.currentPc, t.signalPending, run.stats);
}

template <class Guest>
void Dispatcher::runTranslated(GuestThread &t, ThreadRun &run, typename Guest::State &s,
                               jit::BasicInterpreter<Guest> &interp) {
  const bool logExec = log().enabled(kLogExec);
  s.ibtc = run.front.table();
  unsigned fullInARow = 0;
  for (;;) {
    // Chained code came back because of `interrupt` (a signal, or another
    // thread dropped translations): clear it before looking for the reason,
    // so that a signal arriving now sets it again.
    __atomic_store_n(&s.interrupt, 0, __ATOMIC_RELAXED);
    dropWrittenCode(run);
    if (evictWanted_.load(std::memory_order_relaxed))
      evictCode(run);
    if (s.exit_reason != exits::kNone ||
        t.signalPending.load(std::memory_order_relaxed) ||
        (gdb_ && debugStepping(t, run)))
      break;
    uint64_t pc = s.pc;
    if (pc == run.interpretAt) {
      // A store into code that translated code made (kCodeWrite): it
      // runs here, then the instructions after it up to the block's end,
      // each decoded just before it runs; what it wrote was dropped above.
      // Its page stays writable, as after a store that runs again, so
      // these decodes are forgotten after the block. (Under gdb, code is
      // read with the breakpoints: the page is protected again, and the
      // store faults once more, in the interpreter.)
      run.interpretAt = ~0ull;
      interp.flush();
      t.interpreting = true;
      interp.runBlock(s, gdb_ ? *code_ : *unwatchedCode_, &t.currentPc, run.stats);
      t.interpreting = false;
      interp.flush();
      continue;
    }
    uint64_t epoch = codeEpoch_.load(std::memory_order_acquire);
    run.front.catchUp(cache_);
    jit::BlockFn fn = run.front.lookup(cache_, pc);
    if (!fn) {
      Miss miss;
      fn = translate(t, run, pc, miss);
      if (!fn && miss == Miss::Full) {
        // Recycled at the top of the loop; a block that does not fit in
        // an empty buffer never will.
        if (++fullInARow > 3) {
          fprintf(stderr, "xlat-run: cannot translate block at 0x%llx: it does "
                          "not fit in the code buffer (--code-cache-size)\n",
                  (unsigned long long)pc);
          _exit(1);
        }
        continue;
      }
      fullInARow = 0;
      if (!fn) {
        Guest::fetchFault(s, *code_, pc);
        return;
      }
    }
    if (logExec)
      log().printf("Trace: 0x%llx\n", (unsigned long long)pc);
    run.stats.blocksExecuted++;
    // The Dekker half of evictCode: either it sees this thread in code
    // and waits, or this thread sees it stopping and stays out; an
    // eviction that ended since fn was looked up left a new epoch.
    run.inCode.store(true, std::memory_order_seq_cst);
    if (stopping_.load(std::memory_order_seq_cst) ||
        codeEpoch_.load(std::memory_order_seq_cst) != epoch) {
      run.inCode.store(false, std::memory_order_release);
      std::unique_lock<std::mutex> lock(stopMu_);
      stopCv_.wait(lock, [&] { return !stopping_.load(std::memory_order_acquire); });
      continue; // fn may be gone: look it up again
    }
    jit::enterTranslated(fn, &s);
    run.inCode.store(false, std::memory_order_release);
    if (s.exit_reason == exits::kGeneric) {
      // The translation's assumptions (frm is RNE) do not hold: this block
      // runs in the interpreter, and the rest as before.
      s.exit_reason = exits::kNone;
      forgetStaleDecodes(run);
      t.interpreting = true;
      interp.runBlock(s, *code_, &t.currentPc, run.stats);
      t.interpreting = false;
    }
  }
}

jit::BlockTierOptions Dispatcher::llvmOptions(jit::BlockTierOptions o) {
  o.installer = &installer_;
  // Code compiled to count blocks (--stats) is not for other runs.
  if (aot_ && !o.countBlocks) {
    o.onCompiled = [cache = aot_.get()](const jit::CompiledTranslation &t) {
      cache->record(t);
    };
    o.moduleOf = [cache = aot_.get()](uint64_t pc, jit::GuestModuleSpan &span) {
      return cache->moduleOf(pc, span);
    };
  }
  return o;
}

jit::BlockFn Dispatcher::fromCache(ThreadRun &run, uint64_t pc,
                                   CodeReader &code) {
  if (!aot_)
    return nullptr;
  auto start = std::chrono::steady_clock::now();
  std::string err;
  jit::BlockFn fn = aot_->install(pc, code, installer_, cache_, err);
  if (!fn && err == jit::kCodeBufferFull) {
    evictWanted_.store(true, std::memory_order_relaxed);
    return nullptr; // the template tier translates it meanwhile
  }
  run.stats.aotInstallNanos +=
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::steady_clock::now() - start)
          .count();
  return fn;
}

void Dispatcher::saveCache() {
  if (!aot_)
    return;
  aot_->save();
}

jit::BlockTier *Dispatcher::hotTier() {
  if (!hotTier_ && !hotTierFailed_) {
    jit::BlockTierOptions hot = opts_.block;
    hot.codegenOpt = 2;
    hot.hotThreshold = 0;
    std::string err;
    hotTier_ = jit::createLlvmBlockTier(llvmOptions(hot), err);
    if (!hotTier_) {
      fprintf(stderr, "xlat-run: hot blocks stay in the template tier: %s\n",
              err.c_str());
      hotTierFailed_ = true;
    }
  }
  return hotTier_.get();
}

Dispatcher::RegionMap &Dispatcher::regionMap() {
  if (regions_.generation != cache_.generation())
    regions_ = RegionMap{cache_.generation(), {}, {}, {}};
  return regions_;
}

void Dispatcher::noteRegion(const std::vector<uint64_t> &pcs) {
  RegionMap &map = regionMap();
  if (pcs.empty())
    return;
  forgetRegion(pcs.front()); // a region it replaces
  map.heads[pcs.front()].assign(pcs.begin() + 1, pcs.end());
  for (size_t i = 1; i < pcs.size(); i++)
    map.members[pcs[i]]++;
  if (log().enabled(kLogRegion))
    logRegion(pcs.data(), pcs.size());
}

void Dispatcher::forgetRegion(uint64_t head) {
  RegionMap &map = regionMap();
  auto it = map.heads.find(head);
  if (it == map.heads.end())
    return;
  for (uint64_t pc : it->second)
    if (auto m = map.members.find(pc); m != map.members.end() && --m->second == 0)
      map.members.erase(m);
  map.heads.erase(it);
}

bool Dispatcher::coveredByRegion(uint64_t pc) {
  RegionMap &map = regionMap();
  if (map.heads.count(pc) || !map.members.count(pc) ||
      !map.rearmed.insert(pc).second)
    return false;
  blockTier_->rearm(pc);
  return true;
}

std::vector<uint64_t> Dispatcher::formRegion(uint64_t head, CodeReader &code,
                                             bool needWarm) {
  // Without the stop at other heads, every block that gets hot on its own
  // (an interpreter's opcode handlers, a loop entered in the middle)
  // compiles its successors again: in Lua each hot block was compiled four
  // times over.
  const auto &heads = regionMap().heads;
  uint64_t warm = std::max<uint64_t>(1, opts_.hotThreshold / 4);
  auto admit = [&](uint64_t pc) {
    return !heads.count(pc) && (!needWarm || blockTier_->executions(pc) >= warm);
  };
  std::vector<uint64_t> pcs =
      opts_.block.isa == GuestIsa::Aarch64
          ? xlat::formRegion<a64::GuestBlock>(
                head, opts_.regionBlocks,
                [&](uint64_t pc, a64::GuestBlock &b) {
                  b = a64::decodeBlock(code, pc, opts_.block.maxBlockInsns);
                  return true;
                },
                admit)
          : rv::formRegion(
                head, opts_.regionBlocks,
                [&](uint64_t pc, rv::GuestBlock &b) {
                  b = rv::decodeBlock(code, pc, opts_.block.maxBlockInsns);
                  return true;
                },
                admit);
  if (pcs.empty())
    pcs.push_back(head); // unreadable: translating it reports the fault
  return pcs;
}

void Dispatcher::promote(ThreadRun &run, uint64_t pc) {
  if (opts_.backgroundCompile) {
    std::lock_guard<std::mutex> lock(hotMu_);
    if (!hotPending_.insert(pc).second)
      return;
    hotQueue_.push_back(pc);
    if (!hotThreadRunning_) {
      hotThreadRunning_ = true;
      std::thread([this] { compileLoop(); }).detach();
    }
    hotCv_.notify_one();
    return;
  }
  std::lock_guard<std::mutex> lock(translateMu_);
  if (coveredByRegion(pc))
    return;
  uint64_t since = cache_.epoch();
  jit::PageRecorder code(*code_);
  std::vector<uint64_t> region = formRegion(pc, code);
  jit::TierStats hot;
  std::string err;
  jit::BlockTier *tier = hotTier();
  jit::BlockFn fn =
      tier ? tier->translateRegion(region, code, cache_, hot, err) : nullptr;
  if (!fn || !cache_.promote(pc, fn, code.pages(), since))
    return;
  noteRegion(region);
  blockTier_->drop(pc); // template gotos reach the region through the cell
  run.front.update(pc, fn);
  run.stats.blocksPromoted++;
  run.stats.promoteNanos += hot.translateNanos;
  run.stats.regionsTranslated += hot.regionsTranslated;
  run.stats.regionBlocks += hot.regionBlocks;
  run.stats.llvmLiftNanos += hot.llvmLiftNanos;
  run.stats.llvmOptNanos += hot.llvmOptNanos;
  run.stats.llvmCodegenNanos += hot.llvmCodegenNanos;
}

void Dispatcher::compileLoop() {
  // Process-directed signals are for guest threads.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  for (;;) {
    uint64_t pc;
    {
      std::unique_lock<std::mutex> lock(hotMu_);
      // An idle thread goes (promote() starts another): while it lives,
      // every mprotect of guest code (a JIT's) must shoot down its CPU's
      // TLB too, which cost a guest JIT 25% more system time.
      if (!hotCv_.wait_for(lock, std::chrono::milliseconds(50),
                           [&] { return !hotQueue_.empty(); })) {
        hotThreadRunning_ = false;
        return;
      }
      // The hottest waiting block first: counts go on while blocks wait,
      // and on two cores the queue is often longer than the run.
      size_t best = 0;
      if (hotQueue_.size() > 1) {
        std::lock_guard<std::mutex> translating(translateMu_);
        uint64_t most = 0;
        for (size_t i = 0; i < hotQueue_.size(); i++)
          if (uint64_t n = blockTier_->executions(hotQueue_[i]); n > most) {
            most = n;
            best = i;
          }
      }
      pc = hotQueue_[best];
      hotQueue_.erase(hotQueue_.begin() + best);
    }
    jit::TierStats hot;
    std::string err;
    bool installed = false;
    jit::BlockFn fn = nullptr;
    std::vector<uint64_t> region;
    {
      std::lock_guard<std::mutex> compiling(hotCompileMu_);
      // The guest code read from here on must still be there at the end.
      uint64_t since = cache_.epoch();
      jit::PageRecorder code(*code_);
      {
        std::lock_guard<std::mutex> lock(translateMu_);
        if (!coveredByRegion(pc))
          region = formRegion(pc, code);
      }
      jit::BlockTier *tier = region.empty() ? nullptr : hotTier();
      fn = tier ? tier->translateRegion(region, code, cache_, hot, err)
                : nullptr;
      installed = fn && cache_.promote(pc, fn, code.pages(), since);
    }
    if (!fn && err == jit::kCodeBufferFull) {
      // A guest thread evicts code; send one to its loop.
      evictWanted_.store(true, std::memory_order_relaxed);
      interruptAll();
    }
    if (installed) {
      std::lock_guard<std::mutex> lock(translateMu_);
      // A drop since promote() took fn with it: nothing to do then.
      if (cache_.find(pc) == fn) {
        blockTier_->drop(pc);
        noteRegion(region);
      }
    }
    if (installed) {
      // Chained code already jumps to the new block through the link cell;
      // threads come back to their loop to update their IBTC (catchUp).
      interruptAll();
    }
    // A long run (a server) keeps its compiled code even if it never
    // exits cleanly: written once a minute at most, off the guest's
    // threads. (Under the compile lock, which fork takes: a child does not
    // inherit the cache's lock held.)
    auto now = std::chrono::steady_clock::now();
    if (aot_ && now - lastCacheSave_ > std::chrono::minutes(1)) {
      std::lock_guard<std::mutex> compiling(hotCompileMu_);
      lastCacheSave_ = now;
      saveCache();
    }
    std::lock_guard<std::mutex> lock(hotMu_);
    hotPending_.erase(pc);
    if (installed) {
      hotStats_.blocksPromoted++;
      hotStats_.promoteNanos += hot.translateNanos;
      hotStats_.regionsTranslated += hot.regionsTranslated;
      hotStats_.regionBlocks += hot.regionBlocks;
    }
    // Compile time counts whether or not the code could be installed.
    hotStats_.llvmLiftNanos += hot.llvmLiftNanos;
    hotStats_.llvmOptNanos += hot.llvmOptNanos;
    hotStats_.llvmCodegenNanos += hot.llvmCodegenNanos;
  }
}

void Dispatcher::flushTranslations(ThreadRun &run) {
  run.stats.blocksInvalidated += cache_.size();
  cache_.clear();
  interruptAll();
  run.interp.flush();
  if (run.a64Interp)
    run.a64Interp->flush();
  run.stats.cacheFlushes++;
}

void Dispatcher::dropCode(jit::TierStats &stats,
                          const std::vector<uint64_t> &dropped) {
  for (uint64_t pc : dropped) {
    blockTier_->drop(pc);
    if (hotTier_)
      hotTier_->drop(pc);
    forgetRegion(pc);
    regionMap().rearmed.erase(pc); // code that comes back is new
  }
  stats.blocksInvalidated += dropped.size();
  // The interpreter decodes without the cache: its instructions may be
  // stale whatever the cache held.
  if (!dropped.empty() || opts_.tier == jit::Tier::Interp)
    interruptAll();
}

void Dispatcher::interruptAll() {
  // Other threads may be in chained code or hold dropped blocks in their
  // IBTC: send them back to their dispatcher loop, where the front (their
  // IBTC) catches up with the cache. The interpreter polls only
  // signalPending; back in runUntilExit it sees the new epoch and forgets
  // its decoded instructions.
  std::lock_guard<std::mutex> lock(threadsMu_);
  for (ThreadRun *r : running_)
    if (r->thread) {
      __atomic_store_n(r->thread->interruptFlag(), 1, __ATOMIC_RELAXED);
      if (opts_.tier == jit::Tier::Interp)
        r->thread->signalPending.store(true, std::memory_order_release);
    }
}

void Dispatcher::forgetStaleDecodes(ThreadRun &run) {
  if (uint64_t e = cache_.epoch(); e != run.interpEpoch) {
    run.interp.flush();
    if (run.a64Interp)
      run.a64Interp->flush();
    run.interpEpoch = e;
  }
}

void Dispatcher::dropWrittenCode(ThreadRun &run) {
  CodePages &pages = proc_.mem.codePages();
  if (!pages.writesPending())
    return;
  // Under translateMu_, so that a block read before such a store cannot
  // enter the cache after the drop.
  std::lock_guard<std::mutex> lock(translateMu_);
  uint64_t w = pages.writes();
  if (!pages.writesPending()) // another thread was faster
    return;
  jit::GuestPages written;
  pages.takeDirty(written);
  dropCode(run.stats, cache_.dropPages(written));
  // What the next fence learns from (CodePages::onFence); a program that
  // never fences forgets nothing it needs.
  if (writtenSinceFence_.size() > 4096)
    writtenSinceFence_.clear();
  writtenSinceFence_.insert(writtenSinceFence_.end(), written.begin(),
                            written.end());
  pages.markFlushed(w);
  run.stats.smcFlushes++;
  run.stats.codePagesWritten += written.size();
}

void Dispatcher::dropRange(ThreadRun &run, uint64_t start, uint64_t end) {
  std::lock_guard<std::mutex> lock(translateMu_);
  dropCode(run.stats, cache_.dropRange(start, end));
}

void Dispatcher::syncInstructionStream(ThreadRun &run) {
  // Stores into code were seen as they happened (code_pages.h): dropping
  // what they wrote is all fence.i needs, unless some went unseen, or went
  // to fence-managed pages.
  dropWrittenCode(run);
  {
    std::lock_guard<std::mutex> lock(translateMu_);
    jit::GuestPages stale;
    proc_.mem.fenceCode(writtenSinceFence_, stale);
    writtenSinceFence_.clear();
    if (!stale.empty()) {
      dropCode(run.stats, cache_.dropPages(stale));
      run.stats.fenceDrops++;
    }
  }
  if (proc_.mem.codePages().missedWrites() || proc_.mem.hasSharedCode()) {
    std::lock_guard<std::mutex> lock(translateMu_);
    flushTranslations(run);
  }
}

void Dispatcher::evictCode(ThreadRun &run) {
  std::lock_guard<std::mutex> compiling(hotCompileMu_);
  std::lock_guard<std::mutex> translating(translateMu_);
  if (!evictWanted_.load(std::memory_order_relaxed))
    return; // another thread did it
  stopping_.store(true, std::memory_order_seq_cst);
  // Threads in code come back at their next block boundary or loop back
  // edge; those in syscalls, the dispatcher or the interpreter are out.
  for (;;) {
    bool busy = false;
    {
      std::lock_guard<std::mutex> lock(threadsMu_);
      for (ThreadRun *r : running_)
        if (r != &run && r->inCode.load(std::memory_order_seq_cst)) {
          busy = true;
          if (r->thread)
            __atomic_store_n(r->thread->interruptFlag(), 1, __ATOMIC_RELAXED);
        }
    }
    if (!busy)
      break;
    std::this_thread::yield();
  }
  std::vector<uint64_t> dropped;
  auto evict = [&](auto &owner) {
    if (!owner.wantsEviction())
      return;
    uint64_t lo, hi;
    run.stats.codeBytesFreed += owner.evict(cache_, dropped, lo, hi);
    run.stats.codeEvictions++;
  };
  evict(*blockTier_);
  if (hotTier_)
    evict(*hotTier_);
  evict(installer_);
  codeEpoch_.fetch_add(1, std::memory_order_seq_cst);
  dropCode(run.stats, dropped);
  evictWanted_.store(false, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(stopMu_);
    stopping_.store(false, std::memory_order_release);
  }
  stopCv_.notify_all();
}

bool Dispatcher::handleExit(GuestThread &t, ThreadRun &run,
                            GuestExit &result) {
  uint32_t why = t.exitReason();
  t.setExitReason(exits::kNone);
  int sig = 0, code = 0;
  uint64_t addr = t.pc();
  switch (why) {
  case exits::kNone: // stopped for a signal
    break;
  case exits::kSyscall: {
    run.stats.syscallsExecuted++;
    SyscallResult r = linux_abi::dispatchSyscall(t);
    for (auto [start, end] : r.codeGone)
      dropRange(run, start, end);
    if (r.fenceI)
      syncInstructionStream(run);
    if (r.action == SyscallAction::ExitThread) {
      result = {GuestExit::ThreadExit, r.exitStatus};
      return false;
    }
    if (r.action == SyscallAction::ExitGroup) {
      result = {GuestExit::ProcessExit, r.exitStatus};
      return false;
    }
    break;
  }
  case exits::kSyncCode:
    syncInstructionStream(run);
    break;
  case exits::kHot:
    promote(run, t.pc());
    break;
  case exits::kCodeWrite:
    run.interpretAt = t.pc();
    break;
  case exits::kIllegal:
    if (log().enabled(kLogUnimp))
      logIllegal(t);
    sig = SIGILL, code = ILL_ILLOPC;
    break;
  case exits::kBreakpoint:
    sig = SIGTRAP, code = TRAP_BRKPT;
    break;
  case exits::kMisaligned:
    sig = SIGBUS, code = BUS_ADRALN, addr = t.faultAddr();
    break;
  case exits::kMemFault:
  default:
    sig = SIGSEGV, addr = t.faultAddr();
    code = proc_.mem.isMapped(addr & ~(GuestMemory::kPageSize - 1), 1, 0)
               ? SEGV_ACCERR
               : SEGV_MAPERR;
    break;
  }
  if (sig && debugging())
    debugSignal(t, run, why, sig, code, addr);
  int fatal = sig ? linux_abi::raiseTrap(t, sig, code, addr) : 0;
  if (!fatal)
    fatal = linux_abi::deliverSignals(t);
  if (!fatal)
    return true;
  if (fatal == sig) {
    fprintf(stderr, "xlat-run: uncaught guest signal %d (%s) at pc 0x%llx", sig,
            strsignal(sig), (unsigned long long)t.pc());
    if (why == exits::kMemFault || why == exits::kMisaligned)
      fprintf(stderr, ", address 0x%llx", (unsigned long long)addr);
    fprintf(stderr, "\n");
  }
  result = {GuestExit::Signal, fatal};
  return false;
}

// -d unimp: the instruction at pc that trapped as illegal, as LLVM reads
// it where it can (an instruction not implemented yet).
void Dispatcher::logIllegal(const GuestThread &t) {
  uint64_t pc = t.pc();
  uint32_t raw;
  unsigned len;
  if (t.isA64()) {
    a64::Insn in;
    if (!a64::fetchInsn(*code_, pc, in))
      return;
    raw = in.raw, len = 4;
  } else {
    rv::Insn in;
    if (!rv::fetchInsn(*code_, pc, in))
      return;
    raw = in.raw, len = in.len;
  }
  std::string text = disassemble(t.isa, pc, raw, len);
  log().printf("xlat: illegal or unimplemented instruction 0x%0*x%s%s%s at 0x%llx\n", len * 2,
               raw, text.empty() ? "" : " (", text.c_str(), text.empty() ? "" : ")",
               (unsigned long long)pc);
}

std::string Dispatcher::disassemble(GuestIsa isa, uint64_t pc, uint32_t raw, unsigned len) {
  std::lock_guard<std::mutex> lock(disasmMu_);
  size_t k = size_t(isa);
  if (!disasmTried_[k]) {
    disasmTried_[k] = true;
    disasm_[k] = jit::createLlvmDisassembler(isa);
  }
  return disasm_[k] ? disasm_[k]->disassemble(pc, raw, len) : "";
}

void Dispatcher::logDecodedRv(const rv::Insn &in, const void *dispatcher) {
  auto *d = const_cast<Dispatcher *>(static_cast<const Dispatcher *>(dispatcher));
  std::string text = d->disassemble(GuestIsa::Riscv64, in.pc, in.raw, in.len);
  log().printf("IN: 0x%012llx:  %0*x  %s\n", (unsigned long long)in.pc, in.len * 2, in.raw,
               text.empty() ? std::string(rv::mnemonic(in.op)).c_str() : text.c_str());
}

void Dispatcher::logDecodedA64(const a64::Insn &in, const void *dispatcher) {
  auto *d = const_cast<Dispatcher *>(static_cast<const Dispatcher *>(dispatcher));
  std::string text = d->disassemble(GuestIsa::Aarch64, in.pc, in.raw, 4);
  log().printf("IN: 0x%012llx:  %08x  %s\n", (unsigned long long)in.pc, in.raw,
               text.empty() ? std::string(a64::mnemonic(in.op)).c_str() : text.c_str());
}

GuestExit Dispatcher::run(GuestThread &t) {
  auto run = std::make_unique<ThreadRun>();
  run->thread = &t;
  if (opts_.tier == jit::Tier::Interp && log().enabled(kLogInAsm))
    run->interp.setDecodeLog(logDecodedRv, this);
  {
    std::lock_guard<std::mutex> lock(threadsMu_);
    running_.insert(run.get());
  }
  setCurrentThread(&t);
  currentRun_ = run.get();
  installHostFaultHandlers();
  t.interpreting = opts_.tier == jit::Tier::Interp;
  GuestExit result;
  if (gdb_)
    gdb_->threadStarted(t.tid);
  for (;;) {
    if (debugging() && !debugBefore(t, *run, result))
      break;
    // A faulting guest access longjmps here with exit_reason set. The host
    // FP environment is reset on the way through.
    if (sigsetjmp(t.faultJump, 0) == 0) {
      t.faultJumpArmed = true;
      // RISC-V's FP environment lives in MXCSR while its code runs; A64's
      // leaves three FPSR flags there (lifter/aarch64/fenv.h).
      if (!t.isA64())
        rv::fenv::enterGuestFp(&t.state);
      else
        a64::clearHostFlags();
      if (debugging() && debugStepping(t, *run))
        debugStep(t, *run);
      else
        runUntilExit(t, *run);
    }
    t.faultJumpArmed = false;
    run->inCode.store(false, std::memory_order_release); // a fault's way out
    if (!t.isA64())
      rv::fenv::leaveGuestFp(&t.state);
    else
      a64::foldHostFlags(t.a64);
    if (!handleExit(t, *run, result))
      break;
  }
  setCurrentThread(nullptr);
  {
    std::lock_guard<std::mutex> lock(threadsMu_);
    running_.erase(run.get());
    t.withState([&](auto &s) {
      run->stats.blocksRun = s.blocks_run;
      run->stats.ibtcProbes = s.ibtc_probes;
      run->stats.ibtcHits = s.ibtc_hits;
      run->stats.shadowProbes = s.shadow_probes;
      run->stats.shadowHits = s.shadow_hits;
    });
    finished_ += run->stats;
  }
  if (gdb_) {
    if (result.kind == GuestExit::ThreadExit)
      gdb_->threadExited(t.tid);
    else
      gdb_->processExited(result.kind == GuestExit::Signal, result.code);
  }
  if (result.kind != GuestExit::ThreadExit && opts_.endProcess)
    opts_.endProcess(result);
  return result;
}

int Dispatcher::spawnThread(std::unique_ptr<GuestThread> child,
                            std::function<void(GuestThread &)> atStart) {
  struct Start {
    Dispatcher *d;
    GuestThread *t;
    std::function<void(GuestThread &)> atStart;
    sem_t ready;
    int tid;
  } start{this, child.get(), std::move(atStart), {}, 0};
  sem_init(&start.ready, 0, 0);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t th;
  int rc = pthread_create(
      &th, &attr,
      [](void *arg) -> void * {
        auto *st = static_cast<Start *>(arg);
        GuestThread *t = st->t;
        Dispatcher *d = st->d;
        t->tid = (int)syscall(SYS_gettid);
        st->atStart(*t);
        st->tid = t->tid;
        sem_post(&st->ready); // st is gone after this
        d->run(*t);
        delete t;
        return nullptr;
      },
      &start);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    sem_destroy(&start.ready);
    return -rc;
  }
  child.release(); // the new thread owns it
  while (sem_wait(&start.ready) != 0) {
  }
  sem_destroy(&start.ready);
  return start.tid;
}

int Dispatcher::forkProcess(int exitSignal) {
  // The child gets no compile thread: not one in the middle of LLVM.
  std::lock_guard<std::mutex> compiling(hotCompileMu_);
  std::lock_guard<std::mutex> queue(hotMu_);
  std::lock_guard<std::mutex> translating(translateMu_);
  std::lock_guard<std::mutex> threads(threadsMu_);
  pid_t pid = exitSignal == SIGCHLD
                  ? fork()
                  : (pid_t)syscall(SYS_clone, (unsigned long)exitSignal, 0, 0, 0, 0);
  if (pid < 0)
    return -errno;
  if (pid == 0) {
    // Only the forking thread lives on in the child.
    ThreadRun *self = nullptr;
    for (ThreadRun *r : running_)
      if (r == currentRun_)
        self = r;
    running_.clear();
    if (self)
      running_.insert(self);
    hotThreadRunning_ = false;
    hotQueue_.clear();
    hotPending_.clear();
    // gdb stays with the parent: the child runs undebugged, on code
    // translated without breakpoints.
    if (gdb_ && gdb_->forgetInChild() && self)
      flushTranslations(*self);
    std::string err;
    if ((blockTier_ && !blockTier_->afterFork(err)) ||
        !installer_.afterFork(err)) {
      fprintf(stderr, "xlat-run: fork: %s\n", err.c_str());
      _exit(1);
    }
  }
  return pid;
}

int Dispatcher::liveThreads() const {
  std::lock_guard<std::mutex> lock(threadsMu_);
  return (int)running_.size();
}

jit::TierStats Dispatcher::stats() const {
  jit::TierStats total;
  {
    std::lock_guard<std::mutex> hot(hotMu_);
    total = hotStats_;
  }
  if (aot_) {
    aot::CacheStats c = aot_->stats();
    total.aotEnabled = true;
    total.aotLookups = c.lookups;
    total.aotHits = c.hits;
    total.aotStale = c.stale;
    total.aotRejected = c.rejected;
    total.aotFileEntries = c.fileEntries;
    total.aotFileBytes = c.fileBytes;
    total.aotLoadNanos = c.loadNanos;
    total.aotEntriesWritten = c.entriesWritten;
    total.aotBytesWritten = c.bytesWritten;
  }
  // Each buffer's peak: their sum bounds the largest live size.
  for (const jit::BlockTier *tier : {blockTier_.get(), hotTier_.get()})
    if (tier) {
      total.codeBytesInUse += tier->codeBytes();
      total.codeBytesPeak += tier->peakCodeBytes();
    }
  total.codePagesFenced = proc_.mem.codePages().fencedPages();
  total.codeBytesInUse += installer_.bytesInUse();
  total.codeBytesPeak += installer_.peakBytesInUse();
  std::lock_guard<std::mutex> lock(threadsMu_);
  total += finished_;
  // Running threads' counters, read without their cooperation: fine for
  // statistics printed at exit.
  for (const ThreadRun *r : running_) {
    total += r->stats;
    if (r->thread)
      r->thread->withState([&](const auto &s) {
        total.blocksRun += s.blocks_run;
        total.ibtcProbes += s.ibtc_probes;
        total.ibtcHits += s.ibtc_hits;
        total.shadowProbes += s.shadow_probes;
        total.shadowHits += s.shadow_hits;
      });
  }
  return total;
}

} // namespace xlat
