// MADV_DONTNEED on a private file mapping of code throws the written copy
// away: the file's code is back, with no store the translator could see,
// and Linux runs it (new pages are coherent). The syscall drops the
// translations. Not compared with qemu-riscv64: 7.2 discards the page but
// keeps running its old translation.
//
// RUN: %rv-cc -O2 -I %S/Inputs %s -o %t
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t | FileCheck %s || exit 1; done
#include "smc_encode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

typedef long (*fn_t)(long);

int main(void) {
  char path[] = "/tmp/xlat-smc-XXXXXX";
  int fd = mkstemp(path);
  unlink(path);
  static uint32_t file[1024];
  file[0] = rv_addi(A0, A0, 1);
  file[1] = rv_ret();
  if (write(fd, file, sizeof file) != sizeof file)
    return 1;
  volatile uint32_t *c = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                              MAP_PRIVATE, fd, 0);
  fn_t f = (fn_t)c;
  long a = f(100);
  c[0] = rv_addi(A0, A0, 2);
  long b = f(100);
  int r = madvise((void *)c, 4096, MADV_DONTNEED);
  printf("file code %ld, written %ld, madvise %d, after MADV_DONTNEED %ld\n",
         a, b, r, f(100));
  // CHECK: file code 101, written 102, madvise 0, after MADV_DONTNEED 101

  // Anonymous memory reads back as zeroes: new code can go there as usual.
  volatile uint32_t *z = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  z[0] = rv_addi(A0, A0, 3);
  z[1] = rv_ret();
  a = ((fn_t)z)(100);
  madvise((void *)z, 4096, MADV_DONTNEED);
  printf("anonymous: %ld, zeroed %u\n", a, z[0]);
  z[0] = rv_addi(A0, A0, 4);
  z[1] = rv_ret();
  printf("rewritten after MADV_DONTNEED: %ld\n", ((fn_t)z)(100));
  // CHECK-NEXT: anonymous: 103, zeroed 0
  // CHECK-NEXT: rewritten after MADV_DONTNEED: 104
  return 0;
}
