#!/usr/bin/env python3
"""packaging.header_text: netref.h is self-contained for its users.

Usage: check_header_text.py SOURCE_DIR

- It cites no DESIGN document (users do not have one): definitions are
  folded into the header or in docs/*.md, which ship with the source.
- Every docs/*.md file it names exists.
- Its comments hold no machine timings ("0.15 s", "4 microseconds",
  "on a 2-core ... virtual machine"): bounds and complexity belong in the
  header, timings in the README's performance section.
- docs/semantics.md names every limit macro of the header's "Limits and
  defaults" group and every query bound, so the two cannot drift apart
  silently when a limit is added.
"""
import os
import re
import sys

TIMING = re.compile(
    r"\b\d[\d,.]*\s*(?:s|ms|seconds?|minutes?|milliseconds?|microseconds?)\b"
    r"|virtual machine|the machine of",
    re.IGNORECASE)
BOUNDS = ("NETREF_ASK_FIRST_MAX_REACHED", "NETREF_MATCHES_MAX_PAIRS",
          "NETREF_MATCHES_MAX_ROWS", "NETREF_CONNECTORS_MAX_COST")


def comments(text):
    """(line number, text) of each line inside a /* */ comment."""
    for m in re.finditer(r"/\*.*?\*/", text, re.DOTALL):
        first = text.count("\n", 0, m.start()) + 1
        for i, line in enumerate(m.group(0).split("\n")):
            yield first + i, line


def limit_macros(text):
    m = re.search(r"@name Limits and defaults(.*?)@\}", text, re.DOTALL)
    if not m:
        return None
    return re.findall(r"#define (NETREF_\w+)", m.group(1))


def main():
    src = sys.argv[1]
    header = open(os.path.join(src, "include", "netref.h"),
                  encoding="utf-8").read()
    problems = []
    for n, line in comments(header):
        if "DESIGN" in line:
            problems.append(f"netref.h:{n}: cites DESIGN: {line.strip()}")
        if TIMING.search(line):
            problems.append(f"netref.h:{n}: a machine timing: {line.strip()}")
    for doc in sorted(set(re.findall(r"docs/[\w.-]+\.md", header))):
        if not os.path.exists(os.path.join(src, doc)):
            problems.append(f"netref.h names {doc}, which does not exist")
    macros = limit_macros(header)
    if not macros:
        problems.append('netref.h has no "Limits and defaults" group')
        macros = []
    sem_path = os.path.join(src, "docs", "semantics.md")
    sem = open(sem_path, encoding="utf-8").read() \
        if os.path.exists(sem_path) else ""
    for name in list(macros) + list(BOUNDS):
        if name not in header:
            problems.append(f"netref.h does not define {name}")
        if name not in sem:
            problems.append(f"docs/semantics.md does not mention {name}")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"netref.h: self-contained; {len(macros)} limit macros, all in "
          "docs/semantics.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
