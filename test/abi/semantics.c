// Kernel behaviour beyond error codes, with the host kernel as the oracle
// (the same test built for the host): SA_RESETHAND resets only the handler
// (the flags stay, SA_SIGINFO included), and /proc/self/maps tells shared
// mappings ('s') from private ones ('p').
//
// RUN: %host-cc -O1 %s -o %t.host
// RUN: %rv-cc -O1 %s -o %t
// RUN: %t.host > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.expected
// CHECK: after: handler default, flags siginfo=1 resethand=1
// CHECK: shared: rw-s
// CHECK: private: r--p
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdint.h>
#include <setjmp.h>

static void handler(int sig, siginfo_t *si, void *ctx) { (void)sig; (void)si; (void)ctx; }

int main(void) {
  struct sigaction sa = {0}, now;
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR1, NULL, &now);
  printf("before: handler %s, flags siginfo=%d resethand=%d\n",
         now.sa_handler == SIG_DFL ? "default" : "set",
         !!(now.sa_flags & SA_SIGINFO), !!(now.sa_flags & SA_RESETHAND));
  raise(SIGUSR1);
  sigaction(SIGUSR1, NULL, &now);
  printf("after: handler %s, flags siginfo=%d resethand=%d\n",
         now.sa_handler == SIG_DFL ? "default" : "set",
         !!(now.sa_flags & SA_SIGINFO), !!(now.sa_flags & SA_RESETHAND));
  void *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  void *pr = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char line[512], shPerm[5] = "none", prPerm[5] = "none";
  FILE *f = fopen("/proc/self/maps", "r");
  while (fgets(line, sizeof line, f)) {
    unsigned long a;
    sscanf(line, "%lx", &a);
    if (a == (unsigned long)sh)
      memcpy(shPerm, strchr(line, ' ') + 1, 4);
    if (a == (unsigned long)pr)
      memcpy(prPerm, strchr(line, ' ') + 1, 4);
  }
  printf("shared: %s\nprivate: %s\n", shPerm, prPerm);
  return 0;
}
