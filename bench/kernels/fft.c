// Floating point beyond nbody: a radix-2 complex FFT forward and back and a
// blocked matrix product, in double. Only +, -, *, / and sqrt (correctly
// rounded everywhere; the twiddles come from half-angle recurrences, not
// libm) and no contraction into fused multiply-adds: both builds print the
// same bits.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

static uint64_t bits(double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  return u;
}

// cos and sin of 2*pi/n for a power of two n, by halving the angle.
static void twiddle(int n, double *c, double *s) {
  double cc = -1.0, ss = 0.0; // angle pi: n = 2
  for (int m = 2; m < n; m *= 2) {
    double ch = sqrt((1.0 + cc) / 2.0);
    ss = ss / (2.0 * ch);
    cc = ch;
    if (m == 2) ss = 1.0; // pi/2 exactly
  }
  *c = cc;
  *s = ss;
}

static void fft(double *re, double *im, int n, int inverse) {
  for (int i = 1, j = 0; i < n; i++) {
    int bit = n >> 1;
    for (; j & bit; bit >>= 1)
      j ^= bit;
    j ^= bit;
    if (i < j) {
      double t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (int len = 2; len <= n; len <<= 1) {
    double wc, ws;
    twiddle(len, &wc, &ws);
    if (inverse) ws = -ws;
    for (int i = 0; i < n; i += len) {
      double cr = 1.0, ci = 0.0;
      for (int k = 0; k < len / 2; k++) {
        double ur = re[i + k], ui = im[i + k];
        double vr = re[i + k + len / 2] * cr - im[i + k + len / 2] * ci;
        double vi = re[i + k + len / 2] * ci + im[i + k + len / 2] * cr;
        re[i + k] = ur + vr; im[i + k] = ui + vi;
        re[i + k + len / 2] = ur - vr; im[i + k + len / 2] = ui - vi;
        double nr = cr * wc - ci * ws;
        ci = cr * ws + ci * wc;
        cr = nr;
      }
    }
  }
  if (inverse)
    for (int i = 0; i < n; i++) { re[i] /= n; im[i] /= n; }
}

static void matmul(const double *a, const double *b, double *c, int n) {
  memset(c, 0, sizeof(double) * n * n);
  for (int i = 0; i < n; i++)
    for (int k = 0; k < n; k++) {
      double aik = a[i * n + k];
      for (int j = 0; j < n; j++)
        c[i * n + j] += aik * b[k * n + j];
    }
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 10;
  int n = 1 << 14;
  double *re = malloc(n * sizeof *re), *im = malloc(n * sizeof *im);
  uint64_t h = 0;
  for (int r = 0; r < reps; r++) {
    for (int i = 0; i < n; i++) {
      re[i] = (double)((i * 7 + r) % 113) / 7.0;
      im[i] = (double)((i * 3 + r) % 61) / 5.0;
    }
    fft(re, im, n, 0);
    h = h * 31 + bits(re[r % n]) + bits(im[(r * 7) % n]);
    fft(re, im, n, 1);
    h = h * 31 + bits(re[(r * 3) % n]);
  }
  int m = 120;
  double *a = malloc(sizeof(double) * m * m), *b = malloc(sizeof(double) * m * m),
         *c = malloc(sizeof(double) * m * m);
  for (int i = 0; i < m * m; i++) {
    a[i] = (double)(i % 17) / 3.0;
    b[i] = (double)(i % 23) / 7.0;
  }
  for (int r = 0; r < reps; r++) {
    matmul(a, b, c, m);
    h = h * 31 + bits(c[(r * 101) % (m * m)]);
    a[r % (m * m)] += 1.0;
  }
  printf("fft+matmul %016llx\n", (unsigned long long)h);
  return 0;
}
