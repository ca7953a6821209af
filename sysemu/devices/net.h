// virtio-net on qemu's "user" network: the guest's Ethernet frames go to
// libslirp (Debian's libslirp-dev), which plays a NAT router, DHCP and DNS
// server at 10.0.2.2/.3 and turns the guest's TCP and UDP into host
// sockets; hostfwd rules forward host ports to the guest.
// (-netdev user,id=ID[,hostfwd=tcp:[HOST]:PORT-[GUEST]:PORT]...
//  -device virtio-net-device,netdev=ID[,mac=52:54:00:12:34:56])
#pragma once

#include "sysemu/devices/virtio.h"

#include <array>
#include <poll.h>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct Slirp;

namespace xlat::sysemu {

struct HostForward {
  bool udp = false;
  std::string hostAddr = "127.0.0.1"; // only the loopback interface by default
  int hostPort = 0;
  std::string guestAddr = "10.0.2.15";
  int guestPort = 0;
};

// -netdev user,...: parsed; false with err.
struct UserNetConfig {
  std::string id;
  std::vector<HostForward> forwards;
};
bool parseUserNetdev(const std::string &spec, UserNetConfig &out, std::string &err);

class VirtioNet final : public VirtioDevice {
public:
  VirtioNet(const UserNetConfig &cfg, std::array<uint8_t, 6> mac);
  ~VirtioNet() override;
  // Starts libslirp and its thread; false with err (a port to forward
  // that is taken, say).
  bool start(std::string &err);
  // Stops the network thread (before guest RAM goes away).
  void stop();
  void reset() override;

  uint32_t deviceId() const override { return 1; }
  uint64_t features() const override;
  unsigned queues() const override { return 2; } // receive, transmit
  uint8_t configByte(uint64_t off) const override;
  uint32_t serve(unsigned queue, const std::vector<VirtioBuffer> &chain) override;
  bool servesOnNotify(unsigned queue) const override { return queue != kRx; }
  void buffersAdded(unsigned queue) override;
  void attach(VirtioMmio &t) override { transport_ = &t; }

private:
  static constexpr unsigned kRx = 0, kTx = 1;
  static constexpr size_t kHeader = 12; // virtio_net_hdr with num_buffers
  void loop();
  void wake();
  // From libslirp, on the network thread: a frame for the guest.
  void toGuest(const uint8_t *frame, size_t n);
  void flushBacklog();

  UserNetConfig cfg_;
  std::array<uint8_t, 6> mac_;
  VirtioMmio *transport_ = nullptr;
  Slirp *slirp_ = nullptr;
  std::thread thread_;
  std::atomic<bool> quit_{false};
  int wakeFd_ = -1;
  std::mutex mu_;                        // the queues below
  std::deque<std::vector<uint8_t>> tx_;  // frames from the guest
  std::deque<std::vector<uint8_t>> rx_;  // frames waiting for a buffer
  // libslirp's poll set and timers (the network thread's only).
  struct Timer {
    void (*cb)(void *);
    void *opaque;
    int64_t expireMs = -1;
  };
  std::vector<std::unique_ptr<Timer>> timers_;
  std::vector<pollfd> polls_;
  friend struct SlirpGlue;
};

} // namespace xlat::sysemu
