// Returns that the shadow stack must get right or fall back on: recursion
// deeper than the 64-entry ring, longjmp out of nested calls, a return
// through a modified ra (a "coroutine" switch), and swapcontext. Output and
// exit status match qemu in every tier; --stats shows most returns hit.
//
// RUN: %rv-cc -O1 %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref; test $? -eq 3
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out; test $? -eq 3 || exit 1; diff %t.ref %t.out || exit 1; done
// Regions that hold a callee and its caller's continuation return to it
// with a branch (recursion stays inside one region): every region, and
// the adaptive tier's regions once blocks are barely warm.
// RUN: %xlat-run --tier=region --no-cache %t > %t.out; test $? -eq 3 && diff %t.ref %t.out
// RUN: %xlat-run --tier=adaptive --hot-threshold=20 --no-cache %t > %t.out; test $? -eq 3 && diff %t.ref %t.out
// RUN: (%xlat-run --tier=template --stats %t 2>&1 >/dev/null; true) | FileCheck %s --check-prefix=STATS
// RUN: (%xlat-run --tier=block --no-cache --stats %t 2>&1 >/dev/null; true) | FileCheck %s --check-prefix=STATS
// STATS: shadow stack returns {{[1-9][0-9]*}} ({{[5-9][0-9]\.[0-9]|100\.0}}% hits)
#include <setjmp.h>
#include <stdio.h>
#include <ucontext.h>

static jmp_buf env;

__attribute__((noinline)) static long deep(long n) {
  if (n == 0)
    return 0;
  return n + deep(n - 1);
}

__attribute__((noinline)) static void bail(int n) {
  if (n == 0)
    longjmp(env, 7);
  bail(n - 1);
  printf("never\n");
}

// Returns to `where` instead of its caller, as a coroutine switch would.
__attribute__((noinline)) static void jump_to(void *where) {
  __asm__ volatile("mv ra, %0\n\tret" : : "r"(where));
}

static ucontext_t mainCtx, coCtx;
static char coStack[64 * 1024];
static int coSteps;

static void coroutine(void) {
  for (;;) {
    coSteps++;
    swapcontext(&coCtx, &mainCtx);
  }
}

int main(void) {
  long sum = 0;
  for (int i = 0; i < 2000; i++)
    sum += deep(100 + i % 50);
  printf("deep %ld\n", sum);

  int caught = 0;
  for (int i = 0; i < 500; i++) {
    int v = setjmp(env);
    if (v == 0)
      bail(i % 20);
    else
      caught += v;
  }
  printf("longjmp %d\n", caught);

  volatile int landed = 0;
  jump_to(&&here);
  printf("not here\n");
here:
  landed = 1;
  printf("ra switch %d\n", landed);

  getcontext(&coCtx);
  coCtx.uc_stack.ss_sp = coStack;
  coCtx.uc_stack.ss_size = sizeof coStack;
  coCtx.uc_link = &mainCtx;
  makecontext(&coCtx, coroutine, 0);
  for (int i = 0; i < 300; i++)
    swapcontext(&mainCtx, &coCtx);
  printf("coroutine %d\n", coSteps);
  return 3;
}
