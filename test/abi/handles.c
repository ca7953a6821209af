// vmsplice and file handles (name_to_handle_at, open_by_handle_at): what
// they do and their error paths, against the host kernel's answers (the
// same test built for the host), in every tier. The kernel checks flags and
// descriptors before it touches the buffers; a translator that checks the
// buffers first answers EFAULT where the kernel says EBADF or EINVAL.
//
// RUN: %host-cc -O1 %s -o %t.host
// RUN: %rv-cc -O1 %s -o %t
// RUN: cd %T && %t.host > %t.expected
// RUN: cd %T && for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.expected
// CHECK: vmsplice write: 3
// CHECK: vmsplice badfd badiov: -1 EBADF
// CHECK: cases: {{[1-9][0-9]+}}
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "Inputs/cases.h"

int main(void) {
  char dir[] = "abi-handles-tmp-XXXXXX";
  if (!mkdtemp(dir))
    return 1;
  chdir(dir);
  int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
  int p[2];
  pipe2(p, O_NONBLOCK); // a missing vmsplice must not leave a read waiting
  char buf[8] = {0};

  // vmsplice: user memory into a pipe, and (from the read end) back out.
  struct iovec in = {"abc", 3};
  CASE("vmsplice write", syscall(SYS_vmsplice, p[1], &in, 1, 0));
  CASE("read spliced", read(p[0], buf, sizeof buf));
  printf("spliced: %.3s\n", buf);
  write(p[1], "xyz", 3);
  struct iovec out = {buf, 3};
  CASE("vmsplice read", syscall(SYS_vmsplice, p[0], &out, 1, 0));
  printf("read back: %.3s\n", buf);
  CASE("vmsplice empty", syscall(SYS_vmsplice, p[1], &in, 0, 0));
  CASE("vmsplice badfd", syscall(SYS_vmsplice, 999, &in, 1, 0));
  CASE("vmsplice notpipe", syscall(SYS_vmsplice, fd, &in, 1, 0));
  CASE("vmsplice badiov", syscall(SYS_vmsplice, p[1], BAD, 1, 0));
  CASE("vmsplice notpipe badiov", syscall(SYS_vmsplice, fd, BAD, 1, 0));
  CASE("vmsplice badfd badiov", syscall(SYS_vmsplice, 999, BAD, 1, 0));
  struct iovec bad = {BAD, 3};
  CASE("vmsplice badbase", syscall(SYS_vmsplice, p[1], &bad, 1, 0));
  CASE("vmsplice toomany", syscall(SYS_vmsplice, p[1], &in, 1025, 0));
  CASE("vmsplice badflags", syscall(SYS_vmsplice, p[1], &in, 1, 0x100));
  CASE("vmsplice badflags badfd", syscall(SYS_vmsplice, 999, &in, 1, 0x100));

  // File handles.
  struct {
    unsigned bytes;
    int type;
    unsigned char h[128];
  } fh;
  int mount;
  fh.bytes = sizeof fh.h;
  CASE("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &fh, &mount, 0));
  int have = fh.bytes;
  fh.bytes = 0;
  CASE("name_to_handle_at small", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &fh, &mount, 0));
  printf("needed: %s\n", fh.bytes == (unsigned)have ? "as before" : "other");
  fh.bytes = 129;
  CASE("name_to_handle_at big", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &fh, &mount, 0));
  fh.bytes = sizeof fh.h;
  CASE("name_to_handle_at dir", syscall(SYS_name_to_handle_at, AT_FDCWD, ".", &fh, &mount, 0));
  CASE("name_to_handle_at empty path", syscall(SYS_name_to_handle_at, fd, "", &fh, &mount, AT_EMPTY_PATH));
  CASE("name_to_handle_at noent", syscall(SYS_name_to_handle_at, AT_FDCWD, "nope", &fh, &mount, 0));
  CASE("name_to_handle_at badpath", syscall(SYS_name_to_handle_at, AT_FDCWD, BAD, &fh, &mount, 0));
  CASE("name_to_handle_at badhandle", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", BAD, &mount, 0));
  CASE("name_to_handle_at badmount", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &fh, BAD, 0));
  CASE("name_to_handle_at badflags", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &fh, &mount, 0x1));
  CASE("name_to_handle_at noent badhandle", syscall(SYS_name_to_handle_at, AT_FDCWD, "nope", BAD, &mount, 0));
  CASE("name_to_handle_at badfd", syscall(SYS_name_to_handle_at, 999, "file", &fh, &mount, 0));
  // Opening by handle needs CAP_DAC_READ_SEARCH: as root it opens, else
  // EPERM before anything else is looked at.
  fh.bytes = have;
  syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &fh, &mount, 0);
  int opened = syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY);
  OK("open_by_handle_at", opened);
  if (opened >= 0)
    close(opened);
  CASE("open_by_handle_at badhandle", syscall(SYS_open_by_handle_at, AT_FDCWD, BAD, O_RDONLY));
  CASE("open_by_handle_at badfd", syscall(SYS_open_by_handle_at, 999, &fh, O_RDONLY));
  fh.bytes = 129;
  CASE("open_by_handle_at big", syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY));

  unlink("file");
  chdir("..");
  rmdir(dir);
  printf("cases: %d\n", cases);
  return 0;
}
