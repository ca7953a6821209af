// Kernel objects the host kernel keeps for the guest as it would for a
// native program: keyrings (add_key, request_key, keyctl), fanotify,
// quotas, the new mount API (open_tree .. listmount), Landlock, the LSM
// attribute calls, cachestat, remap_file_pages. Their structs are laid out
// alike on riscv64 and x86-64 (fixed-width fields), so the handlers pass
// the arguments through with guest pointers made host ones (kernelPtr: the
// host kernel reads a string up to its NUL itself, and faults where the
// guest has nothing mapped) and paths through the sysroot, and the kernel
// answers in its own order of checks.
#include "runtime/linux/syscall_impl.h"

#include <cerrno>
#include <sys/syscall.h>
#include <unistd.h>

namespace xlat::linux_abi {
namespace {

// The host's numbers where they differ from riscv64's (the ones from 424
// on are the same everywhere); Debian 12's headers predate the newest.
enum : long {
  kHostCachestat = 451, kHostStatmount = 457, kHostListmount = 458,
  kHostLsmGetSelfAttr = 459, kHostLsmSetSelfAttr = 460,
  kHostLsmListModules = 461, kHostQuotactlFd = 443,
  kHostLandlockCreateRuleset = 444, kHostLandlockAddRule = 445,
  kHostLandlockRestrictSelf = 446, kHostOpenTree = 428, kHostMoveMount = 429,
  kHostFsopen = 430, kHostFsconfig = 431, kHostFsmount = 432, kHostFspick = 433,
  kHostMountSetattr = 442,
};

// A guest string the host kernel reads itself.
void *str(SyscallCtx &c, uint64_t g) { return kernelPtr(c.mem, g, 1); }

int64_t pass(long r) { return errnoResult(r); }

} // namespace

// --- Keyrings ------------------------------------------------------------------

int64_t sys_add_key(SyscallCtx &c) {
  return pass(::syscall(SYS_add_key, str(c, c.a[0]), str(c, c.a[1]),
                        kernelPtr(c.mem, c.a[2], c.a[3]), c.a[3], (int)c.a[4]));
}

int64_t sys_request_key(SyscallCtx &c) {
  return pass(::syscall(SYS_request_key, str(c, c.a[0]), str(c, c.a[1]),
                        str(c, c.a[2]), (int)c.a[3]));
}

// keyctl's arguments mean what its operation says: integers, a string, or
// a buffer with its length. The operations that take structs holding
// further pointers (KEYCTL_INSTANTIATE_IOV, KEYCTL_DH_COMPUTE, the
// KEYCTL_PKEY_* family) are refused with EOPNOTSUPP.
int64_t sys_keyctl(SyscallCtx &c) {
  enum {
    kJoinSession = 1, kUpdate = 2, kDescribe = 6, kSearch = 10, kRead = 11,
    kInstantiate = 12, kGetSecurity = 17, kInstantiateIov = 20,
    kDhCompute = 23, kPkeyQuery = 24, kPkeyEncrypt = 25, kPkeyDecrypt = 26,
    kPkeySign = 27, kPkeyVerify = 28, kRestrictKeyring = 29,
    kCapabilities = 31, kWatchKey = 32,
  };
  uint64_t *a = c.a;
  switch ((int)a[0]) {
  case kJoinSession:
    return pass(::syscall(SYS_keyctl, a[0], str(c, a[1])));
  case kUpdate:
    return pass(::syscall(SYS_keyctl, a[0], a[1], kernelPtr(c.mem, a[2], a[3]), a[3]));
  case kDescribe:
  case kRead:
  case kGetSecurity:
    return pass(::syscall(SYS_keyctl, a[0], a[1], kernelPtr(c.mem, a[2], a[3]), a[3]));
  case kSearch:
    return pass(::syscall(SYS_keyctl, a[0], a[1], str(c, a[2]), str(c, a[3]), a[4]));
  case kInstantiate:
    return pass(::syscall(SYS_keyctl, a[0], a[1], kernelPtr(c.mem, a[2], a[3]),
                          a[3], a[4]));
  case kRestrictKeyring:
    return pass(::syscall(SYS_keyctl, a[0], a[1], str(c, a[2]), str(c, a[3])));
  case kCapabilities:
    return pass(::syscall(SYS_keyctl, a[0], kernelPtr(c.mem, a[1], a[2]), a[2]));
  case kInstantiateIov:
  case kDhCompute:
  case kPkeyQuery:
  case kPkeyEncrypt:
  case kPkeyDecrypt:
  case kPkeySign:
  case kPkeyVerify:
  case kWatchKey:
    return -EOPNOTSUPP;
  default: // the rest take integers only (or are unknown: EOPNOTSUPP)
    return pass(::syscall(SYS_keyctl, a[0], a[1], a[2], a[3], a[4]));
  }
}

// --- fanotify, quotas ------------------------------------------------------------

int64_t sys_fanotify_init(SyscallCtx &c) {
  return pass(::syscall(SYS_fanotify_init, (unsigned)c.a[0], (unsigned)c.a[1]));
}

int64_t sys_fanotify_mark(SyscallCtx &c) {
  std::string path;
  const char *p;
  if (int64_t err = readOptionalHostPath(c, c.a[4], path, p))
    return err;
  return pass(::syscall(SYS_fanotify_mark, (int)c.a[0], (unsigned)c.a[1], c.a[2],
                        (int)c.a[3], p));
}

int64_t sys_quotactl(SyscallCtx &c) {
  std::string special;
  const char *p;
  if (int64_t err = readOptionalHostPath(c, c.a[1], special, p))
    return err;
  return pass(::syscall(SYS_quotactl, (int)c.a[0], p, (int)c.a[2],
                        kernelPtr(c.mem, c.a[3], 1)));
}

int64_t sys_quotactl_fd(SyscallCtx &c) {
  return pass(::syscall(kHostQuotactlFd, (unsigned)c.a[0], (unsigned)c.a[1],
                        (int)c.a[2], kernelPtr(c.mem, c.a[3], 1)));
}

// --- The new mount API --------------------------------------------------------

int64_t sys_open_tree(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[1], path))
    return err;
  return pass(::syscall(kHostOpenTree, (int)c.a[0], path.c_str(), (unsigned)c.a[2]));
}

int64_t sys_move_mount(SyscallCtx &c) {
  std::string from, to;
  if (int64_t err = readHostPath(c, c.a[1], from))
    return err;
  if (int64_t err = readHostPath(c, c.a[3], to))
    return err;
  return pass(::syscall(kHostMoveMount, (int)c.a[0], from.c_str(), (int)c.a[2],
                        to.c_str(), (unsigned)c.a[4]));
}

int64_t sys_fsopen(SyscallCtx &c) {
  return pass(::syscall(kHostFsopen, str(c, c.a[0]), (unsigned)c.a[1]));
}

// fsconfig's value is a string, a path (relative to aux), or aux bytes of
// binary data: a pointer the kernel reads as far as the command says.
int64_t sys_fsconfig(SyscallCtx &c) {
  return pass(::syscall(kHostFsconfig, (int)c.a[0], (unsigned)c.a[1], str(c, c.a[2]),
                        kernelPtr(c.mem, c.a[3], c.a[4] ? c.a[4] : 1), (int)c.a[4]));
}

int64_t sys_fsmount(SyscallCtx &c) {
  return pass(::syscall(kHostFsmount, (int)c.a[0], (unsigned)c.a[1], (unsigned)c.a[2]));
}

int64_t sys_fspick(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[1], path))
    return err;
  return pass(::syscall(kHostFspick, (int)c.a[0], path.c_str(), (unsigned)c.a[2]));
}

int64_t sys_mount_setattr(SyscallCtx &c) {
  std::string path;
  if (int64_t err = readHostPath(c, c.a[1], path))
    return err;
  return pass(::syscall(kHostMountSetattr, (int)c.a[0], path.c_str(), (unsigned)c.a[2],
                        kernelPtr(c.mem, c.a[3], c.a[4]), c.a[4]));
}

int64_t sys_statmount(SyscallCtx &c) {
  // struct mnt_id_req starts with its own size (u32).
  return pass(::syscall(kHostStatmount, kernelPtr(c.mem, c.a[0], 4),
                        kernelPtr(c.mem, c.a[1], c.a[2]), c.a[2], c.a[3]));
}

int64_t sys_listmount(SyscallCtx &c) {
  return pass(::syscall(kHostListmount, kernelPtr(c.mem, c.a[0], 4),
                        kernelPtr(c.mem, c.a[1], c.a[2] * 8), c.a[2], c.a[3]));
}

// --- Landlock, LSM attributes ----------------------------------------------------

// landlock_restrict_self restricts the calling thread, which runs the
// translator too: what the guest denies itself, xlat-run is denied on its
// behalf (the translation cache written at exit, say, is then skipped with
// a warning).
int64_t sys_landlock_create_ruleset(SyscallCtx &c) {
  return pass(::syscall(kHostLandlockCreateRuleset, kernelPtr(c.mem, c.a[0], c.a[1]),
                        c.a[1], (unsigned)c.a[2]));
}

int64_t sys_landlock_add_rule(SyscallCtx &c) {
  // Its attributes are packed structs of fixed-width fields (12 or 16
  // bytes); the kernel reads what the rule type says.
  return pass(::syscall(kHostLandlockAddRule, (int)c.a[0], (unsigned)c.a[1],
                        kernelPtr(c.mem, c.a[2], 12), (unsigned)c.a[3]));
}

int64_t sys_landlock_restrict_self(SyscallCtx &c) {
  return pass(::syscall(kHostLandlockRestrictSelf, (int)c.a[0], (unsigned)c.a[1]));
}

int64_t sys_lsm_get_self_attr(SyscallCtx &c) {
  uint32_t size = 0;
  readGuest(c.mem, c.a[2], size);
  return pass(::syscall(kHostLsmGetSelfAttr, (unsigned)c.a[0],
                        kernelPtr(c.mem, c.a[1], size ? size : 1),
                        kernelPtr(c.mem, c.a[2], 4), (unsigned)c.a[3]));
}

int64_t sys_lsm_set_self_attr(SyscallCtx &c) {
  return pass(::syscall(kHostLsmSetSelfAttr, (unsigned)c.a[0],
                        kernelPtr(c.mem, c.a[1], c.a[2]), (unsigned)c.a[2],
                        (unsigned)c.a[3]));
}

int64_t sys_lsm_list_modules(SyscallCtx &c) {
  uint32_t size = 0;
  readGuest(c.mem, c.a[1], size);
  return pass(::syscall(kHostLsmListModules, kernelPtr(c.mem, c.a[0], size ? size : 1),
                        kernelPtr(c.mem, c.a[1], 4), (unsigned)c.a[2]));
}

// --- Pages --------------------------------------------------------------------

int64_t sys_cachestat(SyscallCtx &c) {
  // struct cachestat_range (2 x u64) and struct cachestat (5 x u64).
  return pass(::syscall(kHostCachestat, (unsigned)c.a[0], kernelPtr(c.mem, c.a[1], 16),
                        kernelPtr(c.mem, c.a[2], 40), (unsigned)c.a[3]));
}

// The pages stay where the guest has them; the kernel rearranges which
// file pages back them (it emulates the call with mmap since Linux 3.16).
int64_t sys_remap_file_pages(SyscallCtx &c) {
  if (!c.mem.inRange(c.a[0], c.a[1] ? c.a[1] : 1))
    return -EINVAL;
  return pass(::syscall(SYS_remap_file_pages, c.mem.g2h(c.a[0]), c.a[1], (int)c.a[2],
                        c.a[3], (int)c.a[4]));
}

// Called directly, with no interrupted call to restart (the runtime
// restarts calls itself): what Linux answers then.
int64_t sys_restart_syscall(SyscallCtx &) { return -EINTR; }

} // namespace xlat::linux_abi
