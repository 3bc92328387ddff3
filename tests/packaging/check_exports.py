#!/usr/bin/env python3
"""packaging.exports: the shared library exports exactly the API.

The dynamic symbol table of libnetref.so must define exactly the functions
declared NETREF_EXTERN in include/netref.h (no more, no fewer), each one a
function bound to a version node of lib/netref.map, and the library's
SONAME must be the expected one.

usage: check_exports.py HEADER LIBRARY MAPFILE SONAME
"""
import re
import subprocess
import sys


def header_functions(path):
    """Names of the functions declared NETREF_EXTERN in the header."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)  # block comments
    text = re.sub(r"//[^\n]*", " ", text)  # line comments
    text = re.sub(r"\\\n", " ", text)  # preprocessor continuations
    text = "\n".join(
        line for line in text.split("\n") if not line.lstrip().startswith("#")
    )
    names = []
    for decl in text.split(";"):
        if not re.search(r"\bNETREF_EXTERN\b", decl):
            continue
        m = re.search(r"\b(\w+)\s*\(", decl)
        if not m:
            sys.exit(f"cannot parse declaration: {' '.join(decl.split())}")
        names.append(m.group(1))
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        sys.exit(f"declared twice in {path}: {', '.join(dupes)}")
    return set(names)


def version_nodes(path):
    """Names of the version nodes in a linker version script."""
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/|#[^\n]*", " ", f.read(), flags=re.S)
    return set(re.findall(r"(\w+)\s*\{", text))


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    return p.stdout


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    header, library, mapfile, soname = sys.argv[1:]
    problems = []

    declared = header_functions(header)
    if not declared:
        problems.append(f"no NETREF_EXTERN declarations found in {header}")
    for name in sorted(declared):
        if not name.startswith("netref_"):
            problems.append(f"declared without the netref_ prefix: {name}")

    nodes = version_nodes(mapfile)
    exported = {}
    for line in run(["nm", "-D", "--defined-only", library]).splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        kind, sym = fields[-2], fields[-1]
        name, _, version = sym.partition("@")
        version = version.lstrip("@")
        if kind == "A" and name in nodes:
            continue  # the version node itself, e.g. NETREF_1
        if version and version not in nodes:
            problems.append(f"{name}: version {version} is not in {mapfile}")
        if not version:
            problems.append(f"{name}: exported without a symbol version")
        if kind not in ("T", "i"):
            problems.append(f"{name}: exported as nm type {kind}, not a function")
        exported[name] = kind

    extra = sorted(set(exported) - declared)
    missing = sorted(declared - set(exported))
    for name in extra:
        problems.append(f"exported but not declared NETREF_EXTERN: {name}")
    for name in missing:
        problems.append(f"declared NETREF_EXTERN but not exported: {name}")

    dynamic = run(["readelf", "-d", "-W", library])
    m = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]*)\]", dynamic)
    if not m:
        problems.append(f"{library} has no SONAME")
    elif m.group(1) != soname:
        problems.append(f"SONAME is {m.group(1)}, expected {soname}")

    if problems:
        for p in problems:
            print(f"FAIL: {p}")
        print(f"{len(problems)} problem(s); {len(declared)} declared, "
              f"{len(exported)} exported")
        return 1
    print(f"ok: {len(declared)} functions declared and exported, "
          f"SONAME {soname}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
