#include "jit/host_pc_map.h"

#include <algorithm>

namespace xlat::jit {

HostPcMap &HostPcMap::instance() {
  static HostPcMap *map = new HostPcMap; // never destroyed: exit races
  return *map;
}

void HostPcMap::add(const Entry &e) {
  std::vector<Entry> &w = windows_[e.start >> kWindowShift];
  if (w.empty() || w.back().start < e.start) {
    w.push_back(e);
    size_++;
    return;
  }
  auto it = std::lower_bound(w.begin(), w.end(), e.start,
                             [](const Entry &x, uint64_t s) { return x.start < s; });
  if (it != w.end() && it->start == e.start) {
    *it = e;
  } else {
    w.insert(it, e);
    size_++;
  }
}

void HostPcMap::addRange(uint64_t hostStart, uint64_t hostEnd,
                         uint64_t guestPc) {
  std::lock_guard<std::mutex> lock(mu_);
  // Split at window boundaries: a lookup looks in one window.
  uint64_t window = uint64_t(1) << kWindowShift;
  for (uint64_t s = hostStart; s < hostEnd;) {
    uint64_t e = std::min(hostEnd, (s | (window - 1)) + 1);
    add({s, e, guestPc, 0, {}});
    s = e;
  }
}

void HostPcMap::addExact(const std::vector<Access> &entries) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Access &a : entries)
    add({a.host, a.host + 1, a.guestPc, a.rawFp, a.spills});
}

void HostPcMap::removeRange(uint64_t hostStart, uint64_t hostEnd) {
  if (hostStart >= hostEnd)
    return;
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t first = hostStart >> kWindowShift, last = (hostEnd - 1) >> kWindowShift;
  auto erase = [&](uint64_t key) {
    auto it = windows_.find(key);
    if (it == windows_.end())
      return;
    size_t before = it->second.size();
    std::erase_if(it->second, [&](const Entry &e) {
      return e.start >= hostStart && e.start < hostEnd;
    });
    size_ -= before - it->second.size();
    if (it->second.empty())
      windows_.erase(it);
  };
  if (last - first + 1 > windows_.size()) {
    std::vector<uint64_t> keys;
    for (auto &[key, w] : windows_)
      if (key >= first && key <= last)
        keys.push_back(key);
    for (uint64_t key : keys)
      erase(key);
  } else {
    for (uint64_t key = first; key <= last; key++)
      erase(key);
  }
}

const HostPcMap::Entry *HostPcMap::find(uint64_t window, uint64_t hostPc) const {
  auto wit = windows_.find(window);
  if (wit == windows_.end())
    return nullptr;
  const std::vector<Entry> &w = wit->second;
  auto it = std::upper_bound(w.begin(), w.end(), hostPc,
                             [](uint64_t pc, const Entry &x) { return pc < x.start; });
  if (it == w.begin())
    return nullptr;
  --it;
  return hostPc < it->end ? &*it : nullptr;
}

bool HostPcMap::lookup(uint64_t hostPc, uint64_t &guestPc, uint32_t &rawFp,
                       RegSpills *spills) const {
  std::lock_guard<std::mutex> lock(mu_);
  const Entry *e = find(hostPc >> kWindowShift, hostPc);
  if (!e)
    return false;
  guestPc = e->guestPc;
  rawFp = e->rawFp;
  if (spills)
    *spills = e->spills;
  return true;
}

size_t HostPcMap::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return size_;
}

} // namespace xlat::jit
