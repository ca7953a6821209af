// argv, envp and auxv as the guest sees them, and the -E/-U options that
// edit the guest environment (qemu-riscv64 has the same options).
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: env XLAT_T_A=a XLAT_T_B=b %qemu-riscv64 -U XLAT_T_A -E XLAT_T_C=c=d %t one "two words" "" > %t.ref
// RUN: env XLAT_T_A=a XLAT_T_B=b %xlat-run --tier=interp -U XLAT_T_A -E XLAT_T_C=c=d %t one "two words" "" > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: env XLAT_T_A=a XLAT_T_B=b %xlat-run --tier=block -U XLAT_T_A -E XLAT_T_C=c=d %t one "two words" "" > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: env XLAT_T_A=a XLAT_T_B=b %xlat-run --tier=template -U XLAT_T_A -E XLAT_T_C=c=d %t one "two words" "" > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// -E replaces a variable that is already set.
// RUN: env XLAT_T_B=old %xlat-run -E XLAT_T_B=new %t | FileCheck --check-prefix=REPLACE %s
// Options after the program belong to the guest.
// RUN: %xlat-run %t -E X --tier=bogus | FileCheck --check-prefix=GUESTOPTS %s
// The same for AArch64, against qemu-aarch64:
// RUN: %a64-gcc -O2 %s -o %t.a64
// RUN: env XLAT_T_A=a XLAT_T_B=b %qemu-aarch64 -U XLAT_T_A -E XLAT_T_C=c=d %t.a64 one "two words" "" > %t.a64.ref
// RUN: for t in %{a64-tiers}; do env XLAT_T_A=a XLAT_T_B=b %xlat-run $t -U XLAT_T_A -E XLAT_T_C=c=d %t.a64 one "two words" "" > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static int cmpStr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv, char **envp) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; ++i)
    printf("argv[%d]=<%s>\n", i, argv[i]);
  printf("argv[argc]=%s\n", argv[argc] ? "set" : "null");
  // argv[0] is the program path as given.
  const char *slash = strrchr(argv[0], '/');
  printf("argv0 ends with .tmp: %d\n", strstr(slash ? slash : argv[0], ".tmp") != NULL);

  // Sorted: runners may order the environment differently.
  const char *ours[16];
  int n = 0;
  for (char **e = envp; *e && n < 16; ++e)
    if (strncmp(*e, "XLAT_T_", 7) == 0)
      ours[n++] = *e;
  qsort(ours, n, sizeof ours[0], cmpStr);
  for (int i = 0; i < n; ++i)
    printf("env %s\n", ours[i]);
  printf("ours=%d A=%s C=%s\n", n, getenv("XLAT_T_A") ? "set" : "unset",
         getenv("XLAT_T_C"));
  printf("pagesz=%lu sysconf=%ld\n", getauxval(AT_PAGESZ), sysconf(_SC_PAGESIZE));
  printf("random=%s secure=%lu\n", getauxval(AT_RANDOM) ? "set" : "null",
         getauxval(AT_SECURE));
  printf("uid_match=%d\n", getauxval(AT_UID) == (unsigned long)getuid());
  return 0;
}

// CHECK:      argc=4
// CHECK-NEXT: argv[1]=<one>
// CHECK-NEXT: argv[2]=<two words>
// CHECK-NEXT: argv[3]=<>
// CHECK-NEXT: argv[argc]=null
// CHECK-NEXT: argv0 ends with .tmp: 1
// CHECK-NEXT: env XLAT_T_B=b
// CHECK-NEXT: env XLAT_T_C=c=d
// CHECK-NEXT: ours=2 A=unset C=c=d
// CHECK-NEXT: pagesz=4096 sysconf=4096
// CHECK-NEXT: random=set secure=0
// CHECK-NEXT: uid_match=1

// REPLACE:     env XLAT_T_B=new
// REPLACE-NOT: env XLAT_T_B=old

// GUESTOPTS:      argc=4
// GUESTOPTS-NEXT: argv[1]=<-E>
// GUESTOPTS-NEXT: argv[2]=<X>
// GUESTOPTS-NEXT: argv[3]=<--tier=bogus>
