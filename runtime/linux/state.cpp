// Side tables holding the Linux layer's per-process and per-thread state
// until Process and GuestThread carry it themselves (see linux_state.h).
#include "runtime/linux/linux_state.h"

#include <map>
#include <memory>
#include <mutex>

namespace xlat::linux_abi {
namespace {

template <typename Key, typename Value> class SideTable {
public:
  Value &get(const Key *k) {
    std::lock_guard<std::mutex> lock(mu_);
    auto &slot = map_[k];
    if (!slot)
      slot = std::make_unique<Value>();
    return *slot;
  }
  void erase(const Key *k) {
    std::lock_guard<std::mutex> lock(mu_);
    map_.erase(k);
  }

private:
  std::mutex mu_;
  std::map<const Key *, std::unique_ptr<Value>> map_;
};

SideTable<Process, LinuxProcessState> &processTable() {
  static SideTable<Process, LinuxProcessState> table;
  return table;
}

SideTable<GuestThread, LinuxThreadState> &threadTable() {
  static SideTable<GuestThread, LinuxThreadState> table;
  return table;
}

} // namespace

LinuxProcessState &processState(Process &p) { return processTable().get(&p); }
LinuxThreadState &threadState(GuestThread &t) { return threadTable().get(&t); }
void forgetThreadState(GuestThread &t) { threadTable().erase(&t); }

} // namespace xlat::linux_abi
