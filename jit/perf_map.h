// Names for translated code in Linux perf: with --perfmap, every
// translation is listed in /tmp/perf-PID.map ("START SIZE NAME", hex), the
// file perf reads to name samples in anonymous executable memory; with
// --jitdump, each is also a code-load record, with its bytes, in
// DIR/jit-PID.dump (perf's jitdump format), from which `perf inject --jit`
// makes one ELF object per translation, so that perf annotate can
// disassemble translated code after the run.
#pragma once

#include <cstdint>
#include <functional>
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
  // Code-load records in dir/jit-PID.dump. Before any code is made.
  void enableJitdump(std::string dir) { jitdumpDir_ = std::move(dir); }
  bool enabled() const { return enabled_ || !jitdumpDir_.empty(); }
  bool pieces() const { return pieces_; }
  // Where the runner knows the guest's functions (xlat-run's GuestSymbols):
  // namer(pc) is "function+0xOFF" or "". Set before code is translated.
  void setGuestNamer(std::function<std::string(uint64_t pc)> namer) {
    namer_ = std::move(namer);
  }
  static constexpr uint64_t kNoGuestPc = ~0ull;
  // Appends one entry to each output (no-op unless enabled); the code's
  // bytes must be readable at start. With the guest pc of the
  // translation's entry, its name starts with the guest function there
  // ("main+0x1c xlat_template_1057e"), so perf report shows it and a
  // script can add up a function's translations. Thread-safe; a forked
  // child writes its own file.
  void add(uint64_t start, uint64_t size, const std::string &name,
           uint64_t guestPc = kNoGuestPc);

private:
  void writeMapLine(uint64_t start, uint64_t size, const std::string &name);
  void writeCodeLoad(uint64_t start, uint64_t size, const std::string &name);

  bool enabled_ = false, pieces_ = false;
  std::string jitdumpDir_;
  std::function<std::string(uint64_t)> namer_;
};

} // namespace xlat::jit
