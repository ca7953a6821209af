#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (test/fuzz/corpus/<target>/).

The seeds are checked in; rerun this after changing it. Instruction bytes
come from the riscv64 cross assembler (utils/bootstrap installs it).
    test/fuzz/gen_corpus.py [OUTDIR]     default: test/fuzz/corpus
"""
import os
import struct
import subprocess
import sys
import tempfile

EM_RISCV, EM_X86_64 = 243, 62
PT_LOAD, PT_INTERP, PT_PHDR = 1, 3, 6
PF_X, PF_W, PF_R = 1, 2, 4


def assemble(src):
    """Assembles RV64GC source to raw bytes (.text only)."""
    with tempfile.TemporaryDirectory() as d:
        s, o, b = (os.path.join(d, n) for n in ("a.s", "a.o", "a.bin"))
        with open(s, "w") as f:
            f.write(".option norelax\n" + src + "\n")
        subprocess.run(["riscv64-linux-gnu-as", "-march=rv64gc", s, "-o", o],
                       check=True)
        subprocess.run(["riscv64-linux-gnu-objcopy", "-O", "binary",
                        "-j", ".text", o, b], check=True)
        with open(b, "rb") as f:
            return f.read()


def ehdr(etype, machine, entry, phnum, cls=2):
    ident = b"\x7fELF" + bytes([cls, 1, 1, 0]) + bytes(8)
    return ident + struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, entry, 64,
                               0, 0, 64, 56, phnum, 64, 0, 0)


def phdr(ptype, flags, off, vaddr, filesz, memsz, align=0x1000):
    return struct.pack("<IIQQQQQQ", ptype, flags, off, vaddr, vaddr, filesz,
                       memsz, align)


EXIT0 = "li a0, 0\nli a7, 93\necall\n"


def static_exe():
    """ET_EXEC, one RX PT_LOAD at 0x10000 holding the headers and the code."""
    code = assemble(EXIT0)
    off = 64 + 56
    size = off + len(code)
    return (ehdr(2, EM_RISCV, 0x10000 + off, 1) +
            phdr(PT_LOAD, PF_R | PF_X, 0, 0x10000, size, size) + code)


def pie_exe():
    """ET_DYN with PT_PHDR, PT_INTERP, code, and a data segment that shares
    the code's last page and has a bss."""
    code = assemble("la a0, data\nld a0, 0(a0)\n" + EXIT0 + "data: .dword 0")
    interp = b"/lib/ld-linux-riscv64-lp64d.so.1\0"
    phoff, nph = 64, 4
    interp_off = phoff + 56 * nph
    code_off = interp_off + len(interp)
    code_off += -code_off % 4
    data_off = code_off + len(code)
    data = b"xlat fuzz seed\0\0"
    end = data_off + len(data)
    phs = (phdr(PT_PHDR, PF_R, phoff, phoff, 56 * nph, 56 * nph, 8) +
           phdr(PT_INTERP, PF_R, interp_off, interp_off, len(interp),
                len(interp), 1) +
           phdr(PT_LOAD, PF_R | PF_X, 0, 0, data_off, data_off) +
           phdr(PT_LOAD, PF_R | PF_W, data_off, data_off, len(data), 0x3000))
    body = ehdr(3, EM_RISCV, code_off, nph) + phs + interp
    body += bytes(code_off - len(body)) + code + data
    assert len(body) == end
    return body


def header_only(machine, cls=2):
    return ehdr(2, machine, 0x10000, 0, cls)


def interp_seed(code, regs=None):
    """256 bytes of register values, then code (see fuzz-interp.cpp)."""
    regs = regs or [0x100 * r for r in range(1, 32)]
    hdr = b"".join(struct.pack("<Q", v) for v in regs) + bytes([0] * 8)
    return hdr + code


LIFTER_SNIPPETS = {
    "alu": "addi a0, a1, -5\nslli a2, a0, 63\nsraw a3, a2, a1\n"
           "mulh a4, a3, a2\ndivu a5, a4, zero\nremw a6, a5, a4\nret",
    "memory": "ld a0, 8(sp)\nsw a0, -4(a1)\nlbu a2, 0(a0)\n"
              "lr.d a3, (a1)\nsc.d a4, a3, (a1)\namoadd.w a5, a4, (a2)\nj .",
    "branches": "beq a0, a1, 1f\nbltu a0, a1, 1f\n1: jalr ra, 0(a0)",
    "compressed": "c.li a0, 5\nc.addi a0, -1\nc.lw a1, 4(a0)\n"
                  "c.mv a2, a1\nc.bnez a0, .\nc.jr ra",
    "fp": "fld fa0, 0(a0)\nfadd.d fa1, fa0, fa0, rmm\nfdiv.s ft0, fa1, fa0\n"
          "fcvt.w.d a1, fa1, rtz\nfmadd.d fa2, fa0, fa1, fa2\n"
          "fclass.d a2, fa2\nfsflags a3\necall",
    "csr": "csrr a0, cycle\ncsrr a1, instret\ncsrrw a2, frm, a0\n"
           "csrrs a3, fflags, zero\nfence.i\nebreak",
}

INTERP_SNIPPETS = {
    "loop": "li a0, 10\n1: addi a0, a0, -1\nsd a0, 0(a1)\nbnez a0, 1b\n"
            "li a7, 93\necall\nunimp",
    "amo": "amoswap.d a0, a2, (a1)\namomax.w a3, a2, (a1)\n"
           "lr.w a4, (a1)\nsc.w a5, a4, (a1)\naddi a1, a1, 1\n"
           "amoadd.d a0, a2, (a1)",
    "fp": "fmv.d.x fa0, a1\nfcvt.d.l fa1, a2\nfsqrt.d fa2, fa1\n"
          "fcvt.l.d a3, fa2, rmm\nfmin.s fa3, fa0, fa1\nfsgnjx.d fa4, fa3, fa2\n"
          "frflags a0\nfsrm a1\nfcvt.wu.s a4, fa4\nc.ebreak",
    "fault": "li a0, -1\nld a1, 0(a0)",
    "compressed": "c.li a0, 7\nc.slli a0, 3\nc.sw a0, 8(a1)\nc.lw a2, 8(a1)\n"
                  "c.sub a2, a0\nc.beqz a2, .+4\nc.j .+2",
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus")
    seeds = {}
    static = static_exe()
    seeds["elf-loader/static-exit"] = static
    seeds["elf-loader/pie-interp-bss"] = pie_exe()
    seeds["elf-loader/truncated-header"] = static[:40]
    seeds["elf-loader/x86-64-header"] = header_only(EM_X86_64)
    seeds["elf-loader/elf32-header"] = header_only(EM_RISCV, cls=1)
    # Control byte 0x7f: the pipeline on, blocks of up to 64 instructions.
    for name, src in LIFTER_SNIPPETS.items():
        seeds["lifter/" + name] = b"\x7f" + assemble(src)
    seeds["lifter/wrap-pc"] = b"\xff" + assemble(LIFTER_SNIPPETS["alu"])
    seeds["lifter/illegal"] = b"\x01" + bytes(4) + b"\xff\xff\xff\xff"
    for name, src in INTERP_SNIPPETS.items():
        seeds["interp/" + name] = interp_seed(assemble(src))
    for rel, data in seeds.items():
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    print(f"gen_corpus: {len(seeds)} seeds in {out}")


if __name__ == "__main__":
    main()
