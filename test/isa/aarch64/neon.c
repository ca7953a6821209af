// AdvSIMD as compilers and hand-written code use it: intrinsics across the
// instruction classes (arithmetic, saturation, widening and narrowing,
// shifts, permutes, table lookup, structure loads and stores, FP lanes,
// estimates and their Newton steps, conversions) and loops the compiler
// vectorises at -O3, each result printed.
//
// RUN: %a64-gcc -O3 %s -o %t -lm
// RUN: %qemu-aarch64 %t > %t.ref
// RUN: %xlat-run %t > %t.out && FileCheck %s < %t.out && diff %t.ref %t.out
#include <arm_neon.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void show8(const char *name, uint8x16_t v) {
  uint8_t b[16];
  vst1q_u8(b, v);
  printf("%s", name);
  for (int i = 0; i < 16; i++)
    printf(" %02x", b[i]);
  printf("\n");
}
static void showf(const char *name, float32x4_t v) {
  float f[4];
  vst1q_f32(f, v);
  printf("%s %.9g %.9g %.9g %.9g\n", name, f[0], f[1], f[2], f[3]);
}

// Kept out of line so that the compiler cannot fold the inputs.
__attribute__((noinline)) static void fill(uint8_t *p, int n, int seed) {
  for (int i = 0; i < n; i++)
    p[i] = (uint8_t)(i * 37 + seed * 101 + (i >> 3));
}

__attribute__((noinline)) static float dot(const float *a, const float *b, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}
__attribute__((noinline)) static void saxpy(float *y, const float *x, float a, int n) {
  for (int i = 0; i < n; i++)
    y[i] += a * x[i];
}
__attribute__((noinline)) static uint32_t sum_bytes(const uint8_t *p, int n) {
  uint32_t s = 0;
  for (int i = 0; i < n; i++)
    s += p[i];
  return s;
}
__attribute__((noinline)) static void clamp16(int16_t *d, const int32_t *s, int n) {
  for (int i = 0; i < n; i++)
    d[i] = s[i] > 32767 ? 32767 : s[i] < -32768 ? -32768 : (int16_t)s[i];
}
__attribute__((noinline)) static int64_t dot_i16(const int16_t *a, const int16_t *b, int n) {
  int64_t s = 0;
  for (int i = 0; i < n; i++)
    s += (int32_t)a[i] * b[i];
  return s;
}
__attribute__((noinline)) static void to_double(double *d, const int32_t *s, int n) {
  for (int i = 0; i < n; i++)
    d[i] = s[i] * 0.5 + 1.25;
}

int main(void) {
  uint8_t a[64], b[64];
  fill(a, 64, 1);
  fill(b, 64, 2);
  uint8x16_t va = vld1q_u8(a), vb = vld1q_u8(b);
  show8("add", vaddq_u8(va, vb));
  show8("qadd", vqaddq_u8(va, vb));
  show8("qsub_s", vreinterpretq_u8_s8(vqsubq_s8(vreinterpretq_s8_u8(va), vreinterpretq_s8_u8(vb))));
  show8("hadd", vrhaddq_u8(va, vb));
  show8("abd", vabdq_u8(va, vb));
  show8("max", vmaxq_u8(va, vb));
  show8("cmhi", vcgtq_u8(va, vb));
  show8("tst", vtstq_u8(va, vb));
  show8("bsl", vbslq_u8(vcgtq_u8(va, vb), va, vb));
  show8("cnt", vcntq_u8(va));
  show8("clz", vclzq_u8(va));
  show8("rev64", vrev64q_u8(va));
  show8("ext5", vextq_u8(va, vb, 5));
  show8("zip1", vzip1q_u8(va, vb));
  show8("uzp2", vuzp2q_u8(va, vb));
  show8("trn1", vtrn1q_u8(va, vb));
  uint8x16_t idx = vandq_u8(vb, vdupq_n_u8(0x1f));
  uint8x16x2_t tab = {{va, vb}};
  show8("tbl2", vqtbl2q_u8(tab, idx));
  show8("tbx1", vqtbx1q_u8(vb, va, idx));
  show8("shl3", vshlq_n_u8(va, 3));
  show8("sri2", vsriq_n_u8(va, vb, 2));
  show8("rshl", vrshlq_u8(va, vreinterpretq_s8_u8(vandq_u8(vb, vdupq_n_u8(0x87)))));
  show8("qshl", vqshlq_n_u8(va, 2));
  uint16x8_t wide = vmull_u8(vget_low_u8(va), vget_low_u8(vb));
  wide = vmlal_high_u8(wide, va, vb);
  show8("mull", vreinterpretq_u8_u16(wide));
  show8("narrow", vcombine_u8(vqmovn_u16(wide), vrshrn_n_u16(wide, 7)));
  show8("paddl", vreinterpretq_u8_u16(vpaddlq_u8(va)));
  printf("addv %u maxv %u minv %u addlv %u\n", vaddvq_u8(va), vmaxvq_u8(va), vminvq_u8(vb),
         vaddlvq_u8(vb));
  int16x8_t s16 = vreinterpretq_s16_u8(va), t16 = vreinterpretq_s16_u8(vb);
  show8("qdmulh", vreinterpretq_u8_s16(vqrdmulhq_s16(s16, t16)));
  show8("qdmulh_lane", vreinterpretq_u8_s16(vqdmulhq_laneq_s16(s16, t16, 3)));
  show8("qdmlal", vreinterpretq_u8_s32(vqdmlal_s16(vdupq_n_s32(7), vget_low_s16(s16), vget_high_s16(t16))));
  show8("mla_lane", vreinterpretq_u8_s16(vmlaq_laneq_s16(s16, t16, s16, 5)));

  // Structure loads and stores: de-interleave RGB, swap, interleave.
  uint8_t rgb[48], out[48];
  fill(rgb, 48, 3);
  uint8x16x3_t px = vld3q_u8(rgb);
  uint8x16_t t = px.val[0];
  px.val[0] = px.val[2];
  px.val[2] = t;
  vst3q_u8(out, px);
  show8("st3", vld1q_u8(out + 16));
  uint16x4x4_t q4 = vld4_dup_u16((const uint16_t *)a);
  show8("ld4r", vreinterpretq_u8_u16(vcombine_u16(q4.val[1], q4.val[3])));
  uint32x4_t lanes = vld1q_lane_u32((const uint32_t *)b, vreinterpretq_u32_u8(va), 2);
  show8("ld1lane", vreinterpretq_u8_u32(lanes));

  // FP lanes.
  float32x4_t x = {1.5f, -2.25f, 3.0e-39f, 1e30f}, y = {0.1f, 7.0f, -0.0f, 3.0f};
  showf("fadd", vaddq_f32(x, y));
  showf("fmla", vfmaq_f32(y, x, y));
  showf("fmul_lane", vmulq_laneq_f32(x, y, 1));
  showf("fdiv", vdivq_f32(y, x));
  showf("fsqrt", vsqrtq_f32(vabsq_f32(x)));
  showf("fmaxnm", vmaxnmq_f32(x, y));
  showf("frintn", vrndnq_f32(vmulq_n_f32(x, 2.5f)));
  showf("frinta", vrndaq_f32(vmulq_n_f32(x, 2.5f)));
  showf("recpe", vrecpeq_f32(x));
  float32x4_t r = vrecpeq_f32(y);
  r = vmulq_f32(r, vrecpsq_f32(y, r));
  r = vmulq_f32(r, vrecpsq_f32(y, r));
  showf("recip", r);
  float32x4_t q = vrsqrteq_f32(vabsq_f32(x));
  q = vmulq_f32(q, vrsqrtsq_f32(vmulq_f32(vabsq_f32(x), q), q));
  showf("rsqrt", q);
  show8("fcmge", vreinterpretq_u8_u32(vcgeq_f32(x, y)));
  show8("cvt", vreinterpretq_u8_s32(vcvtnq_s32_f32(vmulq_n_f32(x, 1e-29f))));
  showf("scvtf_fix", vcvtq_n_f32_s32(vdupq_n_s32(-1000), 4));
  float64x2_t d = vcvt_f64_f32(vget_low_f32(x));
  printf("fcvtl %.17g %.17g\n", vgetq_lane_f64(d, 0), vgetq_lane_f64(d, 1));
  printf("faddp %.9g\n", vaddvq_f32(vaddq_f32(x, y)));
  float16x4_t h = vcvt_f16_f32(vmulq_n_f32(y, 1000.0f));
  showf("half", vcvt_f32_f16(h));

  // Vectorised loops.
  float fa[1000], fb[1000];
  for (int i = 0; i < 1000; i++)
    fa[i] = sinf(i * 0.01f), fb[i] = cosf(i * 0.02f);
  printf("dot %.6f\n", dot(fa, fb, 1000));
  saxpy(fa, fb, 0.75f, 1000);
  printf("saxpy %.6f %.6f\n", fa[3], fa[999]);
  uint8_t big[4096];
  fill(big, 4096, 9);
  printf("sum_bytes %u\n", sum_bytes(big, 4096));
  int32_t wide32[100];
  int16_t narrow16[100];
  for (int i = 0; i < 100; i++)
    wide32[i] = (i - 50) * 1234;
  clamp16(narrow16, wide32, 100);
  printf("clamp %d %d %d\n", narrow16[0], narrow16[50], narrow16[99]);
  printf("dot_i16 %lld\n", (long long)dot_i16(narrow16, narrow16 + 1, 99));
  double dd[64];
  to_double(dd, wide32, 64);
  printf("to_double %.3f %.3f\n", dd[0], dd[63]);
  char s1[100], s2[100];
  memset(s1, 'a', 99);
  s1[99] = 0;
  strcpy(s2, s1);
  s2[77] = 'b';
  printf("strings %zu %d %td\n", strlen(s1), memcmp(s1, s2, 99) < 0,
         (char *)memchr(s2, 'b', 99) - s2);
  return 0;
}

// What must hold whatever qemu says: exact results, and the estimates
// refined by two Newton steps to the correctly rounded reciprocals.
// CHECK: add 2f 79 c3 0d 57 a1 eb 35 81 cb 15 5f a9 f3 3d 87
// CHECK: qadd ff ff c3 ff ff a1 eb ff ff cb ff ff a9 f3 ff ff
// CHECK: addv 176 maxv 253 minv 20 addlv 2304
// CHECK: fadd 1.60000002 4.75 3.00000065e-39 1.00000002e+30
// CHECK: fsqrt 1.22474492 1.5 5.47722619e-20 9.99999987e+14
// CHECK: frintn 4 -6 0 2.49999996e+30
// CHECK: recpe 0.666015625 -0.443359375
// CHECK: recip 10 0.142857149 -inf 0.333333343
// CHECK: scvtf_fix -62.5 -62.5 -62.5 -62.5
// CHECK: fcvtl 1.5 -2.25
// CHECK: half 100 7000 -0 3000
// CHECK: sum_bytes 522240
// CHECK: clamp -32768 0 32767
// CHECK: strings 99 1 77
