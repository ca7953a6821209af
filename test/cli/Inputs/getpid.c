#include <stdio.h>
#include <unistd.h>

// Prints its pid: under xlat-run, xlat-run's own.
int main(void) {
  printf("%d\n", (int)getpid());
  return 0;
}
