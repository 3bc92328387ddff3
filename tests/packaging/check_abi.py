#!/usr/bin/env python3
"""packaging.abi: the built libnetref.so.1 keeps the ABI of the baseline.

abi/libnetref.abi is an abidw dump of the library as last released (or as
last accepted on purpose with `make abi-update`). This script dumps the
freshly built library with the same options and compares the two dumps
with abidiff:

- functions added to the header are compatible: the check passes and
  names them (record them with `make abi-update`);
- a removed function (abidiff bit 8, ABIDIFF_ABI_INCOMPATIBLE_CHANGE) or a
  changed one (bit 4, ABIDIFF_ABI_CHANGE, left after added functions are
  filtered out with --no-added-syms: a parameter, return or callback type,
  a public struct) fails: it breaks programs linked against
  libnetref.so.1. Either undo it, or, when the break is deliberate (a
  decision for the release: README.md, "ABI baseline"), run
  `make abi-update` and commit the new baseline with the change.

Both sides are dumped with the same options, so the comparison does not
depend on where the tree is: the architecture, the DT_NEEDED list, source
locations, the compilation directory and the tree's own path are left
out, type ids are hashes (stable when an unrelated type is added), and
only the types of the public header are kept (the layout of the opaque
structs is private).

usage: check_abi.py check|update LIBRARY HEADERS_DIR BASELINE SOURCE_DIR
  check   compare LIBRARY with BASELINE (exit 0 when compatible; 77, which
          ctest reports as skipped, when LIBRARY has no debug info)
  update  write BASELINE from LIBRARY
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77  # ctest SKIP_RETURN_CODE

ABIDW_OPTIONS = [
    "--no-corpus-path", "--no-comp-dir-path", "--no-show-locs",
    "--no-architecture", "--no-elf-needed", "--drop-undefined-syms",
    "--type-id-style", "hash", "--drop-private-types",
]

ABIDIFF_ERROR = 1
ABIDIFF_ABI_CHANGE = 4
ABIDIFF_ABI_INCOMPATIBLE_CHANGE = 8


def tool(name):
    path = shutil.which(name)
    if not path:
        sys.exit(f"FAIL: {name} not found: install abigail-tools (make deps)")
    return path


def has_debug_info(library):
    p = subprocess.run(["readelf", "-S", "-W", library], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: readelf -S {library}:\n{p.stderr}")
    return ".debug_info" in p.stdout


def dump(library, headers_dir, source_dir, out_path):
    """abidw LIBRARY > out_path, with the tree's own path made relative."""
    cmd = [tool("abidw"), *ABIDW_OPTIONS, "--headers-dir", headers_dir,
           "--out-file", out_path, library]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {p.returncode}:\n{p.stdout}")
    with open(out_path, encoding="utf-8") as f:
        text = f.read()
    # Translation units are named by the absolute path the compiler was
    # given (DW_AT_name); the baseline must not depend on the checkout.
    prefix = os.path.realpath(source_dir).rstrip("/") + "/"
    text = text.replace(f"path='{prefix}", "path='")
    left = sorted(set(re.findall(r"path='(/[^']*)'", text)))
    if left:
        sys.exit("FAIL: absolute paths left in the dump (outside "
                 f"{prefix}): {', '.join(left)}")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)


def abidiff(baseline, current, *options):
    cmd = [tool("abidiff"), *options, baseline, current]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    if p.returncode & ABIDIFF_ERROR:
        sys.exit(f"FAIL: {' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}")
    return p.returncode, p.stdout


def check(library, baseline, current):
    if not os.path.exists(baseline):
        print(f"FAIL: no baseline {baseline}: run `make abi-update`")
        return 1
    status, report = abidiff(baseline, current, "--no-added-syms")
    if status == 0:
        status_all, report_all = abidiff(baseline, current)
        if status_all != 0:
            print(report_all)
            print(f"ok: {library} only adds functions to {baseline} "
                  "(compatible); record them with `make abi-update`")
        else:
            print(f"ok: {library} has the ABI of {baseline}")
        return 0
    print(report)
    if status & ABIDIFF_ABI_INCOMPATIBLE_CHANGE:
        what = "removes functions (incompatible)"
    else:
        what = "changes functions or their types (incompatible for callers)"
    print(f"FAIL: {library} {what} compared with {baseline}.\n"
          "Programs linked against libnetref.so.1 would break. If this is "
          "on purpose, run `make abi-update` and commit the new baseline "
          "(see README.md, \"ABI baseline\").")
    return 1


def main():
    if len(sys.argv) != 6 or sys.argv[1] not in ("check", "update"):
        sys.exit(__doc__)
    mode, library, headers_dir, baseline, source_dir = sys.argv[1:]
    if not has_debug_info(library):
        message = (f"{library} has no debug info; the ABI needs a build "
                   "with -g (CMAKE_BUILD_TYPE RelWithDebInfo or Debug)")
        if mode == "update":
            sys.exit(f"FAIL: {message}")
        print(f"skipped: {message}")
        return SKIP
    if mode == "update":
        os.makedirs(os.path.dirname(os.path.abspath(baseline)), exist_ok=True)
        dump(library, headers_dir, source_dir, baseline)
        print(f"wrote {baseline} from {library}")
        return 0
    with tempfile.TemporaryDirectory() as work:
        current = os.path.join(work, "current.abi")
        dump(library, headers_dir, source_dir, current)
        return check(library, baseline, current)


if __name__ == "__main__":
    sys.exit(main())
