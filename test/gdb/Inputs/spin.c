/* Runs until a debugger changes `go`, then exits with its value. */
volatile int go;

int main(void) {
  while (!go) {
  }
  return go;
}
