#include "debug/gdb_server.h"

#include "debug/listen.h"

#include <algorithm>
#include <chrono>
#include <new>
#include <utility>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace xlat::debug {

namespace {

// gdb's target signal numbers (include/gdb/signals.def) by Linux number.
constexpr int kGdbByLinux[] = {
    0,  1,  2,  3,  4,  5,  6,  10, 8,  9,  30, // 0 .. SIGUSR1
    11, 31, 13, 14, 15, 143, 20, 19, 17, 18,     // SIGSEGV .. SIGTSTP
    21, 22, 16, 24, 25, 26, 27, 28, 23, 32, 12,  // SIGTTIN .. SIGSYS
};
constexpr int kGdbUnknown = 143;
constexpr int kNumClassic = sizeof kGdbByLinux / sizeof kGdbByLinux[0];

int hexDigit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// A hex number at p[at...]; advances `at`. False if there is none.
bool parseHex(const std::string &p, size_t &at, uint64_t &v) {
  size_t start = at;
  v = 0;
  while (at < p.size() && hexDigit(p[at]) >= 0 && at - start < 16)
    v = v << 4 | hexDigit(p[at++]);
  return at > start && (at == p.size() || hexDigit(p[at]) < 0);
}

std::string toHex(const void *data, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; i++) {
    uint8_t b = static_cast<const uint8_t *>(data)[i];
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

bool fromHex(const std::string &s, size_t at, size_t n, std::string &out) {
  if (at > s.size() || n > (s.size() - at) / 2)
    return false;
  out.resize(n);
  for (size_t i = 0; i < n; i++) {
    int hi = hexDigit(s[at + 2 * i]), lo = hexDigit(s[at + 2 * i + 1]);
    if (hi < 0 || lo < 0)
      return false;
    out[i] = char(hi << 4 | lo);
  }
  return true;
}

std::string hexNumber(uint64_t v) {
  char buf[20];
  snprintf(buf, sizeof buf, "%llx", (unsigned long long)v);
  return buf;
}

// Binary data in a reply: '#', '$', '}' and '*' are escaped.
std::string escapeBinary(const std::string &data) {
  std::string out;
  for (char c : data) {
    if (c == '#' || c == '$' || c == '}' || c == '*') {
      out += '}';
      out += char(c ^ 0x20);
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescapeBinary(const std::string &data) {
  std::string out;
  for (size_t i = 0; i < data.size(); i++)
    out += data[i] == '}' && i + 1 < data.size() ? char(data[++i] ^ 0x20) : data[i];
  return out;
}

// A thread id of a packet: -1 (all), 0 (any) or a tid.
bool parseThreadId(const std::string &p, size_t at, int &tid) {
  if (p.compare(at, std::string::npos, "-1") == 0) {
    tid = -1;
    return true;
  }
  uint64_t v;
  if (!parseHex(p, at, v) || at != p.size())
    return false;
  tid = int(v);
  return true;
}

} // namespace

int toGdbSignal(int sig) {
  if (sig >= 0 && sig < kNumClassic)
    return kGdbByLinux[sig];
  if (sig == 32)
    return 76;                       // GDB_SIGNAL_REALTIME_32
  if (sig >= 33 && sig <= 63)
    return 45 + (sig - 33);          // GDB_SIGNAL_REALTIME_33 ...
  if (sig == 64)
    return 77;                       // GDB_SIGNAL_REALTIME_64
  return kGdbUnknown;
}

int fromGdbSignal(int g) {
  for (int sig = 0; sig <= 64; sig++)
    if (toGdbSignal(sig) == g && g != kGdbUnknown)
      return sig;
  return 0;
}

// --- Setting up ------------------------------------------------------------

std::unique_ptr<GdbServer> GdbServer::listen(const std::string &where,
                                             DebugTarget &target,
                                             std::string &err) {
  bool isPort = !where.empty() &&
                std::all_of(where.begin(), where.end(), ::isdigit);
  int fd;
  if (isPort) {
    unsigned long port = strtoul(where.c_str(), nullptr, 10);
    if (where.size() > 5 || port == 0 || port > 65535) {
      err = "gdb port '" + where + "' is not a TCP port (1-65535)";
      return nullptr;
    }
    fd = listenLoopback(unsigned(port), err);
  } else {
    // Gone once gdb has connected (accept()).
    fd = listenUnix(where, err);
  }
  if (fd < 0) {
    err = "cannot listen for gdb on " + err;
    return nullptr;
  }
  auto server = std::unique_ptr<GdbServer>(new GdbServer(fd, target));
  if (!isPort)
    server->socketPath_ = where;
  return server;
}

GdbServer::GdbServer(int listenFd, DebugTarget &target)
    : target_(target), listenFd_(listenFd) {
  wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

GdbServer::~GdbServer() {
  if (thread_.joinable())
    thread_.detach(); // it may be blocked in poll: the process is ending
}

void GdbServer::start(bool startStopped) {
  if (startStopped) {
    active_.store(true, std::memory_order_release);
    stopRequested_.store(true, std::memory_order_release);
  }
  thread_ = std::thread([this] {
    if (accept())
      serve();
  });
}

// Accepts gdb and stops the guest for it: gdb finds it stopped, and asks
// why with '?' (the first thread to park, with SIGTRAP).
bool GdbServer::accept() {
  for (;;) {
    fd_ = accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd_ >= 0 || errno != EINTR)
      break;
  }
  close(listenFd_);
  listenFd_ = -1;
  if (!socketPath_.empty())
    unlink(socketPath_.c_str());
  if (fd_ < 0) {
    fprintf(stderr, "xlat: gdb could not connect: %s; the program runs on\n",
            strerror(errno));
    closeConnection();
    return false;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  active_.store(true, std::memory_order_release);
  stopRequested_.store(true, std::memory_order_release);
  target_.interruptAll();
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::seconds(1), [&] { return !parked_.empty(); });
  waitForParked(lock);
  lastStopTid_ = !parked_.empty() ? *parked_.begin()
                 : !threads_.empty() ? *threads_.begin() : 1;
  gThread_ = cThread_ = lastStopTid_;
  lastStop_ = StopEvent{};
  return true;
}

// --- The runner's side ----------------------------------------------------------

bool GdbServer::isBreakpoint(uint64_t pc) const {
  if (!breakCount_.load(std::memory_order_acquire))
    return false;
  std::lock_guard<std::mutex> lock(mu_);
  return breaks_.count(pc);
}

std::vector<uint64_t> GdbServer::breakpointsIn(uint64_t addr, uint64_t n) const {
  std::vector<uint64_t> out;
  if (!breakCount_.load(std::memory_order_acquire))
    return out;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = breaks_.lower_bound(addr); it != breaks_.end() && *it - addr < n; ++it)
    out.push_back(*it);
  return out;
}

bool GdbServer::watchHit(uint64_t addr, uint64_t n, bool write,
                         StopEvent &ev) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Watch &w : watches_) {
    if (addr >= w.addr + w.len || w.addr >= addr + n)
      continue;
    if ((w.type == 'w' && !write) || (w.type == 'r' && write))
      continue;
    ev.kind = StopEvent::Watch;
    ev.signal = 5;
    ev.watchAddr = std::max(addr, w.addr);
    ev.watchType = w.type;
    return true;
  }
  return false;
}

void GdbServer::wakeParked() {
  std::lock_guard<std::mutex> lock(mu_);
  cv_.notify_all();
}

ResumeAction GdbServer::park(int tid, const StopEvent *ev,
                             const std::atomic<bool> *abandon) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!active_.load(std::memory_order_relaxed))
    return {};
  if (ev) {
    events_.emplace_back(tid, *ev);
    stopRequested_.store(true, std::memory_order_release);
    uint64_t one = 1;
    (void)!write(wakeFd_, &one, sizeof one);
  }
  // The stop may have ended between the caller's look and here.
  if (!ev && !stopRequested_.load(std::memory_order_relaxed)) {
    auto it = actions_.find(tid);
    return it == actions_.end() || it->second.kind == ResumeAction::Stay
               ? ResumeAction{}
               : it->second;
  }
  parked_.insert(tid);
  cv_.notify_all();
  for (;;) {
    uint64_t gen = resumeGen_;
    cv_.wait(lock, [&] {
      return resumeGen_ != gen || !active_.load(std::memory_order_relaxed) ||
             (abandon && abandon->load());
    });
    if (resumeGen_ == gen || !active_.load(std::memory_order_relaxed))
      break; // abandoned, or gdb is gone: go on
    auto it = actions_.find(tid);
    if (it != actions_.end() && it->second.kind == ResumeAction::Stay)
      continue; // resumed others only
    parked_.erase(tid);
    return it == actions_.end() ? ResumeAction{} : it->second;
  }
  parked_.erase(tid);
  return {};
}

void GdbServer::threadStarted(int tid) {
  std::lock_guard<std::mutex> lock(mu_);
  threads_.insert(tid);
}

void GdbServer::threadExited(int tid) {
  std::lock_guard<std::mutex> lock(mu_);
  threads_.erase(tid);
  parked_.erase(tid);
  cv_.notify_all();
}

bool GdbServer::forgetInChild() {
  // No lock: the child has only the forking thread, and mu_ may have
  // been held by another thread of the parent at the fork.
  new (&mu_) std::mutex;
  new (&sendMu_) std::mutex;
  new (&cv_) std::condition_variable;
  bool had = !breaks_.empty();
  breaks_.clear();
  watches_.clear();
  breakCount_.store(0);
  watchCount_.store(0);
  active_.store(false);
  stopRequested_.store(false);
  if (fd_ >= 0)
    close(fd_);
  fd_ = -1;
  new (&thread_) std::thread(); // the parent's server thread is not here
  return had;
}

void GdbServer::processExited(bool bySignal, int code) {
  if (!active_.load(std::memory_order_acquire))
    return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    exited_ = true;
  }
  {
    std::lock_guard<std::mutex> lock(sendMu_);
    if (fd_ < 0)
      return; // the connection is already gone
  }
  char reply[8];
  snprintf(reply, sizeof reply, "%c%02x", bySignal ? 'X' : 'W',
           (bySignal ? toGdbSignal(code) : code) & 0xff);
  sendPacket(reply);
  // Let gdb read the reply before the connection goes: closing with its
  // acknowledgement unread would reset the connection.
  shutdown(fd_, SHUT_WR);
  pollfd p{fd_, POLLIN, 0};
  char buf[256];
  while (poll(&p, 1, 200) > 0 && read(fd_, buf, sizeof buf) > 0) {
  }
  std::lock_guard<std::mutex> lock(mu_);
  active_.store(false, std::memory_order_release);
  ++resumeGen_;
  cv_.notify_all();
}

// --- The connection ----------------------------------------------------------

void GdbServer::sendRaw(const std::string &bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t r = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return;
    done += size_t(r);
  }
}

void GdbServer::sendPacket(const std::string &body) {
  uint8_t sum = 0;
  for (char c : body)
    sum += uint8_t(c);
  char tail[4];
  snprintf(tail, sizeof tail, "#%02x", sum);
  std::lock_guard<std::mutex> lock(sendMu_);
  if (fd_ < 0)
    return;
  // Without no-ack mode gdb acknowledges; a '-' (resend) is rare on a
  // reliable stream and answered by gdb's own retry, so acks are read
  // and dropped with the next packet.
  sendRaw("$" + body + tail);
}

// Reads one packet (acknowledging it) or a Ctrl-C byte. False when the
// connection is gone.
bool GdbServer::readPacket(std::string &out, bool &interrupt) {
  interrupt = false;
  out.clear();
  enum { Idle, Body, Sum1, Sum2 } st = Idle;
  uint8_t sum = 0;
  int given = 0;
  for (;;) {
    if (inAt_ == inLen_) {
      ssize_t r = read(fd_, in_, sizeof in_);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        return false;
      inAt_ = 0;
      inLen_ = size_t(r);
    }
    char c = in_[inAt_++];
    switch (st) {
    case Idle:
      if (c == '\x03') {
        interrupt = true;
        return true;
      }
      if (c == '$') {
        st = Body;
        sum = 0;
        out.clear();
      }
      break; // acks and noise between packets
    case Body:
      if (c == '#') {
        st = Sum1;
      } else {
        sum += uint8_t(c);
        out += c;
        if (out.size() > (1u << 20))
          return false; // not gdb
      }
      break;
    case Sum1:
      given = hexDigit(c) << 4;
      st = Sum2;
      break;
    case Sum2:
      given |= hexDigit(c);
      if (noAck_)
        return true;
      if (given == sum) {
        sendRaw("+");
        return true;
      }
      sendRaw("-");
      st = Idle;
      break;
    }
  }
}

void GdbServer::serve() {
  for (;;) {
    bool running;
    {
      std::unique_lock<std::mutex> lock(mu_);
      running = running_;
      if (running && !events_.empty()) {
        lock.unlock();
        target_.interruptAll();
        lock.lock();
        waitForParked(lock);
        running_ = false;
        lock.unlock();
        reportStop();
        continue;
      }
    }
    if (running && inAt_ == inLen_) {
      pollfd p[2] = {{fd_, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
      if (poll(p, 2, -1) < 0 && errno != EINTR)
        break;
      if (p[1].revents & POLLIN) {
        uint64_t v;
        (void)!read(wakeFd_, &v, sizeof v);
      }
      if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
    }
    std::string packet;
    bool interrupt;
    if (!readPacket(packet, interrupt))
      break;
    if (interrupt) {
      if (running)
        requestStop();
      continue;
    }
    if (running)
      continue; // all-stop: gdb sends nothing else while the guest runs
    if (handle(packet)) {
      std::lock_guard<std::mutex> lock(mu_);
      running_ = true;
    }
  }
  closeConnection();
}

// gdb's Ctrl-C: every thread parks; the first to do so is reported with
// SIGINT (or, if none comes within the wait, the first thread: it is then
// in a system call, with its registers exact).
void GdbServer::requestStop() {
  stopRequested_.store(true, std::memory_order_release);
  target_.interruptAll();
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(200),
               [&] { return !parked_.empty() || !events_.empty(); });
  if (events_.empty()) {
    int tid = !parked_.empty() ? *parked_.begin()
              : !threads_.empty() ? *threads_.begin() : 0;
    StopEvent ev;
    ev.signal = 2; // SIGINT
    events_.emplace_back(tid, ev);
  }
}

// Waits (briefly) for every thread to park. A thread in a blocking system
// call does not; its registers are exact and it parks when it returns.
bool GdbServer::waitForParked(std::unique_lock<std::mutex> &lock) {
  return cv_.wait_for(lock, std::chrono::milliseconds(200), [&] {
    return std::includes(parked_.begin(), parked_.end(), threads_.begin(),
                         threads_.end());
  });
}

void GdbServer::reportStop() {
  std::pair<int, StopEvent> e;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (events_.empty())
      return;
    e = events_.front();
    events_.pop_front();
    lastStopTid_ = gThread_ = cThread_ = e.first;
    lastStop_ = e.second;
  }
  sendPacket(stopReply(e.first, e.second));
}

std::string GdbServer::stopReply(int tid, const StopEvent &ev) {
  char head[8];
  snprintf(head, sizeof head, "T%02x", toGdbSignal(ev.signal));
  std::string r = head;
  if (ev.kind == StopEvent::Watch)
    r += std::string(ev.watchType == 'w' ? "watch" : ev.watchType == 'r' ? "rwatch"
                                                                         : "awatch") +
         ":" + hexNumber(ev.watchAddr) + ";";
  else if (ev.kind == StopEvent::SoftwareBreak)
    r += "swbreak:;";
  return r + "thread:" + hexNumber(tid) + ";";
}

// The connection is gone (or gdb detached): breakpoints go, and the
// guest runs on undebugged.
void GdbServer::closeConnection() {
  std::vector<uint64_t> gone;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!exited_ && !detached_ && fd_ >= 0)
      fprintf(stderr, "xlat: gdb disconnected; the program runs on\n");
    gone.assign(breaks_.begin(), breaks_.end());
    breaks_.clear();
    watches_.clear();
    breakCount_.store(0);
    watchCount_.store(0);
  }
  if (!gone.empty() && !exited_)
    target_.codeChanged(gone);
  std::lock_guard<std::mutex> lock(mu_);
  active_.store(false, std::memory_order_release);
  stopRequested_.store(false, std::memory_order_release);
  actions_.clear();
  events_.clear();
  ++resumeGen_;
  cv_.notify_all();
  std::lock_guard<std::mutex> send(sendMu_);
  if (fd_ >= 0 && !exited_) {
    close(fd_);
    fd_ = -1;
  }
}

// --- ThreadDebug ---------------------------------------------------------------

bool ThreadDebug::atSafePoint(GdbServer &gdb, int tid, uint64_t pc,
                              const std::atomic<bool> *abandon) {
  std::optional<StopEvent> ev = std::exchange(stop, std::nullopt);
  if (!ev && stepped && action.kind == ResumeAction::Step)
    ev = StopEvent{}; // the step is done: SIGTRAP
  stepped = false;
  if (!ev && !gdb.stopRequested())
    return false;
  if (ev && ev->kind == StopEvent::SoftwareBreak)
    stepOverPc = pc;
  action = gdb.park(tid, ev ? &*ev : nullptr, abandon);
  return true;
}

bool ThreadDebug::beforeStep(const GdbServer &gdb, uint64_t pc,
                             uint64_t addr, unsigned size, bool read,
                             bool write) {
  if (pc != stepOverPc && gdb.isBreakpoint(pc)) {
    // Run up to a breakpoint an instruction at a time: it stops there.
    StopEvent ev;
    ev.kind = StopEvent::SoftwareBreak;
    stop = ev;
    return false;
  }
  stepOverPc = ~0ull;
  stepped = true;
  StopEvent watch;
  if (size && gdb.watching() &&
      ((write && gdb.watchHit(addr, size, true, watch)) ||
       (read && gdb.watchHit(addr, size, false, watch))))
    stop = watch; // reported after the access, as gdb expects
  return true;
}

void ThreadDebug::report(GdbServer &gdb, int tid, const StopEvent &ev,
                         uint64_t pc, const std::atomic<bool> *abandon) {
  if (ev.kind == StopEvent::SoftwareBreak)
    stepOverPc = pc;
  stepped = false;
  stop.reset();
  action = gdb.park(tid, &ev, abandon);
}

void GdbServer::resumeAll(const std::map<int, ResumeAction> &actions,
                          const ResumeAction &others) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!events_.empty())
    return; // another thread stopped meanwhile: reported at once, nothing runs
  actions_.clear();
  for (int tid : threads_) {
    auto it = actions.find(tid);
    actions_[tid] = it != actions.end() ? it->second : others;
  }
  stopRequested_.store(false, std::memory_order_release);
  ++resumeGen_;
  cv_.notify_all();
}

// --- Packets ---------------------------------------------------------------

bool GdbServer::handle(const std::string &p) {
  if (p.empty()) {
    sendPacket("");
    return false;
  }
  std::string reply;
  switch (p[0]) {
  case '?':
    reply = stopReply(lastStopTid_, lastStop_);
    break;
  case 'q':
  case 'Q':
    if (p == "QStartNoAckMode") {
      sendPacket("OK");
      noAck_ = true;
      return false;
    }
    reply = handleQuery(p);
    break;
  case 'H': {
    int tid;
    if (p.size() < 2 || !parseThreadId(p, 2, tid)) {
      reply = "E01";
      break;
    }
    if (tid <= 0)
      tid = lastStopTid_;
    (p[1] == 'g' ? gThread_ : cThread_) = tid;
    reply = "OK";
    break;
  }
  case 'T': {
    int tid;
    std::lock_guard<std::mutex> lock(mu_);
    reply = parseThreadId(p, 1, tid) && threads_.count(tid) ? "OK" : "E01";
    break;
  }
  case 'g':
    for (unsigned n = 0;; n++) {
      std::string r = target_.readRegister(gThread_, n);
      if (r.empty())
        break;
      reply += toHex(r.data(), r.size());
    }
    break;
  case 'G': {
    size_t at = 1;
    reply = "OK";
    for (unsigned n = 0; at < p.size(); n++) {
      std::string cur = target_.readRegister(gThread_, n), v;
      if (cur.empty() || !fromHex(p, at, cur.size(), v) ||
          !target_.writeRegister(gThread_, n, v)) {
        reply = "E01";
        break;
      }
      at += 2 * cur.size();
    }
    break;
  }
  case 'p': {
    size_t at = 1;
    uint64_t n;
    std::string r;
    if (parseHex(p, at, n) && at == p.size())
      r = target_.readRegister(gThread_, unsigned(n));
    reply = r.empty() ? "E01" : toHex(r.data(), r.size());
    break;
  }
  case 'P': {
    size_t at = 1;
    uint64_t n;
    std::string v;
    reply = "E01";
    if (parseHex(p, at, n) && at < p.size() && p[at] == '=') {
      std::string cur = target_.readRegister(gThread_, unsigned(n));
      if (!cur.empty() && p.size() - at - 1 == 2 * cur.size() &&
          fromHex(p, at + 1, cur.size(), v) &&
          target_.writeRegister(gThread_, unsigned(n), v))
        reply = "OK";
    }
    break;
  }
  case 'm': {
    size_t at = 1;
    uint64_t addr, len;
    if (!parseHex(p, at, addr) || at >= p.size() || p[at] != ',' ||
        !parseHex(p, ++at, len) || at != p.size()) {
      reply = "E01";
      break;
    }
    std::string buf(std::min<uint64_t>(len, 0x2000), '\0');
    size_t got = target_.readMemory(gThread_, addr, buf.data(), buf.size());
    reply = got || !len ? toHex(buf.data(), got) : "E14";
    break;
  }
  case 'M':
  case 'X': {
    size_t at = 1, colon = p.find(':');
    uint64_t addr, len;
    std::string data;
    if (colon == std::string::npos || !parseHex(p, at, addr) || p[at] != ',' ||
        !parseHex(p, ++at, len) || at != colon) {
      reply = "E01";
      break;
    }
    if (p[0] == 'M') {
      if (!fromHex(p, colon + 1, len, data)) {
        reply = "E01";
        break;
      }
    } else {
      data = unescapeBinary(p.substr(colon + 1));
      if (data.size() != len) {
        reply = "E01";
        break;
      }
    }
    reply = !len || target_.writeMemory(gThread_, addr, data.data(), len) == len
                ? "OK"
                : "E14";
    break;
  }
  case 'Z':
  case 'z':
    reply = setPoint(p, p[0] == 'Z');
    break;
  case 'c':
  case 'C':
  case 's':
  case 'S': {
    // Resuming at another address is not supported (gdb does not ask).
    ResumeAction a;
    a.kind = p[0] == 's' || p[0] == 'S' ? ResumeAction::Step : ResumeAction::Continue;
    if (p[0] == 'C' || p[0] == 'S') {
      size_t at = 1;
      uint64_t sig;
      if (!parseHex(p, at, sig)) {
        sendPacket("E01");
        return false;
      }
      a.signal = fromGdbSignal(int(sig));
    }
    std::map<int, ResumeAction> one{{cThread_ > 0 ? cThread_ : lastStopTid_, a}};
    resumeAll(one, ResumeAction{});
    return true;
  }
  case 'v': {
    bool resumed = false;
    reply = handleVCont(p, resumed);
    if (resumed || reply == std::string(1, '\0'))
      return resumed;
    break;
  }
  case 'k':
    target_.kill();
    [[fallthrough]];
  case 'D':
    sendPacket("OK");
    detached_ = true;
    shutdown(fd_, SHUT_RDWR); // serve() sees the end and lets the guest go
    return false;
  default:
    break; // unsupported: the empty reply
  }
  sendPacket(reply);
  return false;
}

std::string GdbServer::handleQuery(const std::string &p) {
  if (p.rfind("qSupported", 0) == 0)
    return "PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;"
           "vContSupported+;swbreak+;hwbreak+";
  if (p == "qAttached")
    return "1";
  if (p == "qC")
    return "QC" + hexNumber(lastStopTid_);
  if (p == "qfThreadInfo") {
    std::string r = "m";
    for (int tid : target_.threads())
      r += hexNumber(tid) + ",";
    r.pop_back();
    return r;
  }
  if (p == "qsThreadInfo")
    return "l";
  if (p.rfind("qSymbol", 0) == 0)
    return "OK";
  const std::string xfer = "qXfer:features:read:";
  if (p.rfind(xfer, 0) == 0) {
    size_t colon = p.find(':', xfer.size());
    if (colon == std::string::npos)
      return "E01";
    std::string annex = p.substr(xfer.size(), colon - xfer.size());
    size_t at = colon + 1;
    uint64_t off, len;
    if (!parseHex(p, at, off) || at >= p.size() || p[at] != ',' ||
        !parseHex(p, ++at, len))
      return "E01";
    std::string xml = target_.targetXml(annex);
    if (xml.empty())
      return "E00";
    if (off >= xml.size())
      return "l";
    std::string part = xml.substr(off, len);
    return (off + part.size() < xml.size() ? "m" : "l") + escapeBinary(part);
  }
  return "";
}

// vCont;ACTION[:TID][;ACTION[:TID]]...: each thread takes the first
// action that names it or names no thread.
std::string GdbServer::handleVCont(const std::string &p, bool &resumed) {
  if (p == "vCont?")
    return "vCont;c;C;s;S";
  if (p == "vMustReplyEmpty")
    return "";
  if (p.rfind("vKill", 0) == 0) {
    target_.kill();
    sendPacket("OK");
    detached_ = true;
    shutdown(fd_, SHUT_RDWR); // serve() sees the end and lets the guest go
    resumed = false;
    return std::string(1, '\0'); // replied
  }
  if (p.rfind("vCont;", 0) != 0)
    return "";
  std::map<int, ResumeAction> actions;
  ResumeAction others;
  bool othersSet = false;
  size_t at = 5;
  while (at < p.size() && p[at] == ';') {
    size_t end = p.find(';', at + 1);
    std::string item = p.substr(at + 1, end == std::string::npos ? std::string::npos
                                                                 : end - at - 1);
    at = end == std::string::npos ? p.size() : end;
    if (item.empty())
      return "E01";
    ResumeAction a;
    char k = item[0];
    if (k != 'c' && k != 'C' && k != 's' && k != 'S')
      return "E01"; // t, r: not supported
    a.kind = k == 's' || k == 'S' ? ResumeAction::Step : ResumeAction::Continue;
    size_t pos = 1;
    if (k == 'C' || k == 'S') {
      uint64_t sig;
      if (!parseHex(item, pos, sig) && !(pos < item.size() && item[pos] == ':'))
        return "E01";
      a.signal = fromGdbSignal(int(sig));
    }
    if (pos < item.size() && item[pos] == ':') {
      int tid;
      if (!parseThreadId(item, pos + 1, tid))
        return "E01";
      if (tid > 0) {
        actions.emplace(tid, a);
        continue;
      }
    }
    if (!othersSet) {
      others = a;
      othersSet = true;
    }
  }
  if (!othersSet)
    others.kind = ResumeAction::Stay; // threads not named stay stopped
  resumeAll(actions, others);
  resumed = true;
  return "";
}

// Z/z TYPE,ADDR,KIND: 0 and 1 breakpoints (the same here), 2 write,
// 3 read, 4 access watchpoints.
std::string GdbServer::setPoint(const std::string &p, bool insert) {
  size_t at = 1;
  uint64_t type, addr, kind;
  if (!parseHex(p, at, type) || p[at] != ',' || !parseHex(p, ++at, addr) ||
      at >= p.size() || p[at] != ',')
    return "E01";
  ++at;
  size_t semi = p.find(';', at);
  std::string kindText = p.substr(at, semi == std::string::npos ? std::string::npos : semi - at);
  size_t kat = 0;
  if (!parseHex(kindText, kat, kind))
    return "E01";
  if (type > 4)
    return "";
  std::vector<uint64_t> changed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (type <= 1) {
      bool had = breaks_.count(addr);
      if (insert && !had) {
        breaks_.insert(addr);
        changed.push_back(addr);
      } else if (!insert && had) {
        breaks_.erase(addr);
        changed.push_back(addr);
      }
      breakCount_.store(uint32_t(breaks_.size()), std::memory_order_release);
    } else {
      if (kind == 0)
        return "E01";
      char t = type == 2 ? 'w' : type == 3 ? 'r' : 'a';
      auto same = [&](const Watch &w) {
        return w.addr == addr && w.len == kind && w.type == t;
      };
      if (insert)
        watches_.push_back({addr, kind, t});
      else if (auto it = std::find_if(watches_.begin(), watches_.end(), same);
               it != watches_.end())
        watches_.erase(it);
      watchCount_.store(uint32_t(watches_.size()), std::memory_order_release);
    }
  }
  if (!changed.empty())
    target_.codeChanged(changed);
  return "OK";
}

} // namespace xlat::debug
