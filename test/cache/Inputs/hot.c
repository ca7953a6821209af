// A few hot loops (promoted at a low --hot-threshold) and an exit status
// chosen by the arguments; given a second argument "libc", where libc's
// code is mapped.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long sieve(unsigned n) {
  char *composite = calloc(n + 1, 1);
  unsigned long count = 0;
  for (unsigned i = 2; i <= n; i++) {
    if (composite[i])
      continue;
    count++;
    for (unsigned long j = (unsigned long)i * i; j <= n; j += i)
      composite[j] = 1;
  }
  free(composite);
  return count;
}

static double series(int n) {
  double s = 0;
  for (int k = 1; k <= n; k++)
    s += (k & 1 ? 1.0 : -1.0) / (2 * k - 1);
  return 4 * s;
}

// Where libc's code is mapped, from /proc/self/maps, on stderr.
static void tellLibc(void) {
  FILE *maps = fopen("/proc/self/maps", "r");
  char line[512];
  while (maps && fgets(line, sizeof line, maps))
    if (strstr(line, "r-xp") && strstr(line, "/libc.so")) {
      fprintf(stderr, "libc code at %.*s\n", (int)strcspn(line, "-"), line);
      break;
    }
  if (maps)
    fclose(maps);
}

int main(int argc, char **argv) {
  if (argc > 2 && !strcmp(argv[2], "libc"))
    tellLibc();
  printf("primes below 200000: %lu\n", sieve(200000));
  printf("pi ~ %.6f\n", series(200000));
  char buf[64];
  unsigned h = 5381;
  for (int i = 0; i < 100000; i++) {
    snprintf(buf, sizeof buf, "%d", i);
    for (char *p = buf; *p; p++)
      h = h * 33 + (unsigned char)*p;
  }
  printf("hash %u\n", h);
  return argc > 1 ? atoi(argv[1]) : 0;
}
