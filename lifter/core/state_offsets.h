// Where a pointer into the guest state points: the byte offsets from the
// state's base that lifted IR addresses, for the passes that reason about
// which state fields an instruction reads or writes.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

namespace llvm {
class DataLayout;
class Value;
} // namespace llvm

namespace xlat {

// Byte offset of p from base, if p is base plus a constant.
bool constOffset(const llvm::Value *p, const llvm::Value *base,
                 const llvm::DataLayout &dl, uint64_t &off);

// The lowest and highest byte offset from base that p may hold, when p is
// base plus GEP indices that are constants or have bounds known bits give
// (a shadow-stack entry: a masked index into the array).
std::optional<std::pair<uint64_t, uint64_t>>
stateOffsetRange(const llvm::Value *p, const llvm::Value *base,
                 const llvm::DataLayout &dl);

} // namespace xlat
