// The tiny bare-metal runtime: console, formatting, exit, mode switches and
// the default trap handlers (see bare.h).
#include "bare.h"

#include <stdarg.h>

// --- console

#ifndef BARE_SMODE
void putc_(char c) {
  volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
  while (!(uart[5] & 0x20))
    ;
  uart[0] = (uint8_t)c;
}
#else
void putc_(char c) { sbi_call(1, 0, (unsigned char)c, 0, 0); } // legacy putchar
#endif

struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2) {
  register long r0 __asm__("a0") = a0;
  register long r1 __asm__("a1") = a1;
  register long r2 __asm__("a2") = a2;
  register long r6 __asm__("a6") = fid;
  register long r7 __asm__("a7") = eid;
  __asm__ volatile("ecall"
                   : "+r"(r0), "+r"(r1)
                   : "r"(r2), "r"(r6), "r"(r7)
                   : "memory");
  struct sbiret r = {r0, r1};
  return r;
}

void puts_(const char *s) {
  while (*s)
    putc_(*s++);
}

static void put_hex(uint64_t v, int width) {
  char b[16];
  int n = 0;
  do {
    b[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  while (n < width && n < 16)
    b[n++] = '0';
  while (n)
    putc_(b[--n]);
}

static void put_udec(uint64_t v) {
  char b[20];
  int n = 0;
  do {
    b[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    putc_(b[--n]);
}

void print_hex(uint64_t v) {
  puts_("0x");
  put_hex(v, 0);
}

void print_dec(int64_t v) {
  if (v < 0) {
    putc_('-');
    put_udec(-(uint64_t)v);
  } else {
    put_udec((uint64_t)v);
  }
}

void bprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') {
      putc_(*p);
      continue;
    }
    p++;
    int width = 0;
    while (*p >= '0' && *p <= '9')
      width = width * 10 + (*p++ - '0');
    int isLong = 0;
    while (*p == 'l') {
      isLong = 1;
      p++;
    }
    switch (*p) {
    case 'c': putc_((char)va_arg(ap, int)); break;
    case 's': puts_(va_arg(ap, const char *)); break;
    case 'd': print_dec(isLong ? va_arg(ap, long) : va_arg(ap, int)); break;
    case 'u': put_udec(isLong ? va_arg(ap, unsigned long) : va_arg(ap, unsigned)); break;
    case 'x': put_hex(isLong ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), width); break;
    case '%': putc_('%'); break;
    case 0: p--; break;
    default: putc_('%'); putc_(*p); break;
    }
  }
  va_end(ap);
}

// --- exit

void exit_with(int code) {
#ifdef BARE_SMODE
  // Status 0 through SBI SRST (shutdown, no reason); a failure straight at
  // the test device (OpenSBI's failure shutdown has no status to give), the
  // SBI if PMP or paging keeps it out.
  if (code == 0)
    sbi_call(0x53525354, 0, 0, 0, 0);
#endif
  volatile uint32_t *test = (volatile uint32_t *)TEST_BASE;
  *test = code == 0 ? 0x5555 : 0x3333 | (uint32_t)code << 16;
#ifdef BARE_SMODE
  sbi_call(0x53525354, 0, 0, 1, 0);
#endif
  for (;;)
    ;
}

// --- traps

static void unexpected(const char *who, struct frame *f) {
  bprintf("unexpected %s trap: cause %lx epc %lx tval %lx\n", who, f->cause,
          f->epc, f->tval);
  exit_with(1);
}

__attribute__((weak)) void trap(struct frame *f) { unexpected("M", f); }
__attribute__((weak)) void strap(struct frame *f) { unexpected("S", f); }

void bare_strap(struct frame *f);
void bare_strap(struct frame *f) {
#ifndef BARE_SMODE
  // run_in()'s return ecall from U, delegated here by medeleg: on to M.
  if (f->cause == 8 && f->x[17] == BARE_RETURN_MAGIC)
    back_to_m((long)f->x[10]);
#endif
  strap(f);
}

#ifndef BARE_SMODE
struct bare_jmp {
  uint64_t ra, sp, s[12];
};
long bare_setjmp(struct bare_jmp *j) __attribute__((returns_twice));
void bare_longjmp(struct bare_jmp *j, long v) __attribute__((noreturn));
void bare_mode_entry(void);
extern char __mtrap_stack_top[], __strap_stack_top[];

static struct bare_jmp *run_in_jmp;
static long run_in_result;

void bare_mtrap(struct frame *f);
void bare_mtrap(struct frame *f) {
  if ((f->cause == 8 || f->cause == 9) && f->x[17] == BARE_RETURN_MAGIC &&
      run_in_jmp) {
    run_in_result = (long)f->x[10];
    // The vectors' stacks are free again (the return may have come through
    // the S vector).
    csr_write(mscratch, __mtrap_stack_top);
    csr_write(sscratch, __strap_stack_top);
    bare_longjmp(run_in_jmp, 1);
  }
  trap(f);
}

long run_in(int mode, long (*fn)(long), long arg) {
  struct bare_jmp j;
  struct bare_jmp *volatile outer = run_in_jmp;
  volatile uint64_t mie = csr_read(mstatus) & MSTATUS_MIE;
  if (bare_setjmp(&j) == 0) {
    run_in_jmp = &j;
    csr_clear(mstatus, MSTATUS_MPP | MSTATUS_MPIE);
    csr_set(mstatus, (uint64_t)mode << 11);
    csr_write(mepc, (uint64_t)bare_mode_entry);
    register long a0 __asm__("a0") = (long)fn;
    register long a1 __asm__("a1") = arg;
    __asm__ volatile("mret" ::"r"(a0), "r"(a1) : "memory");
    __builtin_unreachable();
  }
  run_in_jmp = outer;
  csr_clear(mstatus, MSTATUS_MIE);
  csr_set(mstatus, mie);
  return run_in_result;
}
#endif

void back_to_m(long v) {
  register long a0 __asm__("a0") = v;
  register long a7 __asm__("a7") = BARE_RETURN_MAGIC;
  __asm__ volatile("ecall" ::"r"(a0), "r"(a7) : "memory");
  for (;;)
    ;
}
