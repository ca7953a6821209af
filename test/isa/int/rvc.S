// Compressed instructions: one freestanding source assembled twice, with
// -march=rv64gc (the assembler picks the 16-bit form wherever the operands
// fit) and with -march=rv64g (no 16-bit instruction at all). Both binaries
// must print the same values. objdump proves which encodings each holds.
//
// RUN: %rv-cc -nostdlib -march=rv64gc -mabi=lp64d -I%S/Inputs %s -o %t.rvc
// RUN: %rv-cc -nostdlib -march=rv64g -mabi=lp64d -I%S/Inputs %s -o %t.norvc
// RUN: %rv-objdump -d -M no-aliases %t.rvc | FileCheck --check-prefix=RVC %s
// RUN: %rv-objdump -d -M no-aliases %t.norvc | FileCheck --check-prefix=NORVC %s
// RUN: %qemu-riscv64 %t.rvc > %t.ref
// RUN: %qemu-riscv64 %t.norvc | diff %t.ref -
// RUN: %xlat-run --tier=interp %t.rvc > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t.rvc > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t.rvc > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=interp %t.norvc > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block  %t.norvc > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template  %t.norvc > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out

#include "asm_rt.h"

  .globl _start
_start:
  // CI: c.li, c.lui (sign-extended), c.addi, c.addiw, c.slli
  li s0, -32
  PRINT s0
  lui s1, 0xfffff
  PRINT s1
  addi s0, s0, 31
  PRINT s0
  li s0, 0x7fffffff
  addiw s0, s0, 1
  PRINT s0
  li s1, 3
  slli s1, s1, 62
  PRINT s1

  // Stack-relative: c.addi16sp, c.addi4spn, c.sdsp/c.ldsp, c.swsp/c.lwsp
  mv s2, sp
  addi sp, sp, -64
  addi a3, sp, 16
  sub s3, a3, s2
  PRINT s3
  li s0, 0x1122334455667788
  sd s0, 8(sp)
  ld s4, 8(sp)
  PRINT s4
  li s1, 0x87654321
  sw s1, 4(sp)
  lw s4, 4(sp)
  PRINT s4

  // Register-based loads/stores: c.sw/c.lw (sign-extending), c.sd/c.ld,
  // c.fsd/c.fld, c.fsdsp/c.fldsp
  addi a3, sp, 16
  sw s1, 0(a3)
  lw a4, 0(a3)
  PRINT a4
  sd s0, 8(a3)
  ld a5, 8(a3)
  PRINT a5
  fmv.d.x fa0, s0
  fsd fa0, 16(a3)
  fld fa1, 16(a3)
  fmv.x.d s4, fa1
  PRINT s4
  fsd fa1, 48(sp)
  fld fa2, 48(sp)
  fmv.x.d s4, fa2
  PRINT s4
  addi sp, sp, 64

  // CR/CA: c.mv, c.add, c.sub, c.xor, c.or, c.and, c.subw, c.addw
  li s0, 0x0ff0
  li s1, 0x00ff
  mv a4, s0
  add a4, a4, s1
  PRINT a4
  mv a4, s0
  sub a4, a4, s1
  PRINT a4
  mv a4, s0
  xor a4, a4, s1
  PRINT a4
  mv a4, s0
  or a4, a4, s1
  PRINT a4
  mv a4, s0
  and a4, a4, s1
  PRINT a4
  li a4, 0x80000000
  li a5, 1
  subw a4, a4, a5
  PRINT a4
  li a4, 0x7fffffff
  addw a4, a4, a5
  PRINT a4

  // CB: c.srli, c.srai, c.andi
  li a4, -256
  srli a4, a4, 4
  PRINT a4
  li a4, -256
  srai a4, a4, 4
  PRINT a4
  li a4, -1
  andi a4, a4, -16
  PRINT a4

  // Control flow: c.beqz, c.bnez (taken and not), c.j, c.jalr, c.jr, c.nop
  // (objdump -M no-aliases shows c.nop as c.addi zero,0)
  li s0, 0
  li s5, 0
  li a4, 0
  beqz a4, 1f
  addi s5, s5, 1
1:
  li a4, 5
  beqz a4, 2f
  addi s5, s5, 2
2:
  bnez a4, 3f
  addi s5, s5, 4
3:
  li a4, 0
  bnez a4, 4f
  addi s5, s5, 8
4:
  j 5f
  addi s5, s5, 16
5:
  nop
  PRINT s5
  la t4, add_seven
  li s0, 35
  jalr t4
  PRINT s0

  EXIT 0

add_seven:
  addi s0, s0, 7
  ret

// CHECK:      ffffffffffffffe0
// CHECK-NEXT: fffffffffffff000
// CHECK-NEXT: ffffffffffffffff
// CHECK-NEXT: ffffffff80000000
// CHECK-NEXT: c000000000000000
// CHECK-NEXT: ffffffffffffffd0
// CHECK-NEXT: 1122334455667788
// CHECK-NEXT: ffffffff87654321
// CHECK-NEXT: ffffffff87654321
// CHECK-NEXT: 1122334455667788
// CHECK-NEXT: 1122334455667788
// CHECK-NEXT: 1122334455667788
// CHECK-NEXT: 00000000000010ef
// CHECK-NEXT: 0000000000000ef1
// CHECK-NEXT: 0000000000000f0f
// CHECK-NEXT: 0000000000000fff
// CHECK-NEXT: 00000000000000f0
// CHECK-NEXT: 000000007fffffff
// CHECK-NEXT: ffffffff80000000
// CHECK-NEXT: 0ffffffffffffff0
// CHECK-NEXT: fffffffffffffff0
// CHECK-NEXT: fffffffffffffff0
// CHECK-NEXT: 000000000000000a
// CHECK-NEXT: 000000000000002a
// CHECK-EMPTY:

// RVC-DAG: {{[[:space:]]}}c.li{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.lui{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.addi{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.addiw{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.slli{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.addi16sp{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.addi4spn{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.sdsp{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.ldsp{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.swsp{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.lwsp{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.sw{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.lw{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.sd{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.ld{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.fsd{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.fld{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.fsdsp{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.fldsp{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.mv{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.add{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.sub{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.xor{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.or{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.and{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.subw{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.addw{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.srli{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.srai{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.andi{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.beqz{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.bnez{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.j{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.jalr{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.jr{{[[:space:]]}}
// RVC-DAG: {{[[:space:]]}}c.addi{{[[:space:]]+}}zero,0

// NORVC:     <_start>:
// NORVC-NOT: {{[[:space:]]}}c.{{[a-z]}}
