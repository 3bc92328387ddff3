"""Every shell block of README.md runs, in order, as a reader would type
it after `make demo` (issue 10).

The blocks run in one bash session in a fresh directory that holds what
a clone has after `make demo`: `build` (the real build tree) and
`examples` (the real example data), so `$PWD/build/examples` and
`examples/data/...` mean what they mean in the README. Each block must
exit 0 (bash -e -o pipefail). A block that cannot run here (it builds,
installs or rewrites the checkout) is preceded by the HTML comment
`<!-- not run: REASON -->`; the test lists those, and fails on a marker
without a reason.

Run by ctest (environment NETREF_SOURCE_DIR, NETREF_BUILD_DIR).
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.environ.get("NETREF_SOURCE_DIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("NETREF_BUILD_DIR", os.path.join(SOURCE, "build"))

BLOCK = re.compile(r"(?:<!-- not run: ?(?P<why>[^>]*?)-->\s*\n)?"
                   r"```(?:sh|bash)\n(?P<code>.*?)```", re.S)


def blocks():
    with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
        text = f.read()
    for m in BLOCK.finditer(text):
        line = text.count("\n", 0, m.start("code"))
        yield line, m.group("code"), m.group("why")


class ReadmeShellBlocks(unittest.TestCase):
    def test_blocks_run_in_order(self):
        with tempfile.TemporaryDirectory(prefix="netref-readme-") as work:
            os.symlink(os.path.abspath(BUILD), os.path.join(work, "build"))
            os.symlink(os.path.join(os.path.abspath(SOURCE), "examples"),
                       os.path.join(work, "examples"))
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith("NETREF_")}
            env["HOME"] = work
            # 'netref draw' under the sanitizers: Graphviz's one leak
            # (gvconfig, tests/lsan.supp) is matched by name only with
            # full stacks, as in tests/cli/test_draw.py.
            if "ASAN_OPTIONS" in env:
                env["ASAN_OPTIONS"] += ":fast_unwind_on_malloc=0"
            script, ran, skipped = [], 0, []
            for line, code, why in blocks():
                if why is not None:
                    self.assertTrue(why.strip(),
                                    f"README.md:{line}: a 'not run' marker "
                                    "must say why")
                    skipped.append((line, why.strip()))
                    continue
                ran += 1
                script.append(f"echo '>>> README.md:{line}' >&2\n{code}")
            self.assertGreater(ran, 5)
            r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c",
                                "\n".join(script)],
                               cwd=work, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               timeout=300)
            where = [l for l in r.stderr.splitlines()
                     if l.startswith(">>> README.md:")]
            self.assertEqual(r.returncode, 0,
                             f"the block at {where[-1][4:] if where else '?'}"
                             f" failed (exit {r.returncode}):\n"
                             f"{r.stderr[-3000:]}")
            print(f"{ran} blocks ran; not run: " +
                  "; ".join(f"line {l} ({w})" for l, w in skipped))


if __name__ == "__main__":
    sys.exit(unittest.main())
