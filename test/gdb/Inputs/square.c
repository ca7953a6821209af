#include <stdio.h>

long counter;

static long square(long x) {
  long y = x * x;
  return y + 1;
}

int main(void) {
  long total = 0;
  for (int i = 0; i < 5; i++) {
    total += square(i);
    counter = total;
  }
  printf("total %ld\n", total);
  return (int)(total & 0x3f);
}
