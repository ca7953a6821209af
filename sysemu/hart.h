// One RV64GC hart of the system-mode machine: the architected state the
// user-mode tiers share (rv::RvState), the privileged state around it
// (mode, CSRs, traps, interrupts) and its MMU (Sv39/Sv48 with a software
// TLB). Each hart runs on a host thread of its own.
//
// The instruction semantics are the user-mode ones: what they cannot do
// (privileged instructions, CSRs other than the FP and counter ones) they
// hand back as kExitIllegal, and the hart executes it here. Their memory
// operations reach the hart's MMU through the natives in softmmu.cpp.
#pragma once

#include "aot/cache.h"
#include "debug/gdb_server.h"
#include "jit/block_tier.h"
#include "jit/code_cache.h"
#include "jit/code_object.h"
#include "jit/interpreter.h"
#include "jit/tier.h"
#include "lifter/core/code_reader.h"
#include "lifter/core/softmmu_tlb.h"
#include "lifter/riscv/insn.h"
#include "lifter/riscv/state.h"

#include <atomic>
#include <condition_variable>
#include <csetjmp>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace xlat {
class Disassembler;
}

namespace xlat::sysemu {

class Machine;
class StateReader;
class StateWriter;

enum Priv : uint8_t { kPrivU = 0, kPrivS = 1, kPrivM = 3 };

// Interrupt bits of mip/mie (and causes, by bit number).
enum Irq : uint64_t {
  kSSIP = 1u << 1, kMSIP = 1u << 3, kSTIP = 1u << 5,
  kMTIP = 1u << 7, kSEIP = 1u << 9, kMEIP = 1u << 11,
};

// Exception causes.
enum Cause : uint64_t {
  kInsnMisaligned = 0, kInsnAccessFault = 1, kIllegalInsn = 2,
  kBreakpoint = 3, kLoadMisaligned = 4, kLoadAccessFault = 5,
  kStoreMisaligned = 6, kStoreAccessFault = 7, kEcallU = 8, kEcallS = 9,
  kEcallM = 11, kInsnPageFault = 12, kLoadPageFault = 13,
  kStorePageFault = 15,
};
constexpr uint64_t kInterruptCause = 1ull << 63;

enum class Access : uint8_t { Read, Write, Exec };

// Counters for --stats.
struct HartStats {
  uint64_t exceptions[16] = {};
  uint64_t interrupts[16] = {};
  uint64_t tlbMisses = 0;      // page walks
  uint64_t tlbFlushes = 0;     // sfence.vma and satp writes
  uint64_t systemInsns = 0;    // privileged instructions and CSRs run here
  uint64_t wfiSleeps = 0;      // wfi that found nothing pending
  uint64_t mmioAccesses = 0;
  uint64_t fences = 0;         // fence.i
  uint64_t fenceCompared = 0;  // translations whose bytes a fence.i compared
};

class Hart {
public:
  Hart(Machine &m, unsigned id);
  ~Hart();

  // Starts (or restarts, on reset) at pc in M mode with everything else
  // at its reset value.
  void reset(uint64_t pc);
  // Runs until the machine stops. The thread body.
  void run();
  // Asks the hart to look at its interrupts soon: stops the interpreter at
  // the next instruction and wakes a wfi.
  void kick();
  // A device's interrupt line into mip (MSIP, MEIP, SEIP).
  void setLine(uint64_t bit, bool level);
  uint64_t lines() const { return mipLines_.load(); }
  bool timerDue() const;

  // Guest memory as the current instruction sees it: translated for its
  // privilege (mstatus.MPRV honoured), faulting like the hardware. Faults
  // do not return (they unwind to run()).
  template <typename T> T load(uint64_t va);
  template <typename T> void store(uint64_t va, T v);
  void *atomicPtr(uint64_t va, unsigned size, Access a);
  // Instruction fetch: false (and fetchCause()) if va cannot be executed.
  bool fetch(uint64_t va, void *dst, size_t n);
  // Translated code's accesses name their instruction before they may
  // fault (the softmmu calls).
  void setAccessPc(uint64_t pc) { currentPc_ = pc; }
  uint64_t fetchCause() const { return fetchCause_; }

  // Under gdb (sysemu/gdb_target.cpp). The hart is gdb's thread id + 1;
  // it reads its code through a reader that shows gdb's breakpoints.
  void attachDebugger(debug::GdbServer &gdb);
  int gdbThread() const { return int(id) + 1; }
  // Registers gdb sees past the user ones: the privilege level, CSRs.
  bool debugReadCsr(uint32_t csr, uint64_t &v) { return csrRead(csr, v); }
  bool debugWriteCsr(uint32_t csr, uint64_t v) { return csrWrite(csr, v); }
  Priv priv() const { return priv_; }
  void setPriv(Priv p);
  // Memory as this hart sees it, for a debugger: through its page table
  // (no permission checks, no A/D updates, no TLB fill), RAM only. The
  // bytes done.
  size_t debugAccess(uint64_t va, void *buf, size_t n, bool write);
  // The TLB's valid entries, for the monitor's `info tlb` (4 KiB pages:
  // a superpage fills them a page at a time).
  struct TlbView {
    uint64_t va, pa;
    uint8_t pte; // V R W X U G A D
  };
  std::vector<TlbView> tlbEntries() const;
  // Writes what the LLVM tiers compiled to the translation cache (after
  // run() returned); false with a one-line warning.
  bool saveTranslations(std::string &warning);
  aot::CacheStats cacheStats() const;
  // Snapshots (snapshot.h), with the hart paused: its architected and
  // privileged state; load() then forgets the TLB and decoded code.
  void save(StateWriter &w) const;
  bool load(StateReader &r);
  // Breakpoints or code changed: decoded instructions are forgotten, by
  // the hart itself before it runs on (it may be running now).
  void debugCodeChanged() {
    flushPending_.store(true);
    kick();
  }

  rv::RvState state{};
  const unsigned id;
  // CLINT: the hart's timer compare register (mtime units).
  std::atomic<uint64_t> mtimecmp{~0ull};
  HartStats stats;
  jit::TierStats tierStats;

private:
  struct TlbEntry {
    uint64_t vpage = ~0ull;  // va >> 12; ~0: empty
    uint64_t ppage = 0;      // physical page address
    uint8_t *host = nullptr; // host address of the page when it is memory
    uint8_t pte = 0;         // the leaf's V R W X U G A D
    bool writableHost = false;
  };
  static constexpr unsigned kTlbSize = 256;

  // The software TLBs translated code probes (softmmu_tlb.h), one per way
  // a data address is translated: for U, for S without and with SUM, and
  // physical (M without MPRV, or satp Bare). They hold what the TLB above
  // holds, with its permission checks made for that context; state.membase
  // points at the current one while translated code runs.
  enum MmuIndex : unsigned { kMmuU, kMmuS, kMmuSSum, kMmuPhys, kNumMmu };
  unsigned mmuIndex() const;
  void fillSoftTlb(uint64_t va, Priv priv, const uint8_t *pageHost, uint8_t pte,
                   bool hostWritable);
  void flushSoftTlb(bool physicalToo);

  // Translated code (every tier but interp): a tier, code cache and IBTC
  // (its front) per context code is decoded in, as for the interpreter's
  // caches. Translations are keyed by virtual pc and read one page (but
  // for the second half of an instruction that ends the block). When a
  // mapping may have changed (sfence.vma, satp), the pages translated
  // from are walked again and those whose mapping changed lose their
  // translations (a satp write checks only non-global ones).
  //
  // fence.i keeps the translations whose guest bytes are still what they
  // were made from: each keeps a copy of them, compared at the fence (the
  // kernel fences at every executable page it maps, and that dropped the
  // whole kernel's code each time), as RISC-V lets instruction fetch see
  // stores only after a fence.i. Only the translations from RAM pages
  // written since the hart's last fence.i are compared
  // (Machine::codeWritten): a page is watched before code is read from it.
  struct Translated {
    struct Range {
      const uint8_t *host; // where guest bytes were read (RAM)
      uint32_t len;
      bool watched; // its page's writes were tracked before it was read
    };
    struct Source {
      uint64_t pc;
      jit::BlockFn fn;           // null: dropped since
      uint32_t at;               // the ranges' bytes, copied into `bytes`
      std::vector<Range> ranges; // none: goes at every fence.i
    };
    std::unique_ptr<jit::BlockTier> tier;
    jit::CodeCache cache;
    jit::CodeCacheFront front;
    // The pages translated from (virtual page number): the physical page
    // each mapped to, and whether through a global mapping.
    struct CodePage {
      uint64_t pa;
      bool global;
    };
    std::unordered_map<uint64_t, CodePage> pages;
    std::vector<Source> sources;
    std::unordered_map<uint64_t, size_t> sourceOf; // pc -> live sources index
    std::vector<uint8_t> bytes;
    size_t deadSources = 0;
    // Which translations each RAM page holds bytes of (pcs; some may have
    // been dropped or translated again since), and those compared at
    // every fence.i: a range outside RAM, or read before its page was
    // watched (the second page of a block that crosses one).
    std::unordered_map<uint64_t, std::vector<uint64_t>> byPage;
    std::vector<uint64_t> always;
    // Translations from pages whose mapping went (the process that mapped
    // them exited, or has not faulted them in yet), kept by virtual page
    // and the physical page it mapped. When that page is mapped there
    // again (the same program, a new process) and holds the same bytes,
    // they become current again instead of being translated again: the
    // code depends on the virtual pc, the bytes on the physical page.
    struct Parked {
      uint64_t pc;
      jit::BlockFn fn;
      std::vector<Range> ranges;
      std::vector<uint8_t> bytes;
    };
    std::map<std::pair<uint64_t, uint64_t>, std::vector<Parked>> parked;
    std::deque<std::pair<uint64_t, uint64_t>> parkedOrder; // oldest first
    // Adaptive: the LLVM tier hot regions are compiled with, on the hart's
    // compile thread (only it touches `hot`).
    // The blocks' bytes of the last region `tier` compiled (--tier=region).
    std::vector<std::pair<uint64_t, uint32_t>> tierRanges;
    jit::BlockTierOptions hotOptions;
    std::unique_ptr<jit::BlockTier> hot;
    std::atomic<bool> hotFailed{false};
    // The translation cache of this context (LLVM tiers): what the LLVM
    // tiers compile is recorded there, and found there before a block is
    // translated; its code is installed here.
    std::unique_ptr<aot::TranslationCache> aot;
    jit::CodeInstaller aotInstaller;

    void addSource(const Machine &m, uint64_t pc, jit::BlockFn fn,
                   std::vector<Range> ranges);
    void index(const Machine &m, const Source &src);
    bool holds(const Machine &m, const Source &src, uint64_t page) const;
    bool changed(const Source &src) const;
    void dropped(uint64_t pc); // pc's translation is gone
    // Host code [lo, hi) is gone (evicted): parked translations there can
    // never be revived; new code takes their addresses.
    void unpark(uint64_t lo, uint64_t hi);
    void forgetAll();
  };
  Translated &translated();
  jit::BlockFn fromCache(Translated &t, uint64_t pc, bool watched);
  bool codePage(uint64_t va, const uint8_t *&host, uint64_t *pa = nullptr) const;
  const uint8_t *notePage(Translated &t, uint64_t va);
  jit::BlockFn translateBlock(Translated &t, uint64_t pc);
  void runTranslated();
  // After a mapping may have changed (sfence.vma, satp): drops the
  // translations of S and U mode from the pages (one, or all; or only
  // the non-global ones) whose mapping is not what it was.
  void revalidate(uint64_t onlyPage, bool onlyNonGlobal);
  void clearTranslated();                 // everything
  void verifyTranslated();                // fence.i
  void park(Translated &t, uint64_t pc, uint64_t pa);
  jit::BlockFn revive(Translated &t, uint64_t pc, bool watched);
  // Code is about to be read from va's page to be translated: writes to
  // the page are tracked from now on. False if it is not RAM.
  bool watchCodePage(uint64_t va);

  // Adaptive (--tier=adaptive): template blocks count their runs; a hot
  // one's region is compiled by LLVM on a thread of the hart's own, from a
  // copy of its page, and installed by the hart between blocks.
  struct HotJob {
    Translated *t;
    std::vector<uint64_t> pcs; // the region, its head first
    uint64_t since;            // the cache's epoch when the copy was made
    uint64_t page;             // va
    const uint8_t *host;       // the page's bytes
    std::vector<uint8_t> code; // their copy
  };
  struct HotResult {
    Translated *t;
    uint64_t pc;
    jit::BlockFn fn; // null: not compiled
    uint64_t since, page;
    const uint8_t *host;
    std::vector<uint8_t> code;
    std::vector<std::pair<uint64_t, uint32_t>> ranges; // the blocks' bytes
    jit::TierStats stats;
  };
  std::vector<uint64_t> formRegion(Translated &t, uint64_t pc, uint64_t warm);
  void requestPromotion(Translated &t, uint64_t pc);
  void hotLoop();
  void installPromotions();
  void startHotThread();
  void stopHotThread();

  class FetchReader final : public CodeReader {
  public:
    explicit FetchReader(Hart &h) : h_(h) {}
    bool read(uint64_t addr, void *dst, size_t n) override {
      return h_.fetch(addr, dst, n);
    }

  private:
    Hart &h_;
  };

  // Translation. translate() faults; tryTranslate() reports the cause.
  uint64_t translate(uint64_t va, Access a, uint8_t **host, bool *hostWritable);
  bool tryTranslate(uint64_t va, Access a, uint64_t &pa, uint64_t &cause,
                    uint8_t **host, bool *hostWritable);
  bool walk(uint64_t va, Access a, Priv priv, TlbEntry &out, uint64_t &cause);
  bool permits(uint8_t pte, Access a, Priv priv) const;
  Priv dataPriv() const;
  void flushTlb();
  uint64_t mmioRead(uint64_t pa, unsigned size, uint64_t va);
  void mmioWrite(uint64_t pa, unsigned size, uint64_t v, uint64_t va);
  template <typename T> T loadSlow(uint64_t va);
  template <typename T> void storeSlow(uint64_t va, T v);
  [[noreturn]] void raise(uint64_t cause, uint64_t tval);

  // Traps and privileged instructions.
  void takeTrap(uint64_t cause, uint64_t tval, uint64_t epc);
  bool takeInterrupt();
  uint64_t pendingIrqs() const;
  void handleExit();
  bool executeSystem(const rv::Insn &in);
  bool csrRead(uint32_t csr, uint64_t &v);
  bool counterEnabled(Priv p, unsigned counter) const;
  uint64_t counter(unsigned n) const;
  static bool needsHart(const rv::Insn &in, const void *ctx);
  bool csrWrite(uint32_t csr, uint64_t v);
  void waitForInterrupt();
  void flushDecoded();
  void flushDecodedTranslated(); // S and U: after a mapping change
  jit::Interpreter &interp();
  // Runs the instruction at pc by itself (a gdb step, watchpoint or the
  // instruction under a breakpoint, checked first; -d exec, logged).
  void stepOne();
  static void logDecoded(const rv::Insn &in, const void *ctx);
  bool debugWalk(uint64_t va, uint64_t &pa);
  bool quietWalk(uint64_t va, uint64_t &pa, uint8_t &leaf) const;
  bool stillFetches(uint64_t va, uint64_t pa, Priv priv) const;
  CodeReader &code() { return bpReader_ ? *bpReader_ : reader_; }

  Machine &m_;
  Priv priv_ = kPrivM;
  // CSRs kept here; mip's device bits are mipLines_.
  uint64_t mstatus_ = 0, misa_ = 0, medeleg_ = 0, mideleg_ = 0, mie_ = 0;
  uint64_t mipSoft_ = 0; // SSIP, STIP, SEIP as software wrote them
  std::atomic<uint64_t> mipLines_{0};
  uint64_t mtvec_ = 0, mepc_ = 0, mcause_ = 0, mtval_ = 0, mscratch_ = 0;
  uint64_t mcounteren_ = 0, mcountinhibit_ = 0, menvcfg_ = 0;
  uint64_t stvec_ = 0, sepc_ = 0, scause_ = 0, stval_ = 0, sscratch_ = 0;
  uint64_t satp_ = 0, scounteren_ = 0, senvcfg_ = 0;
  int64_t cycleOffset_ = 0, instretOffset_ = 0; // mcycle, minstret writes

  TlbEntry tlb_[kTlbSize];
  alignas(64) SoftTlbEntry softTlb_[kNumMmu][kSoftTlbEntries];
  jit::Tier tier_ = jit::Tier::Interp;
  std::unique_ptr<Translated> translated_[4][2];
  const Translated *shadowContext_ = nullptr; // whose returns state.shadow holds
  std::thread hotThread_;
  std::mutex hotMu_;
  std::condition_variable hotCv_;
  std::deque<HotJob> hotJobs_;
  std::vector<HotResult> hotDone_;
  std::atomic<bool> hotReady_{false};
  bool hotStop_ = false;
  std::vector<std::pair<uint64_t, uint32_t>> hotRanges_; // compile thread's
  FetchReader reader_{*this};
  debug::GdbServer *gdb_ = nullptr;
  debug::ThreadDebug gdbThread_;
  std::unique_ptr<CodeReader> bpReader_; // reader_ with gdb's breakpoints
  std::unique_ptr<Disassembler> disasm_; // -d in_asm
  // Decoded instructions by virtual pc, one cache per privilege mode (so
  // that user and kernel code at the same address never meet) and FS
  // state: with FS Off, and for counters the mode may not read, the
  // decode filter (needsHart) hands instructions to the hart. The kernel
  // runs with FS Off and user code with it on, so each keeps its cache.
  struct DecodeContext {
    const Hart *hart;
    Priv priv;
    bool fpOff;
  };
  DecodeContext decodeCtx_[4][2];
  jit::Interpreter interp_[4][2];
  uint64_t codeLogPos_ = 0; // in the machine's log of written code pages
  uint64_t currentPc_ = 0;
  uint64_t fetchCause_ = 0;
  uint64_t faultCause_ = 0, faultTval_ = 0;
  jmp_buf faultJump_;

  std::atomic<bool> stop_{false};
  std::atomic<bool> flushPending_{false}; // debugCodeChanged
  std::mutex wfiMutex_;
  std::condition_variable wfiCv_;
};

// The hart running on this thread.
Hart *currentHart();

} // namespace xlat::sysemu
