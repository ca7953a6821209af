// Code rewritten in an RWX mapping WITHOUT fence.i or
// __builtin___clear_cache runs in its new form at once, as on x86 and
// under qemu-riscv64 (which detects stores into translated code): xlat
// write-protects the pages it translated from and drops its translations
// when a store hits one. Each result is checked, in every tier:
// - a whole instruction rewritten, then only its upper halfword, then a
//   compressed instruction;
// - a generated loop hot enough to be promoted (adaptive), then patched;
// - generated code that patches a later block of its own and jumps there
//   (a chained jump must not run the old block);
// - a fork child rewrites code the parent translated; the parent keeps its
//   own copy.
// --stats counts one smc flush per store that hit a page with translated
// code (a store to a page already written since its last translation
// costs nothing): the fork child's count, printed first, includes the
// parent's up to the fork. Promotion runs in the foreground: the compile
// thread reads code pages, and so write-protects them again, at times the
// guest does not control, which would make the adaptive count vary by one.
//
// RUN: %rv-cc -O2 -I %S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: FileCheck %s < %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t --hot-threshold=1000 --background-compile=off --no-cache --stats %t > %t.out 2> %t.err || exit 1; diff %t.expected %t.out || exit 1; FileCheck --check-prefix=STATS %s < %t.err || exit 1; done
// STATS: smc flushes 259
// STATS: smc flushes 258
#include "smc_encode.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

typedef long (*fn_t)(long, long);

static volatile uint32_t *code;

static void *rwx_page(void) {
  void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    _exit(1);
  }
  return p;
}

static void whole_instruction(void) {
  fn_t f = (fn_t)code;
  long sum = 0;
  int bad = 0;
  for (int i = 0; i < 100; i++) {
    code[0] = rv_addi(A0, A0, i);
    code[1] = rv_ret();
    long r = f(1000, 0);
    sum += r;
    bad += r != 1000 + i;
  }
  printf("whole instruction: sum=%ld wrong=%d\n", sum, bad);
  // CHECK: whole instruction: sum=104950 wrong=0
}

static void upper_halfword(void) {
  fn_t f = (fn_t)code;
  volatile uint16_t *half = (volatile uint16_t *)code;
  int bad = 0;
  code[0] = rv_addi(A0, A0, 0);
  code[1] = rv_ret();
  f(0, 0);
  for (int i = 1; i <= 50; i++) {
    half[1] = (uint16_t)(rv_addi(A0, A0, -i) >> 16); // the immediate
    bad += f(7, 0) != 7 - i;
  }
  printf("upper halfword: last=%ld wrong=%d\n", f(7, 0), bad);
  // CHECK-NEXT: upper halfword: last=-43 wrong=0
}

static void compressed(void) {
  fn_t f = (fn_t)code;
  volatile uint16_t *half = (volatile uint16_t *)code;
  int bad = 0;
  half[1] = rv_c_ret();
  for (int i = -32; i < 32; i++) {
    half[0] = rv_c_li(A0, i);
    bad += f(99, 0) != i;
  }
  printf("compressed: wrong=%d\n", bad);
  // CHECK-NEXT: compressed: wrong=0
}

// a1 = 0; do { a1 += IMM; } while (--a0); return a1;
static void hot_loop(void) {
  fn_t f = (fn_t)code;
  code[0] = rv_addi(A1, ZERO, 0);
  code[1] = rv_addi(A1, A1, 1);
  code[2] = rv_addi(A0, A0, -1);
  code[3] = rv_bne(A0, ZERO, -8);
  code[4] = rv_addi(A0, A1, 0);
  code[5] = rv_ret();
  long first = f(5000, 0);
  int bad = 0;
  for (int k = 2; k <= 11; k++) {
    code[1] = rv_addi(A1, A1, k);
    bad += f(5000, 0) != 5000L * k;
  }
  printf("hot loop: first=%ld wrong=%d\n", first, bad);
  // CHECK-NEXT: hot loop: first=5000 wrong=0
}

// f(word, target): sw word, 0(target); j L; L: <word>; ret
static void patches_itself(void) {
  fn_t f = (fn_t)code;
  code[0] = rv_sw(A0, A1, 0);
  code[1] = rv_jal(ZERO, 4);
  code[2] = rv_addi(A0, ZERO, 0);
  code[3] = rv_ret();
  int bad = 0;
  for (int k = 1; k <= 30; k++)
    bad += f(rv_addi(A0, ZERO, k), (long)&code[2]) != k;
  printf("patches itself: wrong=%d\n", bad);
  // CHECK-NEXT: patches itself: wrong=0
}

static void fork_child(void) {
  fn_t f = (fn_t)code;
  code[0] = rv_addi(A0, A0, 1);
  code[1] = rv_ret();
  long before = f(10, 0);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    code[0] = rv_addi(A0, A0, 2);
    long child = f(10, 0);
    code[0] = rv_addi(A0, A0, 3);
    printf("child: %ld %ld\n", child, f(10, 0));
    fflush(stdout);
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  printf("parent: %ld %ld status=%d\n", before, f(10, 0), status);
  code[0] = rv_addi(A0, A0, 4);
  printf("parent after rewrite: %ld\n", f(10, 0));
  // CHECK-NEXT: child: 12 13
  // CHECK-NEXT: parent: 11 11 status=0
  // CHECK-NEXT: parent after rewrite: 14
}

int main(void) {
  code = rwx_page();
  whole_instruction();
  upper_halfword();
  compressed();
  hot_loop();
  patches_itself();
  fork_child();
  return 0;
}
