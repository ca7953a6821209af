// Code that only indirect jumps through tables enter: the cases of a dense
// switch (GCC's table of offsets) and the handlers of a computed goto (a
// table of label addresses), both run hot.
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) long step(int op, long x) {
  switch (op) {
  case 0: return x + 11;
  case 1: return x * 3;
  case 2: return x ^ 0x55;
  case 3: return x - 7;
  case 4: return x >> 1;
  case 5: return -x;
  case 6: return x | 0x100;
  case 7: return x & 0xffff;
  default: return x;
  }
}

// A bytecode loop as interpreters write it with GCC's labels as values.
__attribute__((noinline)) long run(const unsigned char *code, long n, long acc) {
  static const void *const ops[] = {&&add, &&mul, &&xor, &&jump};
  long pc = 0, left = n;
#define NEXT goto *ops[code[pc++]]
  NEXT;
add:
  acc += code[pc++];
  NEXT;
mul:
  acc = acc * 5 + 1;
  NEXT;
xor:
  acc ^= acc >> 7;
  NEXT;
jump:
  if (--left <= 0)
    return acc;
  pc = 0;
  NEXT;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 200000;
  long x = 1;
  for (int i = 0; i < rounds; i++)
    x = step(i % 9, x) & 0xffffff;
  static const unsigned char prog[] = {0, 3, 1, 2, 0, 9, 2, 3};
  printf("%ld %ld\n", x, run(prog, rounds, 7));
  return 0;
}
