"""Reads a jitdump file (perf's format) and prints its header and code-load
records, one line each, checking that each record's sizes add up and that
the records end where the file does. Usage: jitdump-read.py FILE PID"""
import struct, sys

data = open(sys.argv[1], "rb").read()
magic, version, size, mach, _, pid, _, flags = struct.unpack_from("<IIIIIIQQ", data, 0)
print("header magic %x version %d size %d mach %d pid %s flags %d" %
      (magic, version, size, mach, "ok" if str(pid) == sys.argv[2] else pid, flags))
off, stamp = size, 0
while off < len(data):
    rid, total, ts = struct.unpack_from("<IIQ", data, off)
    if rid != 0:
        sys.exit("record %d at %d: not a code load" % (rid, off))
    rpid, tid, vma, addr, codesize, index = struct.unpack_from("<IIQQQQ", data, off + 16)
    end = data.index(b"\0", off + 56)
    name = data[off + 56:end].decode()
    code = data[end + 1:off + total]
    ok = (len(code) == codesize > 0 and vma == addr and rpid == pid and ts >= stamp
          and any(code))
    print("load %s %s" % (name, "ok" if ok else "BAD size %d code %d" % (codesize, len(code))))
    off, stamp = off + total, ts
print("end %s" % ("at eof" if off == len(data) else "past eof"))
