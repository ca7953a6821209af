#include "utils/lockstep/stream.h"

#include <algorithm>

namespace xlat::lockstep {
namespace {
// How many of the next instruction starts a branch may target (plus the
// terminator): short hops keep most of a stream executed.
constexpr size_t kTargetWindow = 8;
} // namespace

bool Slot::allows(int64_t dist) const {
  return std::find(targets.begin(), targets.end(), dist) != targets.end();
}

Stream drawStream(uint64_t pc, unsigned n, const StreamInsn &filler,
                  const StreamInsn &terminator,
                  const std::function<bool(Slot &, StreamInsn &)> &draw) {
  std::vector<StreamInsn> rev;
  std::vector<int64_t> starts{0}; // distances to the terminator, ascending
  int64_t after = 0;
  for (unsigned k = 0; k < n; ++k) {
    Slot slot;
    slot.after = after;
    size_t first = starts.size() > kTargetWindow ? starts.size() - kTargetWindow : 1;
    slot.targets.assign(starts.begin() + first, starts.end());
    slot.targets.push_back(0);
    StreamInsn si = filler;
    if (!draw(slot, si))
      si = filler;
    rev.push_back(si);
    after += si.len;
    starts.push_back(after);
  }

  Stream s;
  s.pc = pc;
  uint64_t at = pc;
  auto append = [&](StreamInsn si) {
    si.pc = at;
    s.insns.push_back(si);
    for (unsigned b = 0; b < si.len; ++b)
      s.bytes.push_back(uint8_t(si.raw >> (8 * b)));
    at += si.len;
  };
  for (auto it = rev.rbegin(); it != rev.rend(); ++it)
    append(*it);
  s.endPc = at;
  append(terminator);
  return s;
}

} // namespace xlat::lockstep
