// Counts in a loop until `stop_now` is set (by the monitor's quit, or
// by a debugger), printing a line first so that a test knows it runs.
#include "bare.h"

volatile unsigned long ticks;
volatile int stop_now;
const char marker[16] = "monitor-marker!";

int main(void) {
  bprintf("ticking\n");
  while (!stop_now)
    ticks++;
  return 0;
}
