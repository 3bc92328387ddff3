#!/usr/bin/env python3
"""Crash test of `netref import` (issue 9, point 1).

A database holding the networking-evening example (the before-state)
receives an import of a generated network big enough that the import
takes about a second. At least NETREF_CRASH_TRIALS (default 20) times the
import is started on a fresh copy of the before-state and killed with
SIGKILL at a random moment (seeded: NETREF_CRASH_SEED replays a run).
After each kill:
  (a) netref opens the file and answers: the CLI's read-only commands on
      the file itself, before anything else has touched it, and the
      Python binding read-write and read-only on raw copies of the
      crashed file set;
  (b) PRAGMA integrity_check is ok;
  (c) the content is exactly the before-state, or exactly the state a
      complete import gives (the kill landed after the commit): never
      partial.

Run directly or through ctest (`ctest -L reliability`):
    NETREF_CLI=build/examples/netref PYTHONPATH=bindings/python \\
        python3 tests/reliability/test_crash_import.py -v
"""
import os
import random
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

TRIALS = h.env_number("NETREF_CRASH_TRIALS", 20, int)
PEOPLE = h.env_number("NETREF_CRASH_PEOPLE", 10000, int)


class ImportFixture:
    """The generated CSVs, the before-state file and a file of the state
    a complete import gives, made once per test program."""

    def __init__(self, work, people=PEOPLE):
        self.work = work
        self.csv = h.generate_network(os.path.join(work, "csv"), people,
                                      ties_per_person=10, seed=7)
        self.base = h.make_example_db(os.path.join(work, "before.db"))
        self.mode = h.journal_mode(self.base)
        # A complete import: the after-state, and how long one takes.
        # Also when it starts writing pages: the commit (unless the cache
        # spills), the window where a kill hurts most.
        full = os.path.join(work, "after.db")
        h.copy_db(self.base, full)
        start = h.now()
        proc = self.start_import(full)
        writes = h.wait_for_writes(proc, full)
        if proc.wait() != 0:
            raise RuntimeError("the full import failed (exit %d)"
                               % proc.returncode)
        self.seconds = h.now() - start
        self.write_seconds = self.seconds - (writes or 0.0)
        self.after = full
        self.allowed = [("before", self.base), ("after", self.after)]

    def start_import(self, path, env=None):
        """`netref import` of the generated CSVs into path, running."""
        return subprocess.Popen(
            [h.CLI] + h.import_args(self.csv) + ["--db", path],
            env=env if env is not None else h.BASE_ENV,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)


def kill_moment(rng, proc, path, fx, trial):
    """When to kill the import, in seconds from now. Even trials: any
    moment from its start to a little past its usual end. Odd trials:
    once it starts writing pages, any moment of the usual writing time
    and a little past it (a uniform choice over the whole run would
    rarely land there). None when the import ended before it wrote
    anything."""
    if trial % 2 == 0:
        return rng.uniform(0.0, 1.1 * fx.seconds)
    if h.wait_for_writes(proc, path) is None:
        return None
    return rng.uniform(0.0, 1.5 * fx.write_seconds)


class CrashImport(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls._tmp = h.tmpdir("netref-crash-import-")
        cls.fx = ImportFixture(cls._tmp.name)
        h.log("import of %d people over the example: %.2f s (the last %.3f s "
              "writing pages), journal mode %s; before %s; after %s" % (
                  PEOPLE, cls.fx.seconds, cls.fx.write_seconds, cls.fx.mode,
                  h.summary(cls.fx.base), h.summary(cls.fx.after)))

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def test_states_differ(self):
        # Otherwise (c) could not tell a partial import from none.
        self.assertNotEqual(h.compare(self.fx.base, self.fx.after), "")
        self.assertEqual(h.integrity(self.fx.base), "ok")

    def test_sigkill_at_random_moments(self):
        rng = random.Random(h.seed_from_env("NETREF_CRASH_SEED"))
        fx, work = self.fx, self._tmp.name
        path = os.path.join(work, "trial.db")
        killed = finished = killed_failed = 0
        found = {"before": 0, "after": 0}
        failures = []
        while killed < TRIALS and killed + finished < 3 * TRIALS:
            h.copy_db(fx.base, path)
            proc = fx.start_import(path)
            delay = kill_moment(rng, proc, path, fx, killed + finished)
            was_killed = h.kill_after(proc, delay) if delay is not None \
                else False
            if was_killed:
                killed += 1
            else:
                finished += 1
            hot = h.side_files(path)
            label, problems = h.check_crashed(path, fx.allowed, work)
            if label:
                found[label] += 1
            if problems:
                killed_failed += was_killed
                failures.append("trial %d (kill after %.3f s, side files %s):"
                                "\n  %s" % (killed + finished, delay, hot,
                                            "\n  ".join(problems)))
            h.remove_db(path)
        h.log("crash trials (import): %d killed, %d survived, %d failed; "
              "%d imports finished before their kill; states found: "
              "before %d, after %d" % (killed, killed - killed_failed,
                                       killed_failed, finished,
                                       found["before"], found["after"]))
        if failures:
            self.fail("%d trials failed, the first ones:\n%s"
                      % (len(failures), "\n".join(failures[:5])))
        self.assertGreaterEqual(killed, TRIALS,
                                "too few imports were still running when "
                                "killed")


if __name__ == "__main__":
    unittest.main(verbosity=2)
