#include "jit/interpreter.h"

#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/sem_table.h"

namespace xlat::jit {

std::optional<Tier> parseTier(std::string_view name) {
  if (name == "interp")
    return Tier::Interp;
  if (name == "template")
    return Tier::Template;
  if (name == "block")
    return Tier::Block;
  if (name == "region")
    return Tier::Region;
  if (name == "adaptive")
    return Tier::Adaptive;
  return std::nullopt;
}

std::string_view tierName(Tier t) {
  switch (t) {
  case Tier::Interp: return "interp";
  case Tier::Template: return "template";
  case Tier::Block: return "block";
  case Tier::Region: return "region";
  case Tier::Adaptive: return "adaptive";
  }
  return "?";
}

const rv::Insn *Interpreter::lookup(uint64_t pc, CodeReader &code) {
  Entry &e = cache_[(pc >> 1) & (kCacheSize - 1)];
  if (e.pc != pc || e.generation != generation_) {
    if (!rv::fetchInsn(code, pc, e.insn)) {
      e.pc = ~0ull;
      return nullptr;
    }
    if (filter_ && filter_(e.insn, filterCtx_))
      e.insn.op = rv::Op::ILLEGAL;
    if (decodeLog_)
      decodeLog_(e.insn, decodeLogCtx_);
    e.pc = pc;
    e.generation = generation_;
  }
  return &e.insn;
}

void Interpreter::run(rv::RvState &s, CodeReader &code, uint64_t *currentPc,
                      const std::atomic<bool> &stop, TierStats &stats) {
  uint64_t n = 0;
  while (s.exit_reason == rv::kExitNone &&
         !stop.load(std::memory_order_relaxed)) {
    uint64_t pc = s.pc;
    const rv::Insn *in = lookup(pc, code);
    if (!in) {
      s.exit_reason = rv::kExitMemFault;
      s.fault_addr = rv::fetchFaultAddr(code, pc);
      break;
    }
    *currentPc = pc;
    s.pc = pc + in->len;
    rv::semanticFunction(in->op)(&s, in);
    ++n;
  }
  stats.insnsInterpreted += n;
}

void Interpreter::runBlock(rv::RvState &s, CodeReader &code,
                           uint64_t *currentPc, TierStats &stats) {
  uint64_t n = 0;
  while (s.exit_reason == rv::kExitNone) {
    uint64_t pc = s.pc;
    const rv::Insn *in = lookup(pc, code);
    if (!in) {
      s.exit_reason = rv::kExitMemFault;
      s.fault_addr = rv::fetchFaultAddr(code, pc);
      break;
    }
    *currentPc = pc;
    s.pc = pc + in->len;
    rv::semanticFunction(in->op)(&s, in);
    ++n;
    if (rv::flags(in->op) & rv::kEndsBlock)
      break;
  }
  stats.insnsInterpreted += n;
}

void Interpreter::flush() { ++generation_; }

} // namespace xlat::jit
