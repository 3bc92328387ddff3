"""A packager's plain `cmake` configure (no NETREF_WERROR) must not turn
warnings into errors: a newer compiler's new warning would stop the build
(issue 9, point 10). With -DNETREF_WERROR=ON (make, make test, CI) it
must.

Usage: check_plain_build.py CMAKE SOURCE_DIR WORK_DIR
"""

import os
import re
import shutil
import subprocess
import sys


def compile_flags(cmake, source, build, *options):
    shutil.rmtree(build, ignore_errors=True)
    subprocess.run([cmake, "-S", source, "-B", build,
                    "-DCMAKE_BUILD_TYPE=Release", "-DNETREF_TESTS=OFF",
                    "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", *options],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(build, "compile_commands.json")) as f:
        text = f.read()
    commands = re.findall(r'"command": "([^"]*)"', text)
    if not commands:
        sys.exit(f"no compile commands in {build}")
    return commands


def main():
    cmake, source, work = sys.argv[1:4]
    plain = compile_flags(cmake, source, os.path.join(work, "plain"))
    bad = [c for c in plain if "-Werror" in c.split()]
    if bad:
        sys.exit("a plain cmake build compiles with -Werror:\n" + bad[0])
    strict = compile_flags(cmake, source, os.path.join(work, "strict"),
                           "-DNETREF_WERROR=ON")
    if not all("-Werror" in c.split() for c in strict):
        sys.exit("-DNETREF_WERROR=ON does not turn warnings into errors")
    print(f"plain build: {len(plain)} compile commands without -Werror; "
          f"NETREF_WERROR=ON: all {len(strict)} with it")


if __name__ == "__main__":
    main()
