// System V IPC (shared memory, semaphores, message queues) and POSIX message
// queues. Identifiers, keys and message queue descriptors are the host's.
// Only struct semid64_ds differs between riscv64 and x86-64 (see
// guest_structs.h); everything else passes by pointer.
//
// shmat places the segment inside the guest address space: the host
// attaches it at base + a guest address that GuestMemory picks (or checks)
// and records, with the name Linux gives it in /proc/self/maps. Detaching
// is unmapping: GuestMemory::munmap re-reserves the range, which detaches
// the host mapping, so a guest munmap of an attached range detaches it too,
// as on Linux.
#include "runtime/linux/guest_structs.h"
#include "runtime/linux/syscall_impl.h"

#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mqueue.h>
#include <mutex>
#include <signal.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace xlat::linux_abi {
namespace {

constexpr uint64_t kPageMask = GuestMemory::kPageSize - 1;
// asm-generic SHMLBA is the page size.
constexpr uint64_t kShmLba = GuestMemory::kPageSize;

// Segments attached by shmat: guest address -> length and mapping name, so
// that shmdt knows what to unmap. One guest process per host process, so
// this is per process; fork copies it along with the host attachments.
struct ShmAttach {
  uint64_t len;
  std::string name;
};
std::mutex shmMu;
std::map<uint64_t, ShmAttach> shmAttaches;

// An optional guest pointer to `len` bytes the host kernel reads or writes:
// null when the guest passed null or the range leaves the guest space (the
// host kernel then reports EFAULT, or rejects the arguments first, as the
// guest's kernel would).
void *optHostPtr(const GuestMemory &m, uint64_t g, uint64_t len) {
  return g ? hostPtr(m, g, len) : nullptr;
}

} // namespace

// --- shared memory ----------------------------------------------------------

int64_t sys_shmget(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_shmget, (key_t)c.a[0], (size_t)c.a[1], (int)c.a[2]));
}

int64_t sys_shmctl(SyscallCtx &c) {
  int id = (int)c.a[0], cmd = (int)c.a[1];
  uint64_t len = 0;
  switch (cmd) {
  case IPC_STAT:
  case IPC_SET:
  case SHM_STAT:
  case SHM_STAT_ANY:
    len = sizeof(struct shmid_ds);
    break;
  case IPC_INFO:
    len = sizeof(struct shminfo);
    break;
  case SHM_INFO:
    len = sizeof(struct shm_info);
    break;
  default: // IPC_RMID, SHM_LOCK, SHM_UNLOCK: no buffer
    return errnoResult(::syscall(SYS_shmctl, id, cmd, nullptr));
  }
  return errnoResult(
      ::syscall(SYS_shmctl, id, cmd, optHostPtr(c.mem, c.a[2], len)));
}

int64_t sys_shmat(SyscallCtx &c) {
  int id = (int)c.a[0], flags = (int)c.a[2];
  uint64_t addr = c.a[1];
  // The segment's size and key (for its name); also rejects a bad id.
  struct shmid_ds ds;
  if (::shmctl(id, IPC_STAT, &ds) < 0)
    return -errno;
  if (addr & (kShmLba - 1)) {
    if (!(flags & SHM_RND))
      return -EINVAL;
    addr &= ~(kShmLba - 1);
    if (!addr && (flags & SHM_REMAP))
      return -EINVAL;
  } else if (!addr && (flags & SHM_REMAP)) {
    return -EINVAL;
  }
  int prot = PROT_READ | ((flags & SHM_RDONLY) ? 0 : PROT_WRITE) |
             ((flags & SHM_EXEC) ? PROT_EXEC : 0);
  char name[40];
  snprintf(name, sizeof name, "/SYSV%08x (deleted)",
           (unsigned)ds.shm_perm.__key);
  uint64_t len = (ds.shm_segsz + kPageMask) & ~kPageMask;
  if (addr && (flags & SHM_REMAP))
    dropTranslationsIfCode(c, addr, len);
  std::lock_guard<std::mutex> lock(shmMu);
  // The host attaches over the reservation (SHM_REMAP); guest code is
  // never run natively, so no host SHM_EXEC.
  int hostFlags = (flags & SHM_RDONLY) | SHM_REMAP;
  int64_t r = c.mem.mapHostShared(
      addr, len, prot, flags & SHM_REMAP, name,
      [&](void *host) { return ::shmat(id, host, hostFlags) != (void *)-1; });
  if (r >= 0)
    shmAttaches[(uint64_t)r] = ShmAttach{len, name};
  return r;
}

int64_t sys_shmdt(SyscallCtx &c) {
  uint64_t addr = c.a[0];
  if (addr & kPageMask)
    return -EINVAL;
  std::lock_guard<std::mutex> lock(shmMu);
  auto it = shmAttaches.find(addr);
  if (it == shmAttaches.end())
    return -EINVAL;
  ShmAttach at = it->second;
  shmAttaches.erase(it);
  // Like Linux: the mapping at addr must still be the segment; then every
  // piece of the segment left in [addr, addr + size) goes (the guest may
  // have unmapped or replaced some of it since).
  auto maps = c.mem.mappings();
  auto first = maps.find(addr);
  if (first == maps.end() || first->second.name != at.name)
    return -EINVAL;
  for (auto m = first; m != maps.end() && m->first < addr + at.len; ++m) {
    if (m->second.name != at.name)
      continue;
    uint64_t end = std::min(m->second.end, addr + at.len);
    dropTranslationsIfCode(c, m->first, end - m->first);
    c.mem.munmap(m->first, end - m->first);
  }
  return 0;
}

// --- semaphores -------------------------------------------------------------

int64_t sys_semget(SyscallCtx &c) {
  return errnoResult(
      ::syscall(SYS_semget, (key_t)c.a[0], (int)c.a[1], (int)c.a[2]));
}

// semctl(id, num, cmd, union semun): the union is passed by value, so for
// the pointer commands a[3] is a guest address.
int64_t sys_semctl(SyscallCtx &c) {
  int id = (int)c.a[0], num = (int)c.a[1], cmd = (int)c.a[2];
  uint64_t arg = c.a[3];
  auto semctl = [&](int command, const void *p) {
    return ::syscall(SYS_semctl, id, num, command, p);
  };
  switch (cmd) {
  case IPC_STAT:
  case SEM_STAT:
  case SEM_STAT_ANY: {
    struct semid_ds h;
    long r = semctl(cmd, &h);
    if (r < 0)
      return -errno;
    GenericSemidDs g{};
    memcpy(g.sem_perm, &h.sem_perm, sizeof g.sem_perm);
    g.sem_otime = h.sem_otime;
    g.sem_ctime = h.sem_ctime;
    g.sem_nsems = h.sem_nsems;
    return writeGuest(c.mem, arg, g) ? r : -EFAULT;
  }
  case IPC_SET: {
    GenericSemidDs g;
    if (!readGuest(c.mem, arg, g))
      return -EFAULT;
    struct semid_ds h{};
    static_assert(sizeof h.sem_perm == sizeof g.sem_perm);
    memcpy(&h.sem_perm, g.sem_perm, sizeof g.sem_perm);
    h.sem_otime = g.sem_otime;
    h.sem_ctime = g.sem_ctime;
    h.sem_nsems = g.sem_nsems;
    return errnoResult(semctl(cmd, &h));
  }
  case IPC_INFO:
  case SEM_INFO:
    return errnoResult(
        semctl(cmd, optHostPtr(c.mem, arg, sizeof(struct seminfo))));
  case GETALL:
  case SETALL: {
    // An array of nsems unsigned shorts.
    struct semid_ds h;
    uint64_t n = semctl(IPC_STAT, &h) == 0 ? h.sem_nsems : 1;
    return errnoResult(semctl(cmd, optHostPtr(c.mem, arg, n * 2)));
  }
  default: // IPC_RMID, GETVAL, SETVAL, GETPID, GETNCNT, GETZCNT: a value
    return errnoResult(::syscall(SYS_semctl, id, num, cmd, arg));
  }
}

int64_t sys_semtimedop(SyscallCtx &c) {
  struct timespec ts;
  if (c.a[3] && !readGuest(c.mem, c.a[3], ts))
    return -EFAULT;
  // struct sembuf: three shorts on both ABIs.
  void *sops = optHostPtr(c.mem, c.a[1], c.a[2] * sizeof(struct sembuf));
  return errnoResult(::syscall(SYS_semtimedop, (int)c.a[0], sops, c.a[2],
                               c.a[3] ? &ts : nullptr));
}

int64_t sys_semop(SyscallCtx &c) {
  c.a[3] = 0;
  return sys_semtimedop(c);
}

// --- message queues ---------------------------------------------------------

int64_t sys_msgget(SyscallCtx &c) {
  return errnoResult(::syscall(SYS_msgget, (key_t)c.a[0], (int)c.a[1]));
}

int64_t sys_msgctl(SyscallCtx &c) {
  int id = (int)c.a[0], cmd = (int)c.a[1];
  uint64_t len = 0;
  switch (cmd) {
  case IPC_STAT:
  case IPC_SET:
  case MSG_STAT:
  case MSG_STAT_ANY:
    len = sizeof(struct msqid_ds);
    break;
  case IPC_INFO:
  case MSG_INFO:
    len = sizeof(struct msginfo);
    break;
  default: // IPC_RMID
    return errnoResult(::syscall(SYS_msgctl, id, cmd, nullptr));
  }
  return errnoResult(
      ::syscall(SYS_msgctl, id, cmd, optHostPtr(c.mem, c.a[2], len)));
}

// struct msgbuf { long mtype; char mtext[]; } on both ABIs.
int64_t sys_msgsnd(SyscallCtx &c) {
  void *msg = optHostPtr(c.mem, c.a[1], sizeof(long) + c.a[2]);
  return errnoResult(
      ::syscall(SYS_msgsnd, (int)c.a[0], msg, (size_t)c.a[2], (int)c.a[3]));
}

int64_t sys_msgrcv(SyscallCtx &c) {
  void *msg = optHostPtr(c.mem, c.a[1], sizeof(long) + c.a[2]);
  return errnoResult(::syscall(SYS_msgrcv, (int)c.a[0], msg, (size_t)c.a[2],
                               (long)c.a[3], (int)c.a[4]));
}

// --- POSIX message queues ---------------------------------------------------
// struct mq_attr and struct sigevent have one layout on both ABIs.

int64_t sys_mq_open(SyscallCtx &c) {
  std::string name;
  if (int64_t err = readPath(c.mem, c.a[0], name))
    return err;
  int flags = (int)c.a[1];
  struct mq_attr attr;
  bool withAttr = (flags & O_CREAT) && c.a[3];
  if (withAttr && !readGuest(c.mem, c.a[3], attr))
    return -EFAULT;
  return errnoResult(::syscall(SYS_mq_open, name.c_str(), flags, (mode_t)c.a[2],
                               withAttr ? &attr : nullptr));
}

int64_t sys_mq_unlink(SyscallCtx &c) {
  std::string name;
  if (int64_t err = readPath(c.mem, c.a[0], name))
    return err;
  return errnoResult(::syscall(SYS_mq_unlink, name.c_str()));
}

int64_t sys_mq_timedsend(SyscallCtx &c) {
  struct timespec ts;
  if (c.a[4] && !readGuest(c.mem, c.a[4], ts))
    return -EFAULT;
  return errnoResult(::syscall(SYS_mq_timedsend, (int)c.a[0],
                               optHostPtr(c.mem, c.a[1], c.a[2]), c.a[2],
                               (unsigned)c.a[3], c.a[4] ? &ts : nullptr));
}

int64_t sys_mq_timedreceive(SyscallCtx &c) {
  struct timespec ts;
  if (c.a[4] && !readGuest(c.mem, c.a[4], ts))
    return -EFAULT;
  void *prio = optHostPtr(c.mem, c.a[3], sizeof(unsigned));
  if (c.a[3] && !prio)
    return -EFAULT;
  return errnoResult(::syscall(SYS_mq_timedreceive, (int)c.a[0],
                               optHostPtr(c.mem, c.a[1], c.a[2]), c.a[2], prio,
                               c.a[4] ? &ts : nullptr));
}

int64_t sys_mq_notify(SyscallCtx &c) {
  if (!c.a[1])
    return errnoResult(::syscall(SYS_mq_notify, (int)c.a[0], nullptr));
  struct sigevent ev;
  if (!readGuest(c.mem, c.a[1], ev))
    return -EFAULT;
  // SIGEV_NONE and SIGEV_SIGNAL pass as they are: the signal reaches the
  // guest through the host handlers, with sigev_value (guest data) in its
  // siginfo. SIGEV_THREAD is the kernel's netlink form that libc builds:
  // sigev_signo is a netlink socket and sival_ptr the cookie the kernel
  // copies in, a guest address.
  if (ev.sigev_notify == SIGEV_THREAD) {
    constexpr uint64_t kNotifyCookieLen = 32;
    void *cookie =
        hostPtr(c.mem, (uint64_t)ev.sigev_value.sival_ptr, kNotifyCookieLen);
    if (!cookie)
      return -EFAULT;
    ev.sigev_value.sival_ptr = cookie;
  }
  return errnoResult(::syscall(SYS_mq_notify, (int)c.a[0], &ev));
}

int64_t sys_mq_getsetattr(SyscallCtx &c) {
  struct mq_attr nattr, oattr;
  if (c.a[1] && !readGuest(c.mem, c.a[1], nattr))
    return -EFAULT;
  if (::syscall(SYS_mq_getsetattr, (int)c.a[0], c.a[1] ? &nattr : nullptr,
                c.a[2] ? &oattr : nullptr) < 0)
    return -errno;
  if (c.a[2] && !writeGuest(c.mem, c.a[2], oattr))
    return -EFAULT;
  return 0;
}

} // namespace xlat::linux_abi
