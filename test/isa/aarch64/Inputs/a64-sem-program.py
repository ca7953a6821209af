"""The qemu side of the A64 semantics test: a static A64 program that runs
each case of a64-sem-check's list once, and the reading of what it wrote.

    a64-sem-program.py asm CASES > prog.S
    a64-sem-program.py decode CASES OUTPUT > expected

Each case sets x0-x3 and NZCV, runs the encoding (.inst), and stores x0-x3
and NZCV; the program writes them all to stdout at the end, 40 bytes a
case, and `decode` prints them as a64-sem-check run does."""
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


if __name__ == "__main__":
    cases = read_cases(sys.argv[2])
    if sys.argv[1] == "asm":
        asm(cases)
    else:
        decode(cases, sys.argv[3])
