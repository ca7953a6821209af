// xlat-system: boots a RISC-V machine (firmware, kernel, initrd) on this
// host, like qemu-system-riscv64 -M virt.
#include "lifter/core/log.h"
#include "sysemu/machine.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <string>
#include <termios.h>
#include <thread>
#include <unistd.h>

namespace xlat::sysemu {
namespace {

constexpr const char *kDefaultBios =
    "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf";

constexpr const char *kUsage =
    "usage: xlat-system [options]\n"
    "Boots a RISC-V virt machine (RV64GC harts, CLINT, PLIC, NS16550A UART,\n"
    "goldfish RTC, SiFive test device) on this host.\n"
    "\n"
    "options:\n"
    "  -M virt, -machine virt  the machine (the only one)\n"
    "  -bios FILE        firmware: an ELF, or a raw *.bin at 0x80000000\n"
    "                    (default: Debian's OpenSBI fw_jump.elf); none: the\n"
    "                    kernel starts in M mode\n"
    "  -kernel FILE      kernel: an ELF, or a RISC-V Linux Image\n"
    "  -initrd FILE      initial ramdisk\n"
    "  -drive file=IMG,format=raw,if=virtio[,readonly=on]\n"
    "                    a virtio-blk disk on a raw image (up to 8)\n"
    "  -append ARGS      kernel command line\n"
    "  -m SIZE           RAM: N (MiB) or N[M|G] (default 128M)\n"
    "  -smp N            harts, each on a host thread (default 1)\n"
    "  -nographic        console on this terminal (the default and only one;\n"
    "                    Ctrl-a x quits, Ctrl-a Ctrl-a sends Ctrl-a)\n"
    "  -no-reboot        exit when the guest resets instead of rebooting\n"
    "  -d ITEM[,...]     log: int (traps and interrupts), unimp\n"
    "  -D LOGFILE        write logs to LOGFILE instead of stderr\n"
    "  -gdb DEV          serve gdb on DEV: tcp::PORT (loopback) or unix:PATH\n"
    "  -s                -gdb tcp::1234\n"
    "  -S                harts wait for gdb before their first instruction\n"
    "  --tier=TIER       interp (the only tier in system mode so far)\n"
    "  --stats           print execution statistics at exit\n"
    "  --stats-file=FILE write them to FILE instead of stderr\n"
    "\n"
    "Exit status: 0 when the guest powers off (or resets, with -no-reboot),\n"
    "the guest's code when it powers off through the test device with a\n"
    "failure, 2 when the guest crashes (a trap in the M-mode trap handler),\n"
    "1 for bad options or images.\n";

[[noreturn]] void usageError(const std::string &msg) {
  fprintf(stderr, "xlat-system: %s (see --help)\n", msg.c_str());
  exit(1);
}

bool parseSize(const std::string &s, uint64_t &out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s.c_str(), &end, 10);
  if (errno || end == s.c_str() || v == 0)
    return false;
  std::string suffix = end;
  uint64_t shift = 20;
  if (suffix == "" || suffix == "M" || suffix == "m")
    shift = 20;
  else if (suffix == "G" || suffix == "g")
    shift = 30;
  else
    return false;
  if (v > (64ull << 30) >> shift)
    return false;
  out = v << shift;
  return true;
}

// -drive file=IMG,format=raw,if=virtio[,readonly=on]: qemu's spelling, of
// what this machine has.
Drive parseDrive(const std::string &spec) {
  Drive d;
  size_t at = 0;
  while (at <= spec.size()) {
    size_t comma = spec.find(',', at);
    std::string item = spec.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    at = comma == std::string::npos ? spec.size() + 1 : comma + 1;
    size_t eq = item.find('=');
    std::string key = item.substr(0, eq), val = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "file" && !val.empty())
      d.path = val;
    else if (key == "format" && val == "raw")
      ;
    else if (key == "if" && val == "virtio")
      ;
    else if (key == "readonly" && (val == "on" || val == "off"))
      d.readOnly = val == "on";
    else
      usageError("-drive: unsupported '" + item + "' (file=IMG,format=raw,if=virtio[,readonly=on])");
  }
  if (d.path.empty())
    usageError("-drive: needs file=IMG");
  return d;
}

// The host terminal in raw mode while the guest owns it.
struct termios savedTermios;
bool rawTerminal = false;
void restoreTerminal() {
  if (rawTerminal)
    tcsetattr(STDIN_FILENO, TCSANOW, &savedTermios);
  rawTerminal = false;
}
void onFatalSignal(int sig) {
  restoreTerminal();
  signal(sig, SIG_DFL);
  raise(sig);
}

// Reads the host terminal into the UART until the machine stops; Ctrl-a x
// quits as in qemu.
void consoleLoop(Machine &m) {
  bool escape = false;
  while (!m.stopping()) {
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    int r = poll(&p, 1, 100);
    if (r <= 0 || !(p.revents & (POLLIN | POLLHUP)))
      continue;
    uint8_t c;
    if (read(STDIN_FILENO, &c, 1) != 1)
      return; // end of input: the guest sees no more
    if (escape) {
      escape = false;
      if (c == 'x') {
        fprintf(stderr, "\r\nxlat-system: terminated\r\n");
        m.powerOff(kExitPoweredOff);
        return;
      }
      if (c != 1)
        continue;
    } else if (c == 1 && rawTerminal) {
      escape = true;
      continue;
    }
    m.consoleIn(c);
  }
}

void printStats(Machine &m, FILE *out, double wallSeconds) {
  uint64_t insns = 0, tlbMisses = 0, tlbFlushes = 0, sys = 0, wfi = 0, mmio = 0;
  uint64_t exc[16] = {}, irq[16] = {};
  for (auto &h : m.harts) {
    insns += h->tierStats.insnsInterpreted;
    tlbMisses += h->stats.tlbMisses;
    tlbFlushes += h->stats.tlbFlushes;
    sys += h->stats.systemInsns;
    wfi += h->stats.wfiSleeps;
    mmio += h->stats.mmioAccesses;
    for (int i = 0; i < 16; i++) {
      exc[i] += h->stats.exceptions[i];
      irq[i] += h->stats.interrupts[i];
    }
  }
  fprintf(out, "xlat-system statistics (tier interp, %u hart%s)\n",
          (unsigned)m.harts.size(), m.harts.size() == 1 ? "" : "s");
  fprintf(out, "  insns interpreted      %llu (%.1f M/s)\n",
          (unsigned long long)insns, insns / wallSeconds / 1e6);
  fprintf(out, "  system insns           %llu\n", (unsigned long long)sys);
  uint64_t allExc = 0, allIrq = 0;
  for (int i = 0; i < 16; i++)
    allExc += exc[i], allIrq += irq[i];
  fprintf(out, "  exceptions             %llu (ecall U %llu, S %llu; page faults %llu)\n",
          (unsigned long long)allExc, (unsigned long long)exc[8],
          (unsigned long long)exc[9],
          (unsigned long long)(exc[12] + exc[13] + exc[15]));
  fprintf(out, "  interrupts             %llu (timer M %llu, external S %llu)\n",
          (unsigned long long)allIrq, (unsigned long long)irq[7],
          (unsigned long long)irq[9]);
  fprintf(out, "  tlb misses             %llu (%llu flushes)\n",
          (unsigned long long)tlbMisses, (unsigned long long)tlbFlushes);
  fprintf(out, "  mmio accesses          %llu\n", (unsigned long long)mmio);
  fprintf(out, "  wfi sleeps             %llu\n", (unsigned long long)wfi);
  fprintf(out, "  wall time              %.3f s\n", wallSeconds);
}

// -gdb's device, as qemu writes it: tcp::PORT (or tcp:localhost:PORT,
// tcp:127.0.0.1:PORT: gdb is served on the loopback interface only) or
// unix:PATH (qemu's ,server=on,wait=off and the like are accepted).
std::string parseGdbDevice(const std::string &dev) {
  std::string d = dev.substr(0, dev.find(','));
  if (d.rfind("unix:", 0) == 0 && d.size() > 5)
    return d.substr(5);
  for (const char *host : {"tcp::", "tcp:localhost:", "tcp:127.0.0.1:"}) {
    std::string h = host;
    if (d.rfind(h, 0) == 0 && d.size() > h.size() &&
        d.find_first_not_of("0123456789", h.size()) == std::string::npos)
      return d.substr(h.size());
  }
  usageError("-gdb: unsupported device '" + dev + "' (tcp::PORT or unix:PATH)");
}

int run(int argc, char **argv) {
  MachineConfig cfg;
  cfg.bios = kDefaultBios;
  bool stats = false;
  std::string statsFile, logFile;
  std::string gdb; // a port or a socket path
  bool startStopped = false;
  uint32_t logMask = 0;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        usageError("option " + a + " needs a value");
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      fputs(kUsage, stdout);
      return 0;
    } else if (a == "-M" || a == "-machine") {
      std::string v = value();
      if (v.substr(0, v.find(',')) != "virt")
        usageError("unknown machine '" + v + "' (only virt)");
    } else if (a == "-bios") {
      cfg.bios = value();
    } else if (a == "-kernel") {
      cfg.kernel = value();
    } else if (a == "-initrd") {
      cfg.initrd = value();
    } else if (a == "-drive") {
      cfg.drives.push_back(parseDrive(value()));
    } else if (a == "-append") {
      cfg.append = value();
    } else if (a == "-m") {
      std::string v = value();
      if (!parseSize(v, cfg.ramBytes))
        usageError("bad memory size '" + v + "'");
    } else if (a == "-smp") {
      std::string v = value();
      char *end;
      unsigned long n = strtoul(v.c_str(), &end, 10);
      if (*end || n < 1 || n > 64)
        usageError("bad hart count '" + v + "' (1-64)");
      cfg.harts = n;
    } else if (a == "-nographic") {
    } else if (a == "-no-reboot") {
      cfg.noReboot = true;
    } else if (a == "-d") {
      std::string v = value(), bad;
      if (!parseLogMask(v, logMask, bad))
        usageError("unknown log item '" + bad + "'");
    } else if (a == "-D") {
      logFile = value();
    } else if (a == "-s") {
      gdb = "1234";
    } else if (a == "-gdb") {
      gdb = parseGdbDevice(value());
    } else if (a == "-S") {
      startStopped = true;
    } else if (a.rfind("--tier=", 0) == 0) {
      if (a != "--tier=interp")
        usageError("system mode runs only --tier=interp so far");
    } else if (a == "--stats") {
      stats = true;
    } else if (a.rfind("--stats-file=", 0) == 0) {
      stats = true;
      statsFile = a.substr(13);
    } else {
      usageError("unknown option '" + a + "'");
    }
  }
  if (cfg.append.find('\0') != std::string::npos)
    usageError("bad -append");
  // Until the monitor exists, only gdb can let a stopped machine go.
  if (startStopped && gdb.empty())
    usageError("-S needs -s or -gdb");
  log().mask = logMask;
  if (!logFile.empty()) {
    log().out = fopen(logFile.c_str(), "w");
    if (!log().out) {
      fprintf(stderr, "xlat-system: %s: %s\n", logFile.c_str(), strerror(errno));
      return 1;
    }
    setvbuf(log().out, nullptr, _IOLBF, 0);
  }

  Machine m(cfg);
  std::string err;
  if (!m.boot(err)) {
    fprintf(stderr, "xlat-system: %s\n", err.c_str());
    return 1;
  }

  if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &savedTermios) == 0) {
    struct termios raw = savedTermios;
    cfmakeraw(&raw);
    raw.c_oflag |= OPOST; // keep \n -> \r\n for the host's own messages
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) {
      rawTerminal = true;
      atexit(restoreTerminal);
      for (int sig : {SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT})
        signal(sig, onFatalSignal);
    }
  }
  if (!gdb.empty() && !m.attachGdb(gdb, startStopped, err)) {
    fprintf(stderr, "xlat-system: %s\n", err.c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::thread console([&m] { consoleLoop(m); });
  int status = m.run();
  if (m.gdb())
    m.gdb()->processExited(false, status);
  console.join();
  restoreTerminal();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (stats) {
    FILE *out = statsFile.empty() ? stderr : fopen(statsFile.c_str(), "w");
    if (!out) {
      fprintf(stderr, "xlat-system: %s: %s\n", statsFile.c_str(), strerror(errno));
    } else {
      printStats(m, out, wall);
      if (out != stderr)
        fclose(out);
    }
  }
  return status;
}

} // namespace
} // namespace xlat::sysemu

int main(int argc, char **argv) { return xlat::sysemu::run(argc, argv); }
