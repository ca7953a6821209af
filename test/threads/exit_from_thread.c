// exit() from a secondary thread ends the whole process with its status,
// while the main thread is blocked; the main thread's exit with threads
// still running lets them finish.
//
// RUN: %rv-cc -O2 -pthread %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected; test $? -eq 7
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out; test $? -eq 7 || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *ender(void *arg) {
  printf("thread exits the process\n");
  fflush(stdout);
  exit(7);
}

int main(void) {
  pthread_t th;
  pthread_create(&th, NULL, ender, NULL);
  pause();
  puts("not reached");
  return 0;
}
// CHECK: thread exits the process
// CHECK-NOT: not reached
