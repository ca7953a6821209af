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
//
// A store that writes a register back to the state before a guest memory
// access (a sync, see kStateSyncMarker) is seen only if the access faults.
// Where the access records a raw-FP mask, such a store may keep a raw
// double: the mask names the FP registers the state may then hold raw, and
// the fault path makes them canonical. A register is canonicalised at its
// syncs after all wherever the state's copy might be read otherwise (a load
// of it, a call, a return) or might be raw on one path and a loaded NaN on
// another when an access faults.
#pragma once

#include <cstdint>

namespace llvm {
class Function;
}

namespace xlat {

constexpr const char *kNaNCanon32 = "xlat_nan_canon32";
constexpr const char *kNaNCanon64 = "xlat_nan_canon64";

// Metadata on the state stores of a sync before an access that records a
// raw-FP mask: they may keep a raw double.
constexpr const char *kRawNaNStore = "xlat.sync.raw";
// Metadata on a store at an exit that writes back a register the state may
// hold raw: deleted where it cannot.
constexpr const char *kRawNaNRestore = "xlat.sync.restore";

// Metadata on an access that spills FP registers (withSpills): an i64
// constant, register i in bit i; their operands are the call's last, in
// register order. Its fault paths store them over what the state holds and
// then apply the access's raw-FP mask, which has a spilled register's bit
// exactly when its operand is raw (a result's bits as the host made them,
// kept so: no NaN test on the way to the access).
constexpr const char *kFpSpills = "xlat.spills.fp";

// Metadata on a load of an FP register from the state where the function
// starts (the local copy's copy-in). Behind an entry check such a value is
// no NaN but the canonical one, so a join of it with raw results is raw
// too: a loop-carried register spilled raw needs no NaN test on the back
// edge. The check then tests that register.
constexpr const char *kFpEntryLoad = "xlat.fp.entry";

// A call to this function (no arguments, i1 result) in a lifted function's
// entry guard, which runs the function only when it returns true. A fault's
// canonicalisation of a register the state may still hold from entry must
// leave it as it was: lowerNaNCanonicalization replaces the call by a test
// that no such register holds a NaN other than the canonical one (true
// when there is none), which would otherwise be a register raw on some
// paths and exact on others at an access: a loop's.
constexpr const char *kRawFpEntryCheck = "xlat.rawfp.entry_ok";

// The guest's FP registers in the state (argument 0 of a lifted function):
// `count` 8-byte words from byte `offset`, register i in bit i of a mask.
struct FpRegisterFile {
  uint64_t offset;
  unsigned count; // at most 32
};

// Lowers the markers in f; run after the state has been promoted to SSA
// values (else every use is a store and nothing is gained). Without fpRegs
// every store is taken to be seen.
void lowerNaNCanonicalization(llvm::Function &f,
                              const FpRegisterFile *fpRegs = nullptr);

} // namespace xlat
