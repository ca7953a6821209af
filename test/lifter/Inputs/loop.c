// A counting loop for lifter tests that take code from a program.
int main(void) {
  volatile int n = 0;
  for (int i = 0; i < 100; i++)
    n += i;
  return n;
}
