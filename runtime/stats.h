// --stats: what the translator did during a run, printed at exit as text
// (for people) or JSON (for utils/xlat-report and scripts). The fields are
// documented in docs/report.md.
#pragma once

#include "jit/tier.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace xlat {

enum class StatsFormat { Text, Json };

struct StatsOptions {
  bool enabled = false;
  StatsFormat format = StatsFormat::Text;
  // Empty: the log sink (stderr or -D LOGFILE). "%p" in it becomes the pid,
  // so that a forked guest does not overwrite its parent's file.
  std::string file;
  explicit operator bool() const { return enabled; }
};

// Accepts --stats, --stats=text, --stats=json and --stats-file=PATH (which
// implies --stats). Returns false if `arg` is none of them; sets `err` if it
// is one with a bad value.
bool parseStatsOption(std::string_view arg, StatsOptions &o, std::string &err);

// How the process ended, as the JSON reports it.
struct RunEnd {
  std::string_view tier;
  std::string_view program;
  std::string_view isa; // the guest's: "riscv64", "aarch64" (LinuxAbi::name)
  bool bySignal = false;
  int code = 0; // exit status or signal number
};

// Host resources used so far by this process.
struct ProcessUsage {
  double wallSeconds = 0;      // since exec (kernel start time, ~10 ms)
  double afterLoadSeconds = 0; // since xlat-run's static initialisation,
                               // i.e. without loading libLLVM
  double userSeconds = 0;
  double sysSeconds = 0;
  uint64_t maxRssKiB = 0;
};
ProcessUsage processUsage();

std::string formatStatsText(const jit::TierStats &s, const RunEnd &end,
                            const ProcessUsage &u);
std::string formatStatsJson(const jit::TierStats &s, const RunEnd &end,
                            const ProcessUsage &u);

// Formats and writes the statistics where `o` says. A file that cannot be
// written gets a one-line warning on stderr; the run's exit status stays
// the guest's.
void writeStats(const StatsOptions &o, const jit::TierStats &s,
                const RunEnd &end);

} // namespace xlat
