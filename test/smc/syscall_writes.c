// Code that reaches its page through syscalls, not stores: read(),
// pread(), readv() and a pipe put new code over translated code, which
// then runs in its new form without fence.i. The kernel writes such a page
// itself, where a write-protected page would make the syscall fail with
// EFAULT instead of faulting, so the syscall layer makes it writable
// first. Syscalls whose results the runtime copies out (fstat) and ones
// that only read the page (write) work on it too.
//
// RUN: %rv-cc -O2 -I %S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: FileCheck %s < %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
#include "smc_encode.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

typedef long (*fn_t)(long);

static void version(uint32_t out[2], int k) {
  out[0] = rv_addi(A0, A0, k);
  out[1] = rv_ret();
}

static void check(const char *what, long r, long expect) {
  printf("%s: %ld%s\n", what, r, r == expect ? "" : " WRONG");
}

int main(void) {
  char path[] = "/tmp/xlat-smc-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    return 1;
  unlink(path);
  uint32_t v[4];
  version(v, 1);
  version(v + 2, 2);
  if (write(fd, v, sizeof v) != sizeof v)
    return 1;

  uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  fn_t f = (fn_t)code;
  long n = pread(fd, code, 8, 0);
  check("pread v1", f(100) + n * 1000, 8101);
  // CHECK: pread v1: 8101

  n = pread(fd, code, 8, 8);
  check("pread v2", f(100) + n * 1000, 8102);
  // CHECK-NEXT: pread v2: 8102

  lseek(fd, 0, SEEK_SET);
  n = read(fd, code, 8);
  check("read v1", f(100) + n * 1000, 8101);
  // CHECK-NEXT: read v1: 8101

  // Four bytes each: the instruction is split between the two buffers.
  struct iovec iov[2] = {{code, 4}, {code + 1, 4}};
  n = readv(fd, iov, 2);
  check("readv v2", f(100) + n * 1000, 8102);
  // CHECK-NEXT: readv v2: 8102

  int p[2];
  if (pipe(p))
    return 1;
  uint32_t v7[2];
  version(v7, 7);
  n = write(p[1], v7, sizeof v7) + read(p[0], code, 8);
  check("pipe v7", f(100) + n * 1000, 16107);
  // CHECK-NEXT: pipe v7: 16107

  // The kernel reads the translated page: it goes out as it is.
  uint32_t back[2] = {0, 0};
  n = write(p[1], code, 8) + read(p[0], back, 8);
  printf("written from code: %ld bytes, same=%d\n", n,
         memcmp(back, code, 8) == 0);
  // CHECK-NEXT: written from code: 16 bytes, same=1

  // The runtime copies a struct stat out into the translated page.
  struct stat *st = (struct stat *)(code + 256);
  int r = fstat(fd, st);
  printf("fstat into code page: %d size=%lld\n", r, (long long)st->st_size);
  check("after fstat", f(100), 107);
  // CHECK-NEXT: fstat into code page: 0 size=16
  // CHECK-NEXT: after fstat: 107

  // Reads that fail leave the page alone.
  n = read(-1, code, 8);
  check("failed read", f(100) + (n < 0), 108);
  // CHECK-NEXT: failed read: 108
  return 0;
}
