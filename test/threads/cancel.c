// pthread_cancel: the guest's glibc cancels a thread blocked in a
// cancellation point with its internal signal (SIGCANCEL, 32), which xlat
// must deliver to the guest like any other; cleanup handlers run and join
// sees PTHREAD_CANCELED.
//
// RUN: %rv-cc -O2 -pthread %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int fds[2];

static void cleanup(void *arg) { printf("cleanup ran: %s\n", (char *)arg); }

static void *blocked(void *arg) {
  pthread_cleanup_push(cleanup, "blocked reader");
  char c;
  read(fds[0], &c, 1); // a cancellation point that never returns data
  pthread_cleanup_pop(0);
  return NULL;
}

int main(void) {
  pipe(fds);
  pthread_t th;
  pthread_create(&th, NULL, blocked, NULL);
  usleep(100000);
  pthread_cancel(th);
  void *ret;
  pthread_join(th, &ret);
  printf("joined: canceled=%d\n", ret == PTHREAD_CANCELED);
  return 0;
}
// CHECK: cleanup ran: blocked reader
// CHECK-NEXT: joined: canceled=1
