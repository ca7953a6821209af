// A guest JIT: code written into an RWX mapping runs, is rewritten in
// place and runs again, many times; __builtin___clear_cache (the
// riscv_flush_icache syscall) makes each version visible, as RISC-V
// requires; fence.i from the same thread does too. Code in a new mapping at
// an address that held other code before (munmap + mmap) runs without any
// flush, as on Linux, where new executable pages are always coherent.
//
// RUN: %rv-cc -O2 %s -o %t
// RUN: %qemu-riscv64 %t > %t.expected
// RUN: for t in %{tiers}; do %xlat-run --tier=$t %t > %t.out || exit 1; diff %t.expected %t.out || exit 1; done
// RUN: FileCheck %s < %t.out
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef long (*fn_t)(long);

// addi a0, a0, imm ; ret
static void emit_add(uint32_t *code, int imm) {
  code[0] = ((uint32_t)(imm & 0xfff) << 20) | (10 << 15) | (10 << 7) | 0x13;
  code[1] = 0x00008067;
}

int main(void) {
  uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  fn_t f = (fn_t)code;
  long sum = 0;
  for (int i = 0; i < 200; i++) {
    emit_add(code, i);
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    sum += f(1000);
  }
  printf("rewritten 200 times: sum=%ld\n", sum);
  // CHECK: rewritten 200 times: sum=219900

  emit_add(code, 7);
  asm volatile("fence.i" ::: "memory");
  printf("after fence.i: %ld\n", f(35));
  // CHECK-NEXT: after fence.i: 42

  munmap(code, 4096);
  uint32_t *again = mmap(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  emit_add(again, -5);
  printf("new mapping, same address: %ld\n", ((fn_t)again)(47));
  // CHECK-NEXT: new mapping, same address: 42
  return 0;
}
