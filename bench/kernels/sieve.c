// Integer and memory: sieve of Eratosthenes, repeated.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 4000000;
  int reps = argc > 2 ? atoi(argv[2]) : 10;
  char *composite = malloc(n + 1);
  long total = 0;
  for (int r = 0; r < reps; ++r) {
    memset(composite, 0, n + 1);
    int count = 0;
    for (long i = 2; i <= n; ++i) {
      if (composite[i])
        continue;
      ++count;
      for (long j = i * i; j <= n; j += i)
        composite[j] = 1;
    }
    total += count;
  }
  printf("primes: %ld\n", total / reps);
  free(composite);
  return 0;
}
