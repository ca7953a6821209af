// AdvSIMD structure loads and stores: LDn/STn of whole registers, of one
// lane, and LDnR's replicated structure, as the Arm ARM's pseudocode
// orders their accesses (element by element, each structure's lanes
// together). A load writes its registers after all of its accesses, so a
// faulting one leaves them as they were.
#include "lifter/aarch64/sem/simd.h"

using namespace xlat::a64;
using namespace xlat::a64::sem;

namespace {

uint64_t loadElement(A64State *s, uint64_t a, unsigned size) {
  switch (size) {
  case 0: return xlat_ld8(s, a);
  case 1: return xlat_ld16(s, a);
  case 2: return xlat_ld32(s, a);
  default: return xlat_ld64(s, a);
  }
}
void storeElement(A64State *s, uint64_t a, unsigned size, uint64_t v) {
  switch (size) {
  case 0: xlat_st8(s, a, uint8_t(v)); break;
  case 1: xlat_st16(s, a, uint16_t(v)); break;
  case 2: xlat_st32(s, a, uint32_t(v)); break;
  default: xlat_st64(s, a, v); break;
  }
}

// The loops over an instruction's registers (at most four) are unrolled
// to four, each step guarded: a register number a loop indexes keeps the
// lifter from holding the V registers in a local copy (syncLocalState) in
// every region the instruction is in, so that a loop's vectors went
// through the state on every lap; unrolled, each is a constant once Insn
// is folded.
#define EACH_REGISTER(t, count)                                                            \
  _Pragma("clang loop unroll(full)") for (unsigned t = 0; t < 4; t++) if (t < (count))

void writeback(A64State *s, const Insn *i, uint64_t base) {
  if (i->mode == Mode::PostIndex)
    setXSP(s, i->rn, base + (i->rm == 31 ? uint64_t(i->imm) : s->x[i->rm]));
}

// LD1-LD4 and ST1-ST4 (multiple structures): Insn::ra registers from Rt
// (modulo 32), in structures of Insn::imms lanes.
void multiple(A64State *s, const Insn *i, bool load) {
  unsigned bits = laneBits(i), bytes = bits / 8, elems = (i->q ? 128 : 64) / bits;
  unsigned selem = i->imms, rpt = i->ra / selem;
  uint64_t base = XSP(s, i->rn), a = base;
  Vec v[4];
  EACH_REGISTER(t, i->ra)
    v[t] = load ? Vec{} : vreg(s, i->rd + t);
  for (unsigned r = 0; r < rpt; r++)
    for (unsigned e = 0; e < elems; e++)
      for (unsigned k = 0; k < selem; k++, a += bytes) {
        Vec &reg = v[r + k];
        if (load)
          setLane(reg, bits, e, loadElement(s, a, i->size));
        else
          storeElement(s, a, i->size, lane(reg, bits, e));
      }
  if (load)
    EACH_REGISTER(t, i->ra)
      setVreg(s, i->rd + t, v[t], i->q);
  writeback(s, i, base);
}

// One lane (Insn::amount) of Insn::imms registers, or with `replicate`
// one structure into every lane.
void single(A64State *s, const Insn *i, bool load, bool replicate) {
  unsigned bits = laneBits(i), bytes = bits / 8;
  uint64_t base = XSP(s, i->rn);
  Vec v[4];
  EACH_REGISTER(k, i->imms) {
    uint64_t a = base + k * bytes;
    v[k] = vreg(s, i->rd + k);
    if (!load) {
      storeElement(s, a, i->size, lane(v[k], bits, i->amount));
      continue;
    }
    uint64_t e = loadElement(s, a, i->size);
    if (replicate)
      for (unsigned l = 0; l < 128 / bits; l++)
        setLane(v[k], bits, l, e);
    else
      setLane(v[k], bits, i->amount, e);
  }
  if (load)
    EACH_REGISTER(k, i->imms)
      setVreg(s, i->rd + k, v[k], !replicate || i->q);
  writeback(s, i, base);
}

} // namespace

SEM(LD1_M) { multiple(s, i, true); }
SEM(LD2_M) { multiple(s, i, true); }
SEM(LD3_M) { multiple(s, i, true); }
SEM(LD4_M) { multiple(s, i, true); }
SEM(ST1_M) { multiple(s, i, false); }
SEM(ST2_M) { multiple(s, i, false); }
SEM(ST3_M) { multiple(s, i, false); }
SEM(ST4_M) { multiple(s, i, false); }
SEM(LD1_LANE) { single(s, i, true, false); }
SEM(LD2_LANE) { single(s, i, true, false); }
SEM(LD3_LANE) { single(s, i, true, false); }
SEM(LD4_LANE) { single(s, i, true, false); }
SEM(ST1_LANE) { single(s, i, false, false); }
SEM(ST2_LANE) { single(s, i, false, false); }
SEM(ST3_LANE) { single(s, i, false, false); }
SEM(ST4_LANE) { single(s, i, false, false); }
SEM(LD1R) { single(s, i, true, true); }
SEM(LD2R) { single(s, i, true, true); }
SEM(LD3R) { single(s, i, true, true); }
SEM(LD4R) { single(s, i, true, true); }
