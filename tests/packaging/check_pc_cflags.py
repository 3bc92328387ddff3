"""`pkg-config --cflags netref` gives the include directory and nothing
else: no define leaking from a dependency's .pc file (Debian's
libutf8proc.pc carries -DUTF8PROC_EXPORTS), since netref.h includes no
dependency's header.

Usage: check_pc_cflags.py DIR_WITH_NETREF_PC
"""

import os
import subprocess
import sys


def main():
    env = dict(os.environ, PKG_CONFIG_PATH=sys.argv[1])
    for args in (["--cflags"], ["--cflags", "--static"]):
        out = subprocess.run(["pkg-config", *args, "netref"], env=env,
                             check=True, capture_output=True,
                             text=True).stdout.split()
        stray = [f for f in out if not f.startswith("-I")]
        if stray:
            sys.exit(f"pkg-config {' '.join(args)} netref: stray flags "
                     f"{stray}")
    libs = subprocess.run(["pkg-config", "--libs", "--static", "netref"],
                          env=env, check=True, capture_output=True,
                          text=True).stdout.split()
    for lib in ("-lnetref", "-lsqlite3", "-lutf8proc", "-lcsv", "-ligraph"):
        if lib not in libs:
            sys.exit(f"pkg-config --libs --static netref lacks {lib}: {libs}")
    print("cflags:", " ".join(out), "| static libs:", " ".join(libs))


if __name__ == "__main__":
    main()
