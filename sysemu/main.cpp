// xlat-system: boots a RISC-V machine (firmware, kernel, initrd) on this
// host, like qemu-system-riscv64 -M virt.
#include "lifter/core/log.h"
#include "sysemu/machine.h"
#include "sysemu/monitor.h"
#include "sysemu/snapshot.h"
#include "sysemu/trace.h"

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
    "  -d ITEM[,...]     log: in_asm (each instruction as it is decoded),\n"
    "                    exec (each instruction run), int (traps and\n"
    "                    interrupts), mmu (TLB fills and\n"
    "                    page faults), cpu (registers at each trap),\n"
    "                    guest_errors (accesses to nothing), unimp\n"
    "  -trace PATTERN    enable the trace events matching the glob PATTERN\n"
    "                    (also enable=PATTERN; -trace help lists them)\n"
    "  -D LOGFILE        write logs to LOGFILE instead of stderr\n"
    "  -gdb DEV          serve gdb on DEV: tcp::PORT (loopback) or unix:PATH\n"
    "  -s                -gdb tcp::1234\n"
    "  -S                harts wait before their first instruction (for gdb,\n"
    "                    or the monitor's cont)\n"
    "  -monitor DEV      the monitor on DEV: stdio (the console starts in the\n"
    "                    monitor; Ctrl-a c switches), unix:PATH,server,nowait,\n"
    "                    or none. Default: on the console behind Ctrl-a c\n"
    "  -netdev user,id=ID[,hostfwd=tcp:[HOST]:PORT-[GUEST]:PORT]...\n"
    "                    user networking (libslirp): NAT to the host's\n"
    "                    network, DHCP, DNS; hostfwd forwards a host port\n"
    "                    (HOST defaults to 127.0.0.1) to the guest\n"
    "  -device virtio-net-device,netdev=ID[,mac=MAC]\n"
    "                    a virtio-net card on -netdev ID\n"
    "  -loadvm NAME      start from snapshot NAME (the monitor's savevm)\n"
    "  --snapshot-dir=DIR where snapshots are kept (default: next to the\n"
    "                    first -drive image, IMG.snapshots; else\n"
    "                    $XDG_DATA_HOME/xlat/snapshots)\n"
    "  -serial mon:stdio the console and the monitor on this terminal (the\n"
    "                    default)\n"
    "  --tier=TIER       template (the default): blocks translated by\n"
    "                    copy-and-patch; adaptive: hot ones compiled again by\n"
    "                    LLVM; block: every block by LLVM; region: every\n"
    "                    block with those it reaches in its page; interp:\n"
    "                    one instruction at a time\n"
    "  --hot-threshold=N adaptive: the runs that make a block hot (30000)\n"
    "  --cache-dir=DIR   keep the LLVM tiers' code across runs in DIR (default:\n"
    "                    $XLAT_CACHE_DIR, $XDG_CACHE_HOME/xlat, ~/.cache/xlat)\n"
    "  --no-cache        neither use nor write the translation cache\n"
    "  --cache-max=SIZE  bound on the cache directory (N[K|M|G], default 1G)\n"
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
// The console: bytes to the guest's UART, except after Ctrl-a (in raw
// mode): x quits, c switches between the guest and the monitor (qemu's
// mon:stdio), Ctrl-a sends Ctrl-a. In the monitor, input is a line at a
// time, echoed.
void consoleLoop(Machine &m, Monitor *monitor, bool monitorFirst) {
  bool escape = false, inMonitor = false;
  std::string line;
  auto out = [](const std::string &s) {
    std::string crlf;
    for (char c : s)
      crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    (void)!write(STDOUT_FILENO, crlf.data(), crlf.size());
  };
  auto enterMonitor = [&] {
    inMonitor = true;
    line.clear();
    out(std::string("\n") + Monitor::kBanner + Monitor::kPrompt);
  };
  if (monitor && monitorFirst)
    enterMonitor();
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
      if (c == 'c' && monitor) {
        if (inMonitor) {
          inMonitor = false;
          out("\n");
        } else {
          enterMonitor();
        }
        continue;
      }
      if (c != 1)
        continue;
    } else if (c == 1 && (rawTerminal || inMonitor)) {
      escape = true;
      continue;
    }
    if (!inMonitor) {
      m.consoleIn(c);
      continue;
    }
    if (c == '\r' || c == '\n') {
      out("\n");
      out(monitor->execute(line));
      line.clear();
      if (!m.stopping())
        out(Monitor::kPrompt);
    } else if ((c == 127 || c == 8) && !line.empty()) {
      line.pop_back();
      out("\b \b");
    } else if (c >= ' ' && line.size() < 4096) {
      line += char(c);
      if (rawTerminal)
        out(std::string(1, char(c)));
    }
  }
}

// -device virtio-net-device,netdev=ID[,mac=52:54:00:12:34:56]: the only
// device -device adds (disks come with -drive).
NicConfig parseNic(const std::string &spec) {
  NicConfig nic;
  size_t at = spec.find(',');
  if (spec.substr(0, at) != "virtio-net-device")
    usageError("-device: unsupported device '" + spec.substr(0, at) +
               "' (virtio-net-device)");
  while (at != std::string::npos) {
    size_t next = spec.find(',', at + 1);
    std::string it = spec.substr(at + 1, next - at - 1);
    at = next;
    if (it.rfind("netdev=", 0) == 0) {
      nic.netdev = it.substr(7);
    } else if (it.rfind("mac=", 0) == 0) {
      unsigned b[6];
      char tail;
      if (sscanf(it.c_str() + 4, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
                 &b[3], &b[4], &b[5], &tail) != 6 || (b[0] & 1))
        usageError("-device virtio-net-device: bad mac '" + it.substr(4) + "'");
      for (int i = 0; i < 6; i++)
        nic.mac[i] = uint8_t(b[i]);
    } else {
      usageError("-device virtio-net-device: unsupported option '" + it +
                 "' (netdev, mac)");
    }
  }
  if (nic.netdev.empty())
    usageError("-device virtio-net-device: needs netdev=ID");
  return nic;
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
  std::string monitorDev = "console"; // Ctrl-a c
  std::string snapshotDir, loadvm;
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
      // What logs translated code (its IR and host code) has nothing to
      // log while system mode only interprets; nor has the syscall log.
      if (logMask & (kLogOp | kLogOutAsm | kLogRegion | kLogStrace))
        usageError("-d: system mode logs in_asm, exec, int, mmu, cpu, guest_errors "
                   "and unimp (op, out_asm and region need translated code)");
    } else if (a == "-trace") {
      std::string v = value(), err;
      if (v == "help") {
        fputs(traceEventList().c_str(), stdout);
        return 0;
      }
      if (!enableTraceEvents(v, err))
        usageError(err);
    } else if (a == "-D") {
      logFile = value();
    } else if (a == "-s") {
      gdb = "1234";
    } else if (a == "-gdb") {
      gdb = parseGdbDevice(value());
    } else if (a == "-S") {
      startStopped = true;
    } else if (a == "-monitor") {
      monitorDev = value();
      if (monitorDev != "stdio" && monitorDev != "none" &&
          (monitorDev.rfind("unix:", 0) != 0 || monitorDev.size() < 6))
        usageError("-monitor: unsupported device '" + monitorDev +
                   "' (stdio, unix:PATH,server,nowait, none)");
    } else if (a == "-netdev") {
      UserNetConfig n;
      std::string err;
      if (!parseUserNetdev(value(), n, err))
        usageError(err);
      cfg.netdevs.push_back(n);
    } else if (a == "-device") {
      cfg.nics.push_back(parseNic(value()));
    } else if (a == "-loadvm") {
      loadvm = value();
    } else if (a.rfind("--snapshot-dir=", 0) == 0) {
      snapshotDir = a.substr(15);
    } else if (a == "-serial") {
      std::string v = value();
      if (v != "mon:stdio" && v != "stdio")
        usageError("-serial: unsupported device '" + v + "' (mon:stdio, stdio)");
    } else if (a.rfind("--tier=", 0) == 0) {
      auto t = jit::parseTier(a.substr(7));
      if (!t)
        usageError("unknown tier '" + a.substr(7) + "'");
      cfg.tier = *t;
    } else if (a.rfind("--cache-dir=", 0) == 0) {
      cfg.cache.dir = a.substr(12);
      if (cfg.cache.dir.empty())
        usageError("--cache-dir takes a directory");
    } else if (a == "--no-cache") {
      cfg.cache.enabled = false;
    } else if (a.rfind("--cache-max=", 0) == 0) {
      if (!aot::parseCacheSize(a.substr(12), cfg.cache.maxBytes))
        usageError("--cache-max takes a size: N, NK, NM or NG");
    } else if (a.rfind("--hot-threshold=", 0) == 0) {
      char *end = nullptr;
      std::string v = a.substr(16);
      unsigned long long n = strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end || n == 0)
        usageError("--hot-threshold takes a positive number");
      cfg.hotThreshold = n;
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
  // Someone must let a machine started stopped go.
  if (startStopped && gdb.empty() && monitorDev == "none")
    usageError("-S needs -s, -gdb or a monitor");
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
  Snapshots snapshots(m, snapshotDir);
  if (!loadvm.empty()) {
    std::string why = snapshots.load(loadvm);
    if (!why.empty()) {
      fprintf(stderr, "xlat-system: %s\n", why.c_str());
      return 1;
    }
  }
  std::unique_ptr<Monitor> monitor;
  if (monitorDev != "none")
    monitor = std::make_unique<Monitor>(m, snapshots);
  if (monitorDev.rfind("unix:", 0) == 0) {
    std::string path = monitorDev.substr(5);
    path = path.substr(0, path.find(','));
    if (!monitor->listen(path, err)) {
      fprintf(stderr, "xlat-system: %s\n", err.c_str());
      return 1;
    }
  }
  if (startStopped && gdb.empty())
    m.pause(/*wait=*/false); // the monitor's cont lets it go
  auto t0 = std::chrono::steady_clock::now();
  Monitor *consoleMonitor = monitorDev == "console" || monitorDev == "stdio"
                                ? monitor.get() : nullptr;
  std::thread console([&m, consoleMonitor, first = monitorDev == "stdio"] {
    consoleLoop(m, consoleMonitor, first);
  });
  int status = m.run();
  if (m.gdb())
    m.gdb()->processExited(false, status);
  console.join();
  restoreTerminal();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (auto &h : m.harts) {
    std::string warning;
    if (!h->saveTranslations(warning)) {
      fprintf(stderr, "xlat-system: %s\n", warning.c_str());
      break;
    }
  }
  if (stats) {
    FILE *out = statsFile.empty() ? stderr : fopen(statsFile.c_str(), "w");
    if (!out) {
      fprintf(stderr, "xlat-system: %s: %s\n", statsFile.c_str(), strerror(errno));
    } else {
      m.printStats(out, wall);
      if (out != stderr)
        fclose(out);
    }
  }
  return status;
}

} // namespace
} // namespace xlat::sysemu

int main(int argc, char **argv) { return xlat::sysemu::run(argc, argv); }
