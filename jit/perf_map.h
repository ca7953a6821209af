// Names for translated code in Linux perf: with --perfmap, every
// translation is listed in /tmp/perf-PID.map ("START SIZE NAME", hex), the
// file perf reads to name samples in anonymous executable memory.
#pragma once

#include <cstdint>
#include <string>

namespace xlat::jit {

class PerfMap {
public:
  static PerfMap &instance();
  // pieces: the template tier names each stencil copy by its stencil
  // (xlat_st_LD, xlat_glue_goto, ...) instead of naming whole blocks, so
  // that perf report adds up the time each kind of stencil takes.
  void enable(bool pieces = false) {
    enabled_ = true;
    pieces_ = pieces;
  }
  bool enabled() const { return enabled_; }
  bool pieces() const { return pieces_; }
  // Appends one entry (no-op unless enabled). Thread-safe; a forked child
  // writes its own file.
  void add(uint64_t start, uint64_t size, const std::string &name);

private:
  bool enabled_ = false, pieces_ = false;
};

} // namespace xlat::jit
