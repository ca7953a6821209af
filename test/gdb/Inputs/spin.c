/* Runs until a debugger changes `go`, then exits with its value a second
   later, so that a client that lets it go and then disconnects is seen to
   disconnect before the program ends. */
#include <unistd.h>

volatile int go;

int main(void) {
  while (!go) {
  }
  sleep(1);
  return go;
}
