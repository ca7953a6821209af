#include "jit/host_pc_map.h"

namespace xlat::jit {

HostPcMap &HostPcMap::instance() {
  static HostPcMap *map = new HostPcMap; // never destroyed: exit races
  return *map;
}

void HostPcMap::addRange(uint64_t hostStart, uint64_t hostEnd,
                         uint64_t guestPc) {
  std::lock_guard<std::mutex> lock(mu_);
  map_[hostStart] = {hostEnd, guestPc, 0};
}

void HostPcMap::addExact(const std::vector<Access> &entries) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Access &a : entries)
    map_[a.host] = {a.host + 1, a.guestPc, a.rawFp};
}

void HostPcMap::removeRange(uint64_t hostStart, uint64_t hostEnd) {
  std::lock_guard<std::mutex> lock(mu_);
  map_.erase(map_.lower_bound(hostStart), map_.lower_bound(hostEnd));
}

bool HostPcMap::lookup(uint64_t hostPc, uint64_t &guestPc,
                       uint32_t &rawFp) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.upper_bound(hostPc);
  if (it == map_.begin())
    return false;
  --it;
  if (hostPc >= it->second.end)
    return false;
  guestPc = it->second.guestPc;
  rawFp = it->second.rawFp;
  return true;
}

size_t HostPcMap::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return map_.size();
}

} // namespace xlat::jit
