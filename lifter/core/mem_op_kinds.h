// The abstract guest-memory operations of core/mem_ops.h, by name: what each
// memory lowering replaces.
#pragma once

#include <llvm/ADT/StringRef.h>

namespace xlat {

enum class MemOpKind { Load, Store, AtomicPtr, LrPtr };

struct MemOp {
  MemOpKind kind;
  unsigned size; // bytes (0 for the pointer kinds: size is an operand)
};

inline bool classifyMemOp(llvm::StringRef name, MemOp &op) {
  static const struct {
    const char *name;
    MemOp op;
  } kOps[] = {
      {"xlat_ld8", {MemOpKind::Load, 1}},   {"xlat_ld16", {MemOpKind::Load, 2}},
      {"xlat_ld32", {MemOpKind::Load, 4}},  {"xlat_ld64", {MemOpKind::Load, 8}},
      {"xlat_st8", {MemOpKind::Store, 1}},  {"xlat_st16", {MemOpKind::Store, 2}},
      {"xlat_st32", {MemOpKind::Store, 4}}, {"xlat_st64", {MemOpKind::Store, 8}},
      {"xlat_atomic_ptr", {MemOpKind::AtomicPtr, 0}},
      // LR needs only read permission; a runner that maps what is readable
      // writable too may lower it like any atomic.
      {"xlat_lr_ptr", {MemOpKind::LrPtr, 0}},
  };
  for (const auto &e : kOps)
    if (name == e.name) {
      op = e.op;
      return true;
    }
  return false;
}

} // namespace xlat
