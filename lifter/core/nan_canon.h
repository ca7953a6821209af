// NaN canonicalisation where the bits of a value can be seen.
//
// RISC-V gives every NaN an arithmetic instruction produces one bit pattern
// (the positive quiet NaN with a zero payload); the host produces others
// (x86's default NaN is negative, and a NaN operand's payload propagates).
// The semantics mark each arithmetic result with a call to
// xlat_nan_canon32/64 (value -> canonical bits). Done at every result, the
// test costs a round trip through an integer register on the dependency
// chain of each FP operation. But the payload and sign of a NaN are only
// observable through its bits: arithmetic, comparisons and conversions of
// any quiet NaN behave alike (the host never produces a signaling one), so
// a result that only feeds those needs no canonicalisation at all.
//
// lowerNaNCanonicalization replaces each marker with the raw result and
// canonicalises on the way to each use that can see bits (a store, an
// integer operation, a sign injection, a value passed on unchanged to a
// join that also carries bits from elsewhere), where that use is.
#pragma once

namespace llvm {
class Function;
}

namespace xlat {

constexpr const char *kNaNCanon32 = "xlat_nan_canon32";
constexpr const char *kNaNCanon64 = "xlat_nan_canon64";

// Lowers the markers in f; run after the state has been promoted to SSA
// values (else every use is a store and nothing is gained).
void lowerNaNCanonicalization(llvm::Function &f);

} // namespace xlat
