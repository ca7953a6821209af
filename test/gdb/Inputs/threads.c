#include <pthread.h>
#include <stdio.h>

static volatile int shared;

static void *worker(void *arg) {
  long id = (long)arg;
  shared = (int)id * 10;
  return (void *)(id + 1);
}

int main(void) {
  pthread_t th;
  void *ret;
  pthread_create(&th, NULL, worker, (void *)4L);
  pthread_join(th, &ret);
  printf("worker returned %ld, shared %d\n", (long)ret, shared);
  int *p = (int *)(long)shared;
  if (shared == 40)
    return *p; /* a fault at address 40 */
  return 0;
}
