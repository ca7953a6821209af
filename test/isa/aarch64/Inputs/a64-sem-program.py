"""The qemu side of the A64 semantics test: a static A64 program that runs
each case of a64-sem-check's list once, and the reading of what it wrote.

    a64-sem-program.py asm CASES > prog.S
    a64-sem-program.py decode CASES OUTPUT > expected
    a64-sem-program.py mem-asm CASES > prog.S
    a64-sem-program.py mem-decode CASES OUTPUT > expected
    a64-sem-program.py fp-asm CASES > prog.S
    a64-sem-program.py fp-decode CASES OUTPUT > expected

Each case sets x0-x3 and NZCV, runs the encoding (.inst), and stores x0-x3
and NZCV; the program writes them all to stdout at the end, 40 bytes a
case, and `decode` prints them as a64-sem-check run does.

The mem forms do the same for a64-sem-check's load and store cases: each
clears the exclusive monitor, fills a 64-byte window with the case's
bytes, sets x0-x3, x4 (the window plus the case's offset) and q0-q3,
runs the case's two encodings, and stores x0-x3, x4's offset, the window
and q0-q3: 168 bytes a case.

The fp forms do it for the scalar FP cases: each sets x0-x3, q0-q3, NZCV
and FPCR, clears FPSR, runs the encoding, and stores x0-x3, q0-q3, NZCV
and FPSR: 112 bytes a case."""
import struct, sys


def read_cases(path):
    out = []
    for line in open(path):
        f = line.split()
        if len(f) == 6:
            out.append((int(f[0], 16), [int(v, 16) for v in f[1:5]], int(f[5], 16)))
    return out


def asm(cases):
    print(".text\n.globl _start\n_start:")
    print("  adrp x10, buf\n  add x10, x10, :lo12:buf")
    for k, (enc, x, nzcv) in enumerate(cases):
        for r in range(4):
            print("  ldr x%d, =0x%x" % (r, x[r]))
        print("  ldr x9, =0x%x\n  msr nzcv, x9" % nzcv)
        print("  .inst 0x%08x" % enc)
        print("  mrs x9, nzcv")
        print("  stp x0, x1, [x10], #16\n  stp x2, x3, [x10], #16\n  str x9, [x10], #8")
        if k % 64 == 63:
            print("  b 1f\n  .ltorg\n1:")
    print("  mov x0, #1\n  adrp x1, buf\n  add x1, x1, :lo12:buf")
    print("  ldr x2, =%d\n  mov x8, #64\n  svc #0" % (40 * len(cases)))
    print("  mov x0, #0\n  mov x8, #93\n  svc #0\n  .ltorg")
    print(".bss\n.balign 16\nbuf:\n  .space %d" % max(40 * len(cases), 16))


def decode(cases, path):
    data = open(path, "rb").read()
    if len(data) != 40 * len(cases):
        sys.exit("a64-sem-program: %d bytes for %d cases" % (len(data), len(cases)))
    for k, (enc, _, _) in enumerate(cases):
        x0, x1, x2, x3, nzcv = struct.unpack_from("<5Q", data, 40 * k)
        print("%08x %016x %016x %016x %016x %08x" % (enc, x0, x1, x2, x3, nzcv))


def read_mem_cases(path):
    out = []
    for line in open(path):
        f = line.split()
        if len(f) == 16:
            out.append((int(f[0], 16), int(f[1], 16), [int(v, 16) for v in f[2:6]],
                        int(f[6], 16), bytes.fromhex(f[7]), [int(v, 16) for v in f[8:16]]))
    return out


MEM_OUT = 168


def mem_asm(cases):
    # x10: the window; x11: the case's data (x0-x3, offset, pad, bytes,
    # q0-q3); x20: where the results go.
    print(".text\n.globl _start\n_start:")
    print("  adrp x10, window\n  add x10, x10, :lo12:window")
    print("  adrp x11, cases\n  add x11, x11, :lo12:cases")
    print("  adrp x20, out\n  add x20, x20, :lo12:out")
    for enc, pre, _, _, _, _ in cases:
        print("  clrex")
        for k in range(0, 64, 16):
            print("  ldp x12, x13, [x11, #%d]\n  stp x12, x13, [x10, #%d]" % (48 + k, k))
        print("  ldp x0, x1, [x11]\n  ldp x2, x3, [x11, #16]\n  ldr x4, [x11, #32]")
        print("  ldp q0, q1, [x11, #112]\n  ldp q2, q3, [x11, #144]")
        print("  add x4, x4, x10\n  add x11, x11, #176")
        print("  .inst 0x%08x\n  .inst 0x%08x" % (pre, enc))
        print("  sub x4, x4, x10")
        print("  stp x0, x1, [x20], #16\n  stp x2, x3, [x20], #16\n  str x4, [x20], #8")
        for k in range(0, 64, 16):
            print("  ldp x12, x13, [x10, #%d]\n  stp x12, x13, [x20], #16" % k)
        print("  stp q0, q1, [x20], #32\n  stp q2, q3, [x20], #32")
    print("  mov x0, #1\n  adrp x1, out\n  add x1, x1, :lo12:out")
    print("  ldr x2, =%d\n  mov x8, #64\n  svc #0" % (MEM_OUT * len(cases)))
    print("  mov x0, #0\n  mov x8, #93\n  svc #0\n  .ltorg")
    print(".data\n.balign 16\ncases:")
    for _, _, x, off, mem, v in cases:
        print("  .quad " + ", ".join("0x%x" % q for q in x + [off, 0]))
        print("  .byte " + ", ".join(str(b) for b in mem))
        print("  .quad " + ", ".join("0x%x" % q for q in v))
    print(".bss\n.balign 16\nwindow:\n  .space 64")
    print(".balign 16\nout:\n  .space %d" % max(MEM_OUT * len(cases), 16))


def mem_decode(cases, path):
    data = open(path, "rb").read()
    if len(data) != MEM_OUT * len(cases):
        sys.exit("a64-sem-program: %d bytes for %d cases" % (len(data), len(cases)))
    for k, (enc, pre, _, _, _, _) in enumerate(cases):
        x = struct.unpack_from("<5Q", data, MEM_OUT * k)
        mem = data[MEM_OUT * k + 40:MEM_OUT * k + 104]
        v = struct.unpack_from("<8Q", data, MEM_OUT * k + 104)
        print("%08x %08x %016x %016x %016x %016x %x %s " % ((enc, pre) + x + (mem.hex(),))
              + " ".join("%016x" % q for q in v))


def read_fp_cases(path):
    out = []
    for line in open(path):
        f = line.split()
        if len(f) == 15:
            out.append([int(v, 16) for v in f])
    return out


FP_OUT = 112


def fp_asm(cases):
    # x11: the case's data (x0-x3, v0-v3, NZCV, FPCR); x20: the results.
    print(".text\n.globl _start\n_start:")
    print("  adrp x11, cases\n  add x11, x11, :lo12:cases")
    print("  adrp x20, out\n  add x20, x20, :lo12:out")
    for c in cases:
        print("  ldp x0, x1, [x11]\n  ldp x2, x3, [x11, #16]")
        print("  ldp q0, q1, [x11, #32]\n  ldp q2, q3, [x11, #64]")
        print("  ldp x9, x10, [x11, #96]\n  msr nzcv, x9\n  msr fpcr, x10\n  msr fpsr, xzr")
        print("  add x11, x11, #112")
        print("  .inst 0x%08x" % c[0])
        print("  mrs x9, nzcv\n  mrs x10, fpsr")
        print("  stp x0, x1, [x20], #16\n  stp x2, x3, [x20], #16")
        print("  stp q0, q1, [x20], #32\n  stp q2, q3, [x20], #32")
        print("  stp x9, x10, [x20], #16")
    print("  mov x0, #1\n  adrp x1, out\n  add x1, x1, :lo12:out")
    print("  ldr x2, =%d\n  mov x8, #64\n  svc #0" % (FP_OUT * len(cases)))
    print("  mov x0, #0\n  mov x8, #93\n  svc #0\n  .ltorg")
    print(".data\n.balign 16\ncases:")
    for c in cases:
        print("  .quad " + ", ".join("0x%x" % q for q in c[1:13] + [c[13], c[14]]))
    print(".bss\n.balign 16\nout:\n  .space %d" % max(FP_OUT * len(cases), 16))


def fp_decode(cases, path):
    data = open(path, "rb").read()
    if len(data) != FP_OUT * len(cases):
        sys.exit("a64-sem-program: %d bytes for %d cases" % (len(data), len(cases)))
    for k, c in enumerate(cases):
        q = struct.unpack_from("<14Q", data, FP_OUT * k)
        print("%08x " % c[0] + " ".join("%016x" % v for v in q[:12]) +
              " %08x %08x" % (q[12], q[13]))


if __name__ == "__main__":
    if sys.argv[1] == "asm":
        asm(read_cases(sys.argv[2]))
    elif sys.argv[1] == "decode":
        decode(read_cases(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == "mem-asm":
        mem_asm(read_mem_cases(sys.argv[2]))
    elif sys.argv[1] == "mem-decode":
        mem_decode(read_mem_cases(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == "fp-asm":
        fp_asm(read_fp_cases(sys.argv[2]))
    elif sys.argv[1] == "fp-decode":
        fp_decode(read_fp_cases(sys.argv[2]), sys.argv[3])
    else:
        sys.exit("a64-sem-program: unknown mode %s" % sys.argv[1])
