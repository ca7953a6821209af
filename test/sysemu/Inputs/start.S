// The tiny bare-metal runtime's entry and trap vectors.
//
// By default (-bios none) the image runs in M mode from 0x80000000: _start
// sets up the stack, the trap vectors and PMP (all memory open to S and U),
// clears .bss, calls main() and powers off through exit_with(main()).
// Built with -DBARE_SMODE it is an S-mode payload entered by OpenSBI
// instead: only the S vector exists, and exit_with() asks the SBI.
//
// Each vector saves all 31 GPRs and the trap CSRs into a struct frame
// (bare.h) on a stack of its own (xscratch holds that stack's top while the
// interrupted code runs), calls the C handler with it (bare.c: bare_mtrap,
// which ends run_in() on its return ecall and otherwise calls trap();
// bare_strap, which calls strap()), then restores the registers (and xepc,
// from frame->epc, which the handler may change) and returns with xret.
#include "bare.h"

#define SAVE(n) sd x##n, (8 * n)(sp)
#define LOAD(n) ld x##n, (8 * n)(sp)

// TRAP_VECTOR name, x (m or s), handler
.macro TRAP_VECTOR name, x, handler
  .balign 4
  .globl \name
\name:
  csrrw sp, \x\()scratch, sp
  addi sp, sp, -FRAME_SIZE
  SAVE(1)
  SAVE(3); SAVE(4); SAVE(5); SAVE(6); SAVE(7); SAVE(8); SAVE(9)
  SAVE(10); SAVE(11); SAVE(12); SAVE(13); SAVE(14); SAVE(15); SAVE(16)
  SAVE(17); SAVE(18); SAVE(19); SAVE(20); SAVE(21); SAVE(22); SAVE(23)
  SAVE(24); SAVE(25); SAVE(26); SAVE(27); SAVE(28); SAVE(29); SAVE(30)
  SAVE(31)
  csrr t0, \x\()scratch
  sd t0, 16(sp)                      // the interrupted code's sp
  csrr t0, \x\()epc
  sd t0, FRAME_EPC(sp)
  csrr t0, \x\()cause
  sd t0, FRAME_CAUSE(sp)
  csrr t0, \x\()tval
  sd t0, FRAME_TVAL(sp)
  csrr t0, \x\()status
  sd t0, FRAME_STATUS(sp)
  mv a0, sp
  call \handler
  ld t0, FRAME_EPC(sp)
  csrw \x\()epc, t0
  ld t0, 16(sp)
  csrw \x\()scratch, t0
  LOAD(1)
  LOAD(3); LOAD(4); LOAD(5); LOAD(6); LOAD(7); LOAD(8); LOAD(9)
  LOAD(10); LOAD(11); LOAD(12); LOAD(13); LOAD(14); LOAD(15); LOAD(16)
  LOAD(17); LOAD(18); LOAD(19); LOAD(20); LOAD(21); LOAD(22); LOAD(23)
  LOAD(24); LOAD(25); LOAD(26); LOAD(27); LOAD(28); LOAD(29); LOAD(30)
  LOAD(31)
  addi sp, sp, FRAME_SIZE
  csrrw sp, \x\()scratch, sp
  \x\()ret
.endm

  .section .text.init, "ax"
  .globl _start
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, __stack_top
#ifndef BARE_SMODE
  la t0, m_trap_vector
  csrw mtvec, t0
  la t0, __mtrap_stack_top
  csrw mscratch, t0
  // PMP entry 0: NAPOT over the whole address space, RWX, so that S and U
  // may reach all memory whatever the PMP default.
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0
  // FP on (Initial), so compiled code may use it.
  li t0, 1 << 13
  csrs mstatus, t0
#else
  li t0, 1 << 13
  csrs sstatus, t0
#endif
  la t0, s_trap_vector
  csrw stvec, t0
  la t0, __strap_stack_top
  csrw sscratch, t0
  fscsr zero
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sd zero, 0(t0)
  addi t0, t0, 8
  j 1b
2:
  call main
  call exit_with
3:
  j 3b

#ifndef BARE_SMODE
  TRAP_VECTOR m_trap_vector, m, bare_mtrap
#endif
  TRAP_VECTOR s_trap_vector, s, bare_strap

  .text
// long bare_setjmp(struct bare_jmp *j) / void bare_longjmp(j, long v):
// callee-saved registers, sp and ra.
  .globl bare_setjmp
bare_setjmp:
  sd ra, 0(a0)
  sd sp, 8(a0)
  sd s0, 16(a0); sd s1, 24(a0); sd s2, 32(a0); sd s3, 40(a0)
  sd s4, 48(a0); sd s5, 56(a0); sd s6, 64(a0); sd s7, 72(a0)
  sd s8, 80(a0); sd s9, 88(a0); sd s10, 96(a0); sd s11, 104(a0)
  li a0, 0
  ret

  .globl bare_longjmp
bare_longjmp:
  ld ra, 0(a0)
  ld sp, 8(a0)
  ld s0, 16(a0); ld s1, 24(a0); ld s2, 32(a0); ld s3, 40(a0)
  ld s4, 48(a0); ld s5, 56(a0); ld s6, 64(a0); ld s7, 72(a0)
  ld s8, 80(a0); ld s9, 88(a0); ld s10, 96(a0); ld s11, 104(a0)
  mv a0, a1
  ret

// The code run_in() enters in S or U mode: a0 = the function, a1 = its
// argument; its result goes back to M with the return ecall.
  .globl bare_mode_entry
bare_mode_entry:
  mv t0, a0
  mv a0, a1
  jalr t0
  li a7, BARE_RETURN_MAGIC
  ecall
1:
  j 1b
