#include "sysemu/devices/net.h"

#include <slirp/libslirp.h>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace xlat::sysemu {

namespace {

constexpr uint64_t kNetFMac = 1ull << 5;
constexpr size_t kMaxBacklog = 256; // frames waiting for receive buffers

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// "tcp:[HOST]:PORT-[GUEST]:PORT" (also udp:, and no protocol: tcp).
bool parseForward(std::string s, HostForward &f) {
  if (s.rfind("tcp:", 0) == 0) {
    s = s.substr(4);
  } else if (s.rfind("udp:", 0) == 0) {
    f.udp = true;
    s = s.substr(4);
  }
  size_t dash = s.find('-');
  if (dash == std::string::npos)
    return false;
  auto hostPort = [](const std::string &part, std::string &addr, int &port,
                     bool guest) {
    size_t colon = part.rfind(':');
    if (colon == std::string::npos)
      return false;
    if (colon > 0)
      addr = part.substr(0, colon);
    else if (!guest)
      addr = "127.0.0.1";
    char *end;
    long p = strtol(part.c_str() + colon + 1, &end, 10);
    in_addr a;
    if (*end || p <= 0 || p > 65535 || inet_pton(AF_INET, addr.c_str(), &a) != 1)
      return false;
    port = int(p);
    return true;
  };
  return hostPort(s.substr(0, dash), f.hostAddr, f.hostPort, false) &&
         hostPort(s.substr(dash + 1), f.guestAddr, f.guestPort, true);
}

} // namespace

bool parseUserNetdev(const std::string &spec, UserNetConfig &out, std::string &err) {
  std::vector<std::string> items;
  for (size_t at = 0;;) {
    size_t comma = spec.find(',', at);
    items.push_back(spec.substr(at, comma - at));
    if (comma == std::string::npos)
      break;
    at = comma + 1;
  }
  if (items[0] != "user") {
    err = "-netdev: unsupported backend '" + items[0] + "' (user)";
    return false;
  }
  for (size_t i = 1; i < items.size(); i++) {
    const std::string &it = items[i];
    if (it.rfind("id=", 0) == 0) {
      out.id = it.substr(3);
    } else if (it.rfind("hostfwd=", 0) == 0) {
      HostForward f;
      if (!parseForward(it.substr(8), f)) {
        err = "-netdev: bad hostfwd '" + it.substr(8) +
              "' (tcp:[HOSTADDR]:PORT-[GUESTADDR]:PORT)";
        return false;
      }
      out.forwards.push_back(f);
    } else {
      err = "-netdev user: unsupported option '" + it + "' (id, hostfwd)";
      return false;
    }
  }
  if (out.id.empty()) {
    err = "-netdev user: needs id=ID";
    return false;
  }
  return true;
}

// libslirp's callbacks, into the device (the network thread runs all of
// libslirp: it is not thread-safe).
struct SlirpGlue {
  static VirtioNet &net(void *o) { return *static_cast<VirtioNet *>(o); }
  static ssize_t sendPacket(const void *buf, size_t len, void *o) {
    net(o).toGuest(static_cast<const uint8_t *>(buf), len);
    return ssize_t(len);
  }
  static void guestError(const char *msg, void *) {
    fprintf(stderr, "xlat-system: network: %s\n", msg);
  }
  static int64_t clockNs(void *) { return nowNs(); }
  static void *timerNew(SlirpTimerCb cb, void *cbOpaque, void *o) {
    auto t = std::make_unique<VirtioNet::Timer>();
    t->cb = cb;
    t->opaque = cbOpaque;
    void *p = t.get();
    net(o).timers_.push_back(std::move(t));
    return p;
  }
  static void timerFree(void *timer, void *o) {
    auto &ts = net(o).timers_;
    for (auto it = ts.begin(); it != ts.end(); ++it)
      if (it->get() == timer) {
        ts.erase(it);
        return;
      }
  }
  static void timerMod(void *timer, int64_t expireMs, void *) {
    static_cast<VirtioNet::Timer *>(timer)->expireMs = expireMs;
  }
  static void registerPollFd(int, void *) {}
  static void unregisterPollFd(int, void *) {}
  static void notify(void *o) { net(o).wake(); }
  static int addPoll(int fd, int events, void *o) {
    short ev = 0;
    if (events & SLIRP_POLL_IN)
      ev |= POLLIN;
    if (events & SLIRP_POLL_OUT)
      ev |= POLLOUT;
    if (events & SLIRP_POLL_PRI)
      ev |= POLLPRI;
    net(o).polls_.push_back({fd, ev, 0});
    return int(net(o).polls_.size() - 1);
  }
  static int revents(int idx, void *o) {
    short r = net(o).polls_[size_t(idx)].revents;
    int out = 0;
    if (r & POLLIN)
      out |= SLIRP_POLL_IN;
    if (r & POLLOUT)
      out |= SLIRP_POLL_OUT;
    if (r & POLLPRI)
      out |= SLIRP_POLL_PRI;
    if (r & POLLERR)
      out |= SLIRP_POLL_ERR;
    if (r & POLLHUP)
      out |= SLIRP_POLL_HUP;
    return out;
  }
};

VirtioNet::VirtioNet(const UserNetConfig &cfg, std::array<uint8_t, 6> mac)
    : cfg_(cfg), mac_(mac) {
  wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

void VirtioNet::stop() {
  quit_.store(true);
  wake();
  if (thread_.joinable())
    thread_.join();
}

void VirtioNet::reset() {
  std::lock_guard<std::mutex> lk(mu_);
  rx_.clear();
}

VirtioNet::~VirtioNet() {
  stop();
  if (slirp_)
    slirp_cleanup(slirp_);
  if (wakeFd_ >= 0)
    close(wakeFd_);
}

bool VirtioNet::start(std::string &err) {
  static const SlirpCb callbacks = {
      SlirpGlue::sendPacket,     SlirpGlue::guestError,   SlirpGlue::clockNs,
      SlirpGlue::timerNew,       SlirpGlue::timerFree,    SlirpGlue::timerMod,
      SlirpGlue::registerPollFd, SlirpGlue::unregisterPollFd, SlirpGlue::notify,
      nullptr,                   nullptr,
  };
  SlirpConfig c{};
  c.version = 1;
  c.in_enabled = true;
  inet_pton(AF_INET, "10.0.2.0", &c.vnetwork);
  inet_pton(AF_INET, "255.255.255.0", &c.vnetmask);
  inet_pton(AF_INET, "10.0.2.2", &c.vhost);
  inet_pton(AF_INET, "10.0.2.15", &c.vdhcp_start);
  inet_pton(AF_INET, "10.0.2.3", &c.vnameserver);
  c.vhostname = "xlat";
  slirp_ = slirp_new(&c, &callbacks, this);
  if (!slirp_) {
    err = "-netdev user: libslirp could not start";
    return false;
  }
  for (const HostForward &f : cfg_.forwards) {
    in_addr host, guest;
    inet_pton(AF_INET, f.hostAddr.c_str(), &host);
    inet_pton(AF_INET, f.guestAddr.c_str(), &guest);
    if (slirp_add_hostfwd(slirp_, f.udp, host, f.hostPort, guest, f.guestPort) < 0) {
      err = "-netdev user: cannot forward " + f.hostAddr + ":" +
            std::to_string(f.hostPort) + " (in use?)";
      return false;
    }
  }
  thread_ = std::thread([this] { loop(); });
  return true;
}

uint64_t VirtioNet::features() const { return kNetFMac; }

uint8_t VirtioNet::configByte(uint64_t off) const {
  return off < 6 ? mac_[off] : 0;
}

// The transmit queue, on the notifying hart's thread: the frame goes to
// the network thread (libslirp may answer at once, into the receive
// queue, whose transport lock this thread holds).
uint32_t VirtioNet::serve(unsigned queue, const std::vector<VirtioBuffer> &chain) {
  if (queue != kTx)
    return 0;
  std::vector<uint8_t> frame;
  size_t skip = kHeader;
  for (const VirtioBuffer &b : chain) {
    if (b.deviceWritable)
      continue;
    size_t from = std::min<size_t>(skip, b.len);
    skip -= from;
    frame.insert(frame.end(), b.data + from, b.data + b.len);
  }
  if (!frame.empty()) {
    std::lock_guard<std::mutex> lk(mu_);
    tx_.push_back(std::move(frame));
  }
  wake();
  return 0;
}

void VirtioNet::buffersAdded(unsigned) { wake(); }

void VirtioNet::wake() {
  uint64_t one = 1;
  (void)!write(wakeFd_, &one, sizeof one);
}

void VirtioNet::toGuest(const uint8_t *frame, size_t n) {
  std::vector<uint8_t> buf(kHeader + n, 0);
  buf[10] = 1; // num_buffers
  memcpy(buf.data() + kHeader, frame, n);
  std::lock_guard<std::mutex> lk(mu_);
  if (rx_.size() < kMaxBacklog)
    rx_.push_back(std::move(buf)); // else dropped, as a full NIC would
}

void VirtioNet::flushBacklog() {
  std::unique_lock<std::mutex> lk(mu_);
  while (!rx_.empty() && transport_) {
    std::vector<uint8_t> f = std::move(rx_.front());
    rx_.pop_front();
    lk.unlock();
    bool taken = transport_->deliver(kRx, f.data(), f.size());
    lk.lock();
    if (!taken) {
      rx_.push_front(std::move(f)); // no buffer yet: buffersAdded wakes us
      break;
    }
  }
}

void VirtioNet::loop() {
  while (!quit_.load()) {
    polls_.clear();
    polls_.push_back({wakeFd_, POLLIN, 0});
    uint32_t timeout = 1000;
    slirp_pollfds_fill(slirp_, &timeout, SlirpGlue::addPoll, this);
    int64_t now = nowNs() / 1000000;
    for (const auto &t : timers_)
      if (t->expireMs >= 0)
        timeout = uint32_t(std::min<int64_t>(timeout, std::max<int64_t>(0, t->expireMs - now)));
    int r = poll(polls_.data(), polls_.size(), int(timeout));
    if (polls_[0].revents & POLLIN) {
      uint64_t v;
      (void)!read(wakeFd_, &v, sizeof v);
    }
    std::deque<std::vector<uint8_t>> tx;
    {
      std::lock_guard<std::mutex> lk(mu_);
      tx.swap(tx_);
    }
    for (const auto &f : tx)
      slirp_input(slirp_, f.data(), int(f.size()));
    slirp_pollfds_poll(slirp_, r < 0, SlirpGlue::revents, this);
    now = nowNs() / 1000000;
    for (size_t i = 0; i < timers_.size(); i++) {
      Timer *t = timers_[i].get();
      if (t->expireMs >= 0 && t->expireMs <= now) {
        t->expireMs = -1;
        t->cb(t->opaque);
      }
    }
    flushBacklog();
  }
}

} // namespace xlat::sysemu
