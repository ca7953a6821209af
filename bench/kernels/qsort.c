// Indirect calls and memory: qsort of pseudo-random integers with a
// comparison callback, repeated.
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000000;
  int reps = argc > 2 ? atoi(argv[2]) : 5;
  unsigned *v = malloc(sizeof *v * n);
  unsigned long check = 0;
  unsigned seed = 12345;
  for (int r = 0; r < reps; ++r) {
    for (int i = 0; i < n; ++i) {
      seed = seed * 1103515245u + 12345u;
      v[i] = seed;
    }
    qsort(v, n, sizeof *v, cmp);
    check += v[n / 2];
  }
  printf("check %lu\n", check);
  free(v);
  return 0;
}
