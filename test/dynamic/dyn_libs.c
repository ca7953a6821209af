// Guest shared libraries built by the test: found through -Wl,-rpath and
// through LD_LIBRARY_PATH (-E), and loaded with dlopen + dlsym by absolute
// path (a host path: not under the sysroot).
//
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %rv-dyncc -O2 -shared -fPIC %S/Inputs/greet.c -o %t.dir/libgreet.so
// RUN: %rv-dyncc -O2 -shared -fPIC %S/Inputs/plugin.c -o %t.dir/libplugin.so
// RUN: %rv-dyncc -O2 %s -L%t.dir -lgreet -Wl,-rpath,%t.dir -o %t.rpath
// RUN: %rv-dyncc -O2 %s -L%t.dir -lgreet -o %t.norpath
// RUN: %qemu-riscv64 -L %rv-sysroot %t.rpath %t.dir/libplugin.so > %t.ref
// RUN: for t in %{tiers}; do \
// RUN:   %xlat-run --tier=$t %t.rpath %t.dir/libplugin.so > %t.out || exit 1; \
// RUN:   FileCheck %s < %t.out && diff %t.ref %t.out || exit 1; \
// RUN:   %xlat-run --tier=$t -E LD_LIBRARY_PATH=%t.dir %t.norpath %t.dir/libplugin.so > %t.out || exit 1; \
// RUN:   diff %t.ref %t.out || exit 1; done
// Without the library path the guest ld.so reports the missing library and
// exits 127, as under qemu.
// RUN: %qemu-riscv64 -L %rv-sysroot %t.norpath 2> /dev/null; test $? -eq 127
// RUN: %xlat-run %t.norpath 2> %t.err; test $? -eq 127
// RUN: FileCheck --check-prefix=MISSING %s < %t.err
// MISSING: libgreet.so: cannot open shared object file

#include <dlfcn.h>
#include <stdio.h>

int greet(const char *who);
extern int greet_count;

int main(int argc, char **argv) {
  // CHECK: greetings, world
  greet("world");
  greet("again");
  // CHECK: greetings, again
  // CHECK-NEXT: count 2
  printf("count %d\n", greet_count);
  void *h = dlopen(argv[1], RTLD_NOW);
  if (!h) {
    printf("dlopen failed: %s\n", dlerror());
    return 1;
  }
  int (*fn)(int) = (int (*)(int))dlsym(h, "plugin_value");
  const char **name = (const char **)dlsym(h, "plugin_name");
  // CHECK-NEXT: plugin 43
  printf("%s %d\n", name ? *name : "?", fn ? fn(7) : -1);
  // CHECK-NEXT: missing symbol 1
  printf("missing symbol %d\n", dlsym(h, "no_such_symbol") == NULL);
  // CHECK-NEXT: dlclose 0
  printf("dlclose %d\n", dlclose(h));
  return 0;
}
