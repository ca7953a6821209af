// For the code-churn tests: a thread that keeps creating and joining
// threads while the main thread generates code, so that threads go in and
// out of translated code (and the runner's thread list changes) all along.
#pragma once
#include <pthread.h>
#include <stdatomic.h>

static atomic_int thread_churn_done;
static pthread_t thread_churn_spawner;

static void *thread_churn_nothing(void *arg) { return arg; }

static void *thread_churn_loop(void *arg) {
  (void)arg;
  while (!atomic_load(&thread_churn_done)) {
    pthread_t t;
    if (pthread_create(&t, NULL, thread_churn_nothing, NULL) == 0)
      pthread_join(t, NULL);
  }
  return NULL;
}

static void start_thread_churn(void) {
  pthread_create(&thread_churn_spawner, NULL, thread_churn_loop, NULL);
}

static void stop_thread_churn(void) {
  atomic_store(&thread_churn_done, 1);
  pthread_join(thread_churn_spawner, NULL);
}
