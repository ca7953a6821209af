// Code churn: a small JIT compiles random integer expressions of x and y to
// machine code for the ISA it was built for (RV64, AArch64 or x86-64), runs each
// over a batch of inputs and throws the code away, as regex engines and
// tracing JITs do. Code lives in 64 KiB arenas: even arenas are mapped
// read-write, filled, made read-execute and unmapped once run (W^X);
// odd ones are read-write-execute and rewritten in place function by
// function (each write lands on code translated before). The checksum is
// the same on every ISA: wrapping 64-bit arithmetic.
//
//   exprjit FUNCTIONS CALLS   (default 2000 200)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if !defined(__riscv) && !defined(__aarch64__) && !defined(__x86_64__)
#error "exprjit emits RV64, AArch64 or x86-64 code only"
#endif

enum { ARENA = 64 << 10, MAX_CODE = 4096, MAX_DEPTH = 6 };

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

// Expression nodes, made and compiled on the fly (never stored).
enum Op { X, Y, CONST, ADD, SUB, MUL, AND, OR, XOR, SHL, NUM_OPS };

typedef struct {
  uint8_t *p;
} Emit;

static void byte(Emit *e, uint8_t b) { *e->p++ = b; }
#if defined(__riscv) || defined(__aarch64__)
static void insn(Emit *e, uint32_t i) {
  memcpy(e->p, &i, 4);
  e->p += 4;
}
#endif
#ifdef __riscv
enum { T0 = 5, T1 = 6, SP = 2, A0 = 10, A1 = 11, ZERO = 0 };
static uint32_t itype(int imm, int rs1, int f3, int rd, int opc) {
  return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}
static uint32_t rtype(int f7, int rs2, int rs1, int f3, int rd) {
  return ((uint32_t)f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33;
}
#endif

// Compiles a random expression of depth at most `depth`; the result goes
// to t0 (RV64), x9 (AArch64) or rax (x86-64). Leaves evaluate without touching the stack;
// an operator saves its left operand on the machine stack.
static void gen(Emit *e, int depth) {
  int op = depth == 0 ? (int)(next() % 3) : (int)(next() % NUM_OPS);
  if (op < ADD) {
#ifdef __riscv
    if (op == X)
      insn(e, itype(0, A0, 0, T0, 0x13)); // addi t0, a0, 0
    else if (op == Y)
      insn(e, itype(0, A1, 0, T0, 0x13));
    else
      insn(e, itype((int)(next() % 4095) - 2047, ZERO, 0, T0, 0x13));
#elif defined(__aarch64__)
    if (op == X)
      insn(e, 0xaa0003e9); // mov x9, x0
    else if (op == Y)
      insn(e, 0xaa0103e9); // mov x9, x1
    else {
      int imm = (int)(next() % 4095) - 2047;
      insn(e, imm >= 0 ? 0xd2800009 | (uint32_t)imm << 5          // movz x9, #imm
                       : 0x92800009 | (uint32_t)(-imm - 1) << 5); // movn x9, #~imm
    }
#else
    if (op == X) {
      byte(e, 0x48), byte(e, 0x89), byte(e, 0xf8); // mov rax, rdi
    } else if (op == Y) {
      byte(e, 0x48), byte(e, 0x89), byte(e, 0xf0); // mov rax, rsi
    } else {
      int32_t imm = (int32_t)(next() % 4095) - 2047;
      byte(e, 0x48), byte(e, 0xc7), byte(e, 0xc0); // mov rax, imm32
      memcpy(e->p, &imm, 4);
      e->p += 4;
    }
#endif
    return;
  }
  gen(e, depth - 1);
  if (op == SHL) {
    int k = (int)(next() % 13);
#ifdef __riscv
    insn(e, itype(k, T0, 1, T0, 0x13)); // slli t0, t0, k
#elif defined(__aarch64__)
    // lsl x9, x9, #k (ubfm x9, x9, #(-k mod 64), #(63 - k))
    insn(e, 0xd3400129 | (uint32_t)((64 - k) & 63) << 16 | (uint32_t)(63 - k) << 10);
#else
    byte(e, 0x48), byte(e, 0xc1), byte(e, 0xe0), byte(e, (uint8_t)k);
#endif
    return;
  }
#ifdef __riscv
  insn(e, itype(-8, SP, 0, SP, 0x13));              // addi sp, sp, -8
  insn(e, (0u << 25) | (T0 << 20) | (SP << 15) | (3 << 12) | 0x23); // sd t0, 0(sp)
  gen(e, depth - 1);
  insn(e, itype(0, T0, 0, T1, 0x13));               // mv t1, t0
  insn(e, itype(0, SP, 3, T0, 0x03));               // ld t0, 0(sp)
  insn(e, itype(8, SP, 0, SP, 0x13));               // addi sp, sp, 8
  static const uint32_t ops[][2] = {
      [ADD] = {0, 0}, [SUB] = {0x20, 0}, [MUL] = {1, 0},
      [AND] = {0, 7}, [OR] = {0, 6},     [XOR] = {0, 4}};
  insn(e, rtype(ops[op][0], T1, T0, ops[op][1], T0));
#elif defined(__aarch64__)
  insn(e, 0xf81f0fe9); // str x9, [sp, #-16]!
  gen(e, depth - 1);
  insn(e, 0xaa0903ea); // mov x10, x9
  insn(e, 0xf84107e9); // ldr x9, [sp], #16
  static const uint32_t ops[] = {[ADD] = 0x8b0a0129, [SUB] = 0xcb0a0129,
                                 [MUL] = 0x9b0a7d29, [AND] = 0x8a0a0129,
                                 [OR] = 0xaa0a0129,  [XOR] = 0xca0a0129};
  insn(e, ops[op]); // op x9, x9, x10
#else
  byte(e, 0x50); // push rax
  gen(e, depth - 1);
  byte(e, 0x48), byte(e, 0x89), byte(e, 0xc1); // mov rcx, rax
  byte(e, 0x58);                               // pop rax
  static const uint8_t ops[] = {[ADD] = 0x01, [SUB] = 0x29, [AND] = 0x21,
                                [OR] = 0x09, [XOR] = 0x31};
  if (op == MUL) {
    byte(e, 0x48), byte(e, 0x0f), byte(e, 0xaf), byte(e, 0xc1); // imul rax, rcx
  } else {
    byte(e, 0x48), byte(e, ops[op]), byte(e, 0xc8); // op rax, rcx
  }
#endif
}

static size_t compile(uint8_t *dst) {
  Emit e = {dst};
  gen(&e, 2 + (int)(next() % (MAX_DEPTH - 1)));
#ifdef __riscv
  insn(&e, itype(0, T0, 0, A0, 0x13)); // mv a0, t0
  insn(&e, 0x00008067);                // ret
#elif defined(__aarch64__)
  insn(&e, 0xaa0903e0); // mov x0, x9
  insn(&e, 0xd65f03c0); // ret
#else
  byte(&e, 0xc3);
#endif
  return (size_t)(e.p - dst);
}

typedef int64_t (*fn_t)(int64_t, int64_t);

static uint64_t run(uint8_t *code, int calls) {
  uint64_t sum = 0;
  for (int i = 0; i < calls; i++)
    sum = sum * 31 + (uint64_t)((fn_t)code)(i * 7 - 300, (int64_t)(sum & 1023));
  return sum;
}

int main(int argc, char **argv) {
  long functions = argc > 1 ? atol(argv[1]) : 2000;
  int calls = argc > 2 ? atoi(argv[2]) : 200;
  uint64_t checksum = 0;
  size_t codeBytes = 0;
  long arenas = 0, done = 0;
  uint8_t *rwx = mmap(NULL, ARENA, PROT_READ | PROT_WRITE | PROT_EXEC,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (rwx == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  while (done < functions) {
    size_t starts[ARENA / 16], n = 0, used = 0;
    if (arenas++ % 2 == 0) {
      uint8_t *a = mmap(NULL, ARENA, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (a == MAP_FAILED) {
        perror("mmap");
        return 1;
      }
      while (done + (long)n < functions && used + MAX_CODE <= ARENA) {
        starts[n++] = used;
        used += (compile(a + used) + 15) & ~(size_t)15;
      }
      if (mprotect(a, ARENA, PROT_READ | PROT_EXEC) != 0) {
        perror("mprotect");
        return 1;
      }
      __builtin___clear_cache((char *)a, (char *)a + used);
      for (size_t i = 0; i < n; i++)
        checksum = checksum * 1000003 ^ run(a + starts[i], calls);
      munmap(a, ARENA);
    } else {
      while (done + (long)n < functions && used + MAX_CODE <= ARENA) {
        size_t len = compile(rwx + used);
        __builtin___clear_cache((char *)rwx + used, (char *)rwx + used + len);
        checksum = checksum * 1000003 ^ run(rwx + used, calls);
        used += (len + 15) & ~(size_t)15;
        n++;
      }
    }
    done += (long)n;
    codeBytes += used;
  }
  // The code size differs between ISAs; the checksum must not.
  fprintf(stderr, "%zu KiB of code\n", codeBytes >> 10);
  printf("functions %ld, checksum %016llx\n", done,
         (unsigned long long)checksum);
  return 0;
}
