// A store that rewrites code which its own translation runs next, without
// going back to the dispatcher: the next instruction of its block, or a
// later block of its region (a forward branch inside a region has no
// interrupt check). The store leaves translated code for the interpreter
// (kCodeWrite), so the new instruction runs, in every tier and as on x86.
//
// RISC-V leaves what runs open until a fence.i, and qemu-riscv64 runs the
// old instruction when it is in the store's own block (it finishes the
// block it translated): so the output is checked against what it must be
// here, not against qemu. test/smc/rewrite.c compares the rest with qemu.
//
// RUN: %rv-cc -O2 -I %S/Inputs %s -o %t
// Compiling in the foreground makes the adaptive tier's region exist
// before the code is rewritten.
// RUN: for t in %{tiers} region; do %xlat-run --tier=$t --hot-threshold=1000 --background-compile=off --no-cache %t | FileCheck %s || exit 1; done
#include "smc_encode.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

typedef long (*fn_t)(long, long);

static volatile uint32_t *code;
static volatile uint32_t scratch;

// f(word, target): sw word, 0(target); <word>; ret
static void next_instruction(void) {
  fn_t f = (fn_t)code;
  code[0] = rv_sw(A0, A1, 0);
  code[1] = rv_addi(A0, ZERO, 0);
  code[2] = rv_ret();
  int bad = 0;
  for (int k = 1; k <= 30; k++)
    bad += f(rv_addi(A0, ZERO, k), (long)&code[1]) != k;
  printf("next instruction: wrong=%d\n", bad);
  // CHECK: next instruction: wrong=0
}

// f(word, target): sw word, 0(target); j L; L: addi a0, zero, 1; ret.
// Hot (a region under adaptive) while it stores elsewhere, then it
// rewrites L. Before kCodeWrite, the region tier and the adaptive tier's
// region ran the old L.
static void later_block_of_hot_code(void) {
  fn_t f = (fn_t)code;
  code[0] = rv_sw(A0, A1, 0);
  code[1] = rv_jal(ZERO, 4);
  code[2] = rv_addi(A0, ZERO, 1);
  code[3] = rv_ret();
  long warm = 0;
  for (int i = 0; i < 5000; i++)
    warm += f(0, (long)&scratch);
  int bad = 0;
  for (int k = 2; k <= 31; k++)
    bad += f(rv_addi(A0, ZERO, k), (long)&code[2]) != k;
  printf("later block: warm=%ld wrong=%d\n", warm, bad);
  // CHECK-NEXT: later block: warm=5000 wrong=0
}

int main(void) {
  void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  code = p;
  next_instruction();
  later_block_of_hot_code();
  return 0;
}
