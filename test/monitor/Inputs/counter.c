// Prints 0, 1, 2, ... a line every 10 ms of the machine's clock (mtime),
// keeping its count in memory: a snapshot taken between two lines and
// loaded later makes the lines after the load repeat those after the save.
#include "bare.h"

volatile unsigned long count;

int main(void) {
  unsigned long next = *CLINT_MTIME;
  for (;;) {
    bprintf("count %lu\n", count);
    count++;
    next += 100000; // 10 ms at 10 MHz
    while (*CLINT_MTIME < next) {
    }
    if (count == 100000)
      return 0;
  }
}
