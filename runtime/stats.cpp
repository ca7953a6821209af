#include "runtime/stats.h"

#include "lifter/core/log.h"

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <sys/resource.h>
#include <unistd.h>

namespace xlat {
namespace {

using Clock = std::chrono::steady_clock;

// Written once before main, then only read: when xlat-run's own code
// started, after the dynamic loader mapped and initialised libLLVM.
const Clock::time_point kStartTime = Clock::now();

// Seconds since exec, from the kernel's start time of this process
// (resolution 1/CLK_TCK, usually 10 ms); negative if unavailable.
double secondsSinceExec() {
  FILE *f = fopen("/proc/self/stat", "r");
  if (!f)
    return -1;
  char buf[1024];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  // Field 22 (starttime); the fields after the ")" of comm start at 3.
  const char *p = strrchr(buf, ')');
  unsigned long long ticks = 0;
  for (int field = 2; p && field < 22; ++field)
    p = strchr(p + 1, ' ');
  if (!p || sscanf(p + 1, "%llu", &ticks) != 1)
    return -1;
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  return now.tv_sec + now.tv_nsec / 1e9 - double(ticks) / sysconf(_SC_CLK_TCK);
}

// Ratios whose denominator may be zero: absent rather than inf or nan.
bool ratio(uint64_t num, uint64_t den, double &out) {
  if (den == 0)
    return false;
  out = double(num) / double(den);
  return true;
}

// Shares derived from the counters that --stats turns on (blocks run, IBTC
// and shadow-stack probes); false when nothing was counted.
bool chainedShare(const jit::TierStats &s, double &out) {
  if (s.blocksRun < s.blocksExecuted || !ratio(s.blocksExecuted, s.blocksRun, out))
    return false;
  out = 1.0 - out;
  return true;
}
bool ibtcHitRate(const jit::TierStats &s, double &out) {
  return ratio(s.ibtcHits, s.ibtcProbes, out);
}
bool shadowHitRate(const jit::TierStats &s, double &out) {
  return ratio(s.shadowHits, s.shadowProbes, out);
}

void appendf(std::string &out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void appendf(std::string &out, const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0)
    out.append(buf, std::min<size_t>(size_t(n), sizeof buf - 1));
}

// A flat JSON object written field by field; keys are fixed identifiers.
class JsonObject {
public:
  explicit JsonObject(std::string &out) : out_(out) { out_ += "{"; }
  void num(const char *key, uint64_t v) {
    appendf(key_(key), "%" PRIu64, v);
  }
  void num(const char *key, double v) { appendf(key_(key), "%.9g", v); }
  void null(const char *key) { key_(key) += "null"; }
  void str(const char *key, std::string_view v) { quote(key_(key), v); }
  // Inserts pre-formatted JSON (a nested object).
  void raw(const char *key, const std::string &json) { key_(key) += json; }
  void close() { out_ += "\n}"; }

  static void quote(std::string &out, std::string_view v) {
    out += '"';
    for (unsigned char c : v) {
      if (c == '"' || c == '\\')
        out += '\\', out += char(c);
      else if (c < 0x20)
        appendf(out, "\\u%04x", c);
      else
        out += char(c);
    }
    out += '"';
  }

private:
  std::string &key_(const char *key) {
    out_ += first_ ? "\n  \"" : ",\n  \"";
    first_ = false;
    out_ += key;
    out_ += "\": ";
    return out_;
  }
  std::string &out_;
  bool first_ = true;
};

std::string expandPid(const std::string &path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 1 < path.size() && path[i + 1] == 'p') {
      out += std::to_string(getpid());
      ++i;
    } else {
      out += path[i];
    }
  }
  return out;
}

} // namespace

bool parseStatsOption(std::string_view arg, StatsOptions &o,
                      std::string &err) {
  if (arg == "--stats" || arg == "--stats=text") {
    o.enabled = true;
    o.format = StatsFormat::Text;
    return true;
  }
  if (arg == "--stats=json") {
    o.enabled = true;
    o.format = StatsFormat::Json;
    return true;
  }
  if (arg.rfind("--stats=", 0) == 0) {
    err = "unknown --stats format '" + std::string(arg.substr(8)) +
          "' (text, json)";
    return true;
  }
  if (arg.rfind("--stats-file=", 0) == 0) {
    o.enabled = true;
    o.file = std::string(arg.substr(13));
    if (o.file.empty())
      err = "--stats-file needs a path";
    return true;
  }
  return false;
}

ProcessUsage processUsage() {
  ProcessUsage u;
  u.afterLoadSeconds =
      std::chrono::duration<double>(Clock::now() - kStartTime).count();
  // The coarse clock must not undercut the fine one.
  u.wallSeconds = std::max(secondsSinceExec(), u.afterLoadSeconds);
  struct rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) == 0) {
    u.userSeconds = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
    u.sysSeconds = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    u.maxRssKiB = uint64_t(ru.ru_maxrss); // Linux reports KiB
  }
  return u;
}

std::string formatStatsText(const jit::TierStats &s, const RunEnd &end,
                            const ProcessUsage &u) {
  using ull = unsigned long long;
  std::string o;
  double r;
  appendf(o, "xlat-run statistics (tier %.*s)\n", int(end.tier.size()),
          end.tier.data());
  appendf(o, "  blocks translated      %llu\n", ull(s.blocksTranslated));
  appendf(o, "  guest insns translated %llu\n", ull(s.guestInsnsTranslated));
  appendf(o, "  guest bytes            %llu\n", ull(s.guestBytesTranslated));
  appendf(o, "  host bytes             %llu", ull(s.hostBytesEmitted));
  if (ratio(s.hostBytesEmitted, s.guestBytesTranslated, r))
    appendf(o, " (expansion %.1fx)", r);
  appendf(o, "\n  translation time       %.3f ms", s.translateNanos / 1e6);
  if (ratio(s.translateNanos, s.guestInsnsTranslated, r))
    appendf(o, " (%.1f us/insn)", r / 1e3);
  appendf(o, "\n  cross-page blocks      %llu\n", ull(s.crossPageBlocks));
  appendf(o, "  blocks executed        %llu\n", ull(s.blocksExecuted));
  double share;
  if (chainedShare(s, share))
    appendf(o, "  blocks run             %llu (%.1f%% chained)\n", ull(s.blocksRun),
            100.0 * share);
  if (ibtcHitRate(s, share))
    appendf(o, "  ibtc probes            %llu (%.1f%% hits)\n", ull(s.ibtcProbes),
            100.0 * share);
  if (shadowHitRate(s, share))
    appendf(o, "  shadow stack returns   %llu (%.1f%% hits)\n", ull(s.shadowProbes),
            100.0 * share);
  appendf(o, "  insns interpreted      %llu\n", ull(s.insnsInterpreted));
  appendf(o, "  code cache flushes     %llu\n", ull(s.cacheFlushes));
  appendf(o, "  blocks invalidated     %llu\n", ull(s.blocksInvalidated));
  appendf(o, "  smc flushes            %llu (%llu pages written)\n",
          ull(s.smcFlushes), ull(s.codePagesWritten));
  appendf(o, "  fence-managed pages    %llu (%llu fences dropped code)\n",
          ull(s.codePagesFenced), ull(s.fenceDrops));
  appendf(o, "  code buffers           %.1f MiB in use (peak %.1f MiB)\n",
          s.codeBytesInUse / 1048576.0, s.codeBytesPeak / 1048576.0);
  appendf(o, "  code evictions         %llu (%.1f MiB freed)\n", ull(s.codeEvictions),
          s.codeBytesFreed / 1048576.0);
  appendf(o, "  syscalls               %llu\n", ull(s.syscallsExecuted));
  if (s.regionsTranslated)
    appendf(o, "  regions                %llu (%llu blocks)\n",
            ull(s.regionsTranslated), ull(s.regionBlocks));
  appendf(o, "  blocks promoted        %llu (%.3f ms)\n", ull(s.blocksPromoted),
          s.promoteNanos / 1e6);
  if (s.llvmLiftNanos + s.llvmOptNanos + s.llvmCodegenNanos)
    appendf(o, "  llvm time              %.3f ms lift, %.3f ms optimize, %.3f ms codegen\n",
            s.llvmLiftNanos / 1e6, s.llvmOptNanos / 1e6, s.llvmCodegenNanos / 1e6);
  if (s.aotEnabled) {
    appendf(o, "  aot cache              %llu lookups, %llu hits, %llu stale, %llu rejected\n",
            ull(s.aotLookups), ull(s.aotHits), ull(s.aotStale), ull(s.aotRejected));
    appendf(o, "  aot cache file         %llu entries, %llu bytes, %.3f ms to read, %.3f ms to install\n",
            ull(s.aotFileEntries), ull(s.aotFileBytes), s.aotLoadNanos / 1e6,
            s.aotInstallNanos / 1e6);
    appendf(o, "  aot cache written      %llu entries (%llu bytes)\n",
            ull(s.aotEntriesWritten), ull(s.aotBytesWritten));
  }
  appendf(o, "  wall time              %.3f s (%.3f s after loading)\n",
          u.wallSeconds, u.afterLoadSeconds);
  appendf(o, "  cpu time               %.3f s user, %.3f s sys\n",
          u.userSeconds, u.sysSeconds);
  appendf(o, "  max RSS                %llu KiB\n", ull(u.maxRssKiB));
  return o;
}

std::string formatStatsJson(const jit::TierStats &s, const RunEnd &end,
                            const ProcessUsage &u) {
  std::string o;
  JsonObject j(o);
  double r;
  j.num("schema", uint64_t(1));
  j.str("tool", "xlat-run");
  j.str("tier", end.tier);
  j.str("program", end.program);
  j.str("isa", end.isa);
  if (end.bySignal) {
    j.null("exit_status");
    j.num("exit_signal", uint64_t(end.code));
  } else {
    j.num("exit_status", uint64_t(end.code));
    j.null("exit_signal");
  }
  // Translation: blocks are first translated by the run's tier (adaptive:
  // the template tier), promoted ones again by the block tier.
  j.num("blocks_translated", s.blocksTranslated);
  std::string perTier;
  std::string_view first = end.tier == "adaptive" ? "template" : end.tier;
  if (first == "interp")
    perTier = "{}";
  else if (end.tier == "adaptive")
    appendf(perTier, "{\"template\": %llu, \"block\": %llu}",
            (unsigned long long)s.blocksTranslated,
            (unsigned long long)s.blocksPromoted);
  else
    appendf(perTier, "{\"%.*s\": %llu}", (int)first.size(), first.data(),
            (unsigned long long)s.blocksTranslated);
  j.raw("blocks_translated_per_tier", perTier);
  j.num("guest_insns_translated", s.guestInsnsTranslated);
  j.num("guest_bytes_translated", s.guestBytesTranslated);
  j.num("host_bytes", s.hostBytesEmitted);
  if (ratio(s.hostBytesEmitted, s.guestBytesTranslated, r))
    j.num("expansion", r);
  else
    j.null("expansion");
  j.num("translate_ns", s.translateNanos);
  if (ratio(s.translateNanos, s.guestInsnsTranslated, r))
    j.num("translate_ns_per_guest_insn", r);
  else
    j.null("translate_ns_per_guest_insn");
  j.num("cross_page_blocks", s.crossPageBlocks);
  // Execution.
  j.num("blocks_executed", s.blocksExecuted);
  j.num("insns_interpreted", s.insnsInterpreted);
  j.num("syscalls", s.syscallsExecuted);
  j.num("blocks_promoted", s.blocksPromoted);
  j.num("promote_seconds", s.promoteNanos / 1e9);
  j.num("llvm_lift_ns", s.llvmLiftNanos);
  j.num("llvm_optimize_ns", s.llvmOptNanos);
  j.num("llvm_codegen_ns", s.llvmCodegenNanos);
  j.num("cache_flushes", s.cacheFlushes);
  j.num("blocks_invalidated", s.blocksInvalidated);
  j.num("smc_flushes", s.smcFlushes);
  j.num("code_pages_written", s.codePagesWritten);
  j.num("code_pages_fenced", s.codePagesFenced);
  j.num("fence_drops", s.fenceDrops);
  j.num("code_evictions", s.codeEvictions);
  j.num("code_bytes_freed", s.codeBytesFreed);
  j.num("code_bytes_in_use", s.codeBytesInUse);
  j.num("code_bytes_peak", s.codeBytesPeak);
  // Counted only with --stats; null when there was nothing to count.
  using Share = bool (*)(const jit::TierStats &, double &);
  const std::pair<const char *, Share> kShares[] = {
      {"chained_jump_share", chainedShare},
      {"ibtc_hit_rate", ibtcHitRate},
      {"shadow_stack_hit_rate", shadowHitRate}};
  for (auto [key, fn] : kShares) {
    if (fn(s, r))
      j.num(key, r);
    else
      j.null(key);
  }
  // The persistent cache; null when it was off.
  const std::pair<const char *, uint64_t> kAot[] = {
      {"aot_cache_lookups", s.aotLookups},
      {"aot_cache_hits", s.aotHits},
      {"aot_cache_stale", s.aotStale},
      {"aot_cache_rejected", s.aotRejected},
      {"aot_cache_file_entries", s.aotFileEntries},
      {"aot_cache_file_bytes", s.aotFileBytes},
      {"aot_cache_load_ns", s.aotLoadNanos},
      {"aot_cache_install_ns", s.aotInstallNanos},
      {"aot_cache_entries_written", s.aotEntriesWritten},
      {"aot_cache_bytes_written", s.aotBytesWritten}};
  for (auto [key, v] : kAot) {
    if (s.aotEnabled)
      j.num(key, v);
    else
      j.null(key);
  }
  // Host resources.
  j.num("wall_seconds", u.wallSeconds);
  j.num("wall_seconds_after_load", u.afterLoadSeconds);
  j.num("user_seconds", u.userSeconds);
  j.num("sys_seconds", u.sysSeconds);
  j.num("max_rss_kib", u.maxRssKiB);
  j.close();
  o += '\n';
  return o;
}

void writeStats(const StatsOptions &o, const jit::TierStats &s,
                const RunEnd &end) {
  ProcessUsage u = processUsage();
  std::string text = o.format == StatsFormat::Json
                         ? formatStatsJson(s, end, u)
                         : formatStatsText(s, end, u);
  if (o.file.empty()) {
    log().printf("%s", text.c_str());
    return;
  }
  std::string path = expandPid(o.file);
  FILE *f = fopen(path.c_str(), "w");
  if (!f || fwrite(text.data(), 1, text.size(), f) != text.size()) {
    fprintf(stderr, "xlat-run: cannot write statistics to '%s': %s\n",
            path.c_str(), strerror(errno));
    if (f)
      fclose(f);
    return;
  }
  fclose(f);
}

} // namespace xlat
