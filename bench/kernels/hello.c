#include <stdio.h>

int main(void) {
  puts("Hello from riscv64!");
  return 0;
}
