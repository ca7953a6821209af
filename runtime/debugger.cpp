// xlat-run under gdb (-g): the user-mode side of debug/gdb_server.h.
//
// Breakpoints are made by the code reader: every tier reads guest code
// through it, and it shows the ISA's breakpoint instruction at each
// breakpoint (RISC-V: an ebreak of the instruction's length; A64: brk #0),
// so translated code of every tier stops there with the breakpoint exit,
// as a native debugger's patched instruction would
// (debug::RvBreakpointReader, debug::A64BreakpointReader). Setting or
// removing one drops the translations of its page. Steps, watchpoints and
// the instruction under a breakpoint just stopped at run one instruction
// at a time from the guest's own code, each checked first.
#include "debug/aarch64.h"
#include "debug/gdb_server.h"
#include "debug/riscv.h"
#include "jit/interpreter.h"
#include "lifter/riscv/block.h"
#include "runtime/dispatcher.h"
#include "runtime/linux/syscalls.h"
#include "runtime/thread_run.h"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>

namespace xlat {


class Dispatcher::GdbTarget final : public debug::DebugTarget {
public:
  GdbTarget(Dispatcher &d) : d_(d) {
    memFd_ = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
  }
  ~GdbTarget() override {
    if (memFd_ >= 0)
      close(memFd_);
  }

  // The guest ISA is the program's (every thread's).
  std::string targetXml(const std::string &annex) override {
    return d_.proc_.image.machine == EM_AARCH64 ? debug::a64TargetXml(annex)
                                                : debug::rvTargetXml(annex);
  }
  std::string readRegister(int tid, unsigned n) override {
    std::lock_guard<std::mutex> lock(d_.threadsMu_);
    GuestThread *t = find(tid);
    if (!t)
      return "";
    return t->isA64() ? debug::a64ReadRegister(t->a64, n) : debug::rvReadRegister(t->state, n);
  }
  bool writeRegister(int tid, unsigned n, const std::string &bytes) override {
    std::lock_guard<std::mutex> lock(d_.threadsMu_);
    GuestThread *t = find(tid);
    if (!t)
      return false;
    return t->isA64() ? debug::a64WriteRegister(t->a64, n, bytes)
                      : debug::rvWriteRegister(t->state, n, bytes);
  }
  size_t readMemory(int, uint64_t addr, void *dst, size_t n) override {
    return io(addr, dst, n, false);
  }
  size_t writeMemory(int, uint64_t addr, const void *src, size_t n) override {
    return io(addr, const_cast<void *>(src), n, true);
  }
  std::vector<int> threads() override {
    std::vector<int> tids;
    std::lock_guard<std::mutex> lock(d_.threadsMu_);
    for (ThreadRun *r : d_.running_)
      if (r->thread)
        tids.push_back(r->thread->tid);
    std::sort(tids.begin(), tids.end()); // the main thread's tid is the pid
    return tids;
  }
  void interruptAll() override { d_.interruptAll(); }
  void codeChanged(const std::vector<uint64_t> &addrs) override {
    std::lock_guard<std::mutex> lock(d_.translateMu_);
    for (uint64_t a : addrs) {
      uint64_t page = a & ~uint64_t(GuestMemory::kPageSize - 1);
      // An instruction at the end of a page reaches into the next.
      d_.dropCode(d_.gdbStats_, d_.cache_.dropRange(page, page + 2 * GuestMemory::kPageSize));
    }
  }
  void kill() override { dieWithSignal(SIGKILL); }

private:
  GuestThread *find(int tid) {
    for (ThreadRun *r : d_.running_)
      if (r->thread && (r->thread->tid == tid || tid <= 0))
        return r->thread;
    return nullptr;
  }

  // Guest memory through the translator's own mem file, page by page over
  // what the guest has mapped, whatever its protection (a debugger reads
  // code and writes read-only data); a write into code drops what was
  // translated from it.
  size_t io(uint64_t addr, void *buf, size_t n, bool write) {
    GuestMemory &mem = d_.proc_.mem;
    size_t done = 0;
    while (done < n && memFd_ >= 0) {
      uint64_t at = addr + done;
      uint64_t chunk = std::min<uint64_t>(n - done, GuestMemory::kPageSize -
                                                        (at & (GuestMemory::kPageSize - 1)));
      if (!mem.inRange(at, chunk) || !mem.isMapped(at, chunk, 0))
        break;
      if (write)
        mem.codePages().beforeHostWrite(at, chunk);
      off_t hostAt = (off_t)(uintptr_t)mem.g2h(at);
      auto *p = static_cast<uint8_t *>(buf) + done;
      ssize_t r = write ? pwrite(memFd_, p, chunk, hostAt) : pread(memFd_, p, chunk, hostAt);
      if (r <= 0)
        break;
      done += size_t(r);
    }
    return done;
  }

  Dispatcher &d_;
  int memFd_ = -1;
};

bool Dispatcher::attachGdb(const std::string &where, std::string &err) {
  gdbTarget_ = std::make_unique<GdbTarget>(*this);
  gdb_ = debug::GdbServer::listen(where, *gdbTarget_, err);
  if (!gdb_)
    return false;
  guestCode_ = std::move(code_);
  if (proc_.image.machine == EM_AARCH64)
    code_ = std::make_unique<debug::A64BreakpointReader>(*guestCode_, *gdb_);
  else
    code_ = std::make_unique<debug::RvBreakpointReader>(*guestCode_, *gdb_);
  gdb_->start(/*startStopped=*/true);
  return true;
}

bool Dispatcher::debugging() const { return gdb_ && gdb_->active(); }

bool Dispatcher::debugStepping(GuestThread &t, ThreadRun &run) {
  return run.gdb.stepping(*gdb_, t.pc());
}

bool Dispatcher::debugBefore(GuestThread &t, ThreadRun &run, GuestExit &result) {
  if (!run.gdb.atSafePoint(*gdb_, t.tid, t.pc()))
    return true;
  if (int sig = run.gdb.action.signal) {
    // Resumed with a signal (gdb's `signal SIG`): sent to the thread.
    int fatal = linux_abi::raiseTrap(t, sig, 0 /* SI_USER */, 0);
    if (!fatal)
      fatal = linux_abi::deliverSignals(t);
    if (fatal) {
      result = {GuestExit::Signal, fatal};
      return false;
    }
  }
  return true;
}

namespace {
// One instruction of a thread gdb steps, as its ISA's interpreter runs it,
// once gdb has seen the data it accesses (watchpoints): false from
// `before` leaves it unrun, the thread stopped there.
template <class Guest, typename DataAccess, typename Before>
void stepOne(GuestThread &t, typename Guest::State &s, CodeReader &code, DataAccess dataAccess,
             Before before, jit::TierStats &stats) {
  typename Guest::Insn in;
  if (!Guest::fetch(code, s.pc, in)) {
    Guest::fetchFault(s, code, s.pc);
    return;
  }
  debug::DataAccess a;
  dataAccess(in, s, a);
  if (!before(s.pc, a))
    return;
  t.interpreting = true;
  jit::BasicInterpreter<Guest>::execute(s, in, &t.currentPc, stats);
}
} // namespace

void Dispatcher::debugStep(GuestThread &t, ThreadRun &run) {
  if (gdb_->stopRequested())
    return; // back to the loop's top, where the thread parks
  dropWrittenCode(run);
  auto before = [&](uint64_t pc, const debug::DataAccess &a) {
    return run.gdb.beforeStep(*gdb_, pc, a.addr, a.size, a.read, a.write);
  };
  if (t.isA64())
    stepOne<jit::A64Guest>(t, t.a64, *guestCode_, debug::a64DataAccess, before, run.stats);
  else
    stepOne<jit::RiscvGuest>(t, t.state, *guestCode_, debug::rvDataAccess, before, run.stats);
  t.interpreting = opts_.tier == jit::Tier::Interp;
}

void Dispatcher::debugSignal(GuestThread &t, ThreadRun &run, uint32_t why,
                             int &sig, int &code, uint64_t &addr) {
  debug::StopEvent ev;
  bool breakpoint = why == exits::kBreakpoint && gdb_->isBreakpoint(t.pc());
  if (breakpoint)
    ev.kind = debug::StopEvent::SoftwareBreak;
  else
    ev.signal = sig;
  run.gdb.report(*gdb_, t.tid, ev, t.pc());
  int given = run.gdb.action.signal;
  if (!breakpoint && given == sig)
    return; // the guest gets the signal as it was raised
  // None, or another one, as if sent by kill().
  sig = given;
  code = 0;
  addr = 0;
}

} // namespace xlat
