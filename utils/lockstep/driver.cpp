#include "utils/lockstep/driver.h"

#include "lifter/riscv/decoder.h"
#include "lifter/riscv/disasm.h"
#include "utils/lockstep/engines.h"
#include "utils/lockstep/generator.h"
#include "runtime/dispatcher.h"
#include "runtime/guest_memory.h"
#include "utils/lockstep/scenario.h"

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

constexpr uint32_t kEbreak = 0x00100073;
constexpr uint16_t kCEbreak = 0x9002;

class Lockstep {
public:
  Lockstep(const Options &o, const Generator &gen, Engine &ref, Engine &dut)
      : o_(o), gen_(gen), ref_(ref), dut_(dut),
        disasm_(Disassembler::create(GuestIsa::Riscv64)), drawn_(gen.encodings().size()) {}
  int run();

private:
  void setCode(const Stream &st, const std::vector<uint8_t> &bytes);
  bool runOne(Engine &e, GuestThread &t, const Scenario &sc, Outcome &out);
  bool runPair(const Stream &st, const Scenario &sc, Outcome &ref, Outcome &dut);
  void injectBug(const Stream &st, Outcome &dut) const;
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

void Lockstep::setCode(const Stream &st, const std::vector<uint8_t> &bytes) {
  code_.set(st.pc, bytes);
  ref_.setCode(code_);
  dut_.setCode(code_);
}

bool Lockstep::runOne(Engine &e, GuestThread &t, const Scenario &sc,
                      Outcome &out) {
  memcpy(scratch_.base(), sc.mem.data(), kMemSize);
  t.state = sc.state;
  t.state.membase = scratch_.base();
  t.state.memlimit = kMemSize;
  t.state.exit_reason = rv::kExitNone;
  std::string err;
  if (!runGuest(e, t, err)) {
    fprintf(stderr, "xlat-lockstep: %.*s: %s (seed %" PRIu64 ")\n",
            int(e.name().size()), e.name().data(), err.c_str(), o_.seed);
    return false;
  }
  out.mem.assign(scratch_.base(), scratch_.base() + kMemSize);
  out.state = t.state;
  out.state.membase = nullptr;
  return true;
}

bool Lockstep::runPair(const Stream &st, const Scenario &sc, Outcome &ref,
                       Outcome &dut) {
  if (!runOne(ref_, refThread_, sc, ref) || !runOne(dut_, dutThread_, sc, dut))
    return false;
  if (o_.injectBug)
    injectBug(st, dut);
  return true;
}

// The tool's own test: a wrong result bit once the run got past the stream's
// first 32-bit addi with a destination, if no jump or branch precedes it (so
// getting past it means executing it).
void Lockstep::injectBug(const Stream &st, Outcome &dut) const {
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

// Replaces every instruction from position p on with a trap (ebreak or
// c.ebreak, which stop with pc at the trap) and reruns: the first p whose
// runs differ names instruction p-1. Jumps only go forward, so the prefix
// runs execute exactly the instructions of the full run before position p.
int Lockstep::localize(const Stream &st, const Scenario &sc, Outcome &before,
                       Outcome &ref, Outcome &dut) {
  before.state = sc.state;
  before.mem = sc.mem;
  size_t n = st.insns.size() - 1;
  for (size_t p = 1; p <= n; ++p) {
    std::vector<uint8_t> bytes = st.bytes;
    for (size_t q = p; q < n; ++q) {
      size_t off = st.insns[q].pc - st.pc;
      uint32_t trap = st.insns[q].len == 4 ? kEbreak : kCEbreak;
      for (unsigned b = 0; b < st.insns[q].len; ++b)
        bytes[off + b] = uint8_t(trap >> (8 * b));
    }
    setCode(st, bytes);
    if (!runPair(st, sc, ref, dut))
      return -1;
    if (!sameOutcome(ref, dut))
      return int(p - 1);
    before = ref;
  }
  return -1;
}

void Lockstep::printInsn(const StreamInsn &si, const char *prefix) {
  std::string text = disasm_ ? disasm_->disassemble(si.pc, si.raw, si.len)
                             : std::string("?");
  rv::Insn in = si.len == 2 ? rv::decodeCompressed(si.pc, uint16_t(si.raw))
                            : rv::decode(si.pc, si.raw);
  std::string_view mn = si.len == 2 ? gen_.encodings()[si.encoding].mnemonic
                                    : rv::mnemonic(in.op);
  if (si.encoding < 0)
    mn = "terminator";
  printf("%s0x%06" PRIx64 ": %0*x  %-28s [%.*s]\n", prefix, si.pc,
         si.len * 2, si.raw, text.c_str(), int(mn.size()), mn.data());
}

void Lockstep::report(uint64_t block, unsigned state, const Stream &st,
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
    printState(stdout, before.state);
    printf("  after it (exit %s / %s):\n", exitName(ref.state.exit_reason),
           exitName(dut.state.exit_reason));
    printDiff(stdout, ref, dut, "interp", dutName);
  } else {
    printf("  the prefix runs do not diverge: the difference needs the whole "
           "block\n");
    setCode(st, st.bytes);
    if (runPair(st, sc, ref, dut)) {
      printf("  after it (exit %s / %s):\n", exitName(ref.state.exit_reason),
             exitName(dut.state.exit_reason));
      printDiff(stdout, ref, dut, "interp", dutName);
    }
  }
  printf("  block:\n");
  for (size_t i = 0; i < st.insns.size(); ++i)
    printInsn(st.insns[i], int(i) == culprit ? "  > " : "    ");
  printf("  reproduce: xlat-lockstep --seed %" PRIu64 " --first %" PRIu64
         " --count 1 --insns %u --states %u --only-ext %s --tier %s%s\n",
         o_.seed, block, o_.insns, state + 1, o_.extList.c_str(), dutName,
         o_.injectBug ? " --inject-bug" : "");
}

void Lockstep::printSummary(uint64_t divergences) {
  uint64_t drawnLines = 0;
  for (uint64_t n : drawn_)
    drawnLines += n != 0;
  char drawn[64];
  if (drawnLines == drawn_.size())
    snprintf(drawn, sizeof drawn, "all %zu", drawn_.size());
  else
    snprintf(drawn, sizeof drawn, "%" PRIu64 " of %zu", drawnLines, drawn_.size());
  printf("lockstep: %" PRIu64 " runs; exits: ecall %" PRIu64 ", ebreak %" PRIu64
         ", illegal %" PRIu64 ", fence.i %" PRIu64 ", mem-fault %" PRIu64
         ", misaligned %" PRIu64 "; %s encodings drawn; %" PRIu64
         " blocks translated\n",
         runs_, exits_[rv::kExitEcall], exits_[rv::kExitEbreak],
         exits_[rv::kExitIllegal], exits_[rv::kExitFenceI],
         exits_[rv::kExitMemFault], exits_[rv::kExitMisaligned], drawn,
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

int Lockstep::run() {
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
    Stream st = gen_.generate(rng, 0x100000 + 2 * rng.below(0x40000), o_.insns);
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
      makeScenario(rng, st, sc);
      if (!runPair(st, sc, ref, dut))
        return 2;
      ++runs_;
      exits_[ref.state.exit_reason & 7]++;
      if (!sameOutcome(ref, dut)) {
        report(b, k, st, sc);
        printSummary(1);
        return 1;
      }
    }
  }
  printSummary(0);
  return 0;
}

} // namespace

int runLockstep(const Options &opts) {
  Generator gen(selectEncodings(opts.exts));
  if (gen.empty()) {
    fprintf(stderr, "xlat-lockstep: --only-ext %s selects no encodings "
                    "(C needs the extensions of its expansions too)\n",
            opts.extList.c_str());
    return 2;
  }
  std::string err;
  std::unique_ptr<Engine> dut = createTierEngine(opts.tier, err);
  if (!dut) {
    fprintf(stderr, "xlat-lockstep: %s\n", err.c_str());
    return 2;
  }
  std::unique_ptr<Engine> ref = createInterpreterEngine();
  Lockstep ls(opts, gen, *ref, *dut);
  return ls.run();
}

} // namespace xlat::lockstep
