// NUMA memory policy calls (mbind, get_mempolicy, set_mempolicy,
// set_mempolicy_home_node, migrate_pages, move_pages): the host kernel
// places guest memory and answers, with guest ranges and the page
// addresses of move_pages made host ones, and a range with nothing of the
// guest's mapped refused as Linux refuses it. (Ranges only partly
// unmapped are left out: Linux 6.x accepts them, older kernels did not.) Oracle: the host kernel, through
// the same test built for the host. A kernel without NUMA says ENOSYS to
// both builds.
//
// RUN: %host-cc -O1 %s -o %t.host
// RUN: %rv-cc -O1 %s -o %t
// RUN: %t.host > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.expected
// CHECK: get_mempolicy: {{0 mode=0|-1 ENOSYS}}
// CHECK: move_pages status: {{0 [0-9]+ -14|-1 ENOSYS}}
// CHECK: cases: {{[1-9][0-9]+}}
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "Inputs/cases.h"

enum { MPOL_DEFAULT = 0, MPOL_BIND = 2, MPOL_F_ADDR = 2, MPOL_MF_STRICT = 1 };

int main(void) {
  long page = sysconf(_SC_PAGESIZE);
  char *buf = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  buf[0] = 1;
  munmap(buf + 2 * page, page); // a hole
  unsigned long mask = 1, bigmask[4] = {0};

  int mode = -1;
  long r = syscall(SYS_get_mempolicy, &mode, NULL, 0, NULL, 0);
  printf("get_mempolicy: %ld mode=%d\n", r < 0 ? -1 : r, r < 0 ? -1 : mode);
  if (r < 0)
    printf("get_mempolicy: -1 %s\n", strerrorname_np(errno));
  CASE("get_mempolicy bad flags", syscall(SYS_get_mempolicy, &mode, NULL, 0, NULL, 0x100));
  CASE("get_mempolicy bad mode ptr", syscall(SYS_get_mempolicy, BAD, NULL, 0, NULL, 0));
  CASE("get_mempolicy at addr", syscall(SYS_get_mempolicy, &mode, NULL, 0, buf, MPOL_F_ADDR));
  CASE("get_mempolicy at hole", syscall(SYS_get_mempolicy, &mode, NULL, 0, buf + 2 * page, MPOL_F_ADDR));
  CASE("get_mempolicy addr without flag", syscall(SYS_get_mempolicy, &mode, NULL, 0, buf, 0));
  CASE("set_mempolicy default", syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0));
  CASE("set_mempolicy bad mode", syscall(SYS_set_mempolicy, 99, NULL, 0));
  CASE("set_mempolicy bind empty", syscall(SYS_set_mempolicy, MPOL_BIND, bigmask, 64));
  CASE("set_mempolicy bad mask", syscall(SYS_set_mempolicy, MPOL_BIND, BAD, 64));
  CASE("mbind default", syscall(SYS_mbind, buf, 2 * page, MPOL_DEFAULT, NULL, 0, 0));
  CASE("mbind bind node 0", syscall(SYS_mbind, buf, page, MPOL_BIND, &mask, 64, 0));
  CASE("mbind unaligned", syscall(SYS_mbind, buf + 1, page, MPOL_DEFAULT, NULL, 0, 0));
  CASE("mbind bad mode", syscall(SYS_mbind, buf, page, 99, NULL, 0, 0));
  CASE("mbind bad flags", syscall(SYS_mbind, buf, page, MPOL_DEFAULT, NULL, 0, 0x100));
  CASE("mbind in hole", syscall(SYS_mbind, buf + 2 * page, page, MPOL_DEFAULT, NULL, 0, 0));
  CASE("mbind bad mask", syscall(SYS_mbind, buf, page, MPOL_BIND, BAD, 64, 0));
  CASE("mbind zero length", syscall(SYS_mbind, buf, 0, MPOL_DEFAULT, NULL, 0, 0));
  CASE("set_mempolicy_home_node not bound", syscall(450, buf, page, 0, 0));
  CASE("set_mempolicy_home_node bad flags", syscall(450, buf, page, 0, 1));
  CASE("set_mempolicy_home_node hole", syscall(450, buf + 2 * page, page, 0, 0));
  OK("migrate_pages self", syscall(SYS_migrate_pages, 0, 64, &mask, &mask));
  CASE("migrate_pages no pid", syscall(SYS_migrate_pages, 1 << 30, 64, &mask, &mask));
  CASE("migrate_pages bad mask", syscall(SYS_migrate_pages, 0, 64, BAD, &mask));

  void *pages[3] = {buf, buf + page, buf + 2 * page};
  int status[3] = {99, 99, 99};
  r = syscall(SYS_move_pages, 0, 3, pages, NULL, status, 0);
  if (r < 0)
    printf("move_pages status: -1 %s\n", strerrorname_np(errno));
  else // touched, untouched, hole
    printf("move_pages status: %ld %d %d\n", r, status[0] >= 0 ? 0 : status[0],
           status[2]);
  CASE("move_pages bad array", syscall(SYS_move_pages, 0, 3, BAD, NULL, status, 0));
  CASE("move_pages bad status", syscall(SYS_move_pages, 0, 3, pages, NULL, BAD, 0));
  CASE("move_pages bad flags", syscall(SYS_move_pages, 0, 3, pages, NULL, status, 0x100));
  CASE("move_pages no pid", syscall(SYS_move_pages, 1 << 30, 3, pages, NULL, status, 0));
  printf("cases: %d\n", cases);
  return 0;
}
