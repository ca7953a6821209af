// The template tier hands the value an instruction wrote to x[rd] to the
// next instruction of the block in a host register, where that one reads
// it as rs1, rs2 or both (the stencils' _f1/_f2/_f12 variants). Each group
// below is one block of such pairs, then its result is printed: values
// must be those of the state, with every kind of producer (ALU, W forms,
// sign- and zero-extending loads, CSR reads, AMOs, SC, FP compares and
// moves) and consumer (ALU, load and store addresses, store data,
// branches), and where forwarding must not happen (rd = x0; an f
// register numbered like the producer's rd).
//
// RUN: %rv-cc -nostdlib -march=rv64gc -mabi=lp64d -I%S/Inputs %s -o %t
// RUN: %qemu-riscv64 %t > %t.ref
// RUN: %xlat-run --tier=interp %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=template %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=block %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// RUN: %xlat-run --tier=adaptive --hot-threshold=1 %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
// The template tier did use the variants (its stencils named by --perfmap):
// RUN: %xlat-run --tier=template --perfmap=stencils %t > /dev/null & pid=$!; wait $pid && \
// RUN:   FileCheck --check-prefix=VARIANTS %s < /tmp/perf-$pid.map && rm /tmp/perf-$pid.map

#include "asm_rt.h"

  .globl _start
_start:
  // rs1 = rs2 = the previous rd, three times over; then mul.
  li s0, 3
  add s0, s0, s0
  add s0, s0, s0
  mul s0, s0, s0
  PRINT s0
// CHECK: 0000000000000090

  // A W result (sign-extended) read as rs1, then as rs2.
  li s1, 0x7fffffff
  addiw s1, s1, 1
  srli s2, s1, 4
  sub s3, zero, s2
  PRINT s3
// CHECK-NEXT: f000000008000000

  // Loads produce: lb sign-extends, lbu and lwu zero-extend; the stored
  // data and the load address are forwarded too.
  addi sp, sp, -32
  li s4, 0x80
  sb s4, 0(sp)
  lb s5, 0(sp)
  addi s5, s5, 1
  lbu s6, 0(sp)
  add s6, s6, s5
  PRINT s6
// CHECK-NEXT: 0000000000000001
  addi s7, sp, 8
  sd s0, 0(s7)
  ld s8, 0(s7)
  addi s8, s8, -0x10
  PRINT s8
// CHECK-NEXT: 0000000000000080
  li s9, -1
  sw s9, 16(sp)
  lwu s10, 16(sp)
  srli s10, s10, 28
  PRINT s10
// CHECK-NEXT: 000000000000000f

  // A branch reads the forwarded value, as rs1 and as rs2.
  li s1, 5
  li s2, 7
  addi s1, s1, 3
  blt s2, s1, 1f
  li s1, 0
1:
  addi s2, s2, -9
  bge s2, zero, 2f
  addi s1, s1, 0x100
2:
  PRINT s1
// CHECK-NEXT: 0000000000000108

  // rd = x0 forwards nothing: x0 stays zero for the next reader.
  li s1, 99
  add zero, s1, s1
  add s2, zero, zero
  addi s2, s2, 1
  PRINT s2
// CHECK-NEXT: 0000000000000001

  // fsd reads x[rs1] and f[rs2]: with s1 (x9) just written and fs1 (f9)
  // as the data, only the base is forwarded.
  li s3, 0x4000000000000000
  fmv.d.x fs1, s3
  addi s1, sp, 24
  fsd fs1, 0(s1)
  ld s4, 24(sp)
  PRINT s4
// CHECK-NEXT: 4000000000000000

  // A producer that writes f9 forwards nothing to a reader of x9 (s1),
  // nor does one whose last write is not x[rd] (fcvt sets fflags after).
  li s1, 11
  fmv.d.x fs1, s3
  add s2, s1, s1
  fcvt.l.d s5, fs1
  addi s5, s5, 1
  add s2, s2, s5
  PRINT s2
// CHECK-NEXT: 0000000000000019

  // FP compares and moves to x registers produce.
  feq.d s5, fs1, fs1
  slli s5, s5, 8
  fmv.x.d s6, fs1
  srli s6, s6, 60
  add s6, s6, s5
  PRINT s6
// CHECK-NEXT: 0000000000000104

  // CSR reads, AMOs and SC produce.
  csrwi fflags, 5
  csrr s7, fflags
  addi s7, s7, 0x10
  li s8, 40
  sd s8, 0(sp)
  li s9, 2
  amoadd.d s10, s9, (sp)
  add s10, s10, s7
  PRINT s10
// CHECK-NEXT: 000000000000003d
  lr.d s11, (sp)
  sc.d s3, s11, (sp)
  add s3, s3, s11
  ld s4, 0(sp)
  add s4, s4, s3
  PRINT s4
// CHECK-NEXT: 0000000000000054

  // Division and comparison results.
  li s1, -7
  li s2, 2
  div s3, s1, s2
  rem s4, s1, s3
  slt s5, s4, s3
  add s5, s5, s4
  PRINT s5
// CHECK-NEXT: ffffffffffffffff

  addi sp, sp, 32
  EXIT 0

// VARIANTS-DAG: xlat_st_ADD_f12
// VARIANTS-DAG: xlat_st_{{[A-Z_]+}}_f1
// VARIANTS-DAG: xlat_st_{{[A-Z_]+}}_f2
// VARIANTS-DAG: xlat_st_FSD_rd0_f1
