#include "jit/host_pc_map.h"

namespace xlat::jit {

HostPcMap &HostPcMap::instance() {
  static HostPcMap *map = new HostPcMap; // never destroyed: exit races
  return *map;
}

void HostPcMap::addRange(uint64_t hostStart, uint64_t hostEnd,
                         uint64_t guestPc) {
  std::lock_guard<std::mutex> lock(mu_);
  map_[hostStart] = {hostEnd, guestPc};
}

void HostPcMap::addExact(
    const std::vector<std::pair<uint64_t, uint64_t>> &entries) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto [host, guest] : entries)
    map_[host] = {host + 1, guest};
}

void HostPcMap::removeRange(uint64_t hostStart, uint64_t hostEnd) {
  std::lock_guard<std::mutex> lock(mu_);
  map_.erase(map_.lower_bound(hostStart), map_.lower_bound(hostEnd));
}

bool HostPcMap::lookup(uint64_t hostPc, uint64_t &guestPc) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.upper_bound(hostPc);
  if (it == map_.begin())
    return false;
  --it;
  if (hostPc >= it->second.end)
    return false;
  guestPc = it->second.guestPc;
  return true;
}

size_t HostPcMap::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return map_.size();
}

} // namespace xlat::jit
