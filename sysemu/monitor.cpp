#include "sysemu/monitor.h"

#include "debug/listen.h"
#include "debug/riscv.h"
#include "jit/llvm_tiers.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/disasm.h"
#include "sysemu/machine.h"
#include "sysemu/snapshot.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

namespace xlat::sysemu {

namespace {

constexpr const char *kHelp =
    "cont|c                       resume the machine\n"
    "help|? [CMD]                 this list\n"
    "info registers [-a]          the selected hart's registers (-a: every hart)\n"
    "info cpus                    the harts: pc, mode, which one is selected\n"
    "info jit                     translation and execution counters (as --stats)\n"
    "info mtree                   the physical address map\n"
    "info tlb                     the selected hart's software TLB\n"
    "info snapshots               the snapshots in the snapshot directory\n"
    "info status                  running or paused\n"
    "loadvm NAME                  restore the machine from snapshot NAME\n"
    "delvm NAME                   delete snapshot NAME\n"
    "savevm NAME                  save the whole machine as snapshot NAME\n"
    "cpu N                        select hart N\n"
    "quit|q                       end xlat-system at once\n"
    "stop                         pause the machine (every hart)\n"
    "system_powerdown             power the machine off (the virt board has no\n"
    "                             power button for the guest to see)\n"
    "system_reset                 reset the machine\n"
    "x /FMT ADDR                  memory at a virtual address of the selected hart\n"
    "xp /FMT ADDR                 memory at a physical address\n"
    "    FMT: [count][format][size]; format x (hex), d, u, o, c (char),\n"
    "    i (instructions); size b, h, w, g. ADDR: a number or $pc, $sp, $a0...\n";

const char *kPrivName = "USHM";

std::string hex(uint64_t v, int width = 16) {
  char buf[24];
  snprintf(buf, sizeof buf, "%0*llx", width, (unsigned long long)v);
  return buf;
}

std::vector<std::string> words(const std::string &line) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string s; in >> s;)
    w.push_back(s);
  return w;
}

// The x registers by ABI name, as `info registers` shows them.
constexpr const char *kXNames[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

} // namespace

Monitor::Monitor(Machine &m, Snapshots &snapshots) : m_(m), snapshots_(snapshots) {}

Monitor::~Monitor() {
  if (thread_.joinable())
    thread_.detach(); // blocked in accept or read: the process is ending
  if (!path_.empty())
    unlink(path_.c_str());
}

std::string Monitor::execute(const std::string &line) {
  std::vector<std::string> w = words(line);
  if (w.empty())
    return "";
  const std::string &cmd = w[0];
  auto rest = [&](size_t from) {
    std::string r;
    for (size_t i = from; i < w.size(); i++)
      r += (i > from ? " " : "") + w[i];
    return r;
  };
  if (cmd == "help" || cmd == "?") {
    if (w.size() > 1) {
      std::string out;
      std::istringstream in(kHelp);
      for (std::string l; std::getline(in, l);)
        if (l.rfind(w[1], 0) == 0 || l.find("|" + w[1]) != std::string::npos)
          out += l + "\n";
      return out.empty() ? "unknown command: '" + w[1] + "'\n" : out;
    }
    return kHelp;
  }
  if (cmd == "info") {
    if (w.size() < 2)
      return "info: which? (info registers, cpus, jit, mtree, tlb, status)\n";
    return info(w[1], rest(2));
  }
  if (cmd == "stop") {
    if (!m_.paused())
      m_.pause();
    return "";
  }
  if (cmd == "cont" || cmd == "c") {
    while (m_.paused())
      m_.resume();
    return "";
  }
  if (cmd == "cpu") {
    char *end;
    unsigned long n = w.size() == 2 ? strtoul(w[1].c_str(), &end, 0) : ~0ul;
    if (w.size() != 2 || *end || n >= m_.harts.size())
      return "cpu: no such hart (0-" + std::to_string(m_.harts.size() - 1) + ")\n";
    cpu_ = unsigned(n);
    return "";
  }
  if (cmd == "x" || cmd == "xp") {
    std::string fmt = "/1xw", addr;
    if (w.size() >= 2 && w[1][0] == '/') {
      fmt = w[1];
      addr = rest(2);
    } else {
      addr = rest(1);
    }
    return examine(cmd == "xp", fmt, addr);
  }
  if (cmd == "savevm" || cmd == "loadvm" || cmd == "delvm") {
    if (w.size() != 2)
      return cmd + ": needs a snapshot name\n";
    std::string err = cmd == "savevm"   ? snapshots_.save(w[1])
                      : cmd == "loadvm" ? snapshots_.load(w[1])
                                        : snapshots_.remove(w[1]);
    return err.empty() ? "" : err + "\n";
  }
  if (cmd == "system_reset") {
    m_.requestReset();
    return "";
  }
  if (cmd == "system_powerdown" || cmd == "quit" || cmd == "q") {
    m_.powerOff(0);
    return "";
  }
  return "unknown command: '" + cmd + "' (help lists them)\n";
}

std::string Monitor::info(const std::string &what, const std::string &args) {
  if (what == "snapshots")
    return snapshots_.list();
  if (what == "status")
    return std::string("VM status: ") + (m_.paused() ? "paused" : "running") + "\n";
  if (what == "registers") {
    if (!args.empty() && args != "-a")
      return "info registers: unknown argument '" + args + "' (-a: every hart)\n";
    return infoRegisters(args == "-a");
  }
  if (what == "cpus") {
    std::string out;
    for (auto &h : m_.harts)
      out += std::string(h->id == cpu_ ? "* " : "  ") + "CPU #" +
             std::to_string(h->id) + ": pc=0x" + hex(h->state.pc) + " mode " +
             kPrivName[h->priv()] + "\n";
    return out;
  }
  if (what == "jit") {
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
      return "info jit: out of memory\n";
    m_.printStats(f, m_.uptime());
    fclose(f);
    std::string out(buf, len);
    free(buf);
    return out;
  }
  if (what == "mtree") {
    struct Row {
      uint64_t base, size;
      std::string kind, name;
    };
    std::vector<Row> rows;
    for (const MemoryRegion &r : m_.bus.memories())
      rows.push_back({r.base, r.size, r.writable ? "ram" : "rom", r.name});
    for (const MmioWindow &w : m_.bus.windows())
      rows.push_back({w.base, w.size, "i/o", w.name});
    std::sort(rows.begin(), rows.end(),
              [](const Row &a, const Row &b) { return a.base < b.base; });
    std::string out = "address-space: memory\n";
    for (const Row &r : rows)
      out += "  " + hex(r.base) + "-" + hex(r.base + r.size - 1) + " (" + r.kind +
             "): " + r.name + "\n";
    return out;
  }
  if (what == "tlb") {
    bool pausedHere = !m_.paused();
    if (pausedHere)
      m_.pause();
    std::vector<Hart::TlbView> tlb = m_.harts[cpu_]->tlbEntries();
    if (pausedHere)
      m_.resume();
    std::sort(tlb.begin(), tlb.end(),
              [](const Hart::TlbView &a, const Hart::TlbView &b) { return a.va < b.va; });
    std::string out = "vaddr            paddr            attrs\n";
    for (const Hart::TlbView &e : tlb) {
      std::string attrs;
      const char *bits = "VRWXUGAD";
      for (int i = 0; i < 8; i++)
        attrs += (e.pte >> i & 1) ? bits[i] : '-';
      out += hex(e.va) + " " + hex(e.pa) + " " + attrs + "\n";
    }
    if (tlb.empty())
      out += "(empty: M mode and Bare translations are not cached)\n";
    return out;
  }
  return "info: unknown item '" + what + "' (registers, cpus, jit, mtree, snapshots, tlb, status)\n";
}

std::string Monitor::infoRegisters(bool all) {
  bool pausedHere = !m_.paused();
  if (pausedHere)
    m_.pause();
  std::string out;
  for (auto &hp : m_.harts) {
    Hart &h = *hp;
    if (!all && h.id != cpu_)
      continue;
    if (all)
      out += "CPU#" + std::to_string(h.id) + "\n";
    out += " pc          " + hex(h.state.pc) + "\n";
    out += " priv        " + std::string(1, kPrivName[h.priv()]) + "\n";
    for (unsigned i = 0; i < debug::kRvNumSystemCsrs; i++) {
      uint64_t v;
      if (h.debugReadCsr(debug::kRvSystemCsrs[i].csr, v)) {
        char name[16];
        snprintf(name, sizeof name, " %-11s", debug::kRvSystemCsrs[i].name);
        out += name + hex(v) + "\n";
      }
    }
    for (unsigned i = 0; i < 32; i++) {
      char cell[40];
      snprintf(cell, sizeof cell, " x%-2u/%-4s %s", i, kXNames[i],
               hex(h.state.x[i]).c_str());
      out += cell;
      if (i % 4 == 3)
        out += "\n";
    }
    for (unsigned i = 0; i < 32; i++) {
      char cell[40];
      snprintf(cell, sizeof cell, " f%-2u %s", i, hex(h.state.f[i]).c_str());
      out += cell;
      if (i % 4 == 3)
        out += "\n";
    }
    out += " fcsr        " + hex(h.state.frm << 5 | h.state.fflags, 8) + "\n";
  }
  if (pausedHere)
    m_.resume();
  return out;
}

bool Monitor::parseAddress(const std::string &text, uint64_t &v) {
  if (text.empty())
    return false;
  if (text[0] == '$') {
    std::string r = text.substr(1);
    Hart &h = *m_.harts[cpu_];
    if (r == "pc") {
      v = h.state.pc;
      return true;
    }
    for (unsigned i = 0; i < 32; i++)
      if (r == kXNames[i] || r == "x" + std::to_string(i) || (i == 8 && r == "fp")) {
        v = h.state.x[i];
        return true;
      }
    return false;
  }
  char *end;
  errno = 0;
  v = strtoull(text.c_str(), &end, 0);
  return !*end && errno == 0;
}

std::string Monitor::examine(bool physical, const std::string &fmt,
                             const std::string &addrText) {
  const char *name = physical ? "xp" : "x";
  // [count][format][size] in any order after the count, as qemu takes it.
  size_t at = 1;
  unsigned long count = 1;
  if (at < fmt.size() && isdigit((unsigned char)fmt[at])) {
    char *end;
    count = strtoul(fmt.c_str() + at, &end, 10);
    at = end - fmt.c_str();
  }
  char format = 'x';
  unsigned size = 4;
  bool sizeGiven = false;
  for (; at < fmt.size(); at++) {
    char c = fmt[at];
    if (strchr("xduoci", c)) {
      format = c;
    } else if (strchr("bhwg", c)) {
      size = c == 'b' ? 1 : c == 'h' ? 2 : c == 'w' ? 4 : 8;
      sizeGiven = true;
    } else {
      return std::string(name) + ": bad format '" + fmt +
             "' (count, then x d u o c i, b h w g)\n";
    }
  }
  if (format == 'c' && !sizeGiven)
    size = 1;
  if (count == 0 || count > 4096)
    return std::string(name) + ": count must be 1-4096\n";
  uint64_t addr;
  if (!parseAddress(addrText, addr))
    return std::string(name) + ": bad address '" + addrText + "'\n";

  auto read = [&](uint64_t a, void *dst, size_t n) -> bool {
    if (!physical)
      return m_.harts[cpu_]->debugAccess(a, dst, n, false) == n;
    const MemoryRegion *r = m_.bus.memory(a, n);
    if (!r)
      return false;
    memcpy(dst, r->host + (a - r->base), n);
    return true;
  };

  std::string out;
  if (format == 'i') {
    if (!disasmTried_) {
      disasmTried_ = true;
      disasm_ = jit::createLlvmDisassembler(GuestIsa::Riscv64);
    }
    for (unsigned long i = 0; i < count; i++) {
      uint16_t lo, hi = 0;
      if (!read(addr, &lo, 2))
        return out + "Cannot access memory at 0x" + hex(addr) + "\n";
      unsigned len = (lo & 3) == 3 ? 4 : 2;
      if (len == 4 && !read(addr + 2, &hi, 2))
        return out + "Cannot access memory at 0x" + hex(addr + 2) + "\n";
      uint32_t raw = lo | uint32_t(hi) << 16;
      std::string text = disasm_ ? disasm_->disassemble(addr, raw, len)
                                 : std::string(rv::mnemonic(rv::decode(addr, raw).op));
      out += "0x" + hex(addr) + ":  " + hex(raw, len * 2) + "  " + text + "\n";
      addr += len;
    }
    return out;
  }
  unsigned perLine = std::max(1u, 16u / size);
  for (unsigned long i = 0; i < count; i++) {
    uint64_t v = 0;
    if (!read(addr + i * size, &v, size))
      return out + (i ? "\n" : "") + "Cannot access memory at 0x" +
             hex(addr + i * size) + "\n";
    if (i % perLine == 0)
      out += (i ? "\n" : "") + hex(addr + i * size) + ":";
    char cell[40];
    int64_t sv = size == 8 ? int64_t(v) : int64_t(v << (64 - 8 * size)) >> (64 - 8 * size);
    switch (format) {
    case 'x': snprintf(cell, sizeof cell, " 0x%0*llx", int(size * 2), (unsigned long long)v); break;
    case 'd': snprintf(cell, sizeof cell, " %lld", (long long)sv); break;
    case 'u': snprintf(cell, sizeof cell, " %llu", (unsigned long long)v); break;
    case 'o': snprintf(cell, sizeof cell, " %#llo", (unsigned long long)v); break;
    case 'c':
      snprintf(cell, sizeof cell, isprint(int(v & 0xff)) ? " '%c'" : " '\\x%02x'",
               int(v & 0xff));
      break;
    }
    out += cell;
  }
  return out + "\n";
}

// --- The Unix socket ---------------------------------------------------------

bool Monitor::listen(const std::string &path, std::string &err) {
  listenFd_ = debug::listenUnix(path, err);
  if (listenFd_ < 0) {
    err = "cannot listen for the monitor on " + err;
    return false;
  }
  path_ = path;
  thread_ = std::thread([this] { serve(); });
  return true;
}

void Monitor::serve() {
  for (;;) {
    int c = accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EINTR)
        continue;
      return;
    }
    auto send = [c](const std::string &s) {
      (void)!::send(c, s.data(), s.size(), MSG_NOSIGNAL);
    };
    send(kBanner);
    send(kPrompt);
    std::string line;
    char buf[512];
    for (;;) {
      ssize_t r = read(c, buf, sizeof buf);
      if (r <= 0)
        break;
      bool quit = false;
      for (ssize_t i = 0; i < r; i++) {
        if (buf[i] == '\r')
          continue;
        if (buf[i] != '\n') {
          if (line.size() < 4096)
            line += buf[i];
          continue;
        }
        std::vector<std::string> w = words(line);
        quit = !w.empty() && (w[0] == "quit" || w[0] == "q");
        send(execute(line));
        line.clear();
        if (quit)
          break;
        send(kPrompt);
      }
      if (quit)
        break;
    }
    close(c);
  }
}

} // namespace xlat::sysemu
