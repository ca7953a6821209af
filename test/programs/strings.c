// string.h and friends on aligned and misaligned buffers: glibc's
// word-at-a-time loops, overlapping memmove, conversions and tokenising.
//
// RUN: %rv-cc -O0 %s -o %t.O0
// RUN: %rv-cc -O2 %s -o %t.O2
// RUN: %qemu-riscv64 %t.O0 > %t.O0.ref
// RUN: %qemu-riscv64 %t.O2 > %t.O2.ref
// RUN: %xlat-run --tier=interp %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=block  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=template  %t.O0 > %t.out && FileCheck %s < %t.out && diff %t.O0.ref %t.out
// RUN: %xlat-run --tier=interp %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=block  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// RUN: %xlat-run --tier=template  %t.O2 > %t.out && FileCheck %s < %t.out && diff %t.O2.ref %t.out
// The same program for AArch64 in its tiers (%{a64-tiers}), against qemu-aarch64:
// RUN: %a64-gcc -O2 %s -o %t.a64
// RUN: %qemu-aarch64 %t.a64 > %t.a64.ref
// RUN: for t in %{a64-tiers}; do %xlat-run $t %t.a64 > %t.out && FileCheck %s < %t.out && diff %t.a64.ref %t.out || exit 1; done

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned hash(const void *p, size_t n) {
  const unsigned char *c = p;
  unsigned h = 2166136261u;
  for (size_t i = 0; i < n; ++i)
    h = (h ^ c[i]) * 16777619u;
  return h;
}

int main(void) {
  char buf[256], dst[256];
  // Every start offset and length around a word boundary.
  unsigned long lens = 0;
  for (int off = 0; off < 8; ++off)
    for (int len = 0; len < 40; ++len) {
      memset(buf, 'x', sizeof buf);
      buf[off + len] = 0;
      lens += strlen(buf + off) == (size_t)len;
      strcpy(dst + (7 - off), buf + off);
      lens += strcmp(dst + (7 - off), buf + off) == 0;
      lens += memcmp(dst + (7 - off), buf + off, len) == 0;
    }
  printf("strlen/strcpy/cmp ok=%lu of 960\n", lens);

  strcpy(buf, "The quick brown fox jumps over the lazy dog");
  printf("chr=%s rchr=%s str=%s\n", strchr(buf, 'q'), strrchr(buf, 'o'),
         strstr(buf, "lazy"));
  printf("nostr=%p cmp=%d ncmp=%d case=%d\n", (void *)strstr(buf, "cat"),
         strcmp("abc", "abd") < 0, strncmp("abcdef", "abcxyz", 3),
         strcasecmp("HeLLo", "hello"));
  printf("spn=%zu cspn=%zu\n", strspn(buf, "ehT "), strcspn(buf, "xyz"));

  // Overlapping moves in both directions.
  strcpy(buf, "0123456789abcdefghij");
  memmove(buf + 3, buf, 10);
  printf("fwd=%s\n", buf);
  strcpy(buf, "0123456789abcdefghij");
  memmove(buf, buf + 5, 12);
  printf("bwd=%s\n", buf);

  for (int i = 0; i < 256; ++i)
    buf[i] = (char)(i * 7 + 3);
  memcpy(dst + 1, buf + 3, 200);
  memset(dst + 201, 0x5a, 55);
  printf("hash=%08x\n", hash(dst + 1, 255));

  char text[] = "alpha, beta;gamma,,delta";
  int n = 0;
  for (char *t = strtok(text, ",;"); t; t = strtok(NULL, ",;")) {
    ++n;
    printf("%stok%d=%s", n > 1 ? " " : "", n, t);
  }
  printf("\n");

  char *end;
  printf("strtol=%ld %ld %ld %lu\n", strtol("  -1234xyz", &end, 10),
         strtol("0x7fffffffffffffff", NULL, 16), strtol("777", NULL, 8),
         strtoul("18446744073709551615", NULL, 10));
  printf("end=%s atoi=%d\n", end, atoi("  +42abc"));
  char out[32];
  int w = snprintf(out, sizeof out, "%s-%05d-%-4s|%+d", "ab", 42, "x", 7);
  printf("snprintf=%s (%d)\n", out, w);
  const char *longText = text[0] ? "truncate me please" : "";
  w = snprintf(out, 8, "%s", longText);
  printf("trunc=%s (%d)\n", out, w);
  for (char *p = out; *p; ++p)
    *p = (char)toupper((unsigned char)*p);
  printf("upper=%s digit=%d alpha=%d\n", out, isdigit('7') != 0, isalpha('7') != 0);
  char *dup = strdup("duplicated");
  printf("dup=%s len=%zu\n", dup, strlen(dup));
  free(dup);
  return 0;
}

// CHECK:      strlen/strcpy/cmp ok=960 of 960
// CHECK-NEXT: chr=quick brown fox jumps over the lazy dog rchr=og str=lazy dog
// CHECK-NEXT: nostr=(nil) cmp=1 ncmp=0 case=0
// CHECK-NEXT: spn=4 cspn=18
// CHECK-NEXT: fwd=0120123456789defghij
// CHECK-NEXT: bwd=56789abcdefgcdefghij
// CHECK-NEXT: hash=7baf64cd
// CHECK-NEXT: tok1=alpha tok2= beta tok3=gamma tok4=delta
// CHECK-NEXT: strtol=-1234 9223372036854775807 511 18446744073709551615
// CHECK-NEXT: end=xyz atoi=42
// CHECK-NEXT: snprintf=ab-00042-x   |+7 (16)
// CHECK-NEXT: trunc=truncat (18)
// CHECK-NEXT: upper=TRUNCAT digit=1 alpha=0
// CHECK-NEXT: dup=duplicated len=10
