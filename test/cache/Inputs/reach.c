// Functions reached in the ways xlat-aot's reachability follows, and one
// that nothing reaches.
#include <stdio.h>
#include <stdlib.h>

#define KEEP __attribute__((noinline, used))

// Nothing calls it or takes its address.
KEEP int never_called(int x) { return x * 7 + 3; }

// Only qsort calls it: its address is made in code (a callback).
KEEP int by_callback(const void *a, const void *b) {
  return *(const int *)a - *(const int *)b;
}

// Only through a table in data.
KEEP int from_table0(int x) { return x + 1; }
KEEP int from_table1(int x) { return x * 2; }
static int (*const table[])(int) = {from_table0, from_table1};

// Only from the cases of a switch, which are reached through a jump table.
KEEP int from_case(int x) { return x - 5; }

KEEP int dispatch(int k, int x) {
  switch (k) {
  case 0: return x + 11;
  case 1: return from_case(x);
  case 2: return x ^ 0x55;
  case 3: return x * 3;
  case 4: return x / 2;
  case 5: return -x;
  default: return x;
  }
}

int main(int argc, char **argv) {
  int v[] = {5, 3, 9, 1, 7};
  qsort(v, 5, sizeof v[0], by_callback);
  int k = argc > 1 ? atoi(argv[1]) : 1;
  printf("%d %d %d %d\n", v[0], v[4], table[k & 1](20), dispatch(k, 40));
  return 0;
}
