// An inner loop that gets hot long before the outer loop around it.
#include <stdio.h>

volatile unsigned sink;

int main(void) {
  unsigned acc = 1;
  for (unsigned i = 0; i < 20000; i++) {
    acc += i * 3;
    if (acc & 0x100)
      acc ^= 0x5a5a;
    for (unsigned j = 0; j < 50; j++)
      acc = acc * 31 + j;
    sink = acc;
  }
  printf("%u\n", acc);
  return 0;
}
