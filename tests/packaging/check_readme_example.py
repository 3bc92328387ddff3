#!/usr/bin/env python3
"""packaging.readme_example: the README's C example compiles and runs.

Takes the first ```c fenced block in the section of README.md whose heading
contains "C example", compiles it as strict C99 against the build tree's
include/ and shared library, and runs it. When the same section also has a
```text block (the expected output), the program's output must equal it.

usage: check_readme_example.py README INCLUDE_DIR LIBRARY CC WORK [FLAGS]
"""
import os
import re
import shlex
import shutil
import subprocess
import sys

FENCE = re.compile(r"^(```+|~~~+)\s*([\w+-]*)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def section_blocks(path):
    """Fenced blocks (lang, text) of the first section titled '...C example...'."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    blocks, level, fence, lang, body = [], None, None, None, []
    for line in lines:
        if fence:
            closing = line.strip()
            if (len(closing) >= len(fence) and
                    closing == fence[0] * len(closing)):
                if level is not None:
                    blocks.append((lang, "\n".join(body) + "\n"))
                fence = None
            else:
                body.append(line)
            continue
        m = FENCE.match(line.strip())
        if m:
            fence, lang, body = m.group(1), m.group(2).lower(), []
            continue
        h = HEADING.match(line)
        if h:
            depth = len(h.group(1))
            if level is not None and depth <= level:
                break  # the section ended
            if level is None and "c example" in h.group(2).lower():
                level = depth
    if level is None:
        sys.exit(f"FAIL: {path} has no heading containing 'C example'")
    return blocks


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    readme, include, library, cc, work = sys.argv[1:6]
    extra = shlex.split(sys.argv[6]) if len(sys.argv) > 6 else []
    blocks = section_blocks(readme)
    code = next((b for lang, b in blocks if lang == "c"), None)
    if code is None:
        sys.exit(f"FAIL: no ```c block under the 'C example' heading of {readme}")
    expected = next((b for lang, b in blocks if lang == "text"), None)

    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    src = os.path.join(work, "readme_example.c")
    exe = os.path.join(work, "readme_example")
    with open(src, "w", encoding="utf-8") as f:
        f.write(code)
    libdir = os.path.dirname(os.path.abspath(library))
    cmd = [cc, "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror",
           "-I", include, src, "-o", exe, library,
           "-Wl,-rpath," + libdir] + extra
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    if subprocess.call(cmd) != 0:
        sys.exit("FAIL: the README's C example does not compile")
    p = subprocess.run([exe], stdout=subprocess.PIPE, universal_newlines=True,
                       timeout=60)
    print(p.stdout, end="")
    if p.returncode != 0:
        sys.exit(f"FAIL: the README's C example exited {p.returncode}")
    if expected is not None and p.stdout.rstrip() != expected.rstrip():
        sys.exit("FAIL: output differs from the README's ```text block:\n"
                 + expected)
    print("ok: README C example compiles and runs"
          + (" with the documented output" if expected is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
