// A tiny runtime for freestanding assembly tests (no libc): print a
// register as 16 hex digits and a newline through write(2), and exit.
// PRINT clobbers a0-a2, a7 and t0-t3; keep test values in s-registers.

#define SYS_write 64
#define SYS_exit 93

.macro PRINT reg
  mv a0, \reg
  call print_hex
.endm

.macro EXIT code
  li a0, \code
  li a7, SYS_exit
  ecall
.endm

  .text
  .p2align 2
print_hex:
  addi sp, sp, -32
  li t0, 60
  mv t1, sp
1:
  srl t2, a0, t0
  andi t2, t2, 15
  li t3, 10
  blt t2, t3, 2f
  addi t2, t2, 'a' - 10 - '0'
2:
  addi t2, t2, '0'
  sb t2, 0(t1)
  addi t1, t1, 1
  addi t0, t0, -4
  bgez t0, 1b
  li t2, '\n'
  sb t2, 0(t1)
  li a0, 1
  mv a1, sp
  li a2, 17
  li a7, SYS_write
  ecall
  addi sp, sp, 32
  ret
