// File I/O in a scratch directory: mkdir, open/write/read, stdio, lseek,
// pread/pwrite, stat/fstat, rename, unlink, readdir, rmdir, and errno on
// failures. The directory is argv[1]; the program chdirs into it so that
// nothing it prints depends on the path.
//
// RUN: %rv-cc -O0 %s -o %t.O0
// RUN: %rv-cc -O2 %s -o %t.O2
// RUN: rm -rf %t.dir && %qemu-riscv64 %t.O0 %t.dir > %t.O0.ref
// RUN: rm -rf %t.dir && %qemu-riscv64 %t.O2 %t.dir > %t.O2.ref
// RUN: rm -rf %t.dir && %xlat-run --tier=interp %t.O0 %t.dir > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: rm -rf %t.dir && %xlat-run --tier=block  %t.O0 %t.dir > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: rm -rf %t.dir && %xlat-run --tier=template  %t.O0 %t.dir > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: rm -rf %t.dir && %xlat-run --tier=interp %t.O2 %t.dir > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: rm -rf %t.dir && %xlat-run --tier=block  %t.O2 %t.dir > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: rm -rf %t.dir && %xlat-run --tier=template  %t.O2 %t.dir > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// The program removed everything it created.
// RUN: test ! -e %t.dir
// The same for AArch64 (whose open flags differ from the host's), against qemu-aarch64:
// RUN: %a64-gcc -O2 %s -o %t.a64
// RUN: rm -rf %t.dir && %qemu-aarch64 %t.a64 %t.dir > %t.a64.ref
// RUN: for t in %{a64-tiers}; do rm -rf %t.dir && %xlat-run $t %t.a64 %t.dir > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done
// RUN: test ! -e %t.dir

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK_OK(expr)                                                         \
  do {                                                                         \
    if ((expr) < 0) {                                                          \
      printf("FAIL %s: %s\n", #expr, strerror(errno));                         \
      return 1;                                                                \
    }                                                                          \
  } while (0)

static int cmpName(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int listDir(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return -1;
  char *names[16];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 16)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof names[0], cmpName);
  printf("ls:");
  for (int i = 0; i < n; ++i) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
  return 0;
}

static int rawIo(void) {
  int fd = open("raw.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
  CHECK_OK(fd);
  char block[4096];
  for (int i = 0; i < 4096; ++i)
    block[i] = (char)(i * 31);
  for (int i = 0; i < 3; ++i)
    CHECK_OK(write(fd, block, sizeof block));
  CHECK_OK(pwrite(fd, "PATCH", 5, 5000));
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  printf("size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));
  off_t pos = lseek(fd, 4998, SEEK_SET);
  char got[9] = {0};
  CHECK_OK(read(fd, got + 0, 2));
  CHECK_OK(read(fd, got + 2, 5));
  printf("lseek=%lld patch=%s\n", (long long)pos, got + 2);
  CHECK_OK(pread(fd, got, 8, 3 * 4096 - 4));
  printf("pread=%d short_read_at_eof=%zd\n", got[0] == block[4092],
         pread(fd, got, 8, 3 * 4096 - 4));
  printf("eof_read=%zd\n", read(fd, got, 1) >= 0 ? (ssize_t)0 : (ssize_t)-1);
  CHECK_OK(ftruncate(fd, 100));
  CHECK_OK(fstat(fd, &st));
  printf("truncated=%lld\n", (long long)st.st_size);
  return close(fd);
}

static int stdioIo(void) {
  FILE *f = fopen("notes.txt", "w");
  if (!f)
    return -1;
  for (int i = 1; i <= 5; ++i)
    fprintf(f, "line %d: %d\n", i, i * i);
  fclose(f);
  f = fopen("notes.txt", "a+");
  fputs("appended\n", f);
  rewind(f);
  char line[64];
  int lines = 0;
  while (fgets(line, sizeof line, f)) {
    ++lines;
    if (lines == 3 || strncmp(line, "app", 3) == 0)
      printf("read: %s", line);
  }
  printf("lines=%d\n", lines);
  return fclose(f);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    printf("usage: file_io DIR\n");
    return 2;
  }
  CHECK_OK(mkdir(argv[1], 0755));
  CHECK_OK(chdir(argv[1]));
  CHECK_OK(mkdir("sub", 0700));
  CHECK_OK(rawIo());
  CHECK_OK(stdioIo());
  listDir(".");

  CHECK_OK(rename("notes.txt", "sub/renamed.txt"));
  struct stat st;
  int r = stat("notes.txt", &st);
  printf("old_gone=%d errno=%s\n", r, strerror(errno));
  CHECK_OK(stat("sub/renamed.txt", &st));
  printf("renamed_size=%lld\n", (long long)st.st_size);
  CHECK_OK(stat("sub", &st));
  printf("sub_is_dir=%d mode=%o\n", S_ISDIR(st.st_mode), st.st_mode & 0777);
  listDir("sub");

  r = open("missing", O_RDONLY);
  printf("open_missing=%d errno=%s\n", r, strerror(errno));
  r = rmdir("sub");
  printf("rmdir_nonempty=%d errno=%s\n", r, strerror(errno));
  CHECK_OK(unlink("sub/renamed.txt"));
  CHECK_OK(unlink("raw.bin"));
  CHECK_OK(rmdir("sub"));
  listDir(".");
  CHECK_OK(chdir(".."));
  CHECK_OK(rmdir(argv[1]));
  printf("done\n");
  return 0;
}

// CHECK:      size=12288 regular=1
// CHECK-NEXT: lseek=4998 patch=PATCH
// CHECK-NEXT: pread=1 short_read_at_eof=4
// CHECK-NEXT: eof_read=0
// CHECK-NEXT: truncated=100
// CHECK-NEXT: read: line 3: 9
// CHECK-NEXT: read: appended
// CHECK-NEXT: lines=6
// CHECK-NEXT: ls: notes.txt raw.bin sub
// CHECK-NEXT: old_gone=-1 errno=No such file or directory
// CHECK-NEXT: renamed_size=61
// CHECK-NEXT: sub_is_dir=1 mode=700
// CHECK-NEXT: ls: renamed.txt
// CHECK-NEXT: open_missing=-1 errno=No such file or directory
// CHECK-NEXT: rmdir_nonempty=-1 errno=Directory not empty
// CHECK-NEXT: ls:
// CHECK-NEXT: done
