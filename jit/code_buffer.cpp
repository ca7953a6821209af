#include "jit/code_buffer.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

namespace xlat::jit {

CodeBuffer::~CodeBuffer() {
  if (rw_)
    munmap(rw_, capacity_);
  if (rx_)
    munmap(rx_, capacity_);
  if (fd_ >= 0)
    close(fd_);
}

bool CodeBuffer::init(std::string &err, size_t capacity) {
  // The file is sparse: only pages written to cost memory.
  fd_ = memfd_create("xlat-code", MFD_CLOEXEC);
  if (fd_ < 0 || ftruncate(fd_, capacity) != 0) {
    err = std::string("cannot create the code buffer: ") + strerror(errno);
    return false;
  }
  void *rw = mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  // Stencils are compiled for the static relocation model, in which code
  // may address its shared constants with 32-bit absolute addresses: the
  // executable view lives in the low 2 GiB.
  void *rx = mmap(nullptr, capacity, PROT_READ | PROT_EXEC,
                  MAP_SHARED | MAP_32BIT, fd_, 0);
  if (rw == MAP_FAILED || rx == MAP_FAILED) {
    err = std::string("cannot map the code buffer: ") + strerror(errno);
    return false;
  }
  rw_ = static_cast<uint8_t *>(rw);
  rx_ = static_cast<uint8_t *>(rx);
  capacity_ = capacity;
  return true;
}

bool CodeBuffer::unshare(std::string &err) {
  if (fd_ < 0)
    return true;
  int fd = memfd_create("xlat-code", MFD_CLOEXEC);
  if (fd < 0 || ftruncate(fd, capacity_) != 0 ||
      (used_ && pwrite(fd, rw_, used_, 0) != (ssize_t)used_)) {
    err = std::string("cannot copy the code buffer: ") + strerror(errno);
    if (fd >= 0)
      close(fd);
    return false;
  }
  if (mmap(rw_, capacity_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
           0) == MAP_FAILED ||
      mmap(rx_, capacity_, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd,
           0) == MAP_FAILED) {
    err = std::string("cannot remap the code buffer: ") + strerror(errno);
    close(fd);
    return false;
  }
  close(fd_);
  fd_ = fd;
  return true;
}

CodeBuffer::Allocation CodeBuffer::allocate(size_t n) {
  size_t start = (used_ + 15) & ~size_t(15);
  if (start + n > capacity_)
    return {};
  used_ = start + n;
  return {rw_ + start, reinterpret_cast<uint64_t>(rx_ + start), n};
}

void CodeBuffer::commit(const Allocation &a) {
  // x86 keeps instruction fetch coherent with stores, also through another
  // mapping of the same page; publishing the code to other threads is the
  // release store of the code cache that follows.
  __builtin___clear_cache(reinterpret_cast<char *>(a.exec),
                          reinterpret_cast<char *>(a.exec + a.size));
}

} // namespace xlat::jit
