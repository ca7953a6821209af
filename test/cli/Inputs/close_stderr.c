#include <stdio.h>
#include <unistd.h>

// Closes its stderr before it exits, as xz does to catch write errors.
int main(void) {
  fputs("guest stderr\n", stderr);
  close(2);
  return 0;
}
