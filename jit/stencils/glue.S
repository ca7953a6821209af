// The template tier's glue stencils: block entry and exits, chaining, the
// IBTC probe and the execution counter. Instruction stencils come from the
// semantics (gen_stencils.cpp); these cannot, because they leave through
// link cells and the IBTC and keep guest memory's base and limit in
// registers across stencils. Every tier's code is called with the
// preserve_none convention (jit::BlockFn: state in r12, nothing
// callee-saved but rsp and rbp), and so are stencils.
//
// Holes are the undefined xlat_hole_* symbols (holes.h). Every stencil is
// its own section, so it is position-independent apart from its relocations;
// a stencil whose last instruction is not a jump falls through into the
// stencil placed after it. Branches to the end of a section ("1:" as the
// last label) continue there too.
#include "jit/stencils/state_offsets.h"

// Assembled once per guest ISA: with XLAT_GLUE_A64 defined, for A64State,
// its stencils named xlat_glue_a64_*.
#ifdef XLAT_GLUE_A64
#define GLUE(name) xlat_glue_a64_##name
#define S(field) XLAT_A64_##field
#else
#define GLUE(name) xlat_glue_##name
#define S(field) XLAT_RV_##field
#endif

// Entered with a call or a tail jump from other code (rsp = 8 mod 16, as
// for any preserve_none callee). Stencils take (state, membase, memlimit)
// in r12, r13, r14 and pass them on. rdi, where an instruction stencil
// forwards its result to the next, is free in the glue: the stencil after
// a glue piece is never one of the variants that read it.
  .section .text.GLUE(entry),"ax",@progbits
  .globl GLUE(entry)
GLUE(entry):
  mov S(MEMBASE)(%r12), %r13
  mov S(MEMLIMIT)(%r12), %r14
  // The body starts 16 bytes in, aligned: chained blocks jump there.
  .p2align 4, 0x90

// Back to whoever called the block: the dispatcher, through any number of
// chained blocks (each left by a tail jump).
  .section .text.GLUE(return),"ax",@progbits
  .globl GLUE(return)
GLUE(return):
  ret

// Counts an execution; at the threshold the block exits with kExitHot and
// s->pc at its start, before running, so that the runner can promote it.
  .section .text.GLUE(count),"ax",@progbits
  .globl GLUE(count)
GLUE(count):
  movabs $xlat_hole_counter, %rax
  mov (%rax), %rcx
  inc %rcx
  mov %rcx, (%rax)
  movabs $xlat_hole_threshold, %rax
  cmp %rax, %rcx
  jne 1f
  movabs $xlat_hole_pc, %rax
  mov %rax, S(PC)(%r12)
  movl $XLAT_EXIT_HOT, S(EXIT_REASON)(%r12)
  ret
1:

// --stats: counts the block (chained entries included).
  .section .text.GLUE(countrun),"ax",@progbits
  .globl GLUE(countrun)
GLUE(countrun):
  incq S(BLOCKS_RUN)(%r12)

// A block cut short (size limit) continues at the next instruction.
  .section .text.GLUE(setpc),"ax",@progbits
  .globl GLUE(setpc)
GLUE(setpc):
  movabs $xlat_hole_pc, %rax
  mov %rax, S(PC)(%r12)

// Jumps to the translation in %rax. Another template block is entered
// past its entry glue (r13 and r14 hold what it would load); code of
// another tier at its entry point.
#define ENTER_RAX \
  cmp $xlat_hole_codelo, %rax; \
  jb 2f; \
  cmp $xlat_hole_codehi, %rax; \
  jae 2f; \
  add $xlat_hole_entrysize, %rax; \
2: \
  jmp *%rax

// Leaving a block for a direct successor through the runner: s->pc is the
// successor (`target`), which a split branch stencil does not store.
#define LEAVE_FOR_TARGET \
  movabs $xlat_hole_target, %rax; \
  mov %rax, S(PC)(%r12); \
  jmp xlat_hole_exit

// Chaining to a direct successor (`target`): if its link cell holds code
// and no interrupt is pending, tail-jump there; otherwise leave the block
// (the hole `exit` is its return stencil). Once the template tier has
// translated the target, it patches the 8-byte slot (placed 8-byte aligned
// in each copy) into a direct jump to the target's body with one atomic
// store: until then the slot jumps over itself.
  .section .text.GLUE(goto),"ax",@progbits
  .globl GLUE(goto)
GLUE(goto):
  cmpl $0, S(INTERRUPT)(%r12)
  jne 1f
  .byte 0xeb, 0x06, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc  // the slot: jmp +6
  movabs $xlat_hole_cell, %rax
  mov (%rax), %rax
  test %rax, %rax
  je 1f
  ENTER_RAX
1:
  LEAVE_FOR_TARGET

// A memory stencil's access faulted (address in r15; `pc` the instruction):
// copied once per memory stencil, after the block's return. The state is
// exact (each stencil stores its results: no raw-FP mask); the entry point
// does not return.
.macro FAULT_STUB name, entry
  .section .text.\name,"ax",@progbits
  .globl \name
\name:
  mov %r15, %rdi
  movabs $xlat_hole_pc, %rsi
  xor %edx, %edx
  and $-16, %rsp
  call \entry
.endm
  FAULT_STUB GLUE(fault), xlat_mem_fault_at
  FAULT_STUB GLUE(misaligned), xlat_misaligned_fault_at

// An indirect jump: probe the thread's IBTC ({pc, code} pairs indexed by
// (pc >> 1) % size) as lifted blocks do. The counting variant (--stats)
// also counts probes and hits.
.macro IBTC_PROBE name, count
  .section .text.\name,"ax",@progbits
  .globl \name
\name:
  cmpl $0, S(INTERRUPT)(%r12)
  jne 1f
.if \count
  incq S(IBTC_PROBES)(%r12)
.endif
  mov S(PC)(%r12), %rax
  mov %rax, %rcx
  shr $1, %rcx
  and $XLAT_IBTC_MASK, %ecx
  shl $4, %rcx
  add S(IBTC)(%r12), %rcx
  cmp (%rcx), %rax
  jne 1f
.if \count
  incq S(IBTC_HITS)(%r12)
.endif
  mov 8(%rcx), %rax
  ENTER_RAX
1:
.endm
  IBTC_PROBE GLUE(ibtc), 0
  IBTC_PROBE GLUE(ibtc_counted), 1

// A guest call: push {return pc (`target`), its link cell (`cell`)}.
  .section .text.GLUE(push),"ax",@progbits
  .globl GLUE(push)
GLUE(push):
  mov S(SHADOW_TOP)(%r12), %rax
  inc %rax
  mov %rax, S(SHADOW_TOP)(%r12)
  and $XLAT_SHADOW_MASK, %eax
  shl $4, %rax
  movabs $xlat_hole_target, %rcx
  mov %rcx, S(SHADOW)(%r12,%rax)
  movabs $xlat_hole_cell, %rcx
  mov %rcx, S(SHADOW)+8(%r12,%rax)

// A guest return: if s->pc is the top entry's pc, pop it and jump through
// its link cell; otherwise (or with an empty cell) fall through to the
// IBTC probe placed after it.
.macro SHADOW_RETURN name, count
  .section .text.\name,"ax",@progbits
  .globl \name
\name:
  cmpl $0, S(INTERRUPT)(%r12)
  jne 1f
.if \count
  incq S(SHADOW_PROBES)(%r12)
.endif
  mov S(SHADOW_TOP)(%r12), %rdx
  mov %edx, %ecx
  and $XLAT_SHADOW_MASK, %ecx
  shl $4, %rcx
  mov S(PC)(%r12), %rax
  cmp S(SHADOW)(%r12,%rcx), %rax
  jne 1f
  dec %rdx
  mov %rdx, S(SHADOW_TOP)(%r12)
  mov S(SHADOW)+8(%r12,%rcx), %rax
  mov (%rax), %rax
  test %rax, %rax
  je 1f
.if \count
  incq S(SHADOW_HITS)(%r12)
.endif
  ENTER_RAX
1:
.endm
  SHADOW_RETURN GLUE(return_probe), 0
  SHADOW_RETURN GLUE(return_probe_counted), 1

  .section .note.GNU-stack,"",@progbits
