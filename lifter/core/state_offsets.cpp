#include "lifter/core/state_offsets.h"

#include <llvm/ADT/MapVector.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/IR/Operator.h>
#include <llvm/Support/KnownBits.h>

using namespace llvm;

namespace xlat {

bool constOffset(const Value *p, const Value *base, const DataLayout &dl,
                 uint64_t &off) {
  APInt o(64, 0);
  const Value *b = p->stripAndAccumulateConstantOffsets(dl, o, true);
  if (b != base)
    return false;
  off = o.getZExtValue();
  return true;
}

std::optional<std::pair<uint64_t, uint64_t>>
stateOffsetRange(const Value *p, const Value *base, const DataLayout &dl) {
  uint64_t lo = 0, hi = 0;
  while (p != base) {
    auto *gep = dyn_cast<GEPOperator>(p);
    if (!gep)
      return std::nullopt;
    unsigned bits = dl.getIndexTypeSizeInBits(gep->getType());
    MapVector<Value *, APInt> vars;
    APInt constant(bits, 0);
    if (!gep->collectOffset(dl, bits, vars, constant) || constant.isNegative() ||
        constant.getActiveBits() > 32)
      return std::nullopt;
    lo += constant.getZExtValue();
    hi += constant.getZExtValue();
    for (auto &[v, scale] : vars) {
      KnownBits known = computeKnownBits(v, dl);
      if (scale.isNegative() || scale.getActiveBits() > 32 ||
          known.getMaxValue().getActiveBits() > 32)
        return std::nullopt;
      lo += known.getMinValue().getZExtValue() * scale.getZExtValue();
      hi += known.getMaxValue().getZExtValue() * scale.getZExtValue();
    }
    p = gep->getPointerOperand();
  }
  return std::make_pair(lo, hi);
}

} // namespace xlat
