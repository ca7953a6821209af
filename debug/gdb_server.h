// A gdb remote-serial-protocol server for a running guest: what gdb's
// `target remote` talks to, as qemu's -g/-gdb do.
//
// The server knows neither the ISA nor the runner. The guest side is a
// DebugTarget (registers, memory, threads: a user-mode process or a
// system-mode machine's harts) and a set of threads that call in at their
// safe points. The server keeps gdb's breakpoints and watchpoints; the
// runner makes code stop at them (see isBreakpoint, watchHit).
//
// All-stop: when one thread stops (a breakpoint, a step, a signal, gdb's
// Ctrl-C), every thread parks at its next safe point; gdb then reads and
// writes state and memory, and a resume (c, s, vCont) lets them all go on.
// One thread of the server's own owns the connection.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace xlat::debug {

// What the guest side gives gdb. Called on the server's thread while every
// thread of the target is parked (or in a system call, whose registers the
// runner keeps exact).
class DebugTarget {
public:
  virtual ~DebugTarget() = default;
  // The target description (qXfer:features:read), by annex.
  virtual std::string targetXml(const std::string &annex) = 0;
  // Registers by gdb number, as raw target-order bytes; empty when there
  // is no register n (the 'g' packet stops at the first).
  virtual std::string readRegister(int tid, unsigned n) = 0;
  virtual bool writeRegister(int tid, unsigned n, const std::string &bytes) = 0;
  // Guest memory as the thread sees it; returns the bytes done (0 with
  // nothing readable or writable at addr). Writes reach read-only code,
  // as a debugger's do, and drop what was translated from it.
  virtual size_t readMemory(int tid, uint64_t addr, void *dst, size_t n) = 0;
  virtual size_t writeMemory(int tid, uint64_t addr, const void *src, size_t n) = 0;
  // The threads, in gdb's order (the first is the default).
  virtual std::vector<int> threads() = 0;
  // Makes running threads reach a safe point soon (interrupt flags).
  virtual void interruptAll() = 0;
  // Breakpoints were set or removed at these addresses: code translated
  // from there must be made again so that it stops.
  virtual void codeChanged(const std::vector<uint64_t> &addrs) = 0;
  // gdb's `kill`: ends the guest, now (xlat-run) or once its threads
  // have left (xlat-system powers off).
  virtual void kill() = 0;
};

// Why a thread stopped, for the stop reply.
struct StopEvent {
  enum Kind { Signal, SoftwareBreak, Watch } kind = Signal;
  int signal = 5;           // the guest's (Linux) signal number
  uint64_t watchAddr = 0;   // Watch: the data address
  char watchType = 'w';     // Watch: w (write), r (read), a (access)
};

// How a parked thread goes on.
struct ResumeAction {
  // Stay: not resumed (a vCont that names other threads only, as gdb's
  // scheduler-locking sends); the thread stays parked.
  enum Kind { Continue, Step, Stay } kind = Continue;
  int signal = 0; // the guest signal to deliver, 0 for none
};

// Linux signal numbers to gdb's (include/gdb/signals.def) and back.
int toGdbSignal(int linuxSig);
int fromGdbSignal(int gdbSig);

class GdbServer {
public:
  // Listens on `where`: a TCP port (on the loopback interface) or the
  // path of a Unix socket. Null with err on failure.
  static std::unique_ptr<GdbServer> listen(const std::string &where,
                                           DebugTarget &target,
                                           std::string &err);
  ~GdbServer();

  // Serves gdb from a thread of the server's own, which accepts the
  // connection. startStopped: every thread parks at its first safe point
  // and stays there until gdb lets it run (xlat-run -g, xlat-system -S);
  // otherwise the guest runs until gdb connects, which stops it.
  void start(bool startStopped);

  // --- Called by the runner's threads ------------------------------------

  // True when gdb is attached; false after detach or disconnect (the
  // guest runs on as if never debugged).
  bool active() const { return active_.load(std::memory_order_acquire); }
  // A stop of every thread is wanted: call park() at the next safe point.
  bool stopRequested() const {
    return stopRequested_.load(std::memory_order_acquire);
  }
  // Any watchpoint set: threads run an instruction at a time and ask
  // watchHit() before each.
  bool watching() const { return watchCount_.load(std::memory_order_acquire); }
  bool anyBreakpoints() const {
    return breakCount_.load(std::memory_order_acquire);
  }
  bool isBreakpoint(uint64_t pc) const;
  // Breakpoint addresses in [addr, addr + n).
  std::vector<uint64_t> breakpointsIn(uint64_t addr, uint64_t n) const;
  // Whether an access of n bytes at addr hits a watchpoint; fills ev.
  bool watchHit(uint64_t addr, uint64_t n, bool write, StopEvent &ev) const;

  // Parks the calling thread: with ev, it stopped for that reason and gdb
  // is told; without, it stops because another did. Returns when gdb
  // resumes, with what this thread is to do, or (continuing) when
  // *abandon is set and wakeParked() called: the runner is stopping.
  ResumeAction park(int tid, const StopEvent *ev,
                    const std::atomic<bool> *abandon = nullptr);
  void wakeParked();
  // Threads come and go (clone, exit).
  void threadStarted(int tid);
  void threadExited(int tid);
  // In a forked child: the connection is the parent's. Breakpoints and
  // watchpoints are forgotten and the server goes inactive; true if there
  // were breakpoints (code translated with them must go).
  bool forgetInChild();
  // The process ended: gdb hears its status (exit code, or the signal
  // that killed it) and the connection closes.
  void processExited(bool bySignal, int code);

private:
  GdbServer(int listenFd, DebugTarget &target);
  void serve();
  bool accept();
  bool readPacket(std::string &out, bool &interrupt);
  void sendPacket(const std::string &body);
  void sendRaw(const std::string &bytes);
  // Handles one packet while stopped; true when it resumes the guest.
  bool handle(const std::string &p);
  void reportStop();
  bool waitForParked(std::unique_lock<std::mutex> &lock);
  // Resumes every thread: those in `actions` as said there, the others
  // as `others`; unless a stop is still to be reported.
  void resumeAll(const std::map<int, ResumeAction> &actions,
                 const ResumeAction &others);
  std::string stopReply(int tid, const StopEvent &ev);
  std::string handleQuery(const std::string &p);
  std::string handleVCont(const std::string &p, bool &resumed);
  std::string setPoint(const std::string &p, bool insert);
  void requestStop();
  void closeConnection();

  DebugTarget &target_;
  int listenFd_ = -1, fd_ = -1;
  std::string socketPath_; // a Unix socket's, removed once gdb connected
  char in_[4096];             // what was read from gdb and not used yet
  size_t inAt_ = 0, inLen_ = 0;
  bool noAck_ = false;
  std::thread thread_;
  int wakeFd_ = -1; // eventfd: a thread parked with an event, or exit

  std::atomic<bool> active_{false};
  std::atomic<bool> stopRequested_{false};
  std::atomic<uint32_t> watchCount_{0}, breakCount_{0};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::mutex sendMu_;
  bool running_ = false;     // the guest runs (no stop reported yet)
  uint64_t resumeGen_ = 0;   // bumped by every resume
  std::set<int> threads_, parked_;
  std::map<int, ResumeAction> actions_;
  std::deque<std::pair<int, StopEvent>> events_;
  int lastStopTid_ = 0;
  StopEvent lastStop_;
  int gThread_ = 0;          // Hg: registers and memory
  int cThread_ = 0;          // Hc: s and c without vCont
  std::set<uint64_t> breaks_;
  struct Watch {
    uint64_t addr, len;
    char type;
  };
  std::vector<Watch> watches_;
  bool exited_ = false;   // the process ended: its status was sent
  bool detached_ = false; // gdb detached (D)
};

// What a runner keeps per thread under gdb, and the decisions both
// runners make the same way at their safe points.
struct ThreadDebug {
  ResumeAction action;        // how gdb last let the thread go
  uint64_t stepOverPc = ~0ull; // the breakpoint it stopped at
  bool stepped = false;       // it just ran one instruction alone
  std::optional<StopEvent> stop; // to report at the next safe point

  // Whether the thread at pc runs one instruction at a time now: a step,
  // a watchpoint, or the instruction under the breakpoint it stopped at.
  bool stepping(const GdbServer &gdb, uint64_t pc) const {
    return gdb.active() &&
           (action.kind == ResumeAction::Step || gdb.watching() ||
            pc == stepOverPc || gdb.stopRequested());
  }
  // At a safe point with the thread at pc: reports a finished step or a
  // pending stop, or parks for another thread's. True if it parked (then
  // `action` says how to go on).
  // abandon: as for GdbServer::park.
  bool atSafePoint(GdbServer &gdb, int tid, uint64_t pc,
                   const std::atomic<bool> *abandon = nullptr);
  // Before the instruction at pc runs alone, touching `access` (size 0:
  // no data): false if it must not run (a breakpoint, reported at the
  // next safe point). A watchpoint it hits is reported after it ran.
  bool beforeStep(const GdbServer &gdb, uint64_t pc, uint64_t accessAddr,
                  unsigned accessSize, bool read, bool write);
  // A breakpoint (ebreak at a gdb breakpoint) or a signal the runner
  // raised: gdb hears of it, and `action` says how to go on.
  void report(GdbServer &gdb, int tid, const StopEvent &ev, uint64_t pc,
              const std::atomic<bool> *abandon = nullptr);
};

} // namespace xlat::debug
