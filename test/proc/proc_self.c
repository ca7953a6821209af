// /proc files that must describe the guest, not the translator:
// /proc/self/exe (readlink, open, stat), /proc/self/maps (guest addresses),
// /proc/self/auxv (the guest's auxv), /proc/self/cmdline, /proc/cpuinfo
// (a riscv64 machine), the same under /proc/<pid>/, and uname.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %rv-dyncc -O2 %s -o %t.dyn
// RUN: for t in %{tiers}; do for b in %t %t.dyn; do \
// RUN:   %xlat-run --tier=$t $b arg1 "two words" > %t.out || exit 1; \
// RUN:   FileCheck %s < %t.out || exit 1; done; done
// qemu 7.2 agrees where it emulates the same files (it lacks a riscv
// cpuinfo, stats the translator for /proc/self/exe, and opens maps
// read-write).
// RUN: %qemu-riscv64 %t arg1 "two words" | grep -v "cpuinfo\|stat\|read-only" > %t.ref
// RUN: %xlat-run %t arg1 "two words" | grep -v "cpuinfo\|stat\|read-only" | diff %t.ref -

#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static char buf[1 << 16];

static ssize_t slurp(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  ssize_t n = 0, r;
  while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
    n += r;
  close(fd);
  buf[n] = 0;
  return n;
}

// Is there a maps line whose range holds `addr` with permissions `perm`?
static int mapsHave(const char *path, unsigned long addr, const char *perm,
                    const char *name) {
  if (slurp(path) < 0)
    return 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    unsigned long lo, hi;
    char p[5];
    if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) != 3)
      continue;
    if (addr >= lo && addr < hi)
      return !strncmp(p, perm, 3) && (!name || strstr(line, name));
  }
  return 0;
}

int main(int argc, char **argv) {
  char self[PATH_MAX], link[PATH_MAX];
  realpath(argv[0], self);
  ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  // CHECK: exe link is the program: 1
  printf("exe link is the program: %d\n", strcmp(link, self) == 0);
  char pidExe[64];
  snprintf(pidExe, sizeof pidExe, "/proc/%d/exe", getpid());
  n = readlink(pidExe, link, sizeof link - 1);
  link[n > 0 ? n : 0] = 0;
  // CHECK-NEXT: pid exe link is the program: 1
  printf("pid exe link is the program: %d\n", strcmp(link, self) == 0);

  slurp("/proc/self/exe");
  Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
  // CHECK-NEXT: exe is riscv64 ELF: 1
  printf("exe is riscv64 ELF: %d\n",
         !memcmp(buf, ELFMAG, 4) && eh->e_machine == EM_RISCV);
  struct stat a, b;
  stat("/proc/self/exe", &a);
  stat(self, &b);
  // CHECK-NEXT: exe stat is the program: 1
  printf("exe stat is the program: %d\n", a.st_ino == b.st_ino);

  int local = 0;
  // CHECK-NEXT: maps: code r-x 1, stack rw- 1, heap rw- 1
  void *heap = malloc(64);
  printf("maps: code r-x %d, stack rw- %d, heap rw- %d\n",
         mapsHave("/proc/self/maps", (unsigned long)&main, "r-x", NULL),
         mapsHave("/proc/self/maps", (unsigned long)&local, "rw-", "[stack]"),
         mapsHave("/proc/self/maps", (unsigned long)heap, "rw-", NULL));
  char pidMaps[64];
  snprintf(pidMaps, sizeof pidMaps, "/proc/%d/maps", getpid());
  // CHECK-NEXT: pid maps: 1
  printf("pid maps: %d\n",
         mapsHave(pidMaps, (unsigned long)&main, "r-x", NULL));

  n = slurp("/proc/self/auxv");
  int pagesz = 0, entry = 0, end = 0;
  for (Elf64_auxv_t *av = (Elf64_auxv_t *)buf; (char *)av < buf + n; ++av) {
    if (av->a_type == AT_PAGESZ)
      pagesz = av->a_un.a_val == getauxval(AT_PAGESZ);
    if (av->a_type == AT_ENTRY)
      entry = av->a_un.a_val == getauxval(AT_ENTRY);
    if (av->a_type == AT_NULL)
      end = (char *)(av + 1) == buf + n;
  }
  // CHECK-NEXT: auxv: pagesz 1 entry 1 ends with AT_NULL 1
  printf("auxv: pagesz %d entry %d ends with AT_NULL %d\n", pagesz, entry,
         end);

  n = slurp("/proc/self/cmdline");
  // CHECK-NEXT: cmdline: arg1|two words|
  printf("cmdline: ");
  for (char *p = buf + strlen(buf) + 1; p < buf + n; p += strlen(p) + 1)
    printf("%s|", p);
  printf("\n");

  // CHECK-NEXT: maps read-only: 1
  printf("maps read-only: %d\n", open("/proc/self/maps", O_RDWR) < 0);

  struct utsname u;
  uname(&u);
  // CHECK-NEXT: machine riscv64
  printf("machine %s\n", u.machine);

  slurp("/proc/cpuinfo");
  // CHECK-NEXT: cpuinfo: processor 1 isa rv64imafdc 1 mmu 1
  printf("cpuinfo: processor %d isa rv64imafdc %d mmu %d\n",
         strstr(buf, "processor\t: 0") != NULL,
         strstr(buf, "isa\t\t: rv64imafdc") != NULL,
         strstr(buf, "mmu\t\t: sv39") != NULL);
  return 0;
}
