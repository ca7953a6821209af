"""Reads `-d region` lines ("Region HEAD: HEAD PC..."): no region compiles
the head of a region installed before it as one of its own blocks (it
chains there instead). Needs at least `min` regions, so that the rule was
put to the test."""
import re, sys

heads, regions = set(), 0
for line in open(sys.argv[1]):
    m = re.match(r"Region (0x[0-9a-f]+):((?: 0x[0-9a-f]+)+)$", line.strip())
    if not m:
        continue
    pcs = m.group(2).split()
    again = [pc for pc in pcs[1:] if pc in heads]
    if again:
        sys.exit("region %s compiles the head(s) %s again" % (m.group(1), " ".join(again)))
    heads.add(pcs[0])
    regions += 1
if regions < int(sys.argv[2]):
    sys.exit("only %d regions" % regions)
print("%d regions" % regions)
