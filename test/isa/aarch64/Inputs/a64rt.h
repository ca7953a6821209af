// A minimal freestanding runtime for the A64 guest's test programs (no
// libc for AArch64 on the build machine, and no FP or AdvSIMD yet): raw
// system calls, output, and what the compiler may call. Programs define
// main(argc, argv, envp); _start below calls it and exits with its value.
#pragma once

typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;
typedef unsigned char u8;

static inline i64 sys6(i64 nr, i64 a, i64 b, i64 c, i64 d, i64 e, i64 f) {
  register i64 x8 __asm__("x8") = nr;
  register i64 x0 __asm__("x0") = a;
  register i64 x1 __asm__("x1") = b;
  register i64 x2 __asm__("x2") = c;
  register i64 x3 __asm__("x3") = d;
  register i64 x4 __asm__("x4") = e;
  register i64 x5 __asm__("x5") = f;
  __asm__ volatile("svc #0"
                   : "+r"(x0)
                   : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                   : "memory");
  return x0;
}
#define sys3(nr, a, b, c) sys6(nr, (i64)(a), (i64)(b), (i64)(c), 0, 0, 0)

enum {
  SYS_write = 64, SYS_exit = 93, SYS_exit_group = 94, SYS_futex = 98,
  SYS_kill = 129, SYS_tgkill = 131, SYS_rt_sigaction = 134,
  SYS_rt_sigprocmask = 135, SYS_getpid = 172, SYS_gettid = 178,
  SYS_munmap = 215, SYS_clone = 220, SYS_mmap = 222,
};

void *memcpy(void *d, const void *s, u64 n) {
  u8 *dd = d;
  const u8 *ss = s;
  while (n--)
    *dd++ = *ss++;
  return d;
}
void *memset(void *d, int c, u64 n) {
  u8 *dd = d;
  while (n--)
    *dd++ = (u8)c;
  return d;
}
void *memmove(void *d, const void *s, u64 n) {
  u8 *dd = d;
  const u8 *ss = s;
  if (dd < ss)
    return memcpy(d, s, n);
  while (n--)
    dd[n] = ss[n];
  return d;
}
int memcmp(const void *a, const void *b, u64 n) {
  const u8 *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y)
      return *x - *y;
  return 0;
}

static u64 slen(const char *s) {
  u64 n = 0;
  while (s[n])
    n++;
  return n;
}

// Output is buffered and written at exit (or when full), so that threads'
// lines are not torn.
static char outbuf[1 << 16];
static u64 outlen;
static void flush(void) {
  if (outlen)
    sys3(SYS_write, 1, outbuf, outlen);
  outlen = 0;
}
static void puts_(const char *s) {
  u64 n = slen(s);
  if (outlen + n > sizeof outbuf)
    flush();
  memcpy(outbuf + outlen, s, n);
  outlen += n;
}
static void putu(u64 v, unsigned base) {
  char b[24];
  int i = 23;
  b[i] = 0;
  do {
    b[--i] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  puts_(b + i);
}
static void puti(i64 v) {
  if (v < 0) {
    puts_("-");
    putu(-(u64)v, 10);
  } else {
    putu(v, 10);
  }
}
static void putx(u64 v) {
  puts_("0x");
  putu(v, 16);
}

int main(int argc, char **argv, char **envp);

__attribute__((noreturn)) void exit_(int status) {
  flush();
  sys3(SYS_exit_group, status, 0, 0);
  __builtin_unreachable();
}

__attribute__((used)) void start_c(u64 *sp) {
  int argc = (int)sp[0];
  char **argv = (char **)(sp + 1);
  exit_(main(argc, argv, argv + argc + 1));
}

__asm__(".globl _start\n"
        "_start:\n"
        "  mov x0, sp\n"
        "  bl start_c\n");
