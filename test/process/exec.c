// execve: a riscv64 guest that fork/execs another riscv64 guest (itself)
// and waits; #! scripts with a guest and a host interpreter; the host's
// native /bin/sh through system() and popen() running a pipeline; execve
// errors come back as -1/errno without ending the process.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %rv-dyncc -O2 %s -o %t.dyn
// RUN: printf '#!%t.dyn\n' > %t.script && chmod +x %t.script
// qemu-riscv64 cannot run a riscv64 program a guest execs (without
// binfmt_misc): compare the rest with it.
// RUN: %qemu-riscv64 %t %t.script | grep -v "child\|script" > %t.ref
// RUN: for t in %{tiers}; do for b in %t %t.dyn; do \
// RUN:   %xlat-run --tier=$t $b %t.script > %t.out || exit 1; \
// RUN:   FileCheck %s < %t.out || exit 1; \
// RUN:   grep -v "child\|script" %t.out | diff %t.ref - || exit 1; done; done

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int runAndWait(char *const argv[]) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    execve(argv[0], argv, environ);
    _exit(99);
  }
  int st;
  waitpid(c, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "child")) {
    printf("child argv:");
    for (int i = 0; i < argc; ++i)
      printf(" [%s]", i == 0 ? "argv0" : argv[i]);
    printf(" env XLAT_TEST=%s\n", getenv("XLAT_TEST"));
    return 42;
  }
  // The script's interpreter is this program: argv = interp, script, args.
  if (argc > 2 && strstr(argv[1], ".script")) {
    printf("script args: %s %d\n", argv[2], argc);
    return 5;
  }
  setenv("XLAT_TEST", "passed", 1);
  char *child[] = {argv[0], "child", "two words", NULL};
  // CHECK: child argv: [argv0] [child] [two words] env XLAT_TEST=passed
  // CHECK-NEXT: guest child exited 42
  printf("guest child exited %d\n", runAndWait(child));

  char *script[] = {argv[1], "from-exec", NULL};
  // CHECK-NEXT: script args: from-exec 3
  // CHECK-NEXT: script exited 5
  printf("script exited %d\n", runAndWait(script));

  // The host's /bin/sh, a native program, runs the pipeline.
  fflush(stdout);
  // CHECK-NEXT: HI
  int st = system("echo hi | tr a-z A-Z");
  // CHECK-NEXT: system status 0
  printf("system status %d\n", WEXITSTATUS(st));
  st = system("exit 3");
  // CHECK-NEXT: system exit 3
  printf("system exit %d\n", WEXITSTATUS(st));

  FILE *p = popen("printf 'a\\nb\\nc\\n' | wc -l", "r");
  char line[64] = {0};
  fgets(line, sizeof line, p);
  // CHECK-NEXT: popen read 3 status 0
  printf("popen read %d status %d\n", atoi(line), pclose(p));

  // Failed execs return to the caller.
  char *missing[] = {"/no/such/program", NULL};
  int r = execve(missing[0], missing, environ);
  // CHECK-NEXT: missing: -1 ENOENT 1
  printf("missing: %d ENOENT %d\n", r, errno == ENOENT);
  char *notExec[] = {"/etc/passwd", NULL};
  r = execve(notExec[0], notExec, environ);
  // CHECK-NEXT: not executable: -1 EACCES 1
  printf("not executable: %d EACCES %d\n", r, errno == EACCES);

  // Replace this process by a native program: the last line.
  fflush(stdout);
  char *echo[] = {"/bin/echo", "native", "echo", NULL};
  execve(echo[0], echo, environ);
  printf("not reached\n");
  return 1;
}
// CHECK-NEXT: native echo
