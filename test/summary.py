#!/usr/bin/env python3
"""Prints one closing line for the whole suite, `check: N passed, M failed`
(and `, K unsupported`, each unsupported test listed above it with lit's reason),
from lit's JSON results and ctest's JUnit report. Expected failures count as
passed (they are asserted to fail); unexpected passes count as failed."""
import json, sys
import xml.etree.ElementTree as ET

lit_json, ctest_xml = sys.argv[1], sys.argv[2]
passed = failed = 0
unsupported = []
try:
    for t in json.load(open(lit_json))["tests"]:
        if t["code"] in ("PASS", "XFAIL"):
            passed += 1
        elif t["code"] == "UNSUPPORTED":
            why = (t.get("output") or "").strip().splitlines()
            unsupported.append("%s (%s)" % (t["name"], why[0] if why else "?"))
        elif t["code"] != "EXCLUDED":
            failed += 1
except (OSError, ValueError, KeyError):
    failed += 1  # lit did not finish
try:
    for case in ET.parse(ctest_xml).getroot().iter("testcase"):
        if case.get("status") == "run" and case.find("failure") is None:
            passed += 1
        else:
            failed += 1
except (OSError, ET.ParseError):
    failed += 1  # ctest did not finish
for u in unsupported:
    print("unsupported: " + u)
print("check: %d passed, %d failed%s" % (
    passed, failed, ", %d unsupported" % len(unsupported) if unsupported else ""))
sys.exit(1 if failed else 0)
