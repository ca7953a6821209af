// The tiny bare-metal runtime of the system-mode tests (start.S, bare.c,
// link.ld): console output, CSR access, exit through the test device, and
// switching privilege modes. M mode by default; built with -DBARE_SMODE,
// an S-mode payload under OpenSBI (console and exit through the SBI).
#pragma once

#define FRAME_EPC (32 * 8)
#define FRAME_CAUSE (33 * 8)
#define FRAME_TVAL (34 * 8)
#define FRAME_STATUS (35 * 8)
#define FRAME_SIZE (36 * 8)

// a7 of the ecall that ends run_in()'s function (bare_mode_entry).
#define BARE_RETURN_MAGIC 0x5245544e

#define PRIV_U 0
#define PRIV_S 1
#define PRIV_M 3

#ifndef __ASSEMBLER__
#include <stdint.h>

// What a trap vector saved: x[1..31] (x[2] is the interrupted sp), the
// trap CSRs of the mode taking it (mepc/mcause/mtval/mstatus or the s
// ones). A handler may change anything; epc is where xret goes back to.
struct frame {
  uint64_t x[32];
  uint64_t epc, cause, tval, status;
};

// The handlers the vectors call. Weak defaults print the trap and exit
// with status 1; a test overrides the one it needs. (run_in()'s return
// ecall never reaches them: the runtime handles it first, in the S vector
// too when medeleg sends U ecalls there.)
void trap(struct frame *f);  // M mode
void strap(struct frame *f); // S mode (traps delegated by medeleg/mideleg)

// Console (the UART; SBI legacy putchar with BARE_SMODE) and formatting:
// bprintf knows %c %s %d %u %x (each with an optional l), %%, and a width
// with 0 padding for %x (e.g. %016lx).
void putc_(char c);
void puts_(const char *s);
void print_hex(uint64_t v);
void print_dec(int64_t v);
void bprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Powers off: 0 -> status 0 (0x5555), n -> status n (0x3333 | n << 16).
void exit_with(int code) __attribute__((noreturn));

#define csr_read(csr)                                                     \
  ({                                                                      \
    uint64_t v_;                                                          \
    __asm__ volatile("csrr %0, " #csr : "=r"(v_)::"memory");              \
    v_;                                                                   \
  })
#define csr_write(csr, v)                                                 \
  __asm__ volatile("csrw " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_set(csr, v)                                                   \
  __asm__ volatile("csrs " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_clear(csr, v)                                                 \
  __asm__ volatile("csrc " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_swap(csr, v)                                                  \
  ({                                                                      \
    uint64_t v_;                                                          \
    __asm__ volatile("csrrw %0, " #csr ", %1"                             \
                     : "=r"(v_)                                           \
                     : "r"((uint64_t)(v))                                 \
                     : "memory");                                         \
    v_;                                                                   \
  })

// mstatus / sstatus bits.
#define MSTATUS_SIE (1ul << 1)
#define MSTATUS_MIE (1ul << 3)
#define MSTATUS_SPIE (1ul << 5)
#define MSTATUS_MPIE (1ul << 7)
#define MSTATUS_SPP (1ul << 8)
#define MSTATUS_MPP (3ul << 11)
#define MSTATUS_FS (3ul << 13)
#define MSTATUS_MPRV (1ul << 17)
#define MSTATUS_SUM (1ul << 18)
#define MSTATUS_MXR (1ul << 19)

// Interrupt bits (mie/mip) and causes.
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define CAUSE_INTERRUPT (1ul << 63)

// The virt board's devices.
#define UART_BASE 0x10000000ul
#define TEST_BASE 0x100000ul
#define CLINT_BASE 0x2000000ul
#define CLINT_MSIP ((volatile uint32_t *)(CLINT_BASE + 0x0))
#define CLINT_MTIMECMP ((volatile uint64_t *)(CLINT_BASE + 0x4000))
#define CLINT_MTIME ((volatile uint64_t *)(CLINT_BASE + 0xbff8))

// Runs fn(arg) in mode (PRIV_S or PRIV_U) from M mode: MPP, mepc, mret.
// fn's return (or back_to_m) ends it with an ecall the M vector catches;
// run_in returns fn's result, in M mode again, with mstatus.MIE as it was.
long run_in(int mode, long (*fn)(long), long arg);
// From the S or U code run_in started: back to M at once with v.
void back_to_m(long v) __attribute__((noreturn));

// The length (2 or 4) of the instruction at a (readable where the trap
// handler runs).
static inline unsigned insn_len(uint64_t a) {
  return (*(volatile uint16_t *)a & 3) == 3 ? 4 : 2;
}

// SBI call (S mode).
struct sbiret {
  long error, value;
};
struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2);

extern char __image_start[], __image_end[];
#endif
