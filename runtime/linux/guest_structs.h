// Guest struct layouts that differ from the x86-64 host's, and their
// translation. Checked against the riscv64 toolchain's headers; structs not
// listed here (statx, linux_dirent64, timespec, timeval, rlimit, rusage,
// sysinfo, utsname, tms, iovec, termios, winsize, flock, sched_param) have the
// same layout on both 64-bit ABIs and pass through untranslated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <sys/stat.h>

namespace xlat::linux_abi {

// asm-generic struct stat (riscv64, aarch64): 128 bytes.
struct GenericStat {
  uint64_t st_dev;
  uint64_t st_ino;
  uint32_t st_mode;
  uint32_t st_nlink;
  uint32_t st_uid;
  uint32_t st_gid;
  uint64_t st_rdev;
  uint64_t pad1;
  int64_t st_size;
  int32_t st_blksize;
  int32_t pad2;
  int64_t st_blocks;
  int64_t st_atime_sec;
  uint64_t st_atime_nsec;
  int64_t st_mtime_sec;
  uint64_t st_mtime_nsec;
  int64_t st_ctime_sec;
  uint64_t st_ctime_nsec;
  uint32_t unused[2];
};
static_assert(sizeof(GenericStat) == 128);
static_assert(offsetof(GenericStat, st_mode) == 16);
static_assert(offsetof(GenericStat, st_size) == 48);
static_assert(offsetof(GenericStat, st_atime_sec) == 72);

inline GenericStat toGenericStat(const struct stat &h) {
  GenericStat g{};
  g.st_dev = h.st_dev;
  g.st_ino = h.st_ino;
  g.st_mode = h.st_mode;
  g.st_nlink = static_cast<uint32_t>(h.st_nlink);
  g.st_uid = h.st_uid;
  g.st_gid = h.st_gid;
  g.st_rdev = h.st_rdev;
  g.st_size = h.st_size;
  g.st_blksize = static_cast<int32_t>(h.st_blksize);
  g.st_blocks = h.st_blocks;
  g.st_atime_sec = h.st_atim.tv_sec;
  g.st_atime_nsec = h.st_atim.tv_nsec;
  g.st_mtime_sec = h.st_mtim.tv_sec;
  g.st_mtime_nsec = h.st_mtim.tv_nsec;
  g.st_ctime_sec = h.st_ctim.tv_sec;
  g.st_ctime_nsec = h.st_ctim.tv_nsec;
  return g;
}

} // namespace xlat::linux_abi

namespace xlat::linux_abi {

// asm-generic struct semid64_ds on a 64-bit ABI: 88 bytes. x86-64's has a
// padding word after each time (104 bytes). struct ipc64_perm has one
// layout on both (x86-64's 16-bit mode is followed by zero padding where
// riscv64 has a 32-bit mode), and shmid64_ds, msqid64_ds, shminfo64,
// shm_info, seminfo, msginfo, sembuf and the msgbuf header do not differ.
struct GenericSemidDs {
  uint8_t sem_perm[48];
  int64_t sem_otime;
  int64_t sem_ctime;
  uint64_t sem_nsems;
  uint64_t unused3;
  uint64_t unused4;
};
static_assert(sizeof(GenericSemidDs) == 88);
static_assert(offsetof(GenericSemidDs, sem_nsems) == 64);

} // namespace xlat::linux_abi
