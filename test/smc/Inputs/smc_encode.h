// RISC-V encoders for the self-modifying-code tests.
#pragma once
#include <stdint.h>

enum { ZERO = 0, RA = 1, SP = 2, T0 = 5, A0 = 10, A1 = 11, A2 = 12 };

static inline uint32_t rv_addi(int rd, int rs1, int imm) {
  return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
}
static inline uint32_t rv_ret(void) { return 0x00008067; }
static inline uint32_t rv_sw(int rs2, int rs1, int imm) {
  return ((uint32_t)((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) |
         (2 << 12) | ((imm & 0x1f) << 7) | 0x23;
}
static inline uint32_t rv_lw(int rd, int rs1, int imm) {
  return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (2 << 12) |
         (rd << 7) | 0x03;
}
static inline uint32_t rv_jal(int rd, int off) {
  uint32_t u = (uint32_t)off;
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) |
         (((u >> 11) & 1) << 20) | (((u >> 12) & 0xff) << 12) | (rd << 7) |
         0x6f;
}
static inline uint32_t rv_bne(int rs1, int rs2, int off) {
  uint32_t u = (uint32_t)off;
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) |
         (rs1 << 15) | (1 << 12) | (((u >> 1) & 0xf) << 8) |
         (((u >> 11) & 1) << 7) | 0x63;
}
// c.li rd, imm (imm in -32..31) and c.jr ra.
static inline uint16_t rv_c_li(int rd, int imm) {
  return (uint16_t)((2 << 13) | (((imm >> 5) & 1) << 12) | (rd << 7) |
                    ((imm & 0x1f) << 2) | 1);
}
static inline uint16_t rv_c_ret(void) { return 0x8082; }
