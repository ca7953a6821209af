"""damage.py GOOD DEST HOW: writes DEST as the cache file GOOD damaged:
HOW is a byte offset to flip (negative: from the end) or truncN (the first
N percent of the file). Offset 9 lies in the format version."""
import sys

good, dest, how = sys.argv[1], sys.argv[2], sys.argv[3]
data = bytearray(open(good, "rb").read())
if how.startswith("trunc"):
    data = data[: len(data) * int(how[5:]) // 100]
else:
    at = int(how)
    data[at] ^= 0x20
open(dest, "wb").write(bytes(data))
