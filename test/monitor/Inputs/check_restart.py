#!/usr/bin/env python3
"""Checks the console output of a snapshot round trip (snapshot.test):

    check_restart.py SAVED < OUTPUT

The 'count N' lines must go up by one, except once, where they go back
to SAVED (the count in memory when the snapshot was taken) or SAVED + 1
(taken between a line and the increment after it), after the save point
had been passed; then up by one again."""
import re
import sys

saved = int(sys.argv[1], 0)
counts = [int(m.group(1)) for m in re.finditer(r"^count (\d+)", sys.stdin.read(), re.M)]
drops = [i for i in range(1, len(counts)) if counts[i] != counts[i - 1] + 1]
if len(drops) != 1:
    sys.exit(f"expected one restart, found {len(drops)} in {len(counts)} lines: "
             + ", ".join(f"{counts[i - 1]}->{counts[i]}" for i in drops))
i = drops[0]
if counts[i] not in (saved, saved + 1) or counts[i - 1] < saved:
    sys.exit(f"restarted at {counts[i]} after {counts[i - 1]}, saved at {saved}")
print(f"restart: {counts[i - 1]} -> {counts[i]}, saved {saved}, "
      f"{len(counts) - i} lines after the load")
