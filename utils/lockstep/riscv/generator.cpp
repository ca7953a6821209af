#include "utils/lockstep/riscv/generator.h"

#include "lifter/riscv/decoder.h"

#include <algorithm>

namespace xlat::lockstep::riscv {
namespace {

constexpr uint32_t kEcall = 0x00000073;
constexpr uint32_t kNop = 0x00000013;  // addi x0, x0, 0
// Static rounding modes and dyn; dyn twice, as compiled code mostly uses it.
constexpr uint8_t kRoundingModes[] = {0, 1, 2, 3, 4, 7, 7};
constexpr uint16_t kCsrs[] = {kCsrFflags, kCsrFrm, kCsrFcsr};

uint32_t put(uint32_t raw, unsigned hi, unsigned lo, uint64_t v) {
  uint32_t m = ((1u << (hi - lo + 1)) - 1) << lo;
  return (raw & ~m) | ((static_cast<uint32_t>(v) << lo) & m);
}

uint32_t encodeB(uint32_t raw, int64_t off) {
  raw = put(raw, 31, 31, off >> 12);
  raw = put(raw, 30, 25, off >> 5);
  raw = put(raw, 11, 8, off >> 1);
  return put(raw, 7, 7, off >> 11);
}

uint32_t encodeJ(uint32_t raw, int64_t off) {
  raw = put(raw, 31, 31, off >> 20);
  raw = put(raw, 30, 21, off >> 1);
  raw = put(raw, 20, 20, off >> 11);
  return put(raw, 19, 12, off >> 12);
}

unsigned pickBase(Rng &rng) { return kDataBases[rng.below(std::size(kDataBases))]; }

unsigned pickFreeReg(Rng &rng) {
  for (;;) {
    unsigned r = rng.below(32);
    if (!isReservedReg(r))
      return r;
  }
}

uint16_t pickCsr(Rng &rng) {
  return rng.chance(1, 32) ? kCsrMissing : kCsrs[rng.below(std::size(kCsrs))];
}

// `addi base, base, small`: moves a data base without leaving the region.
bool isBaseDrift(const rv::Insn &in) {
  return in.op == rv::Op::ADDI && in.rs1 == in.rd && isDataBase(in.rd) &&
         in.imm >= -512 && in.imm <= 512;
}

} // namespace

bool isDataBase(unsigned r) {
  return std::find(std::begin(kDataBases), std::end(kDataBases), r) !=
         std::end(kDataBases);
}
bool isReservedReg(unsigned r) { return r == kEndReg || isDataBase(r); }

Generator::Generator(std::vector<Encoding> encodings)
    : encodings_(std::move(encodings)) {
  for (size_t i = 0; i < encodings_.size(); ++i)
    (encodings_[i].compressed ? compressed_ : base_).push_back(int(i));
}

bool Generator::acceptable(const rv::Insn &in, const Slot &cx) const {
  if (in.op == rv::Op::ILLEGAL)
    return false;
  if (rv::writesXReg(in) && isReservedReg(in.rd) && !isBaseDrift(in))
    return false;
  if (isMemoryAccess(in.op) && !isDataBase(in.rs1))
    return false;
  if (in.op == rv::Op::JALR)  // target = (x31 + imm) & ~1, x31 even
    return in.rs1 == kEndReg && cx.allows(-(in.imm & ~int64_t(1)));
  if (isControlTransfer(in.op))
    return in.imm > 0 && cx.allows(cx.offsetTo(in.imm));
  if (opInfo(in.op).format == Format::Csr) {
    uint16_t csr = in.imm & 0xfff;
    return csr == kCsrMissing ||
           std::find(std::begin(kCsrs), std::end(kCsrs), csr) != std::end(kCsrs);
  }
  return true;
}

// Random field bits, then the fields the constraints name are set directly
// (they sit at the base formats' fixed positions); the decoded result is
// checked all the same.
bool Generator::drawBase(Rng &rng, const Encoding &e, const Slot &cx,
                         uint32_t &out) const {
  const OpInfo &info = opInfo(e.op);
  for (int tries = 0; tries < 8; ++tries) {
    uint32_t raw = (static_cast<uint32_t>(rng.next()) & ~e.mask) | e.match;
    if (info.flags & rv::kHasRm)
      raw = put(raw, 14, 12, kRoundingModes[rng.below(std::size(kRoundingModes))]);
    if (isMemoryAccess(e.op))
      raw = put(raw, 19, 15, pickBase(rng));
    if (info.format == Format::Csr)
      raw = put(raw, 31, 20, pickCsr(rng));
    if (isControlTransfer(e.op)) {
      int64_t dist = rng.pick(cx.targets);
      if (e.op == rv::Op::JALR)
        raw = put(put(raw, 19, 15, kEndReg), 31, 20, -dist);
      else if (info.format == Format::B)
        raw = encodeB(raw, cx.offsetTo(dist));
      else
        raw = encodeJ(raw, cx.offsetTo(dist));
    }
    if (e.op == rv::Op::ADDI && rng.chance(1, 8)) {
      unsigned b = pickBase(rng);
      raw = put(put(put(raw, 11, 7, b), 19, 15, b), 31, 20,
                16 * (int64_t(rng.below(65)) - 32));
    }
    rv::Insn in = rv::decode(0, raw);
    if (rv::writesXReg(in) && isReservedReg(in.rd) && !isBaseDrift(in)) {
      raw = put(raw, 11, 7, pickFreeReg(rng));
      in = rv::decode(0, raw);
    }
    if (in.op == e.op && acceptable(in, cx)) {
      out = raw;
      return true;
    }
  }
  return false;
}

// Compressed fields are scrambled: draw from the line's legal encodings and
// keep one that meets the constraints; jumps and branches, which only a few
// encodings satisfy, search the whole population.
bool Generator::drawCompressed(Rng &rng, const Encoding &e, const Slot &cx,
                               uint16_t &out) const {
  if (!isControlTransfer(e.op)) {
    for (int tries = 0; tries < 32; ++tries) {
      uint16_t raw = rng.pick(e.population);
      if (acceptable(rv::decodeCompressed(0, raw), cx)) {
        out = raw;
        return true;
      }
    }
  }
  std::vector<uint16_t> ok;
  for (uint16_t raw : e.population)
    if (acceptable(rv::decodeCompressed(0, raw), cx))
      ok.push_back(raw);
  if (ok.empty())
    return false;
  out = rng.pick(ok);
  return true;
}

Stream Generator::generate(Rng &rng, uint64_t pc, unsigned n) const {
  return drawStream(pc, n, {0, kNop, 4, -1}, {0, kEcall, 4, -1},
                    [&](Slot &cx, StreamInsn &si) {
    for (int tries = 0; tries < 100; ++tries) {
      bool useC = !compressed_.empty() && (base_.empty() || rng.chance(3, 10));
      int idx = rng.pick(useC ? compressed_ : base_);
      const Encoding &e = encodings_[idx];
      // Traps end the run: keep them rare so streams run long.
      if (isTrap(e.op) && !rng.chance(1, 16))
        continue;
      cx.len = useC ? 2 : 4;
      uint32_t raw32;
      uint16_t raw16;
      if (useC ? drawCompressed(rng, e, cx, raw16) : drawBase(rng, e, cx, raw32)) {
        si = {0, useC ? raw16 : raw32, uint8_t(cx.len), idx};
        return true;
      }
    }
    return false;
  });
}

} // namespace xlat::lockstep::riscv
