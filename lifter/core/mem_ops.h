// The abstract guest-memory operations that instruction semantics call,
// for every guest ISA.
//
// Semantics never touch guest memory directly. In the semantics bitcode these
// are declarations only; the LLVM tiers replace each call with the lowering of
// the runner they serve (user mode: base + offset with a bounds check; system
// mode: a TLB probe). The reference interpreter links against native
// definitions provided by the runner (runtime/user_memory.cpp).
//
// The first argument is the calling guest's state (rv::RvState,
// a64::A64State), opaque here: each lowering knows its ISA's layout
// (the offsets of membase and memlimit it is given), and each runner's
// native definitions the states it runs.
//
// A faulting access does not return: the runner unwinds to its dispatcher with
// exit_reason = kExitMemFault.
#pragma once

#include <cstdint>

extern "C" {
uint8_t xlat_ld8(void *s, uint64_t addr);
uint16_t xlat_ld16(void *s, uint64_t addr);
uint32_t xlat_ld32(void *s, uint64_t addr);
uint64_t xlat_ld64(void *s, uint64_t addr);
void xlat_st8(void *s, uint64_t addr, uint8_t v);
void xlat_st16(void *s, uint64_t addr, uint16_t v);
void xlat_st32(void *s, uint64_t addr, uint32_t v);
void xlat_st64(void *s, uint64_t addr, uint64_t v);
// Host address of an aligned `size`-byte guest location for an atomic
// read-modify-write; faults like a store. Misaligned addresses raise
// kExitMisaligned.
void *xlat_atomic_ptr(void *s, uint64_t addr, uint32_t size);
// The same for LR, which is a load: it needs only read permission and
// faults as a load (the system runner tells the two apart).
void *xlat_lr_ptr(void *s, uint64_t addr, uint32_t size);
}
