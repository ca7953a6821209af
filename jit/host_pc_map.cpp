#include "jit/host_pc_map.h"

#include <algorithm>

namespace xlat::jit {

HostPcMap &HostPcMap::instance() {
  static HostPcMap *map = new HostPcMap; // never destroyed: exit races
  return *map;
}

void HostPcMap::add(Window &win, const Entry &e) {
  std::vector<Entry> &w = win.entries;
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

void HostPcMap::addRangeLocked(uint64_t hostStart, uint64_t hostEnd,
                               uint64_t guestPc) {
  // Split at window boundaries: a lookup looks in one window.
  uint64_t window = uint64_t(1) << kWindowShift;
  for (uint64_t s = hostStart; s < hostEnd;) {
    uint64_t e = std::min(hostEnd, (s | (window - 1)) + 1);
    add(windows_[s >> kWindowShift], {s, guestPc, uint32_t(e - s), 0});
    s = e;
  }
}

void HostPcMap::addRange(uint64_t hostStart, uint64_t hostEnd,
                         uint64_t guestPc) {
  std::lock_guard<std::mutex> lock(mu_);
  addRangeLocked(hostStart, hostEnd, guestPc);
}

void HostPcMap::addRanges(const std::vector<Range> &ranges) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Range &r : ranges)
    addRangeLocked(r.hostStart, r.hostEnd, r.guestPc);
}

void HostPcMap::addExact(const std::vector<Access> &entries) {
  std::lock_guard<std::mutex> lock(mu_);
  static const RegSpills kNoSpills{};
  for (const Access &a : entries) {
    Window &w = windows_[a.host >> kWindowShift];
    uint32_t detail = 0;
    if (a.rawFp || a.spills != kNoSpills) {
      w.details.push_back({a.rawFp, a.spills});
      detail = (uint32_t)w.details.size();
    }
    add(w, {a.host, a.guestPc, 1, detail});
  }
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
    std::vector<Entry> &w = it->second.entries;
    size_t before = w.size();
    std::erase_if(w, [&](const Entry &e) {
      return e.start >= hostStart && e.start < hostEnd;
    });
    size_ -= before - w.size();
    if (w.empty())
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

const HostPcMap::Entry *HostPcMap::find(const Window *&win, uint64_t hostPc) const {
  auto wit = windows_.find(hostPc >> kWindowShift);
  if (wit == windows_.end())
    return nullptr;
  win = &wit->second;
  const std::vector<Entry> &w = win->entries;
  auto it = std::upper_bound(w.begin(), w.end(), hostPc,
                             [](uint64_t pc, const Entry &x) { return pc < x.start; });
  if (it == w.begin())
    return nullptr;
  --it;
  return hostPc - it->start < it->len ? &*it : nullptr;
}

bool HostPcMap::lookup(uint64_t hostPc, uint64_t &guestPc, uint32_t &rawFp,
                       RegSpills *spills) const {
  std::lock_guard<std::mutex> lock(mu_);
  const Window *w = nullptr;
  const Entry *e = find(w, hostPc);
  if (!e)
    return false;
  Detail d = e->detail ? w->details[e->detail - 1] : Detail{0, {}};
  guestPc = e->guestPc;
  rawFp = d.rawFp;
  if (spills)
    *spills = d.spills;
  return true;
}

size_t HostPcMap::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return size_;
}

} // namespace xlat::jit
