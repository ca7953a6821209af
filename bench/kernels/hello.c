// Start-up cost: the same words from every build (riscv64, aarch64, the
// native one), since a translated run's output must match native's.
#include <stdio.h>

int main(void) {
  puts("Hello, world!");
  return 0;
}
