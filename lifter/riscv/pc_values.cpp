#include "lifter/riscv/pc_values.h"

#include "lifter/riscv/decoder.h"

#include <algorithm>
#include <map>
#include <set>

namespace xlat::rv {

namespace {

// The immediate bits of a %pcrel_lo partner's encoding (0: not one).
uint32_t pairLowMask(const Insn &in) {
  if (in.len != 4)
    return 0; // compressed encodings carry no %pcrel_lo
  switch (in.op) {
  case Op::LB: case Op::LH: case Op::LW: case Op::LD:
  case Op::LBU: case Op::LHU: case Op::LWU:
  case Op::FLW: case Op::FLD:
  case Op::ADDI: case Op::JALR:
    return 0xfff00000; // I-type
  case Op::SB: case Op::SH: case Op::SW: case Op::SD:
  case Op::FSW: case Op::FSD:
    return 0xfe000f80; // S-type
  default:
    return 0;
  }
}

template <typename T> void put(std::vector<uint8_t> &out, T v) {
  const uint8_t *p = reinterpret_cast<const uint8_t *>(&v);
  out.insert(out.end(), p, p + sizeof v);
}

} // namespace

std::vector<PcValue> pcValues(const std::vector<GuestBlock> &blocks) {
  std::set<uint64_t> starts;
  for (const GuestBlock &b : blocks)
    starts.insert(b.pc);
  std::vector<PcValue> out;
  for (const GuestBlock &b : blocks) {
    std::map<unsigned, uint32_t> auipcIn; // register -> its auipc's value
    for (const Insn &in : b.insns) {
      if (in.op == Op::AUIPC && in.rd != 0) {
        out.push_back({in.pc, PcValue::Auipc, 0, in.pc + (uint64_t)in.imm, 0xfffff000});
        auipcIn[in.rd] = uint32_t(out.size() - 1);
        continue;
      }
      if (in.op == Op::JAL && !starts.count(in.pc + (uint64_t)in.imm)) {
        out.push_back({in.pc, PcValue::Jump, 0, in.pc + (uint64_t)in.imm,
                       in.len == 4 ? 0xfffff000u : 0x1ffcu});
      } else if (uint32_t mask = pairLowMask(in)) {
        if (auto it = auipcIn.find(in.rs1); it != auipcIn.end())
          out.push_back({in.pc, PcValue::PairLow, it->second,
                         out[it->second].value + (uint64_t)in.imm, mask});
      }
      if (writesXReg(in))
        auipcIn.erase(in.rd);
    }
  }
  return out;
}

uint64_t pcIndependentBase(const std::vector<GuestBlock> &blocks) {
  uint64_t lowest = blocks.front().pc;
  for (const GuestBlock &b : blocks)
    lowest = std::min(lowest, b.pc);
  return lowest;
}

std::vector<uint8_t> pcIndependentIdentity(const std::vector<GuestBlock> &blocks,
                                           const std::vector<GuestBlock> &lookedAt,
                                           const std::vector<PcValue> &values,
                                           uint64_t base) {
  std::vector<uint8_t> out;
  const char tag[] = "rv64 pc-independent region 1";
  out.insert(out.end(), tag, tag + sizeof tag);
  std::map<uint64_t, uint32_t> masks;
  for (const PcValue &v : values)
    masks[v.pc] = v.mask;
  for (const auto *list : {&blocks, &lookedAt}) {
    put<uint64_t>(out, list->size());
    for (const GuestBlock &b : *list) {
      put<uint64_t>(out, b.pc - base);
      put<uint64_t>(out, b.endPc - b.pc);
      for (const Insn &in : b.insns) {
        auto m = list == &blocks ? masks.find(in.pc) : masks.end();
        put<uint32_t>(out, m == masks.end() ? in.raw : in.raw & ~m->second);
        put<uint8_t>(out, in.len);
      }
    }
  }
  put<uint64_t>(out, values.size());
  for (const PcValue &v : values) {
    put<uint64_t>(out, v.pc - base);
    put<uint8_t>(out, v.kind);
    put<uint32_t>(out, v.anchor);
  }
  return out;
}

} // namespace xlat::rv
