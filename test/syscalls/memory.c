// Address-space syscalls: mmap (anonymous, private file, shared file),
// munmap, mprotect, mremap, brk (through sbrk), madvise(MADV_DONTNEED).
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %xlat-run --tier=interp %t %t.dir | FileCheck %s
// RUN: %xlat-run --tier=block %t %t.dir | FileCheck %s
// RUN: %xlat-run --tier=template %t %t.dir | FileCheck %s

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const long pg = 4096;
  char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("mmap anon: %d aligned=%d zero=%d\n", p != MAP_FAILED,
         ((long)p & (pg - 1)) == 0, p[0] == 0 && p[4 * pg - 1] == 0);
  memset(p, 'x', 4 * pg);
  printf("madvise: %d\n", madvise(p + pg, 2 * pg, MADV_DONTNEED));
  printf("after dontneed: %c %d %d %c\n", p[0], p[pg], p[3 * pg - 1],
         p[3 * pg]);
  printf("madvise unaligned: %d errno=%d\n", madvise(p + 1, pg, MADV_DONTNEED),
         errno);
  printf("madvise hint: %d\n", madvise(p, 4 * pg, MADV_WILLNEED));
  printf("mprotect: %d\n", mprotect(p, pg, PROT_READ));
  printf("read-only still readable: %c\n", p[0]);
  p[3 * pg] = 'y';
  char *q = mremap(p + 3 * pg, pg, 8 * pg, MREMAP_MAYMOVE);
  printf("mremap: %d kept=%c grown-zero=%d\n", q != MAP_FAILED, q[0],
         q[8 * pg - 1] == 0);
  printf("munmap: %d %d\n", munmap(p, 3 * pg), munmap(q, 8 * pg));
  errno = 0;
  printf("munmap unaligned: %d errno=%d\n", munmap(p + 1, pg), errno);

  // brk grows the heap in place.
  char *b0 = sbrk(0);
  char *b1 = sbrk(3 * pg);
  memset(b1, 'h', 3 * pg);
  printf("sbrk: same=%d grew=%ld\n", b0 == b1, (long)((char *)sbrk(0) - b0));
  sbrk(-3 * pg);
  printf("sbrk shrink: %d\n", sbrk(0) == b0);

  // A private file mapping reads the file; DONTNEED brings the file back.
  chdir(argv[1]);
  int fd = open("m.bin", O_CREAT | O_RDWR | O_TRUNC, 0600);
  char page[4096];
  memset(page, 'f', sizeof page);
  write(fd, page, sizeof page);
  char *f = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  printf("file map: %c\n", f[10]);
  f[10] = 'P';
  madvise(f, pg, MADV_DONTNEED);
  printf("private after dontneed: %c\n", f[10]);
  munmap(f, pg);
  // A shared mapping writes through to the file.
  char *s = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  s[0] = 'S';
  msync(s, pg, MS_SYNC);
  char c = 0;
  pread(fd, &c, 1, 0);
  printf("shared write-through: %c\n", c);
  munmap(s, pg);
  close(fd);
  unlink("m.bin");
  return 0;
}

// CHECK:      mmap anon: 1 aligned=1 zero=1
// CHECK-NEXT: madvise: 0
// CHECK-NEXT: after dontneed: x 0 0 x
// CHECK-NEXT: madvise unaligned: -1 errno=22
// CHECK-NEXT: madvise hint: 0
// CHECK-NEXT: mprotect: 0
// CHECK-NEXT: read-only still readable: x
// CHECK-NEXT: mremap: 1 kept=y grown-zero=1
// CHECK-NEXT: munmap: 0 0
// CHECK-NEXT: munmap unaligned: -1 errno=22
// CHECK-NEXT: sbrk: same=1 grew=12288
// CHECK-NEXT: sbrk shrink: 1
// CHECK-NEXT: file map: f
// CHECK-NEXT: private after dontneed: f
// CHECK-NEXT: shared write-through: S
