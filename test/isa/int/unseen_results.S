// The template tier leaves a result unstored (the _n variants) where no
// one will see it: the next instruction takes it in the forwarded host
// register and cannot trap (or is a load or store whose fault stores it
// from there), and every path after writes the register before anything
// reads it or may trap (rv::XRegUse). Each group is a
// block or two; the values printed must be right in every tier, and the
// template tier must drop the store where it may and keep it where a
// fault, a later read or a successor would see it.
//
// RUN: %rv-cc -nostdlib -march=rv64gc -mabi=lp64d -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.ref %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
// RUN: %xlat-run --tier=template -d out_asm -D %t.log %t > /dev/null
// RUN: FileCheck --check-prefix=OUT %s < %t.log

#include "asm_rt.h"

  .globl _start
_start:
  li s1, 5
  li s2, 7
  li s11, 64
  li s10, 0 // the add below reads no forwarded register

  // Same block: t4 goes to the slli in a register, then li writes it.
  add t4, s1, s2
  slli s3, t4, 4
  li t4, 0
  PRINT s3
// CHECK: 00000000000000c0
// OUT-LABEL: OUT: block
// OUT: xlat_st_ADD_n {{ *}}pc=
// OUT-NEXT: xlat_st_SLLI_f1 {{ *}}pc=

  // Across blocks: the branch takes t5 in a register, and both successors
  // write it first.
  xori t5, s1, 5
  beqz t5, 1f
  li t5, 1
  li s4, 100
  j 2f
1:
  li t5, 2
  li s4, 200
2:
  PRINT s4
// CHECK-NEXT: 00000000000000c8
// OUT: xlat_st_XORI_n {{ *}}pc=
// OUT-NEXT: xlat_st_BEQ_split_f1 {{ *}}pc=

  // The consumer may fault: its fault stub stores t4 (its address) from
  // the forwarded register.
  sub t4, sp, s11
  sd s1, 0(t4)
  li t4, 0
  ld s5, -64(sp)
  PRINT s5
// CHECK-NEXT: 0000000000000005
// OUT: xlat_st_SUB_n {{ *}}pc=
// OUT-NEXT: xlat_st_SD_rd0_f1 {{ *}}pc=
// OUT: xlat_glue_fault_restore

  // An AMO's fault has no such stub: t4 stays in the state.
  sub t4, sp, s11
  amoadd.d zero, s2, (t4)
  li t4, 0
  ld s5, -64(sp)
  PRINT s5
// CHECK-NEXT: 000000000000000c
// OUT: xlat_st_SUB {{ *}}pc=
// OUT-NEXT: xlat_st_AMOADD_D_rd0_f1 {{ *}}pc=

  // A later instruction may fault before t4 is written again.
  or t4, s1, s2
  slli s6, t4, 1
  ld s7, -64(sp)
  li t4, 0
  add s6, s6, s7
  PRINT s6
// CHECK-NEXT: 000000000000001a
// OUT: xlat_st_OR {{ *}}pc=
// OUT-NEXT: xlat_st_SLLI_f1 {{ *}}pc=
// OUT-NEXT: xlat_st_LD {{ *}}pc=

  // A successor reads t4.
  and t4, s1, s2
  slli s8, t4, 1
  j 3f
3:
  add s8, s8, t4
  PRINT s8
// CHECK-NEXT: 000000000000000f
// OUT: xlat_st_AND {{ *}}pc=
// OUT-NEXT: xlat_st_SLLI_f1 {{ *}}pc=
// OUT-NEXT: xlat_st_JAL_rd0 {{ *}}pc=

  // An indirect jump may go anywhere: what it leaves is read.
  xor t4, s1, s2
  slli s9, t4, 2
  la t6, 4f
  jr t6
4:
  add s9, s9, t4
  PRINT s9
// CHECK-NEXT: 000000000000000a
// OUT: xlat_st_XOR {{ *}}pc=
// OUT-NEXT: xlat_st_SLLI_f1 {{ *}}pc=

  EXIT 0
