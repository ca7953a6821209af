// The privileged half of a hart: CSRs, traps and interrupts, the
// privileged instructions, and the loop that runs guest code between them.
#include "sysemu/hart.h"

#include "debug/riscv.h"

#include "jit/code_buffer.h"
#include "jit/llvm_tiers.h"
#include "jit/template_tier.h"
#include "lifter/core/log.h"
#include "lifter/riscv/disasm.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/sem/fenv.h"
#include "lifter/core/host_ops.h"
#include "sysemu/machine.h"
#include "sysemu/snapshot.h"
#include "sysemu/trace.h"

#include <algorithm>

namespace xlat::sysemu {

namespace {
thread_local Hart *tlsHart = nullptr;

// mstatus fields.
constexpr uint64_t kSIE = 1u << 1, kMIE = 1u << 3, kSPIE = 1u << 5,
                   kMPIE = 1u << 7, kSPP = 1u << 8, kMPP = 3u << 11,
                   kFS = 3u << 13, kMPRV = 1u << 17, kSUM = 1u << 18,
                   kMXR = 1u << 19, kTVM = 1u << 20, kTW = 1u << 21,
                   kTSR = 1u << 22, kSD = 1ull << 63;
constexpr uint64_t kXlen64 = 2; // UXL and SXL
constexpr uint64_t kMstatusWritable = kSIE | kMIE | kSPIE | kMPIE | kSPP |
                                      kMPP | kFS | kMPRV | kSUM | kMXR |
                                      kTVM | kTW | kTSR;
constexpr uint64_t kSstatusWritable = kSIE | kSPIE | kSPP | kFS | kSUM | kMXR;
constexpr uint64_t kSstatusVisible =
    kSstatusWritable | 3ull << 32 /* UXL */ | kSD;

constexpr uint64_t kSupervisorIrqs = kSSIP | kSTIP | kSEIP;
constexpr uint64_t kAllIrqs = kSupervisorIrqs | kMSIP | kMTIP | kMEIP;
// Exceptions S mode may take: all but ecall from M and the reserved ones.
constexpr uint64_t kDelegableExceptions = 0xb3ff;

// The order in which simultaneous interrupts are taken.
constexpr unsigned kIrqPriority[] = {11, 3, 7, 9, 1, 5};

constexpr uint64_t kSatpModeBare = 0, kSatpModeSv39 = 8, kSatpModeSv48 = 9;
constexpr uint64_t kPpnMask = (1ull << 44) - 1;
constexpr uint64_t kAsidMask = 0xffffull << 44;

const char *causeName(uint64_t cause) {
  static const char *const kExceptions[16] = {
      "instruction address misaligned", "instruction access fault",
      "illegal instruction", "breakpoint", "load address misaligned",
      "load access fault", "store address misaligned", "store access fault",
      "ecall from U", "ecall from S", "?", "ecall from M",
      "instruction page fault", "load page fault", "?", "store page fault"};
  static const char *const kInterrupts[12] = {
      "?", "S software", "?", "M software", "?", "S timer",
      "?", "M timer", "?", "S external", "?", "M external"};
  uint64_t code = cause & 63;
  if (cause & kInterruptCause)
    return code < 12 ? kInterrupts[code] : "?";
  return code < 16 ? kExceptions[code] : "?";
}
} // namespace

Hart *currentHart() { return tlsHart; }

Hart::~Hart() = default;

Hart::Hart(Machine &m, unsigned id) : id(id), m_(m) {
  misa_ = 2ull << 62;
  for (char ext : std::string_view("acdfimsu"))
    misa_ |= 1ull << (ext - 'a');
  for (unsigned p = 0; p < 4; p++)
    for (unsigned off = 0; off < 2; off++) {
      decodeCtx_[p][off] = {this, Priv(p), off == 1};
      interp_[p][off].setDecodeFilter(needsHart, &decodeCtx_[p][off]);
      if (log().enabled(kLogInAsm))
        interp_[p][off].setDecodeLog(logDecoded, &decodeCtx_[p][off]);
    }
  if (log().enabled(kLogInAsm))
    disasm_ = jit::createLlvmDisassembler(GuestIsa::Riscv64);
  tier_ = m.config().tier;
}

// What the user-mode semantics must not do on their own in this context:
// anything touching the FP state while FS is Off, and the counters. The
// semantics read cycle and instret from the host's tick counter, which
// mcycle and minstret writes offset here; time they read only where the
// mode may (mcounteren, scounteren).
bool Hart::needsHart(const rv::Insn &in, const void *ctx) {
  auto *c = static_cast<const DecodeContext *>(ctx);
  if (c->fpOff && rv::usesFpState(in))
    return true;
  switch (in.op) {
  case rv::Op::CSRRW: case rv::Op::CSRRS: case rv::Op::CSRRC:
  case rv::Op::CSRRWI: case rv::Op::CSRRSI: case rv::Op::CSRRCI: {
    uint32_t csr = (uint32_t)in.imm;
    if (csr == rv::kCsrTime)
      return !c->hart->counterEnabled(c->priv, 1);
    return csr >= 0xc00 && csr <= 0xc1f;
  }
  default:
    return false;
  }
}

bool Hart::counterEnabled(Priv p, unsigned n) const {
  if (p == kPrivM)
    return true;
  if (!(mcounteren_ >> n & 1))
    return false;
  return p == kPrivS || (scounteren_ >> n & 1);
}

// cycle, time, instret, and hpmcounters that count nothing.
uint64_t Hart::counter(unsigned n) const {
  switch (n) {
  case 0: return xlat_host_ticks() + cycleOffset_;
  case 1: return m_.mtime();
  case 2: return xlat_host_ticks() + instretOffset_;
  default: return 0;
  }
}

void Hart::reset(uint64_t pc) {
  state = rv::RvState{};
  state.pc = pc;
  state.reserve_addr = ~0ull;
  priv_ = kPrivM;
  mstatus_ = medeleg_ = mideleg_ = mie_ = mipSoft_ = 0;
  mtvec_ = mepc_ = mcause_ = mtval_ = mscratch_ = 0;
  mcounteren_ = mcountinhibit_ = menvcfg_ = 0;
  stvec_ = sepc_ = scause_ = stval_ = sscratch_ = 0;
  satp_ = scounteren_ = senvcfg_ = 0;
  cycleOffset_ = instretOffset_ = 0;
  mtimecmp.store(~0ull);
  flushTlb();
  flushSoftTlb(true);
  flushDecoded();
}

void Hart::kick() {
  stop_.store(true);
  // Chained translated code checks this before each jump on.
  __atomic_store_n(&state.interrupt, 1, __ATOMIC_RELEASE);
  std::lock_guard<std::mutex> lk(wfiMutex_);
  wfiCv_.notify_all();
}

void Hart::setLine(uint64_t bit, bool level) {
  uint64_t old = level ? mipLines_.fetch_or(bit) : mipLines_.fetch_and(~bit);
  if (bool(old & bit) != level)
    kick();
}

bool Hart::timerDue() const { return m_.mtime() >= mtimecmp.load(); }

uint64_t Hart::pendingIrqs() const {
  return mipSoft_ | mipLines_.load(std::memory_order_relaxed) |
         (timerDue() ? kMTIP : 0);
}

jit::Interpreter &Hart::interp() { return interp_[priv_][(mstatus_ & kFS) == 0]; }

void Hart::flushDecoded() {
  for (auto &mode : interp_)
    for (jit::Interpreter &in : mode)
      in.flush();
  clearTranslated();
}

void Hart::flushDecodedTranslated() {
  for (Priv p : {kPrivS, kPrivU})
    for (jit::Interpreter &in : interp_[p])
      in.flush();
}

// Which of the pending, enabled interrupts to take now, if any: M-level
// ones unless in M mode with MIE clear, delegated ones only below M and
// in S mode when SIE is set.
bool Hart::takeInterrupt() {
  uint64_t p = pendingIrqs() & mie_;
  if (!p)
    return false;
  uint64_t take = 0;
  if (priv_ < kPrivM || (mstatus_ & kMIE))
    take |= p & ~mideleg_;
  if (priv_ < kPrivS || (priv_ == kPrivS && (mstatus_ & kSIE)))
    take |= p & mideleg_;
  for (unsigned bit : kIrqPriority)
    if (take >> bit & 1) {
      stats.interrupts[bit]++;
      takeTrap(kInterruptCause | bit, 0, state.pc);
      return true;
    }
  return false;
}

void Hart::takeTrap(uint64_t cause, uint64_t tval, uint64_t epc) {
  bool irq = cause & kInterruptCause;
  unsigned code = cause & 63;
  bool toS = priv_ <= kPrivS && ((irq ? mideleg_ : medeleg_) >> code & 1);
  if (log().enabled(kLogInt)) {
    // An environment call names its service in a7 (and a6: SBI's function).
    char call[48] = "";
    if (!irq && (code == kEcallU || code == kEcallS || code == kEcallM))
      snprintf(call, sizeof call, ", a7 %#llx a6 %#llx",
               (unsigned long long)state.x[17], (unsigned long long)state.x[16]);
    log().printf("hart %u: %s %#llx (%s) at pc %#llx, tval %#llx%s, from %c "
                 "to %c\n",
                 id, irq ? "interrupt" : "exception",
                 (unsigned long long)cause, causeName(cause),
                 (unsigned long long)epc, (unsigned long long)tval, call,
                 "USHM"[priv_], toS ? 'S' : 'M');
  }
  if (tracing(irq ? TraceEvent::HartInterrupt : TraceEvent::HartTrap))
    trace(irq ? TraceEvent::HartInterrupt : TraceEvent::HartTrap,
          "hart %u cause %#llx (%s) epc %#llx tval %#llx %c->%c", id,
          (unsigned long long)cause, causeName(cause), (unsigned long long)epc,
          (unsigned long long)tval, "USHM"[priv_], toS ? 'S' : 'M');
  if (log().enabled(kLogCpu)) {
    std::string regs;
    for (unsigned i = 1; i < 32; i++) {
      char cell[32];
      snprintf(cell, sizeof cell, " x%u=%llx", i, (unsigned long long)state.x[i]);
      regs += cell;
    }
    log().printf("hart %u: pc %#llx mode %c mstatus %#llx satp %#llx%s\n", id,
                 (unsigned long long)epc, "USHM"[priv_],
                 (unsigned long long)mstatus_, (unsigned long long)satp_,
                 regs.c_str());
  }
  state.reserve_addr = ~0ull;
  if (toS) {
    scause_ = cause;
    sepc_ = epc;
    stval_ = tval;
    mstatus_ = (mstatus_ & ~(kSPP | kSPIE | kSIE)) |
               (priv_ == kPrivS ? kSPP : 0) |
               (mstatus_ & kSIE ? kSPIE : 0);
    priv_ = kPrivS;
    state.pc = (stvec_ & ~3ull) + ((stvec_ & 1) && irq ? 4 * code : 0);
    return;
  }
  // An exception at the first instruction of the M-mode handler would
  // repeat forever: the guest has crashed.
  if (!irq && priv_ == kPrivM && epc == (mtvec_ & ~3ull)) {
    char why[160];
    snprintf(why, sizeof why,
             "hart %u: %s at %#llx (tval %#llx) in the M-mode trap handler",
             id, causeName(cause), (unsigned long long)epc,
             (unsigned long long)tval);
    m_.guestCrash(why);
    return;
  }
  mcause_ = cause;
  mepc_ = epc;
  mtval_ = tval;
  mstatus_ = (mstatus_ & ~(kMPP | kMPIE | kMIE)) | (uint64_t)priv_ << 11 |
             (mstatus_ & kMIE ? kMPIE : 0);
  priv_ = kPrivM;
  state.pc = (mtvec_ & ~3ull) + ((mtvec_ & 1) && irq ? 4 * code : 0);
}

// CSRs. The FP CSRs and the user counters are the semantics' (system.cpp);
// everything else a guest names arrives here.
bool Hart::csrRead(uint32_t csr, uint64_t &v) {
  // mstatus.FS reads Dirty whenever it is not Off: the FP registers are
  // never tracked, and Dirty only makes the kernel save them.
  auto mstatus = [&] {
    uint64_t s = mstatus_ | kXlen64 << 32 | kXlen64 << 34;
    if (s & kFS)
      s |= kFS | kSD;
    return s;
  };
  switch (csr) {
  case 0x100: v = mstatus() & kSstatusVisible; return true;
  case 0x104: v = mie_ & mideleg_; return true;
  case 0x105: v = stvec_; return true;
  case 0x106: v = scounteren_; return true;
  case 0x10a: v = senvcfg_; return true;
  case 0x140: v = sscratch_; return true;
  case 0x141: v = sepc_; return true;
  case 0x142: v = scause_; return true;
  case 0x143: v = stval_; return true;
  case 0x144: v = pendingIrqs() & mideleg_; return true;
  case 0x180:
    if (priv_ == kPrivS && (mstatus_ & kTVM))
      return false;
    v = satp_;
    return true;
  case 0x300: v = mstatus(); return true;
  case 0x301: v = misa_; return true;
  case 0x302: v = medeleg_; return true;
  case 0x303: v = mideleg_; return true;
  case 0x304: v = mie_; return true;
  case 0x305: v = mtvec_; return true;
  case 0x306: v = mcounteren_; return true;
  case 0x30a: v = menvcfg_; return true;
  case 0x320: v = mcountinhibit_; return true;
  case 0x340: v = mscratch_; return true;
  case 0x341: v = mepc_; return true;
  case 0x342: v = mcause_; return true;
  case 0x343: v = mtval_; return true;
  case 0x344: v = pendingIrqs(); return true;
  case 0xb00: v = counter(0); return true;
  case 0xb02: v = counter(2); return true;
  case 0xf11: case 0xf12: case 0xf13: case 0xf15: v = 0; return true;
  case 0xf14: v = id; return true;
  }
  // No PMP entries: every pmpcfg (even numbers on RV64) and pmpaddr is
  // read-only zero, which the spec allows and OpenSBI reads as "no PMP".
  if (csr >= 0x3a0 && csr <= 0x3ef) {
    v = 0;
    return csr >= 0x3b0 || !(csr & 1);
  }
  if (csr >= 0xc00 && csr <= 0xc1f) {
    if (!counterEnabled(priv_, csr & 31))
      return false;
    v = counter(csr & 31);
    return true;
  }
  // Hardware performance monitors: present, counting nothing.
  if ((csr >= 0x323 && csr <= 0x33f) || (csr >= 0xb03 && csr <= 0xb1f)) {
    v = 0;
    return true;
  }
  return false;
}

bool Hart::csrWrite(uint32_t csr, uint64_t v) {
  switch (csr) {
  case 0x100: {
    uint64_t old = mstatus_;
    mstatus_ = (mstatus_ & ~kSstatusWritable) | (v & kSstatusWritable);
    if ((old ^ mstatus_) & kMXR) // the software TLBs' read permissions
      flushSoftTlb(false);
    return true;
  }
  case 0x104:
    mie_ = (mie_ & ~mideleg_) | (v & mideleg_);
    return true;
  case 0x105:
    if ((v & 3) < 2)
      stvec_ = v;
    return true;
  case 0x106:
    scounteren_ = v & 0xffffffff;
    flushDecoded(); // the decode filter reads it
    return true;
  case 0x10a: senvcfg_ = v & 1; return true;
  case 0x140: sscratch_ = v; return true;
  case 0x141: sepc_ = v & ~1ull; return true;
  case 0x142: scause_ = v; return true;
  case 0x143: stval_ = v; return true;
  case 0x144:
    mipSoft_ = (mipSoft_ & ~(kSSIP & mideleg_)) | (v & kSSIP & mideleg_);
    return true;
  case 0x180: {
    if (priv_ == kPrivS && (mstatus_ & kTVM))
      return false;
    // A mode this hart lacks leaves satp as it was (Linux probes Sv57,
    // Sv48, Sv39 in turn by writing it). ASIDs are 16 bits and kept, but
    // every write flushes: the TLB holds one address space.
    uint64_t mode = v >> 60;
    if (mode != kSatpModeBare && mode != kSatpModeSv39 && mode != kSatpModeSv48)
      return true;
    satp_ = mode << 60 | (v & (kAsidMask | kPpnMask));
    flushTlb();
    flushDecodedTranslated();
    revalidate(~0ull, /*onlyNonGlobal=*/true);
    return true;
  }
  case 0x300: {
    uint64_t s = (mstatus_ & ~kMstatusWritable) | (v & kMstatusWritable);
    if ((s & kMPP) == 2ull << 11) // reserved: WARL to U
      s &= ~kMPP;
    if ((s ^ mstatus_) & kMXR)
      flushSoftTlb(false);
    mstatus_ = s;
    return true;
  }
  case 0x301: return true; // misa is fixed
  case 0x302: medeleg_ = v & kDelegableExceptions; return true;
  case 0x303: mideleg_ = v & kSupervisorIrqs; return true;
  case 0x304: mie_ = v & kAllIrqs; return true;
  case 0x305:
    if ((v & 3) < 2)
      mtvec_ = v;
    return true;
  case 0x306:
    mcounteren_ = v & 0xffffffff;
    flushDecoded();
    return true;
  case 0x30a: menvcfg_ = v & 1; return true;
  case 0x320: mcountinhibit_ = v & 0xfffffffd; return true;
  case 0x340: mscratch_ = v; return true;
  case 0x341: mepc_ = v & ~1ull; return true;
  case 0x342: mcause_ = v; return true;
  case 0x343: mtval_ = v; return true;
  case 0x344:
    mipSoft_ = (mipSoft_ & ~kSupervisorIrqs) | (v & kSupervisorIrqs);
    return true;
  case 0xb00: cycleOffset_ = v - xlat_host_ticks(); return true;
  case 0xb02: instretOffset_ = v - xlat_host_ticks(); return true;
  }
  if (csr >= 0x3a0 && csr <= 0x3ef)
    return csr >= 0x3b0 || !(csr & 1);
  if ((csr >= 0x323 && csr <= 0x33f) || (csr >= 0xb03 && csr <= 0xb1f))
    return true;
  return false;
}

// Executes what the semantics handed back as illegal, if it is a
// privileged instruction or CSR access this mode may make; false makes it
// an illegal-instruction exception.
bool Hart::executeSystem(const rv::Insn &in) {
  using rv::Op;
  stats.systemInsns++;
  switch (in.op) {
  case Op::CSRRW: case Op::CSRRS: case Op::CSRRC:
  case Op::CSRRWI: case Op::CSRRSI: case Op::CSRRCI: {
    uint32_t csr = (uint32_t)in.imm;
    bool isImm = in.op == Op::CSRRWI || in.op == Op::CSRRSI || in.op == Op::CSRRCI;
    bool isWrite = in.op == Op::CSRRW || in.op == Op::CSRRWI;
    uint64_t src = isImm ? in.rs1 : state.x[in.rs1];
    bool doRead = !isWrite || in.rd != 0;
    bool doWrite = isWrite || in.rs1 != 0;
    if (priv_ < ((csr >> 8) & 3) || (doWrite && (csr >> 10) == 3))
      return false;
    uint64_t old = 0;
    if ((doRead || !isWrite) && !csrRead(csr, old))
      return false;
    if (doWrite) {
      // mip reads SEIP as the software bit or'ed with the PLIC's line, but
      // a read-modify-write keeps the software bit alone: otherwise clearing
      // STIP while the line is high would latch SEIP on for good.
      uint64_t base = csr == 0x344 ? (old & ~kSEIP) | (mipSoft_ & kSEIP) : old;
      uint64_t v = isWrite ? src
                   : in.op == Op::CSRRS || in.op == Op::CSRRSI ? base | src
                                                               : base & ~src;
      if (!csrWrite(csr, v))
        return false;
    }
    if (in.rd)
      state.x[in.rd] = old;
    state.pc = in.pc + in.len;
    return true;
  }
  case Op::MRET: {
    if (priv_ != kPrivM)
      return false;
    Priv to = Priv((mstatus_ & kMPP) >> 11);
    mstatus_ = (mstatus_ & ~(kMIE | kMPP)) | (mstatus_ & kMPIE ? kMIE : 0) | kMPIE;
    if (to != kPrivM)
      mstatus_ &= ~kMPRV;
    priv_ = to;
    state.pc = mepc_;
    state.reserve_addr = ~0ull;
    return true;
  }
  case Op::SRET: {
    if (priv_ < kPrivS || (priv_ == kPrivS && (mstatus_ & kTSR)))
      return false;
    Priv to = mstatus_ & kSPP ? kPrivS : kPrivU;
    mstatus_ = (mstatus_ & ~(kSIE | kSPP | kMPRV)) |
               (mstatus_ & kSPIE ? kSIE : 0) | kSPIE;
    priv_ = to;
    state.pc = sepc_;
    state.reserve_addr = ~0ull;
    return true;
  }
  case Op::WFI:
    if (priv_ == kPrivU || (priv_ == kPrivS && (mstatus_ & kTW)))
      return false;
    state.pc = in.pc + in.len;
    waitForInterrupt();
    return true;
  case Op::SFENCE_VMA:
    if (priv_ == kPrivU || (priv_ == kPrivS && (mstatus_ & kTVM)))
      return false;
    flushTlb();
    flushDecodedTranslated();
    // The translations whose mappings the fence covers and changed: a
    // page's, the non-global ones (of an address space), or all.
    revalidate(in.rs1 ? state.x[in.rs1] >> 12 : ~0ull, !in.rs1 && in.rs2);
    state.pc = in.pc + in.len;
    return true;
  default:
    return false;
  }
}

void Hart::waitForInterrupt() {
  std::unique_lock<std::mutex> lk(wfiMutex_);
  if ((pendingIrqs() & mie_) != 0 || stop_.load())
    return;
  stats.wfiSleeps++;
  wfiCv_.wait(lk, [&] {
    return stop_.load() || m_.stopping() || (pendingIrqs() & mie_) != 0;
  });
}

void Hart::handleExit() {
  switch (state.exit_reason) {
  case rv::kExitNone: // kicked
    return;
  case rv::kExitEcall:
    stats.exceptions[uint64_t(kEcallU) + priv_]++;
    takeTrap(uint64_t(kEcallU) + priv_, 0, state.pc - 4);
    return;
  case rv::kExitEbreak:
    if (gdb_ && gdb_->active() && gdb_->isBreakpoint(state.pc)) {
      debug::StopEvent ev;
      ev.kind = debug::StopEvent::SoftwareBreak;
      gdbThread_.report(*gdb_, gdbThread(), ev, state.pc, &m_.stoppingFlag());
      return;
    }
    stats.exceptions[kBreakpoint]++;
    takeTrap(kBreakpoint, state.pc, state.pc);
    return;
  case rv::kExitFenceI:
    for (auto &mode : interp_)
      for (jit::Interpreter &in : mode)
        in.flush();
    verifyTranslated();
    return;
  case rv::kExitMemFault: // fetch; data faults unwind through raise()
    stats.exceptions[fetchCause_]++;
    takeTrap(fetchCause_, state.fault_addr, state.pc);
    return;
  case rv::kExitIllegal:
  default: {
    rv::Insn in;
    if (!rv::fetchInsn(reader_, state.pc, in)) {
      stats.exceptions[fetchCause_]++;
      takeTrap(fetchCause_, rv::fetchFaultAddr(reader_, state.pc), state.pc);
      return;
    }
    if (executeSystem(in))
      return;
    if (log().enabled(kLogUnimp))
      log().printf("xlat-system: hart %u: illegal instruction 0x%0*x at "
                   "%#llx in %c mode\n",
                   id, in.len * 2, in.raw, (unsigned long long)state.pc,
                   "USHM"[priv_]);
    stats.exceptions[kIllegalInsn]++;
    takeTrap(kIllegalInsn, in.raw, state.pc);
    return;
  }
  }
}

// --- Translated code ------------------------------------------------------

namespace {
// Reads the code of one page, and the second half of an instruction that
// crosses into the next, where the block then ends: a translation depends
// on the mappings of at most two pages.
class PageCodeReader final : public CodeReader {
public:
  PageCodeReader(CodeReader &inner, uint64_t pc) : inner_(inner), page_(pc & ~0xfffull) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    return n && addr >= page_ && addr + n <= page_ + 4096 + 2 &&
           inner_.read(addr, dst, n);
  }

private:
  CodeReader &inner_;
  uint64_t page_;
};

// A copy of a page of guest code, for the compile thread, which must not
// walk the hart's page tables.
class CopyCodeReader final : public CodeReader {
public:
  CopyCodeReader(uint64_t va, const std::vector<uint8_t> &bytes) : va_(va), bytes_(bytes) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    if (addr < va_ || addr - va_ + n > bytes_.size())
      return false;
    memcpy(dst, bytes_.data() + (addr - va_), n);
    return true;
  }

private:
  uint64_t va_;
  const std::vector<uint8_t> &bytes_;
};

// Each context's code buffer; a hart has at most six contexts and uses
// three or so (M, S with FS Off, U).
constexpr size_t kContextCodeBytes = size_t(64) << 20;
// Adaptive: a hot template block is compiled by LLVM as a region with the
// warm blocks it reaches by direct branches in its page (run a quarter as
// often), at most kRegionBlocks of them.
constexpr unsigned kRegionBlocks = 16;
} // namespace

Hart::Translated &Hart::translated() {
  bool fpOff = (mstatus_ & kFS) == 0;
  std::unique_ptr<Translated> &t = translated_[priv_][fpOff];
  if (!t) {
    jit::BlockTierOptions opts;
    opts.softmmu = true;
    opts.revivesDropped = true;
    opts.decodeFilter = needsHart;
    opts.decodeFilterCtx = &decodeCtx_[priv_][fpOff];
    opts.codeBufferBytes = kContextCodeBytes;
    opts.logInAsm = log().enabled(kLogInAsm);
    opts.logOutAsm = log().enabled(kLogOutAsm);
    if (opts.logInAsm)
      opts.makeDisassembler = jit::createLlvmDisassembler;
    if (tier_ == jit::Tier::Adaptive)
      opts.hotThreshold = m_.config().hotThreshold;
    std::string err;
    t = std::make_unique<Translated>();
    bool llvm = tier_ == jit::Tier::Block || tier_ == jit::Tier::Region;
    const MachineConfig &cfg = m_.config();
    if (cfg.cache.enabled && tier_ != jit::Tier::Template) {
      // The code depends on the lowering and the decode context too.
      std::string config = aot::codeConfig(jit::tierName(tier_), opts, kRegionBlocks) +
                           " softmmu priv=" + "USHM"[priv_] + (fpOff ? " fs=off" : "");
      std::string warning;
      t->aot = aot::TranslationCache::open(cfg.cache, cfg.kernel.empty() ? cfg.bios : cfg.kernel,
                                           GuestIsa::Riscv64, config, warning);
      if (!warning.empty()) {
        static std::once_flag once;
        std::call_once(once, [&] { fprintf(stderr, "xlat-system: %s\n", warning.c_str()); });
      }
      if (t->aot && !t->aotInstaller.init(err, kContextCodeBytes))
        t->aot.reset();
    }
    if (tier_ == jit::Tier::Region || t->aot)
      opts.onCompiled = [r = &t->tierRanges, c = t->aot.get()](const jit::CompiledTranslation &ct) {
        *r = ct.ranges;
        if (c)
          c->record(ct);
      };
    auto tier = llvm ? jit::createLlvmBlockTier(opts, err) : jit::createTemplateTier(opts, err);
    opts.onCompiled = nullptr;
    if (!tier) {
      fprintf(stderr, "xlat-system: hart %u: %s tier: %s\n", id,
              std::string(jit::tierName(tier_)).c_str(), err.c_str());
      _exit(1);
    }
    t->tier = std::move(tier);
    opts.hotThreshold = 0;
    t->hotOptions = opts;
  }
  return *t;
}

// Where the guest bytes of the page at va are (RAM) and its physical page,
// and whether a global mapping gave them. Right after the page was fetched
// from.
bool Hart::codePage(uint64_t va, const uint8_t *&host, uint64_t *pa) const {
  host = nullptr;
  uint64_t page = va & ~0xfffull;
  if (pa)
    *pa = ~0ull;
  if (priv_ == kPrivM || (satp_ >> 60) == 0) {
    if (const MemoryRegion *r = m_.bus.memory(page, 4096))
      host = r->host + (page - r->base);
    if (pa)
      *pa = page;
    return priv_ == kPrivM;
  }
  const TlbEntry &e = tlb_[(va >> 12) % kTlbSize];
  if (e.vpage != va >> 12)
    return false;
  host = e.host;
  if (pa)
    *pa = e.ppage;
  return bool(e.pte & 32); // G
}

// A translation was made from the page at va: its mapping is noted, to be
// checked when mappings may change (M mode's code is physical). Where the
// page's bytes are.
const uint8_t *Hart::notePage(Translated &t, uint64_t va) {
  const uint8_t *host;
  uint64_t pa;
  bool global = codePage(va, host, &pa);
  if (priv_ != kPrivM)
    t.pages[va >> 12] = {pa, global};
  return host;
}

jit::BlockFn Hart::translateBlock(Translated &t, uint64_t pc) {
  if (t.tier->wantsEviction()) {
    std::vector<uint64_t> dropped;
    uint64_t lo, hi;
    tierStats.codeBytesFreed += t.tier->evict(t.cache, dropped, lo, hi);
    tierStats.codeEvictions++;
    for (uint64_t d : dropped)
      t.dropped(d);
    t.unpark(lo, hi);
  }
  bool watched = watchCodePage(pc);
  if (jit::BlockFn fn = revive(t, pc, watched))
    return fn;
  if (jit::BlockFn fn = fromCache(t, pc, watched))
    return fn;
  PageCodeReader code(this->code(), pc);
  std::string err;
  // --tier=region: with the blocks it reaches in its page (no profile).
  std::vector<uint64_t> region;
  if (tier_ == jit::Tier::Region && (region = formRegion(t, pc, 0)).size() > 1) {
    t.tierRanges.clear();
    jit::BlockFn fn = t.tier->translateRegion(region, code, t.cache, tierStats, err);
    if (fn) {
      t.cache.insert(pc, fn, {pc >> 12});
      const uint8_t *host = notePage(t, pc);
      std::vector<Translated::Range> ranges;
      if (host)
        for (auto [va, len] : t.tierRanges)
          ranges.push_back({host + (va & 0xfff), len, watched});
      t.addSource(m_, pc, fn, std::move(ranges));
      return fn;
    }
  }
  uint64_t before = tierStats.guestBytesTranslated;
  jit::BlockFn fn = t.tier->translate(pc, code, t.cache, tierStats, err);
  uint64_t len = tierStats.guestBytesTranslated - before;
  if (!fn) {
    if (err != "fetch" && err != jit::kCodeBufferFull) {
      fprintf(stderr, "xlat-system: hart %u: cannot translate the block at %#llx: %s\n",
              id, (unsigned long long)pc, err.c_str());
      _exit(1);
    }
    return nullptr; // the interpreter runs it (and raises its fault)
  }
  uint64_t page = pc & ~0xfffull;
  bool crosses = (pc & 0xfff) + len > 4096;
  jit::GuestPages pages{page >> 12};
  if (crosses)
    pages.push_back((page >> 12) + 1);
  t.cache.insert(pc, fn, pages);
  const uint8_t *host = notePage(t, page);
  const uint8_t *host2 = crosses ? notePage(t, page + 4096) : nullptr;
  std::vector<Translated::Range> ranges;
  if (host && (!crosses || host2) && len) {
    uint32_t first = uint32_t(std::min<uint64_t>(len, 4096 - (pc & 0xfff)));
    ranges.push_back({host + (pc & 0xfff), first, watched});
    if (crosses)
      ranges.push_back({host2, uint32_t(len - first), false});
  } // else no copy: it goes at every fence.i
  t.addSource(m_, pc, fn, std::move(ranges));
  return fn;
}

// A translation the cache holds for pc, made from the guest bytes now in
// pc's page: installed as if just compiled.
jit::BlockFn Hart::fromCache(Translated &t, uint64_t pc, bool watched) {
  if (!t.aot || gdb_)
    return nullptr;
  auto start = std::chrono::steady_clock::now();
  PageCodeReader code(this->code(), pc);
  std::vector<std::pair<uint64_t, uint32_t>> ranges;
  std::string err;
  jit::BlockFn fn = aot::installCached(*t.aot, pc, /*base=*/0, code, t.aotInstaller, t.cache,
                                       "xlat-system", err, &ranges);
  if (!fn)
    return nullptr; // (a full buffer: the tiers translate it)
  const uint8_t *host = notePage(t, pc);
  if (!host)
    return nullptr;
  uint64_t page = pc & ~0xfffull;
  jit::GuestPages pages{page >> 12};
  std::vector<Translated::Range> src;
  for (auto [va, len] : ranges) {
    if (va < page || va + len > page + 4096)
      return nullptr; // the reader saw only this page: not reached
    src.push_back({host + (va - page), len, watched});
  }
  t.cache.insert(pc, fn, pages);
  t.addSource(m_, pc, fn, std::move(src));
  tierStats.aotHits++;
  tierStats.aotInstallNanos += std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count();
  return fn;
}

bool Hart::saveTranslations(std::string &warning) {
  for (auto &mode : translated_)
    for (auto &t : mode)
      if (t && t->aot && !t->aot->save(warning))
        return false;
  return true;
}

aot::CacheStats Hart::cacheStats() const {
  aot::CacheStats all;
  for (auto &mode : translated_)
    for (auto &t : mode)
      if (t && t->aot)
        all += t->aot->stats();
  return all;
}

void Hart::Translated::addSource(const Machine &m, uint64_t pc, jit::BlockFn fn,
                                 std::vector<Range> ranges) {
  dropped(pc); // a translation it replaces
  Source src{pc, fn, uint32_t(bytes.size()), std::move(ranges)};
  for (const Range &r : src.ranges)
    bytes.insert(bytes.end(), r.host, r.host + r.len);
  index(m, src);
  sourceOf[pc] = sources.size();
  sources.push_back(std::move(src));
}

// Files src under the RAM pages its ranges read, or with those compared
// at every fence.i.
void Hart::Translated::index(const Machine &m, const Source &src) {
  bool everyFence = src.ranges.empty();
  for (const Range &r : src.ranges) {
    uint64_t page = m.ramPage(r.host);
    if (!r.watched || page == Machine::kNotRam || m.ramPage(r.host + r.len - 1) != page) {
      everyFence = true;
      continue;
    }
    std::vector<uint64_t> &pcs = byPage[page];
    if (pcs.empty() || pcs.back() != src.pc)
      pcs.push_back(src.pc);
  }
  if (everyFence)
    always.push_back(src.pc);
}

bool Hart::Translated::holds(const Machine &m, const Source &src, uint64_t page) const {
  for (const Range &r : src.ranges)
    if (m.ramPage(r.host) == page)
      return true;
  return false;
}

bool Hart::Translated::changed(const Source &src) const {
  if (src.ranges.empty())
    return true;
  const uint8_t *copy = &bytes[src.at];
  for (const Range &r : src.ranges) {
    if (memcmp(r.host, copy, r.len))
      return true;
    copy += r.len;
  }
  return false;
}

void Hart::Translated::dropped(uint64_t pc) {
  auto it = sourceOf.find(pc);
  if (it == sourceOf.end())
    return;
  sources[it->second].fn = nullptr;
  sourceOf.erase(it);
  deadSources++;
}

void Hart::Translated::unpark(uint64_t lo, uint64_t hi) {
  bool emptied = false;
  for (auto it = parked.begin(); it != parked.end();) {
    std::erase_if(it->second, [&](const Parked &b) {
      auto fn = reinterpret_cast<uint64_t>(b.fn);
      return fn >= lo && fn < hi;
    });
    emptied |= it->second.empty();
    it = it->second.empty() ? parked.erase(it) : std::next(it);
  }
  if (emptied) // the order keeps only pages still parked
    std::erase_if(parkedOrder, [&](const std::pair<uint64_t, uint64_t> &key) {
      return !parked.count(key);
    });
}

void Hart::Translated::forgetAll() {
  sources.clear();
  sourceOf.clear();
  bytes.clear();
  deadSources = 0;
  pages.clear();
  byPage.clear();
  always.clear();
  parked.clear();
  parkedOrder.clear();
}

// fence.i: translations whose guest bytes changed go; the rest stay. Those
// compared are the ones from RAM pages written since this hart's last
// fence.i, and those not write-tracked; all of them if writes may have
// gone unseen.
void Hart::verifyTranslated() {
  stats.fences++;
  std::vector<uint64_t> written;
  bool tracked = m_.codeWritten(codeLogPos_, written);
  std::sort(written.begin(), written.end());
  written.erase(std::unique(written.begin(), written.end()), written.end());
  // A written page that keeps translations is watched again before they
  // are compared, so that a write after the comparison is seen.
  auto keepsCode = [&](uint64_t page) {
    for (auto &mode : translated_)
      for (auto &tp : mode)
        if (tp && tp->byPage.count(page))
          return true;
    return false;
  };
  if (tracked) {
    for (uint64_t page : written)
      if (keepsCode(page))
        m_.watchCode(page);
  } else {
    // Which pages were written is not known: all are compared, and
    // watched again first.
    for (auto &mode : translated_)
      for (auto &tp : mode)
        if (tp)
          for (const auto &[page, pcs] : tp->byPage)
            m_.watchCode(page);
  }
  for (auto &mode : translated_)
    for (auto &tp : mode) {
      if (!tp)
        continue;
      Translated &t = *tp;
      std::vector<uint64_t> stale;
      // Of `pcs`, those that still have a source (in `page`, unless ~0):
      // the changed ones go to `stale`, the rest stay in `pcs`.
      auto compare = [&](std::vector<uint64_t> &pcs, uint64_t page) {
        std::vector<uint64_t> keep;
        for (uint64_t pc : pcs) {
          auto it = t.sourceOf.find(pc);
          if (it == t.sourceOf.end())
            continue;
          const Translated::Source &src = t.sources[it->second];
          if (page != ~0ull && !t.holds(m_, src, page))
            continue;
          stats.fenceCompared++;
          (t.changed(src) ? stale : keep).push_back(pc);
        }
        std::sort(keep.begin(), keep.end());
        keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
        pcs = std::move(keep);
      };
      if (!tracked) {
        for (const Translated::Source &src : t.sources)
          if (src.fn) {
            stats.fenceCompared++;
            if (t.changed(src))
              stale.push_back(src.pc);
          }
      } else {
        for (uint64_t page : written)
          if (auto it = t.byPage.find(page); it != t.byPage.end()) {
            compare(it->second, page);
            if (it->second.empty())
              t.byPage.erase(it);
          }
        compare(t.always, ~0ull);
      }
      for (uint64_t pc : stale) {
        if (jit::BlockFn fn = t.cache.find(pc); fn && t.cache.dropIf(pc, fn)) {
          t.tier->drop(pc);
          tierStats.blocksInvalidated++;
        }
        t.dropped(pc);
      }
      if (t.deadSources > t.sources.size() / 2) { // compact
        std::vector<Translated::Source> live;
        std::vector<uint8_t> bytes;
        t.sourceOf.clear();
        t.byPage.clear();
        t.always.clear();
        for (Translated::Source &src : t.sources) {
          if (!src.fn)
            continue;
          size_t n = 0;
          for (const Translated::Range &r : src.ranges)
            n += r.len;
          uint32_t at = uint32_t(bytes.size());
          bytes.insert(bytes.end(), t.bytes.begin() + src.at, t.bytes.begin() + src.at + n);
          src.at = at;
          t.sourceOf[src.pc] = live.size();
          t.index(m_, src);
          live.push_back(std::move(src));
        }
        t.sources = std::move(live);
        t.bytes = std::move(bytes);
        t.deadSources = 0;
      }
    }
}

bool Hart::watchCodePage(uint64_t va) {
  uint16_t probe; // fills the TLB for codePage()
  const uint8_t *host;
  if (!fetch(va, &probe, sizeof probe) || (codePage(va, host), !host))
    return false;
  uint64_t page = m_.ramPage(host);
  m_.watchCode(page);
  return page != Machine::kNotRam;
}

// --- Adaptive: hot regions compiled by LLVM on a thread of the hart's -----

// The region of pc (rv::formRegion): blocks within its page that ran at
// least `warm` times, at most kRegionBlocks; empty if pc's own block
// leaves the page. Blocks that end in the next page are left out.
std::vector<uint64_t> Hart::formRegion(Translated &t, uint64_t pc, uint64_t warm) {
  uint64_t page = pc & ~0xfffull;
  PageCodeReader code(this->code(), pc);
  const void *ctx = t.hotOptions.decodeFilterCtx;
  return rv::formRegion(
      pc, kRegionBlocks,
      [&](uint64_t at, rv::GuestBlock &b) {
        b = rv::decodeBlock(code, at, 64, needsHart, ctx);
        return b.endPc <= page + 4096;
      },
      [&](uint64_t at) {
        return (at & ~0xfffull) == page && (!warm || t.tier->executions(at) >= warm);
      });
}

// pc's template block got hot: the region it heads goes to the compile
// thread with a copy of its page, and the cache's epoch, so that what the
// page's mapping does meanwhile is known at install.
void Hart::requestPromotion(Translated &t, uint64_t pc) {
  if (t.hotFailed || gdb_)
    return;
  uint64_t page = pc & ~0xfffull;
  std::vector<uint64_t> pcs =
      formRegion(t, pc, std::max<uint64_t>(1, m_.config().hotThreshold / 4));
  const uint8_t *host;
  codePage(page, host);
  if (pcs.empty() || !host)
    return;
  HotJob job{&t, std::move(pcs), t.cache.epoch(), page, host,
             std::vector<uint8_t>(host, host + 4096)};
  std::lock_guard<std::mutex> lk(hotMu_);
  hotJobs_.push_back(std::move(job));
  hotCv_.notify_one();
}

void Hart::hotLoop() {
  std::unique_lock<std::mutex> lk(hotMu_);
  for (;;) {
    hotCv_.wait(lk, [&] { return hotStop_ || !hotJobs_.empty(); });
    if (hotStop_)
      return;
    HotJob job = std::move(hotJobs_.front());
    hotJobs_.pop_front();
    lk.unlock();
    Translated &t = *job.t;
    HotResult r{job.t, job.pcs.front(), nullptr, job.since, job.page, job.host,
                std::move(job.code), {}, {}};
    std::string err;
    if (!t.hot) {
      jit::BlockTierOptions opts = t.hotOptions;
      opts.onCompiled = [this, c = t.aot.get()](const jit::CompiledTranslation &ct) {
        hotRanges_ = ct.ranges;
        if (c)
          c->record(ct);
      };
      t.hot = jit::createLlvmBlockTier(opts, err);
    }
    if (t.hot && !t.hot->wantsEviction()) {
      auto start = std::chrono::steady_clock::now();
      CopyCodeReader code(job.page, r.code);
      hotRanges_.clear();
      r.fn = t.hot->translateRegion(job.pcs, code, t.cache, r.stats, err);
      r.ranges = hotRanges_;
      r.stats.promoteNanos += std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count();
    } else if (!t.hot) {
      fprintf(stderr, "xlat-system: hart %u: no hot regions: %s\n", id, err.c_str());
      t.hotFailed = true;
    }
    lk.lock();
    hotDone_.push_back(std::move(r));
    hotReady_.store(true, std::memory_order_release);
  }
}

// Compiled regions replace their template heads, unless the page's
// mapping was dropped since the copy was made or its bytes changed.
void Hart::installPromotions() {
  std::vector<HotResult> done;
  {
    std::lock_guard<std::mutex> lk(hotMu_);
    done.swap(hotDone_);
    hotReady_.store(false, std::memory_order_relaxed);
  }
  for (HotResult &r : done) {
    tierStats.promoteNanos += r.stats.promoteNanos;
    tierStats.llvmLiftNanos += r.stats.llvmLiftNanos;
    tierStats.llvmOptNanos += r.stats.llvmOptNanos;
    tierStats.llvmCodegenNanos += r.stats.llvmCodegenNanos;
    if (!r.fn)
      continue;
    Translated &t = *r.t;
    std::vector<Translated::Range> ranges;
    bool same = true;
    uint64_t ramPage = m_.ramPage(r.host);
    m_.watchCode(ramPage); // before the bytes are compared
    for (auto [va, len] : r.ranges) {
      uint64_t off = va - r.page;
      same = same && off + len <= 4096 && !memcmp(r.host + off, &r.code[off], len);
      ranges.push_back({r.host + off, len, ramPage != Machine::kNotRam});
    }
    if (!same || !t.cache.promote(r.pc, r.fn, {r.page >> 12}, r.since))
      continue;
    t.tier->drop(r.pc);
    t.addSource(m_, r.pc, r.fn, std::move(ranges));
    tierStats.blocksPromoted++;
    tierStats.regionsTranslated += r.stats.regionsTranslated;
    tierStats.regionBlocks += r.stats.regionBlocks;
  }
}

void Hart::startHotThread() {
  hotStop_ = false;
  hotThread_ = std::thread([this] { hotLoop(); });
}

void Hart::stopHotThread() {
  if (!hotThread_.joinable())
    return;
  {
    std::lock_guard<std::mutex> lk(hotMu_);
    hotStop_ = true;
    hotJobs_.clear();
  }
  hotCv_.notify_all();
  hotThread_.join();
  hotDone_.clear();
}

// Runs translated blocks (chained ones back to back) until an instruction
// needs the hart (exit_reason) or the hart is kicked.
void Hart::runTranslated() {
  Translated &t = translated();
  state.membase = reinterpret_cast<uint8_t *>(softTlb_[mmuIndex()]);
  // jalr probes this context's front as its IBTC, kept up to date below
  // before any code runs. Returns pushed in another context (the kernel's
  // before a trap to user mode) must not match here: the shadow stack
  // starts empty in each context.
  state.ibtc = t.front.table();
  if (&t != shadowContext_) {
    for (auto &e : state.shadow)
      e = {1, nullptr}; // an odd pc: no return matches it
    shadowContext_ = &t;
  }
  __atomic_store_n(&state.interrupt, 0, __ATOMIC_RELAXED);
  while (state.exit_reason == rv::kExitNone && !stop_.load(std::memory_order_relaxed)) {
    if (hotReady_.load(std::memory_order_acquire))
      installPromotions();
    t.front.catchUp(t.cache);
    jit::BlockFn fn = t.front.lookup(t.cache, state.pc);
    if (!fn && !(fn = translateBlock(t, state.pc))) {
      interp().runBlock(state, code(), &currentPc_, tierStats);
      continue;
    }
    tierStats.blocksExecuted++;
    jit::enterTranslated(fn, &state);
    if (state.exit_reason == rv::kExitHot) { // before the block ran
      state.exit_reason = rv::kExitNone;
      requestPromotion(t, state.pc);
    } else if (state.exit_reason == rv::kExitGeneric) {
      // LLVM code made for the common case (frm RNE) found another: the
      // block runs in the interpreter.
      state.exit_reason = rv::kExitNone;
      interp().runBlock(state, code(), &currentPc_, tierStats);
    }
  }
}

void Hart::revalidate(uint64_t onlyPage, bool onlyNonGlobal) {
  for (Priv p : {kPrivS, kPrivU})
    for (auto &t : translated_[p]) {
      if (!t)
        continue;
      jit::GuestPages gone;
      auto check = [&](uint64_t vpage, const Translated::CodePage &cp) {
        if (!(onlyNonGlobal && cp.global) && !stillFetches(vpage << 12, cp.pa, p))
          gone.push_back(vpage);
      };
      if (onlyPage != ~0ull) {
        if (auto it = t->pages.find(onlyPage); it != t->pages.end())
          check(it->first, it->second);
      } else {
        for (const auto &[vpage, cp] : t->pages)
          check(vpage, cp);
      }
      for (uint64_t pc : t->cache.dropPages(gone)) {
        t->tier->drop(pc);
        if (auto it = t->pages.find(pc >> 12); it != t->pages.end())
          park(*t, pc, it->second.pa);
        t->dropped(pc);
        tierStats.blocksInvalidated++;
      }
      for (uint64_t vpage : gone)
        t->pages.erase(vpage);
    }
}

// pc's translation, from the page that mapped pa, is dropped for a
// mapping change: it is kept, with a copy of its bytes, unless it read
// another page too.
void Hart::park(Translated &t, uint64_t pc, uint64_t pa) {
  constexpr size_t kMaxParkedPages = 4096;
  auto it = t.sourceOf.find(pc);
  if (it == t.sourceOf.end())
    return;
  const Translated::Source &src = t.sources[it->second];
  if (!src.fn || src.ranges.empty())
    return;
  size_t n = 0;
  for (const Translated::Range &r : src.ranges) {
    if (m_.ramPage(r.host) != m_.ramPage(src.ranges[0].host) ||
        (uintptr_t(r.host) & ~uintptr_t(0xfff)) != (uintptr_t(r.host + r.len - 1) & ~uintptr_t(0xfff)))
      return;
    n += r.len;
  }
  std::pair<uint64_t, uint64_t> key{pc >> 12, pa};
  std::vector<Translated::Parked> &blocks = t.parked[key];
  if (blocks.empty())
    t.parkedOrder.push_back(key);
  blocks.push_back({pc, src.fn, src.ranges,
                    std::vector<uint8_t>(t.bytes.begin() + src.at, t.bytes.begin() + src.at + n)});
  while (t.parked.size() > kMaxParkedPages && !t.parkedOrder.empty()) {
    t.parked.erase(t.parkedOrder.front());
    t.parkedOrder.pop_front();
  }
}

// pc's page maps the physical page it mapped when translations from it
// were parked: those whose bytes are still the same are current again
// (the page was watched before this compares them). pc's, if revived.
jit::BlockFn Hart::revive(Translated &t, uint64_t pc, bool watched) {
  if (t.parked.empty())
    return nullptr;
  const uint8_t *host;
  uint64_t pa;
  bool global = codePage(pc, host, &pa);
  auto it = t.parked.find({pc >> 12, pa});
  if (!host || it == t.parked.end())
    return nullptr;
  std::vector<Translated::Parked> blocks = std::move(it->second);
  t.parked.erase(it);
  bool any = false;
  for (Translated::Parked &b : blocks) {
    const uint8_t *copy = b.bytes.data();
    bool same = true;
    for (Translated::Range &r : b.ranges) {
      same = same && !memcmp(r.host, copy, r.len);
      copy += r.len;
      r.watched = watched;
    }
    if (!same || t.cache.find(b.pc) || !t.tier->revive(b.pc, b.fn))
      continue;
    t.cache.insert(b.pc, b.fn, {pc >> 12});
    t.addSource(m_, b.pc, b.fn, std::move(b.ranges));
    tierStats.blocksRevived++;
    any = true;
  }
  if (any)
    t.pages[pc >> 12] = {pa, global};
  return t.cache.find(pc);
}

void Hart::clearTranslated() {
  for (auto &mode : translated_)
    for (auto &t : mode) {
      if (!t)
        continue;
      if (t->cache.size()) {
        tierStats.blocksInvalidated += t->cache.size();
        tierStats.cacheFlushes++;
        t->cache.clear();
      }
      t->forgetAll();
    }
}

void Hart::run() {
  tlsHart = this;
  if (tier_ == jit::Tier::Adaptive)
    startHotThread();
  while (!m_.stopping()) {
    stop_.store(false);
    m_.parkIfPaused();
    if (m_.stopping())
      break;
    if (flushPending_.exchange(false))
      flushDecoded();
    bool gdbStepping = false;
    if (gdb_ && gdb_->active()) {
      gdbThread_.atSafePoint(*gdb_, gdbThread(), state.pc, &m_.stoppingFlag());
      if (m_.stopping())
        break;
      if (flushPending_.exchange(false)) // breakpoints set while parked
        flushDecoded();
      gdbStepping = gdbThread_.stepping(*gdb_, state.pc);
    }
    bool stepping = gdbStepping || log().enabled(kLogExec);
    // No interrupt is taken in the middle of a gdb step (qemu's default).
    if ((!gdbStepping && takeInterrupt()) || m_.stopping())
      continue;
    state.exit_reason = rv::kExitNone;
    jit::Interpreter &in = interp();
    if (_setjmp(faultJump_)) {
      rv::fenv::leaveGuestFp(&state);
      stats.exceptions[faultCause_ & 15]++;
      takeTrap(faultCause_, faultTval_, currentPc_);
      continue;
    }
    rv::fenv::enterGuestFp(&state);
    if (stepping)
      stepOne();
    else if (tier_ != jit::Tier::Interp)
      runTranslated();
    else
      in.run(state, code(), &currentPc_, stop_, tierStats);
    rv::fenv::leaveGuestFp(&state);
    handleExit();
  }
  stopHotThread();
  tlsHart = nullptr;
}

// The fields in a fixed order; the snapshot format's version changes with
// it (docs/snapshot-format.md).
#define XLAT_HART_CSRS(X)                                                    \
  X(mstatus_) X(misa_) X(medeleg_) X(mideleg_) X(mie_) X(mipSoft_) X(mtvec_) \
  X(mepc_) X(mcause_) X(mtval_) X(mscratch_) X(mcounteren_)                  \
  X(mcountinhibit_) X(menvcfg_) X(stvec_) X(sepc_) X(scause_) X(stval_)      \
  X(sscratch_) X(satp_) X(scounteren_) X(senvcfg_)

void Hart::save(StateWriter &w) const {
  w.bytes(state.x, sizeof state.x);
  w.bytes(state.f, sizeof state.f);
  w.u64(state.pc);
  w.u32(state.frm);
  w.u32(state.fflags);
  w.u64(state.reserve_addr);
  w.u64(state.reserve_val);
  w.u8(priv_);
#define SAVE_CSR(f) w.u64(f);
  XLAT_HART_CSRS(SAVE_CSR)
#undef SAVE_CSR
  w.u64(uint64_t(cycleOffset_));
  w.u64(uint64_t(instretOffset_));
  w.u64(mipLines_.load());
  w.u64(mtimecmp.load());
}

bool Hart::load(StateReader &r) {
  r.bytes(state.x, sizeof state.x);
  r.bytes(state.f, sizeof state.f);
  state.pc = r.u64();
  state.frm = r.u32();
  state.fflags = r.u32();
  state.reserve_addr = r.u64();
  state.reserve_val = r.u64();
  uint8_t p = r.u8();
#define LOAD_CSR(f) f = r.u64();
  XLAT_HART_CSRS(LOAD_CSR)
#undef LOAD_CSR
  cycleOffset_ = int64_t(r.u64());
  instretOffset_ = int64_t(r.u64());
  mipLines_.store(r.u64());
  mtimecmp.store(r.u64());
  if (!r.ok() || (p != kPrivU && p != kPrivS && p != kPrivM))
    return false;
  priv_ = Priv(p);
  state.x[0] = 0;
  state.exit_reason = rv::kExitNone;
  flushTlb();
  flushSoftTlb(true);
  flushDecoded();
  return true;
}

void Hart::attachDebugger(debug::GdbServer &gdb) {
  gdb_ = &gdb;
  bpReader_ = std::make_unique<debug::RvBreakpointReader>(reader_, gdb);
  flushDecoded(); // before the hart's thread starts
}

void Hart::setPriv(Priv p) {
  if (p == kPrivU || p == kPrivS || p == kPrivM)
    priv_ = p;
}

void Hart::logDecoded(const rv::Insn &in, const void *ctx) {
  auto *c = static_cast<const DecodeContext *>(ctx);
  Disassembler *d = c->hart->disasm_.get();
  std::string text = d ? d->disassemble(in.pc, in.raw, in.len)
                       : std::string(rv::mnemonic(in.op));
  log().printf("IN: hart %u %c 0x%016llx: %0*x  %s\n", c->hart->id, "USHM"[c->priv],
               (unsigned long long)in.pc, in.len * 2, in.raw, text.c_str());
}

void Hart::stepOne() {
  if (gdb_ && gdb_->stopRequested())
    return; // back to the loop's top, where the hart parks
  rv::Insn in;
  if (!gdb_) {
    // -d exec: decoded as the interpreter does (in_asm sees it then).
    const rv::Insn *d = interp().decode(state.pc, reader_);
    if (d)
      in = *d;
    else if (!rv::fetchInsn(reader_, state.pc, in)) {
      state.exit_reason = rv::kExitMemFault;
      state.fault_addr = rv::fetchFaultAddr(reader_, state.pc);
      return;
    }
  } else {
    // From the guest's own code, not the interpreter's cache of code with
    // breakpoints in it.
    if (!rv::fetchInsn(reader_, state.pc, in)) {
      state.exit_reason = rv::kExitMemFault;
      state.fault_addr = rv::fetchFaultAddr(reader_, state.pc);
      return;
    }
    // What the interpreter's decode filter would hand to the hart.
    if (needsHart(in, &decodeCtx_[priv_][(mstatus_ & kFS) == 0]))
      in.op = rv::Op::ILLEGAL;
  }
  if (gdb_ && gdb_->active()) {
    debug::DataAccess a;
    debug::rvDataAccess(in, state, a);
    if (!gdbThread_.beforeStep(*gdb_, state.pc, a.addr, a.size, a.read, a.write))
      return;
  }
  if (log().enabled(kLogExec))
    log().printf("Trace hart %u: 0x%016llx [%c]\n", id, (unsigned long long)state.pc,
                 "USHM"[priv_]);
  jit::Interpreter::execute(state, in, &currentPc_, tierStats);
}

} // namespace xlat::sysemu
