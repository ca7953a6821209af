// What a program sees of how it was started: argv, /proc/self/exe,
// AT_EXECFN, its task name, and a file by an absolute path (a sysroot's or
// a chroot's). Exits with $SHOW_STATUS, to show the status gets through.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++)
    printf("argv[%d]=%s\n", i, argv[i]);
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("exe=%s\n", buf);
  printf("execfn=%s\n", (const char *)getauxval(AT_EXECFN));
  FILE *f = fopen("/proc/self/comm", "r");
  if (f && fgets(buf, sizeof buf, f))
    printf("comm=%s", buf);
  if (f)
    fclose(f);
  f = fopen("/etc/xlat-binfmt-test", "r");
  printf("file=%s", f && fgets(buf, sizeof buf, f) ? buf : "none\n");
  const char *st = getenv("SHOW_STATUS");
  return st ? atoi(st) : 0;
}
