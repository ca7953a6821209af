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
  void enable() { enabled_ = true; }
  bool enabled() const { return enabled_; }
  // Appends one entry (no-op unless enabled). Thread-safe; a forked child
  // writes its own file.
  void add(uint64_t start, uint64_t size, const std::string &name);

private:
  bool enabled_ = false;
};

} // namespace xlat::jit
