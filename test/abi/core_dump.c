// A child killed by a signal whose default action dumps core is reported
// with the core flag (WCOREDUMP) when a core was written, as the kernel
// reports a native child: a guest memory fault included, which xlat-run
// turns into its own death by SIGSEGV. The host kernel is the oracle (the
// same test built for the host). The children raise RLIMIT_CORE to its
// hard limit (lit sets the soft one to 0), dump no memory
// (coredump_filter 0: the flag is what matters here) and work in a
// directory of their own, removed afterwards.
//
// REQUIRES: core-dumps
// RUN: %host-cc -O1 %s -o %t.host
// RUN: %rv-cc -O1 %s -o %t
// RUN: %t.host > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out 2>/dev/null || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.expected
// CHECK: fault: signal 11 core 1
// CHECK: abort: signal 6 core 1
// CHECK: term: signal 15 core 0
// CHECK: exit: status 3
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *how) {
  struct rlimit r;
  getrlimit(RLIMIT_CORE, &r);
  r.rlim_cur = r.rlim_max;
  setrlimit(RLIMIT_CORE, &r);
  int fd = open("/proc/self/coredump_filter", O_WRONLY);
  if (fd >= 0) {
    (void)!write(fd, "0", 1);
    close(fd);
  }
  if (!strcmp(how, "fault"))
    *(volatile int *)8 = 1;
  else if (!strcmp(how, "abort"))
    abort();
  else if (!strcmp(how, "term"))
    raise(SIGTERM);
  _exit(3);
}

int main(void) {
  char dir[] = "/tmp/xlat-core-XXXXXX";
  if (!mkdtemp(dir) || chdir(dir) != 0) {
    perror("mkdtemp");
    return 1;
  }
  const char *hows[] = {"fault", "abort", "term", "exit"};
  for (int i = 0; i < 4; i++) {
    fflush(stdout);
    pid_t p = fork();
    if (p == 0)
      die(hows[i]);
    int st;
    waitpid(p, &st, 0);
    if (WIFSIGNALED(st))
      printf("%s: signal %d core %d\n", hows[i], WTERMSIG(st), WCOREDUMP(st) ? 1 : 0);
    else
      printf("%s: status %d\n", hows[i], WEXITSTATUS(st));
  }
  DIR *d = opendir(".");
  for (struct dirent *e; d && (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      unlink(e->d_name);
  if (d)
    closedir(d);
  (void)!chdir("/");
  rmdir(dir);
  return 0;
}
