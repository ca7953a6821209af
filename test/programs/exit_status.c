// The guest's exit status and death by signal become xlat-run's own, as
// with qemu-riscv64: exit(42) exits 42, abort() dies of SIGABRT (bash
// reports 128 + 6), a wild store dies of SIGSEGV. Buffered stdout is
// flushed by exit() but not by a signal death.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t exit 42 > %t.ref; test $? -eq 42
// RUN: %xlat-run --tier=interp %t exit 42 > %t.out; test $? -eq 42
// RUN: diff %t.ref %t.out && FileCheck --check-prefix=EXIT %s < %t.out
// RUN: %xlat-run --tier=block %t exit 42 > %t.out; test $? -eq 42
// RUN: %xlat-run --tier=template %t exit 42 > %t.out; test $? -eq 42
// RUN: diff %t.ref %t.out
// RUN: %xlat-run --tier=interp %t return 7; test $? -eq 7
// RUN: %xlat-run --tier=block %t return 7; test $? -eq 7
// RUN: %xlat-run --tier=template %t return 7; test $? -eq 7
// RUN: %xlat-run --tier=interp %t exit 0
// RUN: %xlat-run --tier=block %t exit 256
// RUN: %xlat-run --tier=template %t exit 256
// Only the low 8 bits of the status survive.
// RUN: %xlat-run --tier=interp %t exit 300; test $? -eq 44
// RUN: %xlat-run --tier=interp %t _exit 3; test $? -eq 3
// RUN: %xlat-run --tier=block %t _exit 3 > %t.out; test $? -eq 3 && count 0 < %t.out
// RUN: %xlat-run --tier=template %t _exit 3 > %t.out; test $? -eq 3 && count 0 < %t.out
//
// RUN: not --crash %xlat-run --tier=interp %t abort > %t.out
// RUN: not --crash %xlat-run --tier=block %t abort
// RUN: not --crash %xlat-run --tier=template %t abort
// RUN: %xlat-run --tier=interp %t abort; test $? -eq 134
// RUN: %xlat-run --tier=block %t segv; test $? -eq 139
// RUN: %xlat-run --tier=template %t segv; test $? -eq 139
// RUN: %xlat-run --tier=interp %t segv; test $? -eq 139
// RUN: %xlat-run --tier=block %t kill; test $? -eq 143
// RUN: %xlat-run --tier=template %t kill; test $? -eq 143
// RUN: %qemu-riscv64 %t segv; test $? -eq 139
// The same for AArch64, against qemu-aarch64: exit, abort, a fault.
// RUN: %a64-gcc -O2 %s -o %t.a64
// RUN: %qemu-aarch64 %t.a64 exit 42 > %t.a64.ref; test $? -eq 42
// RUN: for t in %{a64-tiers}; do \
// RUN:   %xlat-run $t %t.a64 exit 42 > %t.out; test $? -eq 42 || exit 1; \
// RUN:   diff %t.a64.ref %t.out && FileCheck --check-prefix=EXIT %s < %t.out || exit 1; \
// RUN:   %xlat-run $t %t.a64 abort; test $? -eq 134 || exit 1; \
// RUN:   %xlat-run $t %t.a64 segv; test $? -eq 139 || exit 1; done

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  const char *what = argv[1];
  int code = argc > 2 ? atoi(argv[2]) : 0;
  // Left in the stdio buffer: exit() must flush it.
  printf("before %s %d", what, code);
  if (!strcmp(what, "exit"))
    exit(code);
  if (!strcmp(what, "return"))
    return code;
  if (!strcmp(what, "_exit"))
    _exit(code); // no flush: nothing is printed
  if (!strcmp(what, "abort"))
    abort();
  if (!strcmp(what, "segv"))
    *(volatile int *)(unsigned long)code = 1;
  if (!strcmp(what, "kill"))
    raise(SIGTERM);
  return 99;
}

// EXIT: before exit 42
