// Kernel objects the host kernel keeps for the guest: keyrings, fanotify,
// quotas, the new mount API, Landlock, LSM attributes, cachestat,
// remap_file_pages, restart_syscall. Oracle: the host kernel, through the
// same test built for the host. The cases create only process-private
// objects (a key in the process keyring, a Landlock ruleset never
// enforced, an fsopen context never mounted) or fail harmlessly, as an
// unprivileged user or as root; a kernel without a call says ENOSYS (or a
// disabled LSM EOPNOTSUPP) to both builds.
//
// RUN: %host-cc -O1 %s -o %t.host
// RUN: %rv-cc -O1 %s -o %t
// RUN: cd %T && %t.host > %t.expected
// RUN: cd %T && for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.expected
// CHECK: keyctl read: 12
// CHECK: restart_syscall: -1 EINTR
// CHECK: cases: {{[1-9][0-9]+}}
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "Inputs/cases.h"

// The numbers differ between the two builds below 424; from there on they
// are the same everywhere.
enum {
  NR_open_tree = 428, NR_move_mount = 429, NR_fsopen = 430, NR_fsconfig = 431,
  NR_fsmount = 432, NR_fspick = 433, NR_mount_setattr = 442,
  NR_quotactl_fd = 443, NR_landlock_create_ruleset = 444,
  NR_landlock_add_rule = 445, NR_landlock_restrict_self = 446,
  NR_cachestat = 451, NR_statmount = 457, NR_listmount = 458,
  NR_lsm_get_self_attr = 459, NR_lsm_list_modules = 461,
};
enum { KEY_SPEC_PROCESS_KEYRING = -2, KEYCTL_DESCRIBE = 6, KEYCTL_READ = 11,
       KEYCTL_SEARCH = 10, KEYCTL_DH_COMPUTE = 23, KEYCTL_REVOKE = 3 };

int main(void) {
  char dir[] = "abi-kobj-tmp-XXXXXX";
  if (!mkdtemp(dir))
    return 1;
  chdir(dir);
  int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
  char page[8192];
  memset(page, 'x', sizeof page);
  write(fd, page, sizeof page);

  // Keyrings: a key in the process keyring, described, read, searched.
  long key = syscall(SYS_add_key, "user", "xlat-test-key", "xlat-payload", 12,
                     KEY_SPEC_PROCESS_KEYRING);
  OK("add_key", key);
  char buf[256] = {0};
  long n = syscall(SYS_keyctl, KEYCTL_READ, key, buf, sizeof buf);
  CASE("keyctl read", n);
  printf("keyctl read data: %.*s\n", n > 0 ? (int)n : 0, buf);
  n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, key, buf, sizeof buf);
  OK("keyctl describe", n);
  printf("keyctl describe ends: %s\n", n > 0 ? strrchr(buf, ';') : "-");
  CASE("keyctl search", syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_PROCESS_KEYRING, "user",
                                "xlat-test-key", 0) == key);
  CASE("keyctl search missing", syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_PROCESS_KEYRING,
                                        "user", "xlat-no-such-key", 0));
  CASE("keyctl read bad buffer", syscall(SYS_keyctl, KEYCTL_READ, key, BAD, 64));
  CASE("keyctl dh_compute", syscall(SYS_keyctl, KEYCTL_DH_COMPUTE, NULL, NULL, 0, NULL));
  CASE("keyctl revoke", syscall(SYS_keyctl, KEYCTL_REVOKE, key));
  CASE("add_key bad type", syscall(SYS_add_key, BAD, "d", "p", 1, KEY_SPEC_PROCESS_KEYRING));
  CASE("add_key unknown type", syscall(SYS_add_key, "xlat-no-type", "d", "p", 1,
                                       KEY_SPEC_PROCESS_KEYRING));
  CASE("request_key missing", syscall(SYS_request_key, "user", "xlat-no-such-key", NULL,
                                      KEY_SPEC_PROCESS_KEYRING));

  // fanotify and quotas: privileged, or refused for bad arguments.
  CASE("fanotify_init bad flags", syscall(SYS_fanotify_init, 0x7fffffff, O_RDONLY));
  CASE("fanotify_mark bad fd", syscall(SYS_fanotify_mark, -1, 1, 1, AT_FDCWD, "file"));
  CASE("quotactl bad cmd", syscall(SYS_quotactl, 0, "/nonexistent-xlat", 0, NULL));
  CASE("quotactl_fd bad fd", syscall(NR_quotactl_fd, -1, 0, 0, NULL));

  // The new mount API: contexts and lookups that mount nothing.
  CASE("fsopen unknown", syscall(NR_fsopen, "xlat-no-such-fs", 0));
  CASE("fsopen bad name", syscall(NR_fsopen, BAD, 0));
  CASE("fsconfig bad fd", syscall(NR_fsconfig, -1, 0, "source", "x", 0));
  CASE("fsmount bad fd", syscall(NR_fsmount, -1, 0, 0));
  CASE("fspick missing", syscall(NR_fspick, AT_FDCWD, "/nonexistent-xlat", 0));
  CASE("open_tree missing", syscall(NR_open_tree, AT_FDCWD, "/nonexistent-xlat", 0));
  CASE("move_mount missing", syscall(NR_move_mount, AT_FDCWD, "/nonexistent-a", AT_FDCWD,
                                     "/nonexistent-b", 0));
  CASE("mount_setattr missing", syscall(NR_mount_setattr, AT_FDCWD, "/nonexistent-xlat", 0,
                                        NULL, 0));
  uint64_t req[3] = {24, 0, 0};
  uint64_t ids[4];
  CASE("statmount bad id", syscall(NR_statmount, req, buf, sizeof buf, 0));
  CASE("listmount bad id", syscall(NR_listmount, req, ids, 4, 0));
  CASE("statmount bad req", syscall(NR_statmount, BAD, buf, sizeof buf, 0));

  // Landlock: the ABI version, a ruleset and a rule (never enforced).
  long abi = syscall(NR_landlock_create_ruleset, NULL, 0, 1 /* VERSION */);
  CASE("landlock version", abi > 0 ? 1 : abi);
  uint64_t attr[3] = {1 /* EXECUTE */, 0, 0};
  long rs = syscall(NR_landlock_create_ruleset, attr, 8, 0);
  OK("landlock ruleset", rs);
  struct __attribute__((packed)) {
    uint64_t allowed;
    int32_t parent;
  } beneath = {1, fd};
  CASE("landlock add_rule", syscall(NR_landlock_add_rule, rs, 1, &beneath, 0));
  CASE("landlock add_rule bad attr", syscall(NR_landlock_add_rule, rs, 1, BAD, 0));
  CASE("landlock restrict bad fd", syscall(NR_landlock_restrict_self, -1, 0));
  CASE("landlock ruleset bad attr", syscall(NR_landlock_create_ruleset, BAD, 8, 0));

  // LSM attributes: the modules the host has, the same for both builds.
  uint32_t size = sizeof buf;
  long mods = syscall(NR_lsm_list_modules, buf, &size, 0);
  CASE("lsm_list_modules", mods);
  uint32_t small = 0;
  CASE("lsm_list_modules small", syscall(NR_lsm_list_modules, buf, &small, 0));
  size = sizeof buf;
  CASE("lsm_get_self_attr bad attr", syscall(NR_lsm_get_self_attr, 0, buf, &size, 0));

  // cachestat over the file just written; remap_file_pages on a shared
  // mapping of it; restart_syscall with nothing to restart.
  uint64_t range[2] = {0, 8192};
  uint64_t cs[5] = {0};
  long r = syscall(NR_cachestat, fd, range, cs, 0);
  CASE("cachestat", r);
  printf("cachestat cached: %llu\n", r == 0 ? (unsigned long long)cs[0] : 0ull);
  CASE("cachestat bad fd", syscall(NR_cachestat, -1, range, cs, 0));
  CASE("cachestat bad range", syscall(NR_cachestat, fd, BAD, cs, 0));
  void *m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
  CASE("remap_file_pages", syscall(SYS_remap_file_pages, m, 4096, 0, 1, 0));
  CASE("remap_file_pages bad flags", syscall(SYS_remap_file_pages, m, 4096, 0, 1, 0x1234));
  CASE("restart_syscall", syscall(SYS_restart_syscall));

  unlink("file");
  chdir("..");
  rmdir(dir);
  printf("cases: %d\n", cases);
  return 0;
}
