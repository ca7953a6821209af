"""Reads `-d region` lines ("Region HEAD: HEAD PC..."): no region compiles
the head of a region installed before it as one of its own blocks (it
chains there instead). Needs at least `min` regions, so that the rule was
put to the test. With --all (xlat-aot, which compiles its regions in any
order), no region may hold any other region's head."""
import re, sys

args = [a for a in sys.argv[1:] if a != "--all"]
every = "--all" in sys.argv[1:]
regions = []
for line in open(args[0]):
    m = re.match(r"Region (0x[0-9a-f]+):((?: 0x[0-9a-f]+)+)$", line.strip())
    if m:
        regions.append(m.group(2).split())
heads = {pcs[0] for pcs in regions} if every else set()
for pcs in regions:
    again = [pc for pc in pcs[1:] if pc in heads]
    if again:
        sys.exit("region %s compiles the head(s) %s again" % (pcs[0], " ".join(again)))
    heads.add(pcs[0])
if len(regions) < int(args[1]):
    sys.exit("only %d regions" % len(regions))
print("%d regions" % len(regions))
