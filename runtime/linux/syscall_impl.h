// Internals of the Linux syscall layer: the handler signature, the table
// entry, and helpers shared by the handler files (files.cpp, fs.cpp,
// memory.cpp, process.cpp, time.cpp, signals.cpp).
//
// Handlers are ABI-neutral: they see the six raw argument registers and the
// process, and return the value for a0 (a result or -errno). Where a guest
// struct differs from the host's, the handler translates it (see
// guest_structs.h).
#pragma once

#include "runtime/guest_memory.h"
#include "runtime/guest_thread.h"
#include "runtime/linux/syscalls.h"
#include "runtime/process.h"

#include <cerrno>
#include <cstdint>
#include <string>
#include <sys/uio.h>
#include <vector>

namespace xlat::linux_abi {

struct SyscallCtx {
  GuestThread &t;
  Process &proc;
  GuestMemory &mem;
  uint64_t a[6];
  // Handlers for exit/exit_group set the action; the rest leave it alone.
  SyscallResult result;
};

using SyscallHandler = int64_t (*)(SyscallCtx &c);

// How -strace shows an argument.
enum class Arg : uint8_t {
  None,      // no more arguments
  Int,       // signed decimal (int-sized)
  Long,      // signed decimal (64-bit)
  UInt,      // unsigned decimal
  Hex,       // 0x...
  Ptr,       // 0x... or NULL
  Str,       // a NUL-terminated guest string, quoted
  DirFd,     // an fd, or AT_FDCWD
  OpenFlags, // O_RDONLY|O_CREAT|...
  Octal,     // a mode: 0644
  MmapProt,  // PROT_READ|PROT_WRITE
  MmapFlags, // MAP_PRIVATE|MAP_ANONYMOUS
  AtFlags,   // AT_SYMLINK_NOFOLLOW|...
  Signal,    // SIGINT
  ClockId,   // CLOCK_MONOTONIC
  FutexOp,   // FUTEX_WAIT|FUTEX_PRIVATE_FLAG
  StrArray,  // a NULL-terminated array of guest strings: ["a","b"]
  SockFamily, // AF_INET
  EpollOp,   // EPOLL_CTL_ADD
};

// How -strace shows the result.
enum class Ret : uint8_t { Int, Ptr };

struct SyscallEntry {
  const char *name = nullptr;       // null: no such syscall number
  SyscallHandler handler = nullptr; // null: known but not implemented
  Arg args[6] = {};
  Ret ret = Ret::Int;
};

// The asm-generic table (riscv64, aarch64), indexed by syscall number;
// numbers 244-259 are each ABI's own, and so are the optional asm-generic
// syscalls its kernel enables (LinuxAbi::archSyscall, asked first).
constexpr unsigned kMaxSyscall = 512;
constexpr unsigned kFirstArchSyscall = 244, kArchSyscalls = 16;
const SyscallEntry *lookupSyscall(const LinuxAbi &abi, uint64_t nr);
// riscv64's: riscv_hwprobe and riscv_flush_icache.
const SyscallEntry *riscv64ArchSyscall(uint64_t nr);
// aarch64's: renameat.
const SyscallEntry *aarch64ArchSyscall(uint64_t nr);

// open(2) flags between the guest's values and the host's
// (LinuxAbi::openFlagBits).
uint64_t openFlagsToHost(const LinuxAbi &abi, uint64_t flags);
uint64_t openFlagsToGuest(const LinuxAbi &abi, uint64_t flags);

// -strace: formats "name(args)" before the call, prints the line after.
std::string straceCall(SyscallCtx &c, const SyscallEntry &e);
void straceResult(const std::string &call, const SyscallEntry &e, int64_t ret);

// --- helpers for handlers ---------------------------------------------------

inline int64_t errnoResult(long r) { return r < 0 ? -errno : r; }

// Host pointer for a guest buffer the kernel will access itself: the host
// kernel then reports EFAULT for pages the guest has not mapped (they are
// PROT_NONE in the reservation). Null if the range leaves the guest space.
// Guest code pages in the range that are write-protected on the host to
// catch stores into code (code_pages.h) become writable first, since the
// kernel may write the buffer.
inline void *hostPtr(const GuestMemory &m, uint64_t g, uint64_t len) {
  if (!m.inRange(g, len))
    return nullptr;
  m.codePages().beforeHostWrite(g, len);
  return m.g2h(g);
}

// A pointer argument the host kernel checks itself, so that it answers in
// its own order (a bad descriptor before a bad buffer, and so on): a guest
// null stays null, a range outside the guest space becomes an address the
// kernel refuses with EFAULT.
// An address in kernel space: the host refuses it with EFAULT.
inline void *faultingPtr() { return reinterpret_cast<void *>(0xffff800000000000ull); }
inline void *kernelPtr(const GuestMemory &m, uint64_t g, uint64_t len) {
  if (!g)
    return nullptr;
  if (void *p = hostPtr(m, g, len))
    return p;
  return faultingPtr();
}

// Reads a guest path into `out`; 0 or -EFAULT / -ENAMETOOLONG.
int64_t readPath(const GuestMemory &m, uint64_t g, std::string &out);

// Copies a value in or out of guest memory; false if it faults.
template <typename T> bool readGuest(const GuestMemory &m, uint64_t g, T &v) {
  return m.read(g, &v, sizeof(T));
}
template <typename T> bool writeGuest(GuestMemory &m, uint64_t g, const T &v) {
  return m.write(g, &v, sizeof(T));
}

// Is `path` the guest's /proc/self/exe (or /proc/<our pid>/exe)?
bool isProcSelfExe(const std::string &path);

// paths.cpp
// "/proc/self/X", "/proc/<our pid or tid>/X", "/proc/thread-self/X" -> "X";
// "" for any other path.
std::string procSelfFile(const std::string &path);
// The host path for a guest path: an absolute path that exists under the
// effective sysroot is taken from there (qemu-user's -L); /proc/self/exe is
// the guest program. Every path-taking syscall goes through this.
std::string hostPath(const Process &p, const std::string &guest);
// readPath + hostPath.
int64_t readHostPath(SyscallCtx &c, uint64_t g, std::string &out);
// The same for a path argument that may be null (the call then means
// something else, or the kernel says EFAULT itself): p is null then, else
// out's text.
int64_t readOptionalHostPath(SyscallCtx &c, uint64_t g, std::string &out,
                             const char *&p);

// procfs.cpp
// Opens a /proc file that must describe the guest (maps, auxv, cmdline,
// cpuinfo) as a memfd: true with `result` (fd or -errno) if `path` is one.
bool openProcFile(SyscallCtx &c, const std::string &path, int flags,
                  int64_t &result);
// The guest's /proc/self/mem: a host descriptor of the translator's own
// mem file whose file position is a guest address. Reads and writes on it
// go through guestMemIo; the calls that copy or close descriptors keep the
// set of such descriptors (memFdCopied, memFdsClosed).
bool isGuestMemFd(int fd);
void memFdCopied(int from, int to);
void memFdsClosed(unsigned first, unsigned last);
// I/O on a guest mem descriptor at guest address `pos` (-1: the file
// position, which then advances) into or out of host buffers `iov`: as
// Linux's mem file, page by page, stopping at the first page the guest has
// not mapped; EIO if that is the first. Writes reach read-only guest pages
// too (a debugger's breakpoints) and drop the translations of code they
// change.
int64_t guestMemIo(SyscallCtx &c, int fd, const std::vector<iovec> &iov,
                   int64_t pos, bool write);

// files.cpp: a guest iovec array as host iovecs; 0 or -errno.
int64_t translateIovecs(const GuestMemory &mem, uint64_t giov, uint64_t cnt,
                        std::vector<iovec> &out);


// The host tid that plays the guest thread.
int guestTid(const GuestThread &t);

// Handlers, grouped by the file that defines them.
// files.cpp
int64_t sys_read(SyscallCtx &c);
int64_t sys_write(SyscallCtx &c);
int64_t sys_readv(SyscallCtx &c);
int64_t sys_writev(SyscallCtx &c);
int64_t sys_pread64(SyscallCtx &c);
int64_t sys_pwrite64(SyscallCtx &c);
int64_t sys_openat(SyscallCtx &c);
int64_t sys_openat2(SyscallCtx &c);
int64_t sys_close(SyscallCtx &c);
int64_t sys_close_range(SyscallCtx &c);
int64_t sys_lseek(SyscallCtx &c);
int64_t sys_getdents64(SyscallCtx &c);
int64_t sys_dup(SyscallCtx &c);
int64_t sys_dup3(SyscallCtx &c);
int64_t sys_pipe2(SyscallCtx &c);
int64_t sys_fcntl(SyscallCtx &c);
int64_t sys_ioctl(SyscallCtx &c);
int64_t sys_ftruncate(SyscallCtx &c);
int64_t sys_fsync(SyscallCtx &c);
int64_t sys_fdatasync(SyscallCtx &c);
int64_t sys_flock(SyscallCtx &c);
int64_t sys_fallocate(SyscallCtx &c);
// fdext.cpp
int64_t sys_eventfd2(SyscallCtx &c);
int64_t sys_timerfd_create(SyscallCtx &c);
int64_t sys_timerfd_settime(SyscallCtx &c);
int64_t sys_timerfd_gettime(SyscallCtx &c);
int64_t sys_signalfd4(SyscallCtx &c);
int64_t sys_inotify_init1(SyscallCtx &c);
int64_t sys_inotify_add_watch(SyscallCtx &c);
int64_t sys_inotify_rm_watch(SyscallCtx &c);
int64_t sys_memfd_create(SyscallCtx &c);
int64_t sys_sendfile(SyscallCtx &c);
int64_t sys_copy_file_range(SyscallCtx &c);
int64_t sys_splice(SyscallCtx &c);
int64_t sys_tee(SyscallCtx &c);
int64_t sys_vmsplice(SyscallCtx &c);
int64_t sys_name_to_handle_at(SyscallCtx &c);
int64_t sys_open_by_handle_at(SyscallCtx &c);
int64_t sys_statfs(SyscallCtx &c);
int64_t sys_fstatfs(SyscallCtx &c);
int64_t sys_preadv(SyscallCtx &c);
int64_t sys_pwritev(SyscallCtx &c);
int64_t sys_preadv2(SyscallCtx &c);
int64_t sys_pwritev2(SyscallCtx &c);
int64_t sys_readahead(SyscallCtx &c);
int64_t sys_fadvise64(SyscallCtx &c);
int64_t sys_sync(SyscallCtx &c);
int64_t sys_syncfs(SyscallCtx &c);
int64_t sys_mknodat(SyscallCtx &c);
// poll.cpp
int64_t sys_ppoll(SyscallCtx &c);
int64_t sys_pselect6(SyscallCtx &c);
int64_t sys_epoll_create1(SyscallCtx &c);
int64_t sys_epoll_ctl(SyscallCtx &c);
int64_t sys_epoll_pwait(SyscallCtx &c);
int64_t sys_epoll_pwait2(SyscallCtx &c);
// net.cpp
int64_t sys_socket(SyscallCtx &c);
int64_t sys_socketpair(SyscallCtx &c);
int64_t sys_bind(SyscallCtx &c);
int64_t sys_listen(SyscallCtx &c);
int64_t sys_accept(SyscallCtx &c);
int64_t sys_accept4(SyscallCtx &c);
int64_t sys_connect(SyscallCtx &c);
int64_t sys_getsockname(SyscallCtx &c);
int64_t sys_getpeername(SyscallCtx &c);
int64_t sys_sendto(SyscallCtx &c);
int64_t sys_recvfrom(SyscallCtx &c);
int64_t sys_setsockopt(SyscallCtx &c);
int64_t sys_getsockopt(SyscallCtx &c);
int64_t sys_shutdown(SyscallCtx &c);
int64_t sys_sendmsg(SyscallCtx &c);
int64_t sys_recvmsg(SyscallCtx &c);
int64_t sys_sendmmsg(SyscallCtx &c);
int64_t sys_recvmmsg(SyscallCtx &c);
// exec.cpp
int64_t sys_wait4(SyscallCtx &c);
int64_t sys_waitid(SyscallCtx &c);
int64_t sys_execve(SyscallCtx &c);
int64_t sys_execveat(SyscallCtx &c);
int64_t sys_setpgid(SyscallCtx &c);
int64_t sys_getpgid(SyscallCtx &c);
int64_t sys_getsid(SyscallCtx &c);
int64_t sys_setsid(SyscallCtx &c);
// fs.cpp
int64_t sys_fstat(SyscallCtx &c);
int64_t sys_newfstatat(SyscallCtx &c);
int64_t sys_statx(SyscallCtx &c);
int64_t sys_unlinkat(SyscallCtx &c);
int64_t sys_mkdirat(SyscallCtx &c);
int64_t sys_renameat(SyscallCtx &c);
int64_t sys_renameat2(SyscallCtx &c);
int64_t sys_faccessat(SyscallCtx &c);
int64_t sys_faccessat2(SyscallCtx &c);
int64_t sys_readlinkat(SyscallCtx &c);
int64_t sys_getcwd(SyscallCtx &c);
int64_t sys_chdir(SyscallCtx &c);
int64_t sys_fchdir(SyscallCtx &c);
int64_t sys_umask(SyscallCtx &c);
int64_t sys_symlinkat(SyscallCtx &c);
int64_t sys_linkat(SyscallCtx &c);
int64_t sys_fchmod(SyscallCtx &c);
int64_t sys_fchmodat(SyscallCtx &c);
// kernel_objects.cpp: keyrings, fanotify, quotas, the new mount API,
// Landlock, LSM attributes, cachestat, remap_file_pages, restart_syscall
int64_t sys_quotactl(SyscallCtx &c);
int64_t sys_restart_syscall(SyscallCtx &c);
int64_t sys_add_key(SyscallCtx &c);
int64_t sys_request_key(SyscallCtx &c);
int64_t sys_keyctl(SyscallCtx &c);
int64_t sys_remap_file_pages(SyscallCtx &c);
int64_t sys_fanotify_init(SyscallCtx &c);
int64_t sys_fanotify_mark(SyscallCtx &c);
int64_t sys_open_tree(SyscallCtx &c);
int64_t sys_move_mount(SyscallCtx &c);
int64_t sys_fsopen(SyscallCtx &c);
int64_t sys_fsconfig(SyscallCtx &c);
int64_t sys_fsmount(SyscallCtx &c);
int64_t sys_fspick(SyscallCtx &c);
int64_t sys_mount_setattr(SyscallCtx &c);
int64_t sys_quotactl_fd(SyscallCtx &c);
int64_t sys_landlock_create_ruleset(SyscallCtx &c);
int64_t sys_landlock_add_rule(SyscallCtx &c);
int64_t sys_landlock_restrict_self(SyscallCtx &c);
int64_t sys_cachestat(SyscallCtx &c);
int64_t sys_statmount(SyscallCtx &c);
int64_t sys_listmount(SyscallCtx &c);
int64_t sys_lsm_get_self_attr(SyscallCtx &c);
int64_t sys_lsm_set_self_attr(SyscallCtx &c);
int64_t sys_lsm_list_modules(SyscallCtx &c);
// admin.cpp, fs.cpp, threads.cpp: calls the host kernel answers for the host
int64_t sys_umount2(SyscallCtx &c);
int64_t sys_mount(SyscallCtx &c);
int64_t sys_pivot_root(SyscallCtx &c);
int64_t sys_vhangup(SyscallCtx &c);
int64_t sys_acct(SyscallCtx &c);
int64_t sys_sched_rr_get_interval(SyscallCtx &c);
int64_t sys_reboot(SyscallCtx &c);
int64_t sys_setfsuid(SyscallCtx &c);
int64_t sys_setfsgid(SyscallCtx &c);
int64_t sys_syslog(SyscallCtx &c);
int64_t sys_sethostname(SyscallCtx &c);
int64_t sys_setdomainname(SyscallCtx &c);
int64_t sys_settimeofday(SyscallCtx &c);
int64_t sys_adjtimex(SyscallCtx &c);
int64_t sys_swapon(SyscallCtx &c);
int64_t sys_swapoff(SyscallCtx &c);
int64_t sys_clock_adjtime(SyscallCtx &c);
int64_t sys_futex_waitv(SyscallCtx &c);
int64_t sys_fchmodat2(SyscallCtx &c);
int64_t sys_futex_wake(SyscallCtx &c);
int64_t sys_futex_wait(SyscallCtx &c);
int64_t sys_futex_requeue(SyscallCtx &c);
int64_t sys_fchown(SyscallCtx &c);
int64_t sys_fchownat(SyscallCtx &c);
int64_t sys_utimensat(SyscallCtx &c);
int64_t sys_truncate(SyscallCtx &c);
int64_t sys_setxattr(SyscallCtx &c);
int64_t sys_lsetxattr(SyscallCtx &c);
int64_t sys_fsetxattr(SyscallCtx &c);
int64_t sys_getxattr(SyscallCtx &c);
int64_t sys_lgetxattr(SyscallCtx &c);
int64_t sys_fgetxattr(SyscallCtx &c);
int64_t sys_listxattr(SyscallCtx &c);
int64_t sys_llistxattr(SyscallCtx &c);
int64_t sys_flistxattr(SyscallCtx &c);
int64_t sys_removexattr(SyscallCtx &c);
int64_t sys_lremovexattr(SyscallCtx &c);
int64_t sys_fremovexattr(SyscallCtx &c);
// memory.cpp
int64_t sys_mmap(SyscallCtx &c);
int64_t sys_munmap(SyscallCtx &c);
int64_t sys_mprotect(SyscallCtx &c);
int64_t sys_mremap(SyscallCtx &c);
int64_t sys_brk(SyscallCtx &c);
int64_t sys_madvise(SyscallCtx &c);
int64_t sys_msync(SyscallCtx &c);
int64_t sys_riscv_flush_icache(SyscallCtx &c);
// Unmapped, replaced or no longer executable guest code: its translations
// must go (used by munmap, mmap, mprotect, mremap, shmat, shmdt).
void dropTranslationsIfCode(SyscallCtx &c, uint64_t addr, uint64_t len);
// ipc.cpp
int64_t sys_shmget(SyscallCtx &c);
int64_t sys_shmctl(SyscallCtx &c);
int64_t sys_shmat(SyscallCtx &c);
int64_t sys_shmdt(SyscallCtx &c);
int64_t sys_semget(SyscallCtx &c);
int64_t sys_semctl(SyscallCtx &c);
int64_t sys_semop(SyscallCtx &c);
int64_t sys_semtimedop(SyscallCtx &c);
int64_t sys_msgget(SyscallCtx &c);
int64_t sys_msgctl(SyscallCtx &c);
int64_t sys_msgsnd(SyscallCtx &c);
int64_t sys_msgrcv(SyscallCtx &c);
int64_t sys_mq_open(SyscallCtx &c);
int64_t sys_mq_unlink(SyscallCtx &c);
int64_t sys_mq_timedsend(SyscallCtx &c);
int64_t sys_mq_timedreceive(SyscallCtx &c);
int64_t sys_mq_notify(SyscallCtx &c);
int64_t sys_mq_getsetattr(SyscallCtx &c);
// threads.cpp
int64_t sys_exit(SyscallCtx &c);
int64_t sys_exit_group(SyscallCtx &c);
int64_t sys_set_tid_address(SyscallCtx &c);
int64_t sys_set_robust_list(SyscallCtx &c);
int64_t sys_futex(SyscallCtx &c);
int64_t sys_clone(SyscallCtx &c);
// clone without CLONE_VM|CLONE_THREAD: a new process (threads.cpp).
int64_t sys_clone_process(SyscallCtx &c);
// process.cpp
int64_t sys_getpid(SyscallCtx &c);
int64_t sys_getppid(SyscallCtx &c);
int64_t sys_gettid(SyscallCtx &c);
int64_t sys_getuid(SyscallCtx &c);
int64_t sys_geteuid(SyscallCtx &c);
int64_t sys_getgid(SyscallCtx &c);
int64_t sys_getegid(SyscallCtx &c);
int64_t sys_uname(SyscallCtx &c);
int64_t sys_getrandom(SyscallCtx &c);
int64_t sys_prlimit64(SyscallCtx &c);
int64_t sys_getrlimit(SyscallCtx &c);
int64_t sys_setrlimit(SyscallCtx &c);
int64_t sys_sysinfo(SyscallCtx &c);
int64_t sys_getrusage(SyscallCtx &c);
int64_t sys_times(SyscallCtx &c);
int64_t sys_prctl(SyscallCtx &c);
int64_t sys_sched_yield(SyscallCtx &c);
int64_t sys_sched_getaffinity(SyscallCtx &c);
int64_t sys_sched_getparam(SyscallCtx &c);
int64_t sys_sched_getscheduler(SyscallCtx &c);
int64_t sys_sched_get_priority_max(SyscallCtx &c);
int64_t sys_sched_get_priority_min(SyscallCtx &c);
int64_t sys_sched_setaffinity(SyscallCtx &c);
int64_t sys_getcpu(SyscallCtx &c);
int64_t sys_setuid(SyscallCtx &c);
int64_t sys_setgid(SyscallCtx &c);
int64_t sys_setreuid(SyscallCtx &c);
int64_t sys_setregid(SyscallCtx &c);
int64_t sys_setresuid(SyscallCtx &c);
int64_t sys_setresgid(SyscallCtx &c);
int64_t sys_getresuid(SyscallCtx &c);
int64_t sys_getresgid(SyscallCtx &c);
int64_t sys_getgroups(SyscallCtx &c);
int64_t sys_setgroups(SyscallCtx &c);
int64_t sys_getpriority(SyscallCtx &c);
int64_t sys_setpriority(SyscallCtx &c);
int64_t sys_capget(SyscallCtx &c);
int64_t sys_capset(SyscallCtx &c);
int64_t sys_mlock(SyscallCtx &c);
int64_t sys_mlock2(SyscallCtx &c);
int64_t sys_personality(SyscallCtx &c);
int64_t sys_sched_setparam(SyscallCtx &c);
int64_t sys_sched_setscheduler(SyscallCtx &c);
int64_t sys_sched_getattr(SyscallCtx &c);
int64_t sys_sched_setattr(SyscallCtx &c);
int64_t sys_ioprio_get(SyscallCtx &c);
int64_t sys_ioprio_set(SyscallCtx &c);
int64_t sys_kcmp(SyscallCtx &c);
int64_t sys_sync_file_range(SyscallCtx &c);
int64_t sys_mincore(SyscallCtx &c);
int64_t sys_mbind(SyscallCtx &c);
int64_t sys_get_mempolicy(SyscallCtx &c);
int64_t sys_set_mempolicy(SyscallCtx &c);
int64_t sys_migrate_pages(SyscallCtx &c);
int64_t sys_move_pages(SyscallCtx &c);
int64_t sys_set_mempolicy_home_node(SyscallCtx &c);
int64_t sys_setns(SyscallCtx &c);
int64_t sys_chroot(SyscallCtx &c);
int64_t sys_clock_settime(SyscallCtx &c);
int64_t sys_membarrier(SyscallCtx &c);
int64_t sys_riscv_hwprobe(SyscallCtx &c);
int64_t sys_pidfd_open(SyscallCtx &c);
int64_t sys_pidfd_getfd(SyscallCtx &c);
int64_t sys_process_vm_readv(SyscallCtx &c);
int64_t sys_process_vm_writev(SyscallCtx &c);
int64_t sys_rseq(SyscallCtx &c);
// time.cpp
int64_t sys_clock_gettime(SyscallCtx &c);
int64_t sys_clock_getres(SyscallCtx &c);
int64_t sys_gettimeofday(SyscallCtx &c);
int64_t sys_nanosleep(SyscallCtx &c);
int64_t sys_clock_nanosleep(SyscallCtx &c);
// timers.cpp
int64_t sys_getitimer(SyscallCtx &c);
int64_t sys_setitimer(SyscallCtx &c);
int64_t sys_timer_create(SyscallCtx &c);
int64_t sys_timer_settime(SyscallCtx &c);
int64_t sys_timer_gettime(SyscallCtx &c);
int64_t sys_timer_getoverrun(SyscallCtx &c);
int64_t sys_timer_delete(SyscallCtx &c);
// signals.cpp
int64_t sys_rt_sigaction(SyscallCtx &c);
int64_t sys_rt_sigprocmask(SyscallCtx &c);
int64_t sys_sigaltstack(SyscallCtx &c);
int64_t sys_kill(SyscallCtx &c);
int64_t sys_tgkill(SyscallCtx &c);
int64_t sys_tkill(SyscallCtx &c);
int64_t sys_rt_sigreturn(SyscallCtx &c);
int64_t sys_rt_sigsuspend(SyscallCtx &c);
int64_t sys_rt_sigpending(SyscallCtx &c);
int64_t sys_rt_sigtimedwait(SyscallCtx &c);
int64_t sys_rt_sigqueueinfo(SyscallCtx &c);
int64_t sys_rt_tgsigqueueinfo(SyscallCtx &c);
int64_t sys_pidfd_send_signal(SyscallCtx &c);

} // namespace xlat::linux_abi
