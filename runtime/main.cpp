// xlat-run: runs a riscv64 or aarch64 Linux program on this host, like
// qemu-riscv64 and qemu-aarch64.
#include "lifter/core/log.h"
#include "jit/llvm_tiers.h"
#include "jit/perf_map.h"
#include "runtime/dispatcher.h"
#include "runtime/elf_interp.h"
#include "runtime/linux/syscalls.h"
#include "runtime/guest_symbols.h"
#include "runtime/process.h"
#include "runtime/stats.h"


#include <climits>
#include <fcntl.h>
#include <set>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <csignal>
#include <pthread.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <string>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace xlat {
namespace {

constexpr const char *kUsage =
    "usage: xlat-run [options] PROG [ARGS...]\n"
    "Runs a riscv64 or aarch64 Linux ELF program on this host (the guest is\n"
    "picked from the ELF header).\n"
    "\n"
    "options:\n"
    "  -L SYSROOT        prefix for the program interpreter and absolute paths\n"
    "  -E VAR=VALUE      set a variable in the guest environment\n"
    "  -U VAR            remove a variable from the guest environment\n"
    "  -0, --argv0 ARGV0 use ARGV0 as the guest's argv[0]\n"
    "  -cpu MODEL        the guest CPU: rv64 (RV64GC, the only model; 'help'\n"
    "                    lists models)\n"
    "  -strace           log system calls\n"
    "  -d ITEM[,...]     log: in_asm, op, out_asm, exec, unimp, strace, region\n"
    "  -D LOGFILE        write logs to LOGFILE instead of stderr\n"
    "  -g PORT|PATH      wait for gdb on TCP PORT (loopback) or the Unix\n"
    "                    socket PATH before the first instruction\n"
    "  --tier=TIER       interp, template, block, region, or adaptive (default):\n"
    "                    blocks start as templates and hot regions are\n"
    "                    compiled at O2\n"
    "  --hot-threshold=N adaptive: executions that make a block hot (30000)\n"
    "  --region-blocks=N adaptive, region: most blocks compiled together as one\n"
    "                    region (16; 1: single blocks)\n"
    "  --background-compile=on|off\n"
    "                    adaptive: compile hot blocks on a thread of their own\n"
    "                    while the guest runs on (on, the default)\n"
    "  --codegen-opt=N   LLVM code generation level of --tier=block, 0-3\n"
    "                    (default 1)\n"
    "  --perfmap[=blocks|stencils]\n"
    "                    list translations in /tmp/perf-PID.map for perf\n"
    "                    (stencils: each template stencil copy by its name)\n"
    "  --jitdump[=DIR]   write each translation's code to DIR/jit-PID.dump\n"
    "                    (default /tmp) for perf inject --jit\n"
    "  --cache-dir=DIR   keep compiled code across runs in DIR (default:\n"
    "                    $XLAT_CACHE_DIR, $XDG_CACHE_HOME/xlat, ~/.cache/xlat)\n"
    "  --no-cache        neither use nor write the translation cache\n"
    "  --code-cache-size=SIZE\n"
    "                    executable memory for translations, per code buffer\n"
    "                    (template; LLVM and cached code): N[K|M|G], 256K-1G,\n"
    "                    default 256M; a full buffer frees its oldest 64th\n"
    "  --cache-max=SIZE  bound on the cache directory (N[K|M|G], default 1G);\n"
    "                    the least recently used files go first\n"
    "  --stats[=json]    print translation and execution counters at exit\n"
    "  --stats-file=PATH write them to PATH (%p: the pid) instead of the log\n"
    "  -h, --help        show this help\n"
    "  --version         show the version\n"
    "\n"
    "environment (the command line wins): XLAT_LD_PREFIX (-L), XLAT_STRACE\n"
    "(-strace), XLAT_LOG (-d), XLAT_LOG_FILENAME (-D), XLAT_TIER (--tier),\n"
    "XLAT_CPU (-cpu), XLAT_CACHE_DIR (--cache-dir), XLAT_GDB (-g).\n"
    "Started by binfmt_misc with the P flag (see xlat-binfmt), it takes\n"
    "PROG ARGV0 [ARGS...] and no options.\n";

// What only a system-mode machine has to log.
constexpr uint32_t kSystemLogItems = kLogInt | kLogMmu | kLogCpu | kLogGuestErrors;

struct Options {
  RunOptions run;
  std::string sysroot;
  std::vector<std::string> setEnv, unsetEnv;
  std::string argv0;
  std::string logFile;
  std::string gdb; // -g PORT|PATH
  uint32_t logMask = 0;
  std::vector<std::string> logArgs; // -strace, -d ITEMS: for execve'd guests
  StatsOptions stats;
  std::string prog;
  std::vector<std::string> args;
};

[[noreturn]] void fail(const std::string &msg) {
  fprintf(stderr, "xlat-run: %s\n", msg.c_str());
  exit(1);
}

// The guest CPU models -cpu accepts: what is implemented, under the names
// qemu-riscv64 users type for it.
constexpr const char *kCpuModels[] = {"rv64", "rv64gc", "max"};

bool knownCpu(const std::string &m) {
  for (const char *k : kCpuModels)
    if (m == k)
      return true;
  return false;
}

// Settings the command line did not make, from the environment (qemu's
// QEMU_* variables, as XLAT_*). A bad value names its variable.
void applyEnvironment(Options &o, const std::set<std::string> &given) {
  auto env = [](const char *name) -> const char * {
    const char *v = getenv(name);
    return v && *v ? v : nullptr;
  };
  if (const char *v = env("XLAT_LD_PREFIX"); v && !given.count("-L"))
    o.sysroot = v;
  if (env("XLAT_STRACE"))
    o.logMask |= kLogStrace;
  if (const char *v = env("XLAT_LOG"); v && !given.count("-d")) {
    std::string bad;
    if (!parseLogMask(v, o.logMask, bad))
      fail("XLAT_LOG: unknown log item '" + bad + "'");
    if (o.logMask & kSystemLogItems)
      fail("XLAT_LOG: int, mmu, cpu and guest_errors are xlat-system's log items");
  }
  if (const char *v = env("XLAT_LOG_FILENAME"); v && !given.count("-D"))
    o.logFile = v;
  if (const char *v = env("XLAT_TIER"); v && !given.count("--tier")) {
    auto t = jit::parseTier(v);
    if (!t)
      fail(std::string("XLAT_TIER: unknown tier '") + v + "'");
    o.run.tier = *t;
  }
  if (const char *v = env("XLAT_GDB"); v && !given.count("-g"))
    o.gdb = v;
  if (const char *v = env("XLAT_CPU"); v && !given.count("-cpu") && !knownCpu(v))
    fail(std::string("XLAT_CPU: unknown CPU model '") + v + "' (-cpu help lists them)");
}

// binfmt_misc's P flag: the kernel starts the interpreter as
// `xlat-run PROG ARGV0 ARGS...` and says so in AT_FLAGS (Linux 5.12+).
// There is no room for options then; the environment still applies.
Options binfmtPreservedArgv0(int argc, char **argv) {
  Options o;
  if (argc < 3)
    fail("started by binfmt_misc with argv[0] preserved, but without a program and its argv[0]");
  o.prog = argv[1];
  o.argv0 = argv[2];
  for (int i = 3; i < argc; ++i)
    o.args.push_back(argv[i]);
  applyEnvironment(o, {});
  return o;
}

Options parseOptions(int argc, char **argv) {
  constexpr unsigned long kAtFlagsPreserveArgv0 = 1;
  if (getauxval(AT_FLAGS) & kAtFlagsPreserveArgv0)
    return binfmtPreservedArgv0(argc, argv);
  Options o;
  std::set<std::string> given; // options the command line set
  int i = 1;
  auto value = [&](const char *opt) -> std::string {
    if (i + 1 >= argc)
      fail(std::string("option '") + opt + "' needs an argument");
    return argv[++i];
  };
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a.empty() || a[0] != '-')
      break;
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "-h" || a == "--help" || a == "-help") {
      fputs(kUsage, stdout);
      exit(0);
    } else if (a == "--version" || a == "-version") {
      printf("xlat-run %s (riscv64 and aarch64 guests, LLVM %d)\n", "0.1.0", XLAT_LLVM_MAJOR);
      exit(0);
    } else if (a == "-L") {
      o.sysroot = value("-L");
      given.insert(a);
    } else if (a == "-E") {
      o.setEnv.push_back(value("-E"));
    } else if (a == "-U") {
      o.unsetEnv.push_back(value("-U"));
    } else if (a == "-0" || a == "--argv0") {
      o.argv0 = value(a.c_str());
    } else if (a == "-cpu") {
      std::string m = value("-cpu");
      if (m == "help") {
        printf("Available CPU models (riscv64, all RV64GC):\n");
        for (const char *k : kCpuModels)
          printf("  %s\n", k);
        exit(0);
      }
      if (!knownCpu(m))
        fail("unknown CPU model '" + m + "' (-cpu help lists them)");
      given.insert(a);
    } else if (a == "-strace") {
      o.logMask |= kLogStrace;
      o.logArgs.push_back(a);
    } else if (a == "-d") {
      std::string bad;
      o.logArgs.insert(o.logArgs.end(), {a, argv[i + 1 < argc ? i + 1 : i]});
      given.insert(a);
      if (!parseLogMask(value("-d"), o.logMask, bad))
        fail("unknown log item '" + bad + "' (in_asm, op, out_asm, exec, unimp, strace, region)");
      if (o.logMask & kSystemLogItems)
        fail("-d: int, mmu, cpu and guest_errors are xlat-system's log items");
    } else if (a == "-D") {
      o.logFile = value("-D");
      given.insert(a);
    } else if (a == "-g") {
      o.gdb = value("-g");
      given.insert(a);
    } else if (a.rfind("--tier=", 0) == 0) {
      auto t = jit::parseTier(a.substr(7));
      if (!t)
        fail("unknown tier '" + a.substr(7) + "' (interp, template, block, region, adaptive)");
      o.run.tier = *t;
      given.insert("--tier");
    } else if (a.rfind("--hot-threshold=", 0) == 0) {
      char *end = nullptr;
      std::string v = a.substr(16);
      unsigned long long n = strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end || n == 0)
        fail("--hot-threshold takes a positive number");
      o.run.hotThreshold = n;
    } else if (a.rfind("--region-blocks=", 0) == 0) {
      char *end = nullptr;
      std::string v = a.substr(16);
      unsigned long n = strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end || n == 0 || n > 256)
        fail("--region-blocks takes a number from 1 to 256");
      o.run.regionBlocks = (unsigned)n;
    } else if (a.rfind("--background-compile=", 0) == 0) {
      std::string v = a.substr(21);
      if (v != "on" && v != "off")
        fail("--background-compile takes on or off");
      o.run.backgroundCompile = v == "on";
    } else if (a.rfind("--codegen-opt=", 0) == 0) {
      std::string v = a.substr(14);
      if (v != "0" && v != "1" && v != "2" && v != "3")
        fail("--codegen-opt takes 0, 1, 2 or 3");
      o.run.block.codegenOpt = (unsigned)(v[0] - '0');
    } else if (a == "--perfmap" || a == "--perfmap=blocks") {
      jit::PerfMap::instance().enable();
    } else if (a == "--perfmap=stencils") {
      jit::PerfMap::instance().enable(/*pieces=*/true);
    } else if (a == "--jitdump" || a.rfind("--jitdump=", 0) == 0) {
      std::string dir = a.size() > 9 ? a.substr(10) : "/tmp";
      struct stat st;
      if (dir.empty() || stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        fail("--jitdump takes a directory");
      jit::PerfMap::instance().enableJitdump(dir);
    } else if (a.rfind("--cache-dir=", 0) == 0) {
      o.run.cache.dir = a.substr(12);
      if (o.run.cache.dir.empty())
        fail("--cache-dir takes a directory");
    } else if (a == "--no-cache") {
      o.run.cache.enabled = false;
    } else if (a.rfind("--cache-max=", 0) == 0) {
      if (!aot::parseCacheSize(a.substr(12), o.run.cache.maxBytes))
        fail("--cache-max takes a size: N, NK, NM or NG");
    } else if (a.rfind("--code-cache-size=", 0) == 0) {
      uint64_t n;
      if (!aot::parseCacheSize(a.substr(18), n) || n < (uint64_t(256) << 10) ||
          n > (uint64_t(1) << 30))
        fail("--code-cache-size takes a size from 256K to 1G");
      o.run.block.codeBufferBytes = n;
    } else if (std::string err; parseStatsOption(a, o.stats, err)) {
      if (!err.empty())
        fail(err);
    } else {
      fail("unknown option '" + a + "' (see --help)");
    }
  }
  if (i >= argc)
    fail("no program given (see --help)");
  o.prog = argv[i++];
  for (; i < argc; ++i)
    o.args.push_back(argv[i]);
  applyEnvironment(o, given);
  return o;
}

std::vector<std::string> guestEnvironment(const Options &o) {
  std::vector<std::string> env;
  for (char **e = environ; *e; ++e)
    env.push_back(*e);
  auto remove = [&](const std::string &name) {
    std::erase_if(env, [&](const std::string &v) {
      return v.compare(0, name.size() + 1, name + "=") == 0;
    });
  };
  for (const std::string &u : o.unsetEnv)
    remove(u);
  for (const std::string &s : o.setEnv) {
    remove(s.substr(0, s.find('=')));
    env.push_back(s);
  }
  return env;
}

// The options a guest started by execve runs with: the same sysroot and
// tier, and the same logging when it goes to stderr (a -D file would be
// truncated by the new process).
std::vector<std::string> runnerArgs(const Options &o, const Process &p) {
  std::vector<std::string> args;
  if (!p.effectiveSysroot.empty())
    args.insert(args.end(), {"-L", p.effectiveSysroot});
  args.push_back("--tier=" + std::string(jit::tierName(o.run.tier)));
  if (!o.run.cache.enabled)
    args.push_back("--no-cache");
  else if (!o.run.cache.dir.empty())
    args.push_back("--cache-dir=" + o.run.cache.dir);
  args.push_back("--cache-max=" + std::to_string(o.run.cache.maxBytes));
  args.push_back("--code-cache-size=" + std::to_string(o.run.block.codeBufferBytes));
  if (o.logFile.empty())
    args.insert(args.end(), o.logArgs.begin(), o.logArgs.end());
  return args;
}

void printStats(const Options &o, const Process &proc, const jit::TierStats &s,
                const GuestExit &ex) {
  writeStats(o.stats, s,
             {jit::tierName(o.run.tier), o.prog, proc.abi->name,
              ex.kind == GuestExit::Signal, ex.code});
}

} // namespace
} // namespace xlat

int main(int argc, char **argv) {
  using namespace xlat;
  Options o = parseOptions(argc, argv);
  log().mask = o.logMask;
  if (!o.logFile.empty()) {
    log().out = fopen(o.logFile.c_str(), "w");
    if (!log().out)
      fail("cannot open log file '" + o.logFile + "': " + strerror(errno));
    setvbuf(log().out, nullptr, _IOLBF, 0);
  } else if (o.logMask || o.stats) {
    // The log's own copy of stderr: the guest's fd 2 is the guest's to
    // close, and programs do (xz closes it at exit to catch write errors),
    // which would swallow --stats. close_range spares it as it spares a -D
    // file (linux/files.cpp).
    int fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (FILE *f = fd >= 0 ? fdopen(fd, "w") : nullptr) {
      setvbuf(f, nullptr, _IOLBF, 0);
      log().out = f;
    }
  }
  o.run.block.countBlocks = bool(o.stats);
  o.run.block.logInAsm = log().enabled(kLogInAsm);
  o.run.block.makeDisassembler = jit::createLlvmDisassembler;
  o.run.block.logIr = log().enabled(kLogOp);
  o.run.block.logOutAsm = log().enabled(kLogOutAsm);
  // -d exec logs every block: chained blocks would bypass the log.
  o.run.block.chain = !log().enabled(kLogExec);

  Process proc;
  proc.sysroot = o.sysroot;
  proc.effectiveSysroot = o.sysroot;
  std::string err;
  if (!proc.mem.init(GuestMemory::kDefaultLimit, err))
    fail(err);
  // binfmt_misc's O flag: the kernel opened the program (which the user
  // may only be allowed to execute, not read) and passes the descriptor.
  errno = 0;
  int execFd = (int)getauxval(AT_EXECFD);
  if (errno == ENOENT)
    execFd = -1;
  if (!loadElf(o.prog, proc.mem, proc.image, err, execFd))
    fail(o.prog + ": " + err);
  // The guest ISA is the program's (loadElf takes only those with an ABI).
  proc.abi = linuxAbiFor(proc.image.machine);
  if (proc.effectiveSysroot.empty() && access(proc.abi->defaultSysroot, X_OK) == 0)
    proc.effectiveSysroot = proc.abi->defaultSysroot;
  const bool a64 = proc.image.machine == EM_AARCH64;
  if (a64)
    o.run.block.isa = GuestIsa::Aarch64;
  char resolved[PATH_MAX];
  std::string image = execFd >= 0 ? "/proc/self/fd/" + std::to_string(execFd) : o.prog;
  proc.exePath = realpath(image.c_str(), resolved) ? resolved : o.prog;
  if (execFd >= 0)
    close(execFd);
  // The task's name, as exec gives it: ps, top, /proc/self/comm and
  // /proc/self/stat show the guest program, not the translator.
  std::string comm = o.prog.substr(o.prog.find_last_of('/') + 1);
  prctl(PR_SET_NAME, comm.substr(0, 15).c_str());

  if (!proc.image.interpPath.empty()) {
    std::string interp =
        findInterpreter(o.sysroot, proc.abi->defaultSysroot, proc.image.interpPath,
                        proc.effectiveSysroot);
    if (interp.empty())
      fail(o.prog + ": program interpreter '" + proc.image.interpPath +
           "' not found (use -L SYSROOT)");
    if (!loadInterpreter(interp, proc.mem, proc.image, err))
      fail(interp + ": " + err);
  }

  proc.runnerArgs = runnerArgs(o, proc);
  proc.argv.push_back(o.argv0.empty() ? o.prog : o.argv0);
  proc.argv.insert(proc.argv.end(), o.args.begin(), o.args.end());
  if (!setupStack(proc.mem, proc.image, proc.abi->auxv, proc.argv, guestEnvironment(o),
                  proc.stack, err))
    fail(err);

  if (!linux_abi::initSignals(proc, err))
    fail(err);

  // perf names translated code by guest function. (Never destroyed: the
  // process ends by _exit with translation threads running.)
  if (jit::PerfMap::instance().enabled()) {
    auto *symbols = new GuestSymbols(proc.mem);
    jit::PerfMap::instance().setGuestNamer(
        [symbols](uint64_t pc) { return symbols->describe(pc); });
  }

  GuestThread thread;
  thread.process = &proc;
  thread.tid = getpid();
  if (a64) {
    thread.isa = GuestIsa::Aarch64;
    a64::A64State &s = thread.a64;
    s.pc = proc.image.entry;
    s.sp = proc.stack.sp;
    s.membase = proc.mem.base();
    s.memlimit = proc.mem.limit();
  } else {
    rv::RvState &s = thread.state;
    s.pc = proc.image.entry;
    s.x[2] = proc.stack.sp;
    s.reserve_addr = ~0ull;
    s.membase = proc.mem.base();
    s.memlimit = proc.mem.limit();
  }
  // The guest starts with the signal mask xlat-run was started with.
  sigset_t hostMask;
  pthread_sigmask(SIG_SETMASK, nullptr, &hostMask);
  for (int sig = 1; sig <= linux_abi::kNumSignals; ++sig)
    if (sigismember(&hostMask, sig) == 1)
      thread.abi.signals.blocked |= linux_abi::sigBit(sig);

  // exit_group or a fatal signal, from whichever thread: print the
  // statistics and go, without running the translator's destructors while
  // other guest threads may still be in translated code.
  Dispatcher *dispatcher = nullptr;
  o.run.endProcess = [&](const GuestExit &ex) {
    dispatcher->saveCache();
    if (o.stats)
      printStats(o, proc, dispatcher->stats(), ex);
    if (ex.kind == GuestExit::Signal)
      dieWithSignal(ex.code);
    fflush(nullptr);
    _exit(ex.code);
  };
  // Code translated with breakpoints in it is not for other runs.
  if (!o.gdb.empty())
    o.run.cache.enabled = false;
  std::unique_ptr<Dispatcher> d = Dispatcher::create(proc, o.run, err);
  if (!d)
    fail(err);
  if (!o.gdb.empty() && !d->attachGdb(o.gdb, err))
    fail(err);
  dispatcher = d.get();
  proc.dispatcher = d.get();
  GuestExit ex = d->run(thread);
  // The main thread called exit(2) but others run on: so does the process.
  if (d->liveThreads() > 0)
    pthread_exit(nullptr);
  o.run.endProcess({GuestExit::ProcessExit, ex.code});
  return ex.code;
}
