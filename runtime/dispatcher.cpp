#include "runtime/dispatcher.h"

#include "jit/interpreter.h"
#include "lifter/core/log.h"
#include "lifter/riscv/block.h"
#include "lifter/riscv/decoder.h"
#include "lifter/riscv/sem/fenv.h"
#include "runtime/linux/syscalls.h"

#include <csignal>
#include <cstring>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

namespace xlat {

// Guest code as the translators see it: executable guest pages only.
class UserCodeReader final : public CodeReader {
public:
  explicit UserCodeReader(GuestMemory &mem) : mem_(mem) {}
  bool read(uint64_t addr, void *dst, size_t n) override {
    if (!mem_.isMapped(addr, n, PROT_EXEC))
      return false;
    memcpy(dst, mem_.g2h(addr), n);
    return true;
  }

private:
  GuestMemory &mem_;
};

namespace {

// A host SIGSEGV/SIGBUS inside the guest reservation is a guest access to
// an unmapped or protected page: unwind to the dispatcher as a guest fault.
// Anywhere else it is a bug in xlat itself.
void hostFaultHandler(int sig, siginfo_t *info, void *) {
  GuestThread *t = currentThread();
  if (t && t->faultJumpArmed && t->process->mem.containsHost(info->si_addr)) {
    t->state.exit_reason = rv::kExitMemFault;
    t->state.fault_addr = t->process->mem.h2g(info->si_addr);
    t->state.pc = t->currentPc;
    siglongjmp(t->faultJump, 1);
  }
  static const char msg[] = "xlat-run: internal error: host fault outside guest memory\n";
  ssize_t unused = write(2, msg, sizeof msg - 1);
  (void)unused;
  signal(sig, SIG_DFL);
  raise(sig);
}

void installHostFaultHandlers() {
  // The handler runs on its own stack so a guest fault never overflows ours.
  static thread_local char altStack[64 * 1024];
  stack_t ss{};
  ss.ss_sp = altStack;
  ss.ss_size = sizeof altStack;
  sigaltstack(&ss, nullptr);
  struct sigaction sa{};
  sa.sa_sigaction = hostFaultHandler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, nullptr);
  sigaction(SIGBUS, &sa, nullptr);
}

const char *signalName(int sig) {
  const char *d = strsignal(sig);
  return d ? d : "unknown signal";
}

} // namespace

[[noreturn]] void dieWithSignal(int sig) {
  fflush(nullptr);
  struct rlimit none{0, 0};
  setrlimit(RLIMIT_CORE, &none);
  signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  raise(sig);
  _exit(128 + sig);
}

Dispatcher::Dispatcher(Process &proc, const RunOptions &opts)
    : proc_(proc), opts_(opts) {}
Dispatcher::~Dispatcher() = default;

std::unique_ptr<Dispatcher> Dispatcher::create(Process &proc,
                                               const RunOptions &opts,
                                               std::string &err) {
  std::unique_ptr<Dispatcher> d(new Dispatcher(proc, opts));
  d->code_ = std::make_unique<UserCodeReader>(proc.mem);
  d->interp_ = std::make_unique<jit::Interpreter>();
  if (opts.tier == jit::Tier::Block) {
    d->blockTier_ = jit::BlockTier::create(opts.block, err);
    if (!d->blockTier_)
      return nullptr;
  }
  installHostFaultHandlers();
  return d;
}

void Dispatcher::runUntilExit(GuestThread &t) {
  rv::RvState &s = t.state;
  if (opts_.tier == jit::Tier::Interp) {
    interp_->run(s, *code_, &t.currentPc, stats_);
    return;
  }
  const bool logExec = log().enabled(kLogExec);
  while (s.exit_reason == rv::kExitNone) {
    uint64_t pc = s.pc;
    jit::BlockFn fn = cache_.lookup(pc);
    if (!fn) {
      std::string err;
      // LLVM does FP arithmetic of its own: not under the guest's MXCSR.
      rv::fenv::leaveGuestFp(&s);
      fn = blockTier_->translate(pc, *code_, stats_, err);
      rv::fenv::enterGuestFp(&s);
      if (!fn) {
        if (err != "fetch") {
          fprintf(stderr, "xlat-run: cannot translate block at 0x%llx: %s\n",
                  (unsigned long long)pc, err.c_str());
          exit(1);
        }
        s.exit_reason = rv::kExitMemFault;
        s.fault_addr = pc;
        return;
      }
      cache_.insert(pc, fn);
    }
    if (logExec)
      log().printf("Trace: 0x%llx\n", (unsigned long long)pc);
    t.currentPc = pc;
    stats_.blocksExecuted++;
    fn(&s);
  }
}

void Dispatcher::flushTranslations() {
  cache_.clear();
  interp_->flush();
  stats_.cacheFlushes++;
}

bool Dispatcher::handleExit(GuestThread &t, GuestExit &result) {
  rv::RvState &s = t.state;
  uint32_t why = s.exit_reason;
  s.exit_reason = rv::kExitNone;
  switch (why) {
  case rv::kExitEcall: {
    SyscallResult r = proc_.abi->dispatch(t);
    if (r.codeMayHaveChanged)
      flushTranslations();
    if (r.action == SyscallAction::Continue)
      return true;
    result = {false, r.exitStatus};
    return false;
  }
  case rv::kExitFenceI:
    flushTranslations();
    return true;
  case rv::kExitIllegal: {
    rv::Insn in;
    if (log().enabled(kLogUnimp) && rv::fetchInsn(*code_, s.pc, in))
      log().printf("xlat: illegal or unimplemented instruction 0x%0*x at 0x%llx\n",
                   in.len * 2, in.raw, (unsigned long long)s.pc);
    result = {true, SIGILL};
    break;
  }
  case rv::kExitEbreak:
    result = {true, SIGTRAP};
    break;
  case rv::kExitMisaligned:
    result = {true, SIGBUS};
    break;
  case rv::kExitMemFault:
  default:
    result = {true, SIGSEGV};
    break;
  }
  // Signal delivery to guest handlers comes with the signals work; until
  // then every synchronous trap is fatal, as for a guest without handlers.
  fprintf(stderr, "xlat-run: uncaught guest signal %d (%s) at pc 0x%llx",
          result.code, signalName(result.code), (unsigned long long)s.pc);
  if (why == rv::kExitMemFault || why == rv::kExitMisaligned)
    fprintf(stderr, ", address 0x%llx", (unsigned long long)s.fault_addr);
  fprintf(stderr, "\n");
  return false;
}

GuestExit Dispatcher::run(GuestThread &t) {
  setCurrentThread(&t);
  GuestExit result;
  for (;;) {
    // A faulting guest access longjmps here with exit_reason set. The host
    // FP environment is reset on the way through.
    if (sigsetjmp(t.faultJump, 0) == 0) {
      t.faultJumpArmed = true;
      rv::fenv::enterGuestFp(&t.state);
      runUntilExit(t);
    }
    t.faultJumpArmed = false;
    rv::fenv::leaveGuestFp(&t.state);
    if (!handleExit(t, result))
      break;
  }
  setCurrentThread(nullptr);
  return result;
}

} // namespace xlat
