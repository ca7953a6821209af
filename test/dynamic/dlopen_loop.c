// dlopen and dlclose in a loop, as plugin hosts do: two builds of one
// library (same size and layout, different constants in the code) are
// loaded by turns, usually at the address the other one just left, and
// called each time; another thread calls into a library that stays loaded.
// A translation of the library that left must not run for the one that
// came; the output is qemu's in every tier.
//
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %rv-dyncc -O2 -shared -fPIC -DVERSION=3 %S/Inputs/versioned.c -o %t.dir/libv3.so
// RUN: %rv-dyncc -O2 -shared -fPIC -DVERSION=5 %S/Inputs/versioned.c -o %t.dir/libv5.so
// RUN: %rv-dyncc -O2 -shared -fPIC %S/Inputs/plugin.c -o %t.dir/libplugin.so
// RUN: %rv-dyncc -O2 -pthread %s -o %t
// RUN: %qemu-riscv64 -L %rv-sysroot %t %t.dir > %t.ref
// RUN: FileCheck %s < %t.ref
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t %t.dir > %t.out 2> %t.err || exit 1; diff %t.ref %t.out || exit 1; FileCheck --check-prefix=SAME %s < %t.err || exit 1; done
// CHECK: 300 loads: sum 3843000
// CHECK-NEXT: other thread: 3000 calls, sum 26994000
// Where a library lands is the loader's and mmap's choice (qemu's differs):
// under xlat, each load must reuse the address the last one left.
// SAME: same address 299 times
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_int stop;
static void *plugin;

static void *caller(void *arg) {
  int (*value)(int) = (int (*)(int))dlsym(plugin, "plugin_value");
  long sum = 0;
  int calls = 0;
  // At least 3000 calls, and on until the loader loop is done.
  while (calls < 3000 || !atomic_load(&stop))
    if (calls < 3000)
      sum += value(calls++);
  *(long *)arg = sum;
  return (void *)(long)calls;
}

int main(int argc, char **argv) {
  char path[2][4096], p[4096];
  snprintf(path[0], sizeof path[0], "%s/libv3.so", argv[1]);
  snprintf(path[1], sizeof path[1], "%s/libv5.so", argv[1]);
  snprintf(p, sizeof p, "%s/libplugin.so", argv[1]);
  plugin = dlopen(p, RTLD_NOW);
  if (!plugin) {
    printf("%s\n", dlerror());
    return 1;
  }
  long other = 0;
  pthread_t th;
  pthread_create(&th, NULL, caller, &other);
  long sum = 0;
  int same = 0;
  void *last = NULL;
  for (int i = 0; i < 300; i++) {
    void *h = dlopen(path[i % 2], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      printf("%s\n", dlerror());
      return 1;
    }
    int (*f)(int) = (int (*)(int))dlsym(h, "versioned_value");
    same += (void *)f == last;
    last = (void *)f;
    for (int x = 0; x < 20; x++)
      sum += f(x + i);
    dlclose(h);
  }
  atomic_store(&stop, 1);
  void *calls;
  pthread_join(th, &calls);
  printf("300 loads: sum %ld\n", sum);
  fprintf(stderr, "same address %d times\n", same);
  printf("other thread: %ld calls, sum %ld\n", (long)calls, other);
  return 0;
}
