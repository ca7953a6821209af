// The case table of the ABI tests: each CASE makes one call and prints
// "name: result errno", so that the output of one build can be compared
// with another's (the host kernel's own answers, or qemu's).
#pragma once

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int cases;

static void report(const char *name, long rc) {
  cases++;
  if (rc < 0)
    printf("%s: -1 %s\n", name, strerrorname_np(errno));
  else
    printf("%s: %ld\n", name, rc);
}

// The call's result and errno, as they are.
#define CASE(name, call) (errno = 0, report(name, (long)(call)))
// Only whether it succeeded (results that differ between runs: fds, pids).
#define OK(name, call) (errno = 0, report(name, (long)(call) >= 0 ? 0 : -1))
// A guest address that is surely not mapped.
#define BAD ((void *)0x10)
