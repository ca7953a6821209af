// Floating point: the n-body simulation of the benchmarks game, simplified.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define N 5
static double x[N], y[N], z[N], vx[N], vy[N], vz[N], m[N];

static void advance(double dt) {
  for (int i = 0; i < N; ++i)
    for (int j = i + 1; j < N; ++j) {
      double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      vx[i] -= dx * m[j] * mag; vy[i] -= dy * m[j] * mag; vz[i] -= dz * m[j] * mag;
      vx[j] += dx * m[i] * mag; vy[j] += dy * m[i] * mag; vz[j] += dz * m[i] * mag;
    }
  for (int i = 0; i < N; ++i) {
    x[i] += dt * vx[i]; y[i] += dt * vy[i]; z[i] += dt * vz[i];
  }
}

static double energy(void) {
  double e = 0;
  for (int i = 0; i < N; ++i) {
    e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (int j = i + 1; j < N; ++j) {
      double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
      e -= m[i] * m[j] / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

int main(int argc, char **argv) {
  int steps = argc > 1 ? atoi(argv[1]) : 5000000;
  for (int i = 0; i < N; ++i) {
    x[i] = i * 1.1; y[i] = i * -0.7; z[i] = i * 0.3;
    vx[i] = 0.01 * i; vy[i] = -0.02 * i; vz[i] = 0.005; m[i] = 1.0 + i;
  }
  printf("%.9f\n", energy());
  for (int s = 0; s < steps; ++s)
    advance(0.001);
  printf("%.9f\n", energy());
  return 0;
}
