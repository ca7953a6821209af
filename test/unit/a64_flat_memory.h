// A flat guest memory for the A64 semantics' own tests: one window of
// guest addresses backed by a host buffer, behind the memory operations of
// lifter/core/mem_ops.h (and a test clock behind lifter/core/host_ops.h). An access outside the window, or a misaligned
// exclusive, ordered or atomic one, ends the instruction and is reported.
#pragma once

#include "lifter/aarch64/insn.h"
#include "lifter/aarch64/state.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace xlat::a64::test {

class FlatMemory {
public:
  // The window [base, base + size); base aligned to 16.
  FlatMemory(uint64_t base, size_t size);
  ~FlatMemory();
  FlatMemory(const FlatMemory &) = delete;
  FlatMemory &operator=(const FlatMemory &) = delete;

  uint64_t base() const { return base_; }
  size_t size() const { return size_; }
  uint8_t *host() { return host_; }

  // Runs `in` on `s` as the interpreter does (pc holding the fall-through
  // address on entry). False, with the reason, if it has no semantics or
  // an access left the window or was misaligned: s is then partly updated.
  bool execute(A64State &s, const Insn &in, std::string &why);

  // For the memory operations: the host address of [addr, addr + bytes),
  // or the failed access reported and the instruction abandoned.
  void *at(uint64_t addr, size_t bytes, size_t align);

private:
  uint64_t base_;
  size_t size_;
  uint8_t *host_;
  std::string failure_;
  void *jump_ = nullptr; // the running execute()'s jmp_buf
};

} // namespace xlat::a64::test
