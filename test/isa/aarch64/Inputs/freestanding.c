// An A64 program without a libc that exercises what the interpreter and
// the Linux ABI give it: arguments and auxv, integer code the compiler
// makes of loops, recursion, jump tables and 128-bit arithmetic, atomics
// (LL/SC for ARMv8.0, LSE for ARMv8.1), threads made by clone with TLS,
// and signal frames: handlers that read and edit the ucontext, with and
// without SA_RESTORER. Its output and exit status are compared with
// qemu-aarch64's.
#include "a64rt.h"

// --- integer code -----------------------------------------------------------

static u64 lcg(u64 *s) { return *s = *s * 6364136223846793005ull + 1442695040888963407ull; }

static int sieve(int n) {
  static u8 composite[100001];
  int count = 0;
  for (int i = 2; i <= n; i++) {
    if (composite[i])
      continue;
    count++;
    for (int j = 2 * i; j <= n; j += i)
      composite[j] = 1;
  }
  return count;
}

static u64 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static void quicksort(i64 *a, i64 lo, i64 hi) {
  while (lo < hi) {
    i64 p = a[(lo + hi) / 2], i = lo, j = hi;
    while (i <= j) {
      while (a[i] < p)
        i++;
      while (a[j] > p)
        j--;
      if (i <= j) {
        i64 t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    quicksort(a, lo, j);
    lo = i;
  }
}

// A switch dense enough for a jump table.
__attribute__((noinline)) static u64 op(u32 k, u64 a, u64 b) {
  switch (k % 12) {
  case 0: return a + b;
  case 1: return a - b;
  case 2: return a * b;
  case 3: return b ? a / b : 7;
  case 4: return a ^ (b << 3);
  case 5: return (i64)a >> (b & 63);
  case 6: return a | ~b;
  case 7: return (u64)((unsigned __int128)a * b >> 64);
  case 8: return (u64)((__int128)(i64)a * (i64)b >> 64);
  case 9: return __builtin_clzll(a | 1) + __builtin_ctzll(b | (1ull << 63));
  case 10: return (a << 32) | (b >> 32);
  default: return a % (b | 1);
  }
}

struct Pair {
  i64 key;
  char name[12];
};

static void integers(void) {
  puts_("primes ");
  puti(sieve(100000));
  puts_(" fib ");
  putu(fib(25), 10);
  puts_("\n");

  static i64 a[2000];
  u64 seed = 1;
  for (int i = 0; i < 2000; i++)
    a[i] = (i64)(lcg(&seed) >> 20) - (1ll << 42);
  quicksort(a, 0, 1999);
  u64 sum = 0;
  int sorted = 1;
  for (int i = 0; i < 2000; i++) {
    sum = sum * 31 + (u64)a[i];
    if (i && a[i - 1] > a[i])
      sorted = 0;
  }
  puts_("sorted ");
  puti(sorted);
  puts_(" ");
  putx(sum);
  puts_("\n");

  u64 h = 0;
  for (u32 k = 0; k < 600; k++)
    h = h * 1000003 ^ op(k, lcg(&seed), k % 5 == 0 ? 0 : lcg(&seed) >> (k % 60));
  puts_("ops ");
  putx(h);
  puts_("\n");

  // Division as A64 defines it: by zero gives zero, INT64_MIN / -1 wraps.
  volatile i64 zero = 0, min = (i64)(1ull << 63), m1 = -1;
  puts_("div ");
  puti(17 / (zero + 1) + (i64)((u64)17 / (u64)(zero ? zero : 1)));
  puts_(" ");
  puti(min / m1 == min);
  puts_("\n");

  struct Pair ps[4] = {{3, "three"}, {1, "one"}, {4, "four"}, {2, "two"}};
  for (int i = 1; i < 4; i++)
    for (int j = i; j > 0 && ps[j - 1].key > ps[j].key; j--) {
      struct Pair t = ps[j];
      ps[j] = ps[j - 1];
      ps[j - 1] = t;
    }
  for (int i = 0; i < 4; i++) {
    puts_(ps[i].name);
    puts_(i < 3 ? " " : "\n");
  }
}

// --- threads and atomics -------------------------------------------------------

enum {
  CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
  CLONE_THREAD = 0x10000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000,
  CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000,
};

// spawn(fn, arg, stack_top, &tid, tls): a thread that runs fn(arg) on its
// stack and exits; the kernel clears tid and wakes it when it does.
long spawn(void (*fn)(void *), void *arg, void *stack, volatile u32 *tid, void *tls);
__asm__(".globl spawn\n"
        "spawn:\n"
        "  mov x10, x0\n"
        "  mov x11, x1\n"
        "  mov x1, x2\n"              // newsp
        "  mov x2, x3\n"              // parent_tid
        "  mov x5, x3\n"
        "  mov x3, x4\n"              // tls
        "  mov x4, x5\n"              // child_tid
        "  movz x0, #0x0f00\n"
        "  movk x0, #0x3d, lsl #16\n" // VM FS FILES SIGHAND THREAD SYSVSEM SETTLS P_SETTID C_CLEARTID
        "  mov x8, #220\n"
        "  svc #0\n"
        "  cbnz x0, 1f\n"
        "  mov x0, x11\n"
        "  blr x10\n"
        "  mov x0, #0\n"
        "  mov x8, #93\n"             // exit: this thread only
        "  svc #0\n"
        "1: ret\n");

static u64 counter, casCounter, maxSeen;
static u64 perThread[4];

static void worker(void *arg) {
  u64 id = (u64)arg, tls;
  __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tls));
  for (int i = 0; i < 20000; i++) {
    __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
    u64 old = __atomic_load_n(&casCounter, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(&casCounter, &old, old + 2, 1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED)) {
    }
    u64 v = id * 100000 + i, seen = __atomic_load_n(&maxSeen, __ATOMIC_RELAXED);
    while (v > seen &&
           !__atomic_compare_exchange_n(&maxSeen, &seen, v, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
    }
  }
  perThread[id] = tls - 0x1000 * id; // TLS as clone set it
}

static void threads(void) {
  static volatile u32 tids[4];
  for (u64 t = 0; t < 4; t++) {
    char *stack = (char *)sys6(SYS_mmap, 0, 1 << 16, 3, 0x22, -1, 0);
    long r = spawn(worker, (void *)t, stack + (1 << 16), &tids[t], (void *)(0x1000 * t + 0x77));
    if (r <= 0) {
      puts_("clone failed\n");
      return;
    }
  }
  for (int t = 0; t < 4; t++)
    for (u32 v; (v = tids[t]) != 0;)
      sys6(SYS_futex, (i64)&tids[t], 0 /* FUTEX_WAIT */, v, 0, 0, 0);
  puts_("threads ");
  putu(counter, 10);
  puts_(" ");
  putu(casCounter, 10);
  puts_(" ");
  putu(maxSeen, 10);
  for (int t = 0; t < 4; t++) {
    puts_(" ");
    putx(perThread[t]);
  }
  u64 x = 5;
  u64 old = __atomic_exchange_n(&x, 9, __ATOMIC_SEQ_CST);
  u32 y = 0xf0;
  __atomic_fetch_and(&y, 0x3c, __ATOMIC_SEQ_CST);
  __atomic_fetch_or(&y, 0x101, __ATOMIC_SEQ_CST);
  __atomic_fetch_xor(&y, 0xff, __ATOMIC_SEQ_CST);
  puts_(" xchg ");
  putu(old, 10);
  putu(x, 10);
  puts_(" bits ");
  putx(y);
  puts_("\n");
}

// --- signals -------------------------------------------------------------------

enum { SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12 };
enum { SA_SIGINFO = 4, SA_RESTORER = 0x04000000 };

struct Sigaction {
  void (*handler)(int, void *, void *);
  u64 flags;
  void (*restorer)(void);
  u64 mask;
};

struct Sigcontext {
  u64 fault_address;
  u64 regs[31];
  u64 sp, pc, pstate;
  u8 reserved[4096] __attribute__((aligned(16)));
};
struct Ucontext {
  u64 flags;
  void *link;
  struct {
    void *sp;
    int flags;
    u64 size;
  } stack;
  u64 sigmask;
  u8 unused[120];
  struct Sigcontext mc __attribute__((aligned(16)));
};

void restorer(void);
__asm__(".globl restorer\nrestorer:\n  mov x8, #139\n  svc #0\n");

static volatile int handled, editV;

static void handler(int sig, void *info, void *ucv) {
  struct Ucontext *uc = ucv;
  const i32 *si = info;
  u64 blocked;
  sys6(SYS_rt_sigprocmask, 0, 0, (i64)&blocked, 8, 0, 0);
  puts_("signal ");
  puti(sig);
  // An undefined instruction is ILL_ILLOPC (1) in Linux's do_undefinstr;
  // qemu-aarch64 says ILL_ILLOPN (2). Not compared.
  if (sig != SIGILL) {
    puts_(" code ");
    puti(si[2]);
  }
  puts_(" blocked ");
  putu((blocked >> (sig - 1)) & 1, 10);
  u32 magic, size;
  memcpy(&magic, uc->mc.reserved, 4);
  memcpy(&size, uc->mc.reserved + 4, 4);
  puts_(" fpsimd ");
  putx(magic);
  puts_("/");
  putu(size, 10);
  if (sig == SIGSEGV || sig == SIGBUS) {
    u64 addr;
    memcpy(&addr, (const u8 *)info + 16, 8);
    puts_(" addr ");
    putx(addr);
    puts_(" far ");
    putx(uc->mc.fault_address);
  }
  if (sig != SIGUSR1 && sig != SIGUSR2) {
    // Skip the faulting instruction; x2 was set by the faulting asm.
    puts_(" x2 ");
    putx(uc->mc.regs[2]);
    uc->mc.pc += 4;
    uc->mc.regs[3] = 0xabc; // seen after the return
  }
  if (editV) { // v0 as the frame's fpsimd_context holds it, then changed
    u64 v[2];
    memcpy(v, uc->mc.reserved + 16, 16);
    puts_(" v0 ");
    putx(v[1]);
    puts_(":");
    putx(v[0]);
    v[0] = ~v[0];
    v[1] ^= 0xff;
    memcpy(uc->mc.reserved + 16, v, 16);
  }
  puts_("\n");
  handled++;
}

static void install(int sig, u64 flags) {
  struct Sigaction sa = {handler, SA_SIGINFO | flags, (flags & SA_RESTORER) ? restorer : 0, 0};
  sys6(SYS_rt_sigaction, sig, (i64)&sa, 0, 8, 0, 0);
}

// Runs `insn` with x1 = addr and x2 = a marker; returns x3 as the handler
// left it.
#define FAULT(insn, addr)                                                                \
  ({                                                                                     \
    register u64 x1 __asm__("x1") = (addr);                                             \
    register u64 x2 __asm__("x2") = 0x5151;                                             \
    register u64 x3 __asm__("x3") = 0;                                                  \
    __asm__ volatile(insn : "+r"(x3) : "r"(x1), "r"(x2) : "x0", "memory");              \
    x3;                                                                                  \
  })

static void signals(void) {
  install(SIGUSR1, SA_RESTORER);
  install(SIGUSR2, 0); // returns through the kernel's trampoline
  install(SIGSEGV, SA_RESTORER);
  install(SIGBUS, SA_RESTORER);
  install(SIGILL, SA_RESTORER);
  install(SIGTRAP, SA_RESTORER);
  i64 pid = sys3(SYS_getpid, 0, 0, 0);
  sys3(SYS_kill, pid, SIGUSR1, 0);
  sys3(SYS_kill, pid, SIGUSR2, 0);
  u64 r = FAULT("ldr x0, [x1]", 16);
  puts_("after segv ");
  putx(r);
  puts_("\n");
  static u64 aligned[4];
  r = FAULT("ldxr x0, [x1]", (u64)aligned + 4);
  puts_("after bus ");
  putx(r);
  puts_("\n");
  r = FAULT(".inst 0x00000000", 0); // udf #0
  puts_("after ill ");
  putx(r);
  puts_("\n");
  r = FAULT("brk #1", 0);
  puts_("after trap ");
  putx(r);
  puts_("\n");
  // The V registers go through the frame: loaded before a fault, edited
  // by the handler, stored after it (no AdvSIMD arithmetic yet, and the
  // compiler uses no V register under -mgeneral-regs-only).
  static u64 vbuf[2] = {0x1111222233334444ull, 0x5555666677778888ull};
  editV = 1;
  {
    register u64 x1 __asm__("x1") = 16;
    register u64 x2 __asm__("x2") = 0x5151;
    register u64 x5 __asm__("x5") = (u64)vbuf;
    __asm__ volatile(".inst 0x3dc000a0\n  ldr x0, [x1]\n  .inst 0x3d8000a0" // ldr q0, [x5]; str q0, [x5]
                     :
                     : "r"(x1), "r"(x2), "r"(x5)
                     : "x0", "x3", "memory");
  }
  editV = 0;
  puts_("after v ");
  putx(vbuf[1]);
  puts_(":");
  putx(vbuf[0]);
  puts_("\nhandled ");
  puti(handled);
  puts_("\n");
}

// --- system registers, dc zva, code written at run time ---------------------

static void syncCode(void *p, u64 n) {
  for (u64 a = (u64)p & ~63ull; a < (u64)p + n; a += 64)
    __asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
  __asm__ volatile("dsb ish" ::: "memory");
  for (u64 a = (u64)p & ~63ull; a < (u64)p + n; a += 64)
    __asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
  __asm__ volatile("dsb ish\n  isb" ::: "memory");
}

static void sysregs(u64 hwcap) {
  u64 frq, t0, t1, ctr, dczid;
  __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
  __asm__ volatile("mrs %0, cntvct_el0" : "=r"(t0));
  i64 ts[2] = {0, 20000000}; // 20 ms
  sys3(101 /* nanosleep */, ts, 0, 0);
  __asm__ volatile("mrs %0, cntvct_el0" : "=r"(t1));
  puts_("counter ");
  puts_(frq && t1 - t0 >= frq / 100 && t1 - t0 <= 2 * frq ? "ok" : "wrong");
  __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
  __asm__ volatile("mrs %0, dczid_el0" : "=r"(dczid));
  puts_(" ctr ");
  puts_(((ctr >> 16) & 15) >= 2 && (ctr & 15) >= 2 ? "ok" : "wrong");

  // dc zva zeroes exactly the aligned block DCZID_EL0 gives.
  static u8 buf[8192] __attribute__((aligned(4096)));
  u64 bs = 4ull << (dczid & 15);
  int zva = !(dczid & 16) && bs <= 2048;
  if (zva) {
    memset(buf, 0xff, sizeof buf);
    u8 *at = buf + 3000;
    __asm__ volatile("dc zva, %0" : : "r"(at) : "memory");
    u64 lo = ((u64)at & ~(bs - 1)) - (u64)buf;
    for (u64 k = 0; k < sizeof buf; k++)
      if (buf[k] != (k >= lo && k < lo + bs ? 0 : 0xff))
        zva = 0;
  }
  puts_(" zva ");
  puts_(zva ? "ok" : "wrong");

  // The ID registers through the kernel's mrs emulation.
  if (hwcap & (1u << 11)) {
    u64 midr, isar0, pfr0;
    __asm__ volatile("mrs %0, midr_el1" : "=r"(midr));
    __asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
    __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
    puts_(" fp-asimd ");
    putu((pfr0 >> 16 & 15) != 15 && (pfr0 >> 20 & 15) != 15 && (hwcap & 3) == 3, 10);
    puts_(" cpuid crc32 ");
    putu((isar0 >> 16 & 15) >= 1, 10);
    puts_(" atomics ");
    putu((isar0 >> 20 & 15) >= 2, 10);
    puts_(" midr-arch ");
    putx(midr >> 16 & 15);
  }
  puts_("\n");

  // Code written, made current (dc cvau, ic ivau, isb), run, rewritten.
  u32 *code = (u32 *)sys6(SYS_mmap, 0, 4096, 7 /* rwx */, 0x22, -1, 0);
  u64 sum = 0;
  for (u32 k = 1; k <= 3; k++) {
    code[0] = 0x52800000 | (k * 111) << 5; // movz w0, #k*111
    code[1] = 0xd65f03c0;                  // ret
    syncCode(code, 8);
    u64 v = ((u64(*)(void))code)();
    puts_(k == 1 ? "jit " : " ");
    putu(v, 10);
    sum += v;
  }
  puts_("\n");
}

// --- main --------------------------------------------------------------------

int main(int argc, char **argv, char **envp) {
  puts_("argc ");
  puti(argc);
  for (int i = 1; i < argc; i++) {
    puts_(" ");
    puts_(argv[i]);
  }
  puts_("\n");
  char **p = envp;
  while (*p)
    p++;
  u64 *auxv = (u64 *)(p + 1);
  u64 pagesz = 0, hwcap = 0;
  for (; auxv[0]; auxv += 2) {
    if (auxv[0] == 6)
      pagesz = auxv[1];
    if (auxv[0] == 16)
      hwcap = auxv[1];
  }
  char uts[6 * 65];
  sys3(160 /* uname */, uts, 0, 0);
  puts_("machine ");
  puts_(uts + 4 * 65);
  puts_(" pagesz ");
  putu(pagesz, 10);
  puts_(" crc32+atomics ");
  putu((hwcap >> 7 & 3) == 3, 10);
  puts_("\n");
  integers();
  sysregs(hwcap);
  threads();
  signals();
  return 3;
}
