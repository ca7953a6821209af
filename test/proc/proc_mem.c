// /proc/self/mem as a debugger or a JIT uses it: offsets are the program's
// own addresses, reads and writes through pread/pwrite, lseek + read/write,
// readv/writev and a dup'd descriptor; writes reach read-only pages; an
// unmapped address is EIO; code patched through it runs patched (no fence:
// the write is the kernel's). And the task's name is the program's, and
// /proc/self/stat's address-space fields describe the program's memory.
// The host kernel is the oracle: the same test built natively must print
// the same, apart from the riscv-only code patch.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: for t in %{tiers}; do \
// RUN:   %xlat-run --tier=$t %t > %t.out || exit 1; \
// RUN:   FileCheck %s --check-prefixes=CHECK,RV < %t.out || exit 1; done
// RUN: %host-cc -O2 %s -o %t.host
// RUN: %t.host | FileCheck %s
//
// CHECK: pread: 1111
// CHECK-NEXT: pwrite: 2222
// CHECK-NEXT: read at lseek: 2222
// CHECK-NEXT: write at lseek: 3333 pos+8: yes
// CHECK-NEXT: readv: 3333 4444
// CHECK-NEXT: dup: 3333
// CHECK-NEXT: read-only page written: 77
// CHECK-NEXT: unmapped: -1 EIO
// CHECK-NEXT: partly mapped: 4096
// CHECK-NEXT: far away: -1 EIO
// CHECK-NEXT: comm: proc_mem.c.tmp{{.?$}}
// CHECK-NEXT: stat comm: (proc_mem.c.tmp{{.?}})
// CHECK-NEXT: stat fields: 52 code 1 1 stack 1 args 1 1 env 1 1 data 1 brk 1 vsize 1
// RV-NEXT: code before: 1
// RV-NEXT: code after: 2

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

static volatile long a = 1111, b = 4444;

static const char *errName(int e) { return e == EIO ? "EIO" : strerror(e); }

extern char edata[], end[];

int main(int argc, char **argv, char **envp) {
  int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    perror("open /proc/self/mem");
    return 1;
  }
  long v = 0;
  pread(fd, &v, sizeof v, (off_t)(uintptr_t)&a);
  printf("pread: %ld\n", v);
  v = 2222;
  pwrite(fd, &v, sizeof v, (off_t)(uintptr_t)&a);
  printf("pwrite: %ld\n", a);

  lseek(fd, (off_t)(uintptr_t)&a, SEEK_SET);
  v = 0;
  read(fd, &v, sizeof v);
  printf("read at lseek: %ld\n", v);
  lseek(fd, (off_t)(uintptr_t)&a, SEEK_SET);
  v = 3333;
  write(fd, &v, sizeof v);
  off_t pos = lseek(fd, 0, SEEK_CUR);
  printf("write at lseek: %ld pos+8: %s\n", a,
         pos == (off_t)(uintptr_t)&a + 8 ? "yes" : "no");

  long r1 = 0, r2 = 0;
  struct iovec iov[2] = {{&r1, sizeof r1}, {&r2, sizeof r2}};
  lseek(fd, (off_t)(uintptr_t)&a, SEEK_SET);
  readv(fd, iov, 1);
  lseek(fd, (off_t)(uintptr_t)&b, SEEK_SET);
  readv(fd, iov + 1, 1);
  printf("readv: %ld %ld\n", r1, r2);

  int fd2 = dup(fd);
  v = 0;
  pread(fd2, &v, sizeof v, (off_t)(uintptr_t)&a);
  printf("dup: %ld\n", v);
  close(fd2);

  // Two pages: the first read-only, the second unmapped.
  long page = sysconf(_SC_PAGESIZE);
  char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  p[0] = 5;
  mprotect(p, page, PROT_READ);
  munmap(p + page, page);
  char c = 77;
  pwrite(fd, &c, 1, (off_t)(uintptr_t)p);
  printf("read-only page written: %d\n", p[0]);
  static char big[8192];
  errno = 0;
  ssize_t n = pread(fd, big, 16, (off_t)(uintptr_t)(p + page));
  printf("unmapped: %zd %s\n", n, errName(errno));
  n = pread(fd, big, 2 * page, (off_t)(uintptr_t)p);
  printf("partly mapped: %zd\n", n);
  errno = 0;
  n = pread(fd, big, 16, (off_t)1 << 46);
  printf("far away: %zd %s\n", n, errName(errno));

  char name[64] = "";
  FILE *f = fopen("/proc/self/comm", "r");
  if (f) {
    fgets(name, sizeof name, f);
    fclose(f);
  }
  name[strcspn(name, "\n")] = 0;
  printf("comm: %s\n", name);
  char stat[512] = "";
  f = fopen("/proc/self/stat", "r");
  if (f) {
    fgets(stat, sizeof stat, f);
    fclose(f);
  }
  char *open = strchr(stat, '('), *close_ = strrchr(stat, ')');
  if (open && close_)
    printf("stat comm: %.*s\n", (int)(close_ - open + 1), open);
  // Fields 23 (vsize), 26-28, 45-51, by proc(5)'s numbering.
  unsigned long long sf[64] = {0};
  int nf = 2;
  for (char *t = strtok(close_ + 2, " "); t && nf < 63; t = strtok(NULL, " "))
    sf[++nf] = strtoull(t, NULL, 10);
  uintptr_t m = (uintptr_t)main;
  printf("stat fields: %d code %d %d stack %d args %d %d env %d %d data %d "
         "brk %d vsize %d\n", nf, sf[26] <= m, sf[27] > m,
         sf[28] == (uintptr_t)argv - sizeof(long), sf[48] == (uintptr_t)argv[0],
         sf[49] == (uintptr_t)argv[argc - 1] + strlen(argv[argc - 1]) + 1,
         sf[50] == (uintptr_t)envp[0], sf[51] > (uintptr_t)envp[0],
         sf[45] <= (uintptr_t)edata && sf[46] >= (uintptr_t)edata - 64,
         sf[47] >= (uintptr_t)end, sf[23] > 0 && sf[23] < (1ull << 32));

#ifdef __riscv
  // li a0, 1; ret  ->  li a0, 2; ret, patched through the mem file.
  uint32_t *code = mmap(NULL, page, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  code[0] = 0x00100513;
  code[1] = 0x00008067;
  __builtin___clear_cache((char *)code, (char *)(code + 2));
  long (*fn)(void) = (long (*)(void))code;
  long before = 0;
  for (int i = 0; i < 100000; i++)
    before = fn(); // hot enough for every tier's code
  printf("code before: %ld\n", before);
  uint32_t li2 = 0x00200513;
  pwrite(fd, &li2, sizeof li2, (off_t)(uintptr_t)code);
  printf("code after: %ld\n", fn());
#endif
  close(fd);
  return 0;
}
