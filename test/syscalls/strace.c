// -strace prints one line per syscall in qemu's format, and -d unimp names
// syscalls that have no handler (they return -ENOSYS).
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %xlat-run --tier=interp -strace %t 2>&1 >/dev/null | FileCheck %s
// RUN: %xlat-run --tier=block -strace %t 2>&1 >/dev/null | FileCheck %s
// RUN: %xlat-run --tier=template -strace %t 2>&1 >/dev/null | FileCheck %s
// RUN: %xlat-run --tier=interp -d unimp %t 2>&1 >/dev/null | FileCheck %s --check-prefix=UNIMP
// RUN: %xlat-run --tier=block %t | FileCheck %s --check-prefix=OUT
// RUN: %xlat-run --tier=template %t | FileCheck %s --check-prefix=OUT

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  write(1, "hello\n", 6);
  int fd = openat(AT_FDCWD, "/proc/self/exe", O_RDONLY | O_CLOEXEC);
  close(fd);
  openat(AT_FDCWD, "/nonexistent/file", O_RDONLY);
  mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  long r = syscall(18); // lookup_dcookie: no handler (gone from Linux)
  printf("lookup_dcookie: %ld errno=%d\n", r, errno);
  r = syscall(400); // no such syscall
  printf("400: %ld errno=%d\n", r, errno);
  fflush(stdout);
  _exit(0);
}

// CHECK: {{^[0-9]+}} write(1,0x{{[0-9a-f]+}},6) = 6
// CHECK-NEXT: {{^[0-9]+}} openat(AT_FDCWD,"/proc/self/exe",O_RDONLY|O_CLOEXEC) = [[FD:[0-9]+]]
// CHECK-NEXT: {{^[0-9]+}} close([[FD]]) = 0
// CHECK-NEXT: {{^[0-9]+}} openat(AT_FDCWD,"/nonexistent/file",O_RDONLY) = -1 errno=2 (No such file or directory)
// CHECK-NEXT: {{^[0-9]+}} mmap(NULL,8192,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0x0) = 0x{{[0-9a-f]+}}
// CHECK-NEXT: {{^[0-9]+}} lookup_dcookie(0x{{.*}}) = -1 errno=38 (Function not implemented)
// CHECK: {{^[0-9]+}} exit_group(0)

// UNIMP: xlat: unimplemented syscall 18 (lookup_dcookie)
// UNIMP-NEXT: xlat: unimplemented syscall 400{{$}}

// OUT: hello
// OUT-NEXT: lookup_dcookie: -1 errno=38
// OUT-NEXT: 400: -1 errno=38
