// A guest shared library linked by dyn_libs.c.
#include <stdio.h>
int greet_count = 0;
int greet(const char *who) {
  ++greet_count;
  return printf("greetings, %s\n", who);
}
