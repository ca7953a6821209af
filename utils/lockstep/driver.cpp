#include "utils/lockstep/driver.h"

#include "lifter/core/disasm.h"
#include "runtime/dispatcher.h"
#include "runtime/guest_memory.h"
#include "utils/lockstep/aarch64/plug.h"
#include "utils/lockstep/engines.h"
#include "utils/lockstep/riscv/plug.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/mman.h>

namespace xlat::lockstep {
namespace {

// The scratch region as the runtime lays out guest memory: read-write
// below the limit, never-mapped guard zones (GuestMemory::kGuard) on both
// sides, so that an access that runs past the limit, or one whose range
// check a dominating access made, faults on the host as it does in
// xlat-run (installHostFaultHandlers).
class GuardedScratch {
public:
  GuardedScratch() {
    size_t total = kMemSize + 2 * GuestMemory::kGuard;
    void *p = mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED) {
      error_ = strerror(errno);
      return;
    }
    uint8_t *base = static_cast<uint8_t *>(p) + GuestMemory::kGuard;
    if (mprotect(base, kMemSize, PROT_READ | PROT_WRITE) != 0) {
      error_ = strerror(errno);
      munmap(p, total);
      return;
    }
    base_ = base;
  }
  ~GuardedScratch() {
    if (base_)
      munmap(base_ - GuestMemory::kGuard, kMemSize + 2 * GuestMemory::kGuard);
  }
  uint8_t *base() const { return base_; }
  const std::string &error() const { return error_; } // why base() is null

private:
  uint8_t *base_ = nullptr;
  std::string error_;
};

template <class Plug> class Lockstep {
public:
  using Generator = typename Plug::Generator;
  using Scenario = lockstep::Scenario<typename Plug::State>;
  using Outcome = lockstep::Outcome<typename Plug::State>;

  Lockstep(const Options &o, const Generator &gen, Engine &ref, Engine &dut)
      : o_(o), gen_(gen), ref_(ref), dut_(dut),
        disasm_(Disassembler::create(Plug::kIsa)), drawn_(gen.encodings().size()) {
    refThread_.isa = dutThread_.isa = Plug::kIsa;
  }
  int run();

private:
  void setCode(const Stream &st, const std::vector<uint8_t> &bytes);
  bool runOne(Engine &e, GuestThread &t, const Scenario &sc, Outcome &out);
  bool runPair(const Stream &st, const Scenario &sc, Outcome &ref, Outcome &dut);
  int localize(const Stream &st, const Scenario &sc, Outcome &before,
               Outcome &ref, Outcome &dut);
  void report(uint64_t block, unsigned state, const Stream &st,
              const Scenario &sc);
  void printInsn(const StreamInsn &si, const char *prefix);
  void printSummary(uint64_t divergences);

  const Options &o_;
  const Generator &gen_;
  Engine &ref_, &dut_;
  std::unique_ptr<Disassembler> disasm_;
  BufferCodeReader code_;
  GuardedScratch scratch_;
  GuestThread refThread_, dutThread_;
  std::vector<uint64_t> drawn_;
  uint64_t blocks_ = 0, runs_ = 0, exits_[8] = {};
};

// The exits the summary counts, in its order.
constexpr uint32_t kCountedExits[] = {exits::kSyscall,  exits::kBreakpoint, exits::kIllegal,
                                      exits::kSyncCode, exits::kMemFault,   exits::kMisaligned};

template <class Plug>
void Lockstep<Plug>::setCode(const Stream &st, const std::vector<uint8_t> &bytes) {
  code_.set(st.pc, bytes);
  ref_.setCode(code_);
  dut_.setCode(code_);
}

template <class Plug>
bool Lockstep<Plug>::runOne(Engine &e, GuestThread &t, const Scenario &sc,
                            Outcome &out) {
  memcpy(scratch_.base(), sc.mem.data(), kMemSize);
  typename Plug::State &s = Plug::state(t);
  s = sc.state;
  s.membase = scratch_.base();
  s.memlimit = kMemSize;
  s.exit_reason = exits::kNone;
  std::string err;
  if (!runGuest(e, t, err)) {
    fprintf(stderr, "xlat-lockstep: %.*s: %s (seed %" PRIu64 ")\n",
            int(e.name().size()), e.name().data(), err.c_str(), o_.seed);
    return false;
  }
  out.mem.assign(scratch_.base(), scratch_.base() + kMemSize);
  out.state = s;
  out.state.membase = nullptr;
  return true;
}

template <class Plug>
bool Lockstep<Plug>::runPair(const Stream &st, const Scenario &sc, Outcome &ref,
                             Outcome &dut) {
  if (!runOne(ref_, refThread_, sc, ref) || !runOne(dut_, dutThread_, sc, dut))
    return false;
  if (o_.injectBug)
    Plug::injectBug(st, dut);
  return true;
}

// Replaces every instruction from position p on with the plug's trap
// (which stops with pc at the trap) and reruns: the first p whose
// runs differ names instruction p-1. Jumps only go forward, so the prefix
// runs execute exactly the instructions of the full run before position p.
template <class Plug>
int Lockstep<Plug>::localize(const Stream &st, const Scenario &sc, Outcome &before,
                             Outcome &ref, Outcome &dut) {
  before.state = sc.state;
  before.mem = sc.mem;
  size_t n = st.insns.size() - 1;
  for (size_t p = 1; p <= n; ++p) {
    std::vector<uint8_t> bytes = st.bytes;
    for (size_t q = p; q < n; ++q) {
      size_t off = st.insns[q].pc - st.pc;
      uint32_t trap = Plug::trap(st.insns[q]);
      for (unsigned b = 0; b < st.insns[q].len; ++b)
        bytes[off + b] = uint8_t(trap >> (8 * b));
    }
    setCode(st, bytes);
    if (!runPair(st, sc, ref, dut))
      return -1;
    if (!Plug::sameOutcome(ref, dut))
      return int(p - 1);
    before = ref;
  }
  return -1;
}

template <class Plug>
void Lockstep<Plug>::printInsn(const StreamInsn &si, const char *prefix) {
  std::string text = disasm_ ? disasm_->disassemble(si.pc, si.raw, si.len)
                             : std::string("?");
  std::string_view mn = Plug::lineName(si, gen_);
  printf("%s0x%06" PRIx64 ": %0*x  %-28s [%.*s]\n", prefix, si.pc,
         si.len * 2, si.raw, text.c_str(), int(mn.size()), mn.data());
}

template <class Plug>
void Lockstep<Plug>::report(uint64_t block, unsigned state, const Stream &st,
                            const Scenario &sc) {
  const char *dutName = dut_.name().data();
  printf("lockstep: DIVERGENCE in block %" PRIu64 ", state %u (seed %" PRIu64
         "): interp and %s differ\n",
         block, state, o_.seed, dutName);
  Outcome before, ref, dut;
  int culprit = localize(st, sc, before, ref, dut);
  if (culprit >= 0) {
    printf("  instruction %d of %zu:\n", culprit + 1, st.insns.size() - 1);
    printInsn(st.insns[culprit], "    ");
    printf("  state before it (interp):\n");
    Plug::printState(stdout, before.state);
    printf("  after it (exit %s / %s):\n", Plug::exitName(ref.state.exit_reason),
           Plug::exitName(dut.state.exit_reason));
    Plug::printDiff(stdout, ref, dut, "interp", dutName);
  } else {
    printf("  the prefix runs do not diverge: the difference needs the whole "
           "block\n");
    setCode(st, st.bytes);
    if (runPair(st, sc, ref, dut)) {
      printf("  after it (exit %s / %s):\n", Plug::exitName(ref.state.exit_reason),
             Plug::exitName(dut.state.exit_reason));
      Plug::printDiff(stdout, ref, dut, "interp", dutName);
    }
  }
  printf("  block:\n");
  for (size_t i = 0; i < st.insns.size(); ++i)
    printInsn(st.insns[i], int(i) == culprit ? "  > " : "    ");
  printf("  reproduce: xlat-lockstep%s --seed %" PRIu64 " --first %" PRIu64
         " --count 1 --insns %u --states %u %s %s --tier %s%s\n",
         Plug::kIsa == GuestIsa::Aarch64 ? " --isa aarch64" : "", o_.seed, block,
         o_.insns, state + 1, Plug::kOnlyOption.data(),
         o_.only.empty() ? Plug::kAllOnly.data() : o_.only.c_str(), dutName,
         o_.injectBug ? " --inject-bug" : "");
}

template <class Plug>
void Lockstep<Plug>::printSummary(uint64_t divergences) {
  uint64_t drawnLines = 0;
  for (uint64_t n : drawn_)
    drawnLines += n != 0;
  char drawn[64];
  if (drawnLines == drawn_.size())
    snprintf(drawn, sizeof drawn, "all %zu", drawn_.size());
  else
    snprintf(drawn, sizeof drawn, "%" PRIu64 " of %zu", drawnLines, drawn_.size());
  printf("lockstep: %" PRIu64 " runs; exits:", runs_);
  for (uint32_t e : kCountedExits)
    printf("%s %s %" PRIu64, e == kCountedExits[0] ? "" : ",", Plug::exitName(e), exits_[e]);
  printf("; %s encodings drawn; %" PRIu64 " blocks translated\n", drawn,
         dut_.translated());
  if (o_.verbose)
    for (size_t i = 0; i < drawn_.size(); ++i)
      if (!drawn_[i])
        printf("lockstep: never drawn: %.*s\n",
               int(gen_.encodings()[i].mnemonic.size()),
               gen_.encodings()[i].mnemonic.data());
  printf("lockstep: %" PRIu64 " blocks, %" PRIu64 " instructions, %" PRIu64
         " divergences (seed %" PRIu64 ")\n",
         blocks_, ref_.interpreted(), divergences, o_.seed);
}

template <class Plug>
int Lockstep<Plug>::run() {
  if (!scratch_.base()) {
    fprintf(stderr, "xlat-lockstep: cannot map the scratch region: %s\n",
            scratch_.error().c_str());
    return 2;
  }
  installHostFaultHandlers();
  Scenario sc;
  Outcome ref, dut;
  for (uint64_t b = o_.first; b < o_.first + o_.count; ++b) {
    Rng rng(mixSeed(o_.seed, b));
    Stream st = gen_.generate(rng, Plug::streamPc(rng), o_.insns);
    for (const StreamInsn &si : st.insns)
      if (si.encoding >= 0)
        drawn_[si.encoding]++;
    if (o_.verbose) {
      printf("block %" PRIu64 ":\n", b);
      for (const StreamInsn &si : st.insns)
        printInsn(si, "    ");
    }
    setCode(st, st.bytes);
    ++blocks_;
    for (unsigned k = 0; k < o_.states; ++k) {
      Plug::makeScenario(rng, st, sc);
      if (!runPair(st, sc, ref, dut))
        return 2;
      ++runs_;
      exits_[ref.state.exit_reason & 7]++;
      if (!Plug::sameOutcome(ref, dut)) {
        report(b, k, st, sc);
        printSummary(1);
        return 1;
      }
    }
  }
  printSummary(0);
  return 0;
}

template <class Plug> int runWith(const Options &opts) {
  std::string err;
  std::unique_ptr<typename Plug::Generator> gen =
      Plug::makeGenerator(opts.only.empty() ? Plug::kAllOnly : opts.only, err);
  if (!gen) {
    fprintf(stderr, "xlat-lockstep: %s\n", err.c_str());
    return 2;
  }
  std::unique_ptr<Engine> dut = createTierEngine(Plug::kIsa, opts.tier, err);
  if (!dut) {
    fprintf(stderr, "xlat-lockstep: %s\n", err.c_str());
    return 2;
  }
  std::unique_ptr<Engine> ref = createInterpreterEngine(Plug::kIsa);
  Lockstep<Plug> ls(opts, *gen, *ref, *dut);
  return ls.run();
}

} // namespace

int runLockstep(const Options &opts) {
  return opts.isa == GuestIsa::Aarch64 ? runWith<aarch64::Plug>(opts)
                                       : runWith<riscv::Plug>(opts);
}

} // namespace xlat::lockstep
