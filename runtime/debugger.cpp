// xlat-run under gdb (-g): the user-mode side of debug/gdb_server.h.
//
// Breakpoints are made by the code reader: every tier reads guest code
// through it, and it shows an ebreak of the instruction's length at each
// breakpoint, so translated code of every tier stops there with
// kExitEbreak, as a native debugger's patched instruction would. Setting or
// removing one drops the translations of its page. Steps, watchpoints and
// the instruction under a breakpoint just stopped at run one instruction
// at a time from the guest's own code, each checked first.
#include "debug/gdb_server.h"
#include "debug/riscv.h"
#include "lifter/riscv/block.h"
#include "runtime/dispatcher.h"
#include "runtime/linux/syscalls.h"
#include "runtime/thread_run.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>

namespace xlat {

namespace {

// Guest code with gdb's breakpoints in it.
class BreakpointReader final : public CodeReader {
public:
  BreakpointReader(CodeReader &inner, const debug::GdbServer &gdb)
      : inner_(inner), gdb_(gdb) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    if (!inner_.read(addr, dst, n))
      return false;
    if (!gdb_.anyBreakpoints())
      return true;
    // A breakpoint's instruction may start before addr (its second half
    // read alone).
    for (uint64_t bp : gdb_.breakpointsIn(addr >= 2 ? addr - 2 : 0, n + 2)) {
      uint16_t lo;
      if (!inner_.read(bp, &lo, 2))
        continue;
      // ebreak, or c.ebreak for a compressed instruction.
      uint32_t ebreak = (lo & 3) == 3 ? 0x00100073u : 0x9002u;
      unsigned len = (lo & 3) == 3 ? 4 : 2;
      for (unsigned i = 0; i < len; i++)
        if (bp + i >= addr && bp + i < addr + n)
          static_cast<uint8_t *>(dst)[bp + i - addr] = uint8_t(ebreak >> (8 * i));
    }
    return true;
  }

private:
  CodeReader &inner_;
  const debug::GdbServer &gdb_;
};

} // namespace

class Dispatcher::GdbTarget final : public debug::DebugTarget {
public:
  GdbTarget(Dispatcher &d) : d_(d) {
    memFd_ = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
  }
  ~GdbTarget() override {
    if (memFd_ >= 0)
      close(memFd_);
  }

  std::string targetXml(const std::string &annex) override {
    return debug::rvTargetXml(annex);
  }
  std::string readRegister(int tid, unsigned n) override {
    std::lock_guard<std::mutex> lock(d_.threadsMu_);
    GuestThread *t = find(tid);
    return t ? debug::rvReadRegister(t->state, n) : std::string();
  }
  bool writeRegister(int tid, unsigned n, const std::string &bytes) override {
    std::lock_guard<std::mutex> lock(d_.threadsMu_);
    GuestThread *t = find(tid);
    return t && debug::rvWriteRegister(t->state, n, bytes);
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
  [[noreturn]] void kill() override { dieWithSignal(SIGKILL); }

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
  code_ = std::make_unique<BreakpointReader>(*guestCode_, *gdb_);
  gdbWaiting_ = true;
  return true;
}

bool Dispatcher::debugging() const { return gdb_ && gdb_->active(); }

bool Dispatcher::debugStepping(GuestThread &t, ThreadRun &run) {
  if (!gdb_->active())
    return false;
  return run.gdbAction.kind == debug::ResumeAction::Step || gdb_->watching() ||
         t.state.pc == run.stepOverPc || gdb_->stopRequested();
}

bool Dispatcher::debugBefore(GuestThread &t, ThreadRun &run, GuestExit &result) {
  std::optional<debug::StopEvent> ev = std::exchange(run.gdbStop, std::nullopt);
  if (!ev && run.stepped && run.gdbAction.kind == debug::ResumeAction::Step)
    ev = debug::StopEvent{}; // the step is done: SIGTRAP
  run.stepped = false;
  if (!ev && !gdb_->stopRequested())
    return true;
  if (ev && ev->kind == debug::StopEvent::SoftwareBreak)
    run.stepOverPc = t.state.pc;
  run.gdbAction = gdb_->park(t.tid, ev ? &*ev : nullptr);
  if (int sig = run.gdbAction.signal) {
    // Resumed with a signal (gdb's `signal SIG`): sent to the thread.
    int fatal = proc_.abi->raiseTrap(t, sig, 0 /* SI_USER */, 0);
    if (!fatal)
      fatal = proc_.abi->deliverSignals(t);
    if (fatal) {
      result = {GuestExit::Signal, fatal};
      return false;
    }
  }
  return true;
}

void Dispatcher::debugStep(GuestThread &t, ThreadRun &run) {
  rv::RvState &s = t.state;
  if (gdb_->stopRequested())
    return; // back to the loop's top, where the thread parks
  dropWrittenCode(run);
  rv::Insn in;
  if (!rv::fetchInsn(*guestCode_, s.pc, in)) {
    s.exit_reason = rv::kExitMemFault;
    s.fault_addr = rv::fetchFaultAddr(*guestCode_, s.pc);
    return;
  }
  if (s.pc != run.stepOverPc && gdb_->isBreakpoint(s.pc)) {
    // Run up to a breakpoint an instruction at a time: it stops here.
    debug::StopEvent ev;
    ev.kind = debug::StopEvent::SoftwareBreak;
    run.gdbStop = ev;
    return;
  }
  run.stepOverPc = ~0ull;
  debug::DataAccess access;
  debug::StopEvent watch;
  bool hit = gdb_->watching() && debug::rvDataAccess(in, s, access) &&
             ((access.write && gdb_->watchHit(access.addr, access.size, true, watch)) ||
              (access.read && gdb_->watchHit(access.addr, access.size, false, watch)));
  t.interpreting = true;
  jit::Interpreter::execute(s, in, &t.currentPc, run.stats);
  t.interpreting = opts_.tier == jit::Tier::Interp;
  run.stepped = true;
  // A watchpoint stops after the access, as gdb expects (it shows the old
  // value and the new); a faulting access never gets here.
  if (hit)
    run.gdbStop = watch;
}

void Dispatcher::debugSignal(GuestThread &t, ThreadRun &run, uint32_t why,
                             int &sig, int &code, uint64_t &addr) {
  debug::StopEvent ev;
  bool breakpoint = why == rv::kExitEbreak && gdb_->isBreakpoint(t.state.pc);
  if (breakpoint) {
    ev.kind = debug::StopEvent::SoftwareBreak;
    run.stepOverPc = t.state.pc;
  } else {
    ev.signal = sig;
  }
  run.stepped = false;
  run.gdbStop.reset();
  run.gdbAction = gdb_->park(t.tid, &ev);
  int given = run.gdbAction.signal;
  if (!breakpoint && given == sig)
    return; // the guest gets the signal as it was raised
  // None, or another one, as if sent by kill().
  sig = given;
  code = 0;
  addr = 0;
}

} // namespace xlat
