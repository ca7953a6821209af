// File-descriptor and path syscalls through static glibc: openat, read,
// write, lseek, pread64/pwrite64, readv/writev, fstat/newfstatat/statx,
// getdents64, dup/dup3, pipe2, fcntl, ftruncate, fsync, mkdirat, renameat2,
// unlinkat, faccessat, readlinkat, getcwd, chdir/fchdir.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %xlat-run --tier=interp %t %t.dir | FileCheck %s
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %xlat-run --tier=block %t %t.dir | FileCheck %s
// RUN: %xlat-run --tier=template %t %t.dir | FileCheck %s

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static void names(const char *dir) {
  // readdir uses getdents64; sort the two names we expect by hand.
  DIR *d = opendir(dir);
  int seenSub = 0, seenB = 0, other = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, "sub"))
      seenSub = e->d_type == DT_DIR;
    else if (!strcmp(e->d_name, "b.txt"))
      seenB = e->d_type == DT_REG;
    else if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      other++;
  }
  closedir(d);
  printf("dir: sub=%d b.txt=%d other=%d\n", seenSub, seenB, other);
}

int main(int argc, char **argv) {
  if (chdir(argv[1]) != 0)
    return 1;
  int fd = openat(AT_FDCWD, "a.txt", O_CREAT | O_RDWR | O_TRUNC, 0640);
  printf("open: %d\n", fd >= 3);
  printf("write: %zd\n", write(fd, "hello, file\n", 12));
  struct iovec wv[2] = {{"abc", 3}, {"defg\n", 5}};
  printf("writev: %zd\n", writev(fd, wv, 2));
  printf("lseek: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
  char buf[64] = {0};
  printf("pread: %zd '%.5s'\n", pread(fd, buf, 5, 7), buf);
  printf("pwrite: %zd\n", pwrite(fd, "F", 1, 7));
  lseek(fd, 0, SEEK_SET);
  char b1[6] = {0}, b2[32] = {0};
  struct iovec rv[2] = {{b1, 5}, {b2, sizeof b2 - 1}};
  printf("readv: %zd '%s' '%s'", readv(fd, rv, 2), b1, b2);
  printf("\n");

  struct stat st;
  fstat(fd, &st);
  printf("fstat: size=%ld mode=%o reg=%d\n", (long)st.st_size,
         st.st_mode & 0777, S_ISREG(st.st_mode));
  printf("ftruncate: %d\n", ftruncate(fd, 5));
  printf("fsync: %d fdatasync: %d\n", fsync(fd), fdatasync(fd));
  stat("a.txt", &st);
  printf("stat: size=%ld nlink=%lu\n", (long)st.st_size,
         (unsigned long)st.st_nlink);
  struct statx sx;
  printf("statx: %d size=%llu\n", statx(AT_FDCWD, "a.txt", 0, STATX_SIZE, &sx),
         (unsigned long long)sx.stx_size);
  errno = 0;
  printf("stat missing: %d errno=%d\n", stat("nope", &st), errno);

  int d = dup(fd);
  printf("dup: %d\n", d > fd);
  printf("dup3: %d\n", dup3(fd, 40, O_CLOEXEC));
  printf("F_GETFD: %d\n", fcntl(40, F_GETFD));
  printf("F_GETFL: %o\n", fcntl(fd, F_GETFL) & O_ACCMODE);
  printf("F_DUPFD: %d\n", fcntl(fd, F_DUPFD, 50));
  close(d);
  close(40);
  close(50);
  printf("close bad: %d errno=%d\n", close(77), errno);

  int p[2];
  printf("pipe2: %d\n", pipe2(p, O_CLOEXEC));
  write(p[1], "through a pipe", 14);
  memset(buf, 0, sizeof buf);
  printf("pipe read: %zd '%s'\n", read(p[0], buf, sizeof buf), buf);
  close(p[0]);
  close(p[1]);

  printf("mkdir: %d\n", mkdir("sub", 0755));
  printf("rename: %d\n", rename("a.txt", "b.txt"));
  printf("access: %d %d\n", access("b.txt", R_OK), access("a.txt", F_OK));
  names(".");
  int dfd = open("sub", O_RDONLY | O_DIRECTORY);
  printf("fchdir: %d\n", fchdir(dfd));
  char cwd[4096];
  getcwd(cwd, sizeof cwd);
  printf("getcwd ends in sub: %d\n", !strcmp(strrchr(cwd, '/'), "/sub"));
  chdir("..");
  symlink("b.txt", "link");
  memset(buf, 0, sizeof buf);
  printf("readlink: %zd '%s'\n", readlink("link", buf, sizeof buf), buf);
  printf("unlink: %d %d\n", unlink("link"), unlink("b.txt"));
  printf("rmdir: %d\n", rmdir("sub"));
  errno = 0;
  printf("unlink missing: %d errno=%d\n", unlink("b.txt"), errno);
  return 0;
}

// CHECK:      open: 1
// CHECK-NEXT: write: 12
// CHECK-NEXT: writev: 8
// CHECK-NEXT: lseek: 20
// CHECK-NEXT: pread: 5 'file
// CHECK-NEXT: '
// CHECK-NEXT: pwrite: 1
// CHECK-NEXT: readv: 20 'hello' ', File
// CHECK-NEXT: abcdefg
// CHECK-NEXT: '
// CHECK-NEXT: fstat: size=20 mode=640 reg=1
// CHECK-NEXT: ftruncate: 0
// CHECK-NEXT: fsync: 0 fdatasync: 0
// CHECK-NEXT: stat: size=5 nlink=1
// CHECK-NEXT: statx: 0 size=5
// CHECK-NEXT: stat missing: -1 errno=2
// CHECK-NEXT: dup: 1
// CHECK-NEXT: dup3: 40
// CHECK-NEXT: F_GETFD: 1
// CHECK-NEXT: F_GETFL: 2
// CHECK-NEXT: F_DUPFD: 50
// CHECK-NEXT: close bad: -1 errno=9
// CHECK-NEXT: pipe2: 0
// CHECK-NEXT: pipe read: 14 'through a pipe'
// CHECK-NEXT: mkdir: 0
// CHECK-NEXT: rename: 0
// CHECK-NEXT: access: 0 -1
// CHECK-NEXT: dir: sub=1 b.txt=1 other=0
// CHECK-NEXT: fchdir: 0
// CHECK-NEXT: getcwd ends in sub: 1
// CHECK-NEXT: readlink: 5 'b.txt'
// CHECK-NEXT: unlink: 0 0
// CHECK-NEXT: rmdir: 0
// CHECK-NEXT: unlink missing: -1 errno=2
