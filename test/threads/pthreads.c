// pthreads on host threads: mutexes, condition variables, atomics and
// LR/SC-based locks across several threads, thread-local storage, join
// results, and a thread that ends the process with exit().
//
// RUN: %rv-cc -O2 -pthread %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4
#define ITERS 20000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long locked_counter;
static atomic_long atomic_counter;
static int ready;
static __thread int tls_value;

static void *worker(void *arg) {
  long id = (long)arg;
  tls_value = (int)id * 100;
  pthread_mutex_lock(&mu);
  while (!ready)
    pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  for (int i = 0; i < ITERS; i++) {
    pthread_mutex_lock(&mu);
    locked_counter++;
    pthread_mutex_unlock(&mu);
    atomic_fetch_add(&atomic_counter, 1);
  }
  return (void *)(long)(tls_value + 1);
}

int main(void) {
  pthread_t th[THREADS];
  for (long i = 0; i < THREADS; i++)
    pthread_create(&th[i], NULL, worker, (void *)i);
  pthread_mutex_lock(&mu);
  ready = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  long sum = 0;
  for (int i = 0; i < THREADS; i++) {
    void *r;
    pthread_join(th[i], &r);
    sum += (long)r;
  }
  printf("locked=%ld atomic=%ld joined=%ld tls-main=%d\n", locked_counter,
         (long)atomic_counter, sum, tls_value);
  // CHECK: locked=80000 atomic=80000 joined=604 tls-main=0
  return 0;
}
