// xlat-system under gdb (-s, -gdb, -S): each hart is a gdb thread (id + 1);
// memory is virtual, through the selected hart's page table; registers
// are the user ones plus the privilege level and the CSRs. Breakpoints
// are shown to each hart's interpreter by its code reader, as in xlat-run
// (runtime/debugger.cpp); steps, watchpoints and the instruction under a
// breakpoint run an instruction at a time (Hart::debugStep), with no
// interrupt taken in between.
#include "debug/gdb_server.h"
#include "debug/riscv.h"
#include "sysemu/machine.h"

#include <unistd.h>

namespace xlat::sysemu {

namespace {

class SystemGdbTarget final : public debug::DebugTarget {
public:
  explicit SystemGdbTarget(Machine &m) : m_(m) {}

  std::string targetXml(const std::string &annex) override {
    return debug::rvTargetXml(annex, /*system=*/true);
  }
  std::string readRegister(int tid, unsigned n) override {
    Hart *h = hart(tid);
    if (!h)
      return "";
    if (n < debug::kRvNumRegs)
      return debug::rvReadRegister(h->state, n);
    uint64_t v;
    if (n == debug::kRvPriv)
      v = h->priv();
    else if (n - debug::kRvFirstCsr >= debug::kRvNumSystemCsrs ||
             !h->debugReadCsr(debug::kRvSystemCsrs[n - debug::kRvFirstCsr].csr, v))
      return "";
    return std::string(reinterpret_cast<const char *>(&v), 8);
  }
  bool writeRegister(int tid, unsigned n, const std::string &bytes) override {
    Hart *h = hart(tid);
    if (!h)
      return false;
    if (n < debug::kRvNumRegs)
      return debug::rvWriteRegister(h->state, n, bytes);
    if (bytes.size() != 8)
      return false;
    uint64_t v;
    memcpy(&v, bytes.data(), 8);
    if (n == debug::kRvPriv) {
      h->setPriv(Priv(v));
      return h->priv() == v;
    }
    return n - debug::kRvFirstCsr < debug::kRvNumSystemCsrs &&
           h->debugWriteCsr(debug::kRvSystemCsrs[n - debug::kRvFirstCsr].csr, v);
  }
  size_t readMemory(int tid, uint64_t addr, void *dst, size_t n) override {
    Hart *h = hart(tid);
    return h ? h->debugAccess(addr, dst, n, false) : 0;
  }
  size_t writeMemory(int tid, uint64_t addr, const void *src, size_t n) override {
    Hart *h = hart(tid);
    size_t done = h ? h->debugAccess(addr, const_cast<void *>(src), n, true) : 0;
    if (done)
      codeChanged({});
    return done;
  }
  std::vector<int> threads() override {
    std::vector<int> tids;
    for (auto &h : m_.harts)
      tids.push_back(h->gdbThread());
    return tids;
  }
  void interruptAll() override {
    for (auto &h : m_.harts)
      h->kick();
  }
  // The harts are parked: their decoded instructions can be dropped from
  // here.
  void codeChanged(const std::vector<uint64_t> &) override {
    for (auto &h : m_.harts)
      h->debugCodeChanged();
  }
  void kill() override { m_.powerOff(0); }

private:
  Hart *hart(int tid) {
    if (tid <= 0)
      tid = 1;
    return size_t(tid) <= m_.harts.size() ? m_.harts[tid - 1].get() : nullptr;
  }

  Machine &m_;
};

} // namespace

bool Machine::attachGdb(const std::string &where, bool startStopped,
                        std::string &err) {
  gdbTarget_ = std::make_unique<SystemGdbTarget>(*this);
  gdb_ = debug::GdbServer::listen(where, *gdbTarget_, err);
  if (!gdb_)
    return false;
  for (auto &h : harts) {
    gdb_->threadStarted(h->gdbThread());
    h->attachDebugger(*gdb_);
  }
  gdb_->start(startStopped);
  return true;
}

} // namespace xlat::sysemu
