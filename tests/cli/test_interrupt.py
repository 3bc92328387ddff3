"""Ctrl-C during `netref import`: the import rolls back, the file is
exactly as before, and the exit status is 130 (issue 9, point 11); during
`netref export`: nothing is written, an existing target is kept.

Run by ctest (environment NETREF_CLI).
"""

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

CLI = os.environ.get("NETREF_CLI", "netref")


def run(*args):
    return subprocess.run([CLI, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120)


def content(path):
    """Every row of every netref table, sorted: the file's content."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"')))
                for t in tables}
    finally:
        con.close()


class InterruptImport(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="netref-sigint-")
        self.tmp = self._tmp.name
        self.db = os.path.join(self.tmp, "net.db")
        self.people = os.path.join(self.tmp, "people.csv")
        self.ties = os.path.join(self.tmp, "ties.csv")
        n = 300000
        with open(self.people, "w") as f:
            f.write("key,name\n")
            f.writelines(f"p{i},Person {i}\n" for i in range(n))
        with open(self.ties, "w") as f:
            f.write("a,b,strength\n")
            f.writelines(f"p{i},p{(i * 7919 + 1) % n},0.5\n"
                         for i in range(n) if (i * 7919 + 1) % n != i)
        self.assertEqual(run("init", "--db", self.db).returncode, 0)
        self.assertEqual(run("person", "add", "before", "Before",
                             "--db", self.db).returncode, 0)

    def tearDown(self):
        self._tmp.cleanup()

    def interrupt_after(self, delay, sig):
        before = content(self.db)
        child = subprocess.Popen(
            [CLI, "import", "--people", self.people, "--ties", self.ties,
             "--db", self.db],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        child.send_signal(sig)
        out, err = child.communicate(timeout=120)
        if child.returncode in (0, -sig):
            # Finished before the signal came, or the signal came before
            # the program could catch it: either way, never half an
            # import.
            self.assertEqual(run("check", "--db", self.db).returncode, 0)
            if child.returncode == -sig:
                self.assertEqual(content(self.db), before)
            return False
        self.assertEqual(child.returncode, 130, err)
        self.assertIn("nothing was imported", err)
        self.assertEqual(content(self.db), before)
        r = run("check", "--db", self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        return True

    def test_sigint_rolls_back(self):
        stopped = sum(self.interrupt_after(d, signal.SIGINT)
                      for d in (0.3, 0.6, 0.9))
        # Most of these land while the import runs (it takes seconds).
        self.assertGreaterEqual(stopped, 2)

    def test_sigterm_rolls_back(self):
        self.assertTrue(self.interrupt_after(0.5, signal.SIGTERM))


class InterruptExport(unittest.TestCase):
    """Ctrl-C during `netref export`: exit 130, and neither the target
    nor a temporary file is left (an existing target is kept)."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="netref-sigint-exp-")
        cls.tmp = cls._tmp.name
        cls.db = os.path.join(cls.tmp, "net.db")
        people = os.path.join(cls.tmp, "people.csv")
        ties = os.path.join(cls.tmp, "ties.csv")
        n = 300000
        with open(people, "w") as f:
            f.write("key,name\n")
            f.writelines(f"p{i},Person {i}\n" for i in range(n))
        with open(ties, "w") as f:
            f.write("a,b,strength\n")
            f.writelines(f"p{i},p{(i * 7919 + 1) % n},0.5\n"
                         for i in range(n) if (i * 7919 + 1) % n != i)
        r = run("import", "--people", people, "--ties", ties, "--db", cls.db)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def interrupt_after(self, fmt, delay, sig):
        out = tempfile.mkdtemp(dir=self.tmp)
        target = os.path.join(out, "net." + fmt)
        with open(target, "w") as f:
            f.write("old")
        child = subprocess.Popen(
            [CLI, "export", "--format", fmt, "-o", target, "--db", self.db],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        child.send_signal(sig)
        _, err = child.communicate(timeout=120)
        if child.returncode == 0:
            return False  # finished first: a whole file, no leftovers
        self.assertEqual(os.listdir(out), ["net." + fmt])
        with open(target) as f:
            self.assertEqual(f.read(), "old")
        if child.returncode == -sig:
            return False  # the signal came before the handler
        self.assertEqual(child.returncode, 130, err)
        self.assertIn("export interrupted; nothing was written", err)
        return True

    def test_sigint_leaves_nothing(self):
        stopped = sum(self.interrupt_after("graphml", d, signal.SIGINT)
                      for d in (0.2, 0.4, 0.6))
        self.assertGreaterEqual(stopped, 2)

    def test_sigterm_leaves_nothing(self):
        self.assertTrue(self.interrupt_after("json", 0.3, signal.SIGTERM))


if __name__ == "__main__":
    sys.exit(unittest.main())
