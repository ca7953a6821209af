// A dynamically linked C program, PIE and non-PIE: xlat-run loads the
// guest ld.so from the sysroot, which then opens /lib/libc.so.6 through
// the sysroot path translation. Output must match qemu-riscv64 -L.
//
// RUN: %rv-dyncc -O2 -fPIE -pie %s -o %t.pie
// RUN: %rv-dyncc -O2 -fno-PIE -no-pie %s -o %t.nopie
// RUN: %qemu-riscv64 -L %rv-sysroot %t.pie > %t.ref
// RUN: for t in %{tiers}; do for b in %t.pie %t.nopie; do \
// RUN:   %xlat-run --tier=$t $b > %t.out || exit 1; \
// RUN:   FileCheck %s < %t.out && diff %t.ref %t.out || exit 1; done; done
// RUN: %xlat-run -L %rv-sysroot %t.pie | diff %t.ref -
// AArch64: its ld.so found in Debian's arm64 sysroot without -L.
// RUN: %a64-dyncc -O2 -fPIE -pie %s -o %t.a64.pie
// RUN: %a64-dyncc -O2 -fno-PIE -no-pie %s -o %t.a64.nopie
// RUN: %qemu-aarch64 -L %a64-sysroot %t.a64.pie > %t.a64.ref
// RUN: for b in %t.a64.pie %t.a64.nopie; do for t in %{a64-tiers}; do \
// RUN:   %xlat-run $t $b > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done; done

#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

static int cmp(const void *a, const void *b) {
  return *(const int *)a - *(const int *)b;
}

int main(void) {
  // CHECK: dynamic hello
  printf("dynamic hello\n");
  int v[] = {5, 3, 9, 1, 7};
  qsort(v, 5, sizeof v[0], cmp);
  // CHECK-NEXT: sorted 1 3 5 7 9
  printf("sorted %d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4]);
  // CHECK-NEXT: strtod 2.5 sqrt 1.414214
  printf("strtod %g sqrt %f\n", strtod("2.5", 0), sqrt(2.0));
  char *s = strdup("heap string");
  // CHECK-NEXT: heap string 11
  printf("%s %zu\n", s, strlen(s));
  free(s);
  // The interpreter was mapped: AT_BASE is its load address.
  // CHECK-NEXT: at_base set 1
  printf("at_base set %d\n", getauxval(AT_BASE) != 0);
  // libc lives in libc.so.6, found by the dynamic linker (a function the
  // program does not reference, so that no PLT entry stands in for it).
  Dl_info info;
  int ok = dladdr(dlsym(RTLD_DEFAULT, "gnu_get_libc_version"), &info);
  // CHECK-NEXT: libc from libc.so.6
  printf("libc from %s\n",
         ok && info.dli_fname ? strrchr(info.dli_fname, '/') + 1 : "?");
  return 0;
}
