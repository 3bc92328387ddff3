#!/usr/bin/env python3
"""Soak test (issue 9, point 4: readers never wait for writers).

Four readers and two writers work on one file for NETREF_SOAK_SECONDS
(default 20) seconds, all separate processes (soak_worker.py):
  - 2 CLI readers: `prospects`, `providers`, `person show`, `tie list`,
    each run opening the file anew (read-only);
  - 2 binding readers: one handle each (one read-only, one read-write)
    kept open, running the same queries;
  - 1 CLI writer and 1 binding writer: each adds people, ties and needs
    one commit at a time and records every acknowledged write; the
    binding writer is the busy one (at most 2 ms between two commits,
    the CLI writer up to 10 ms; see soak_worker.py).
At the end: zero failed reads, zero failed writes, every acknowledged
write is in the file (read back through a fresh handle), and
PRAGMA integrity_check is ok. The figures are printed.

Also: readers (the CLI, and a binding handle opened before) answer, from
the last committed state, while a writer holds the write lock of its
commit, instead of failing with "database is locked".

NETREF_SOAK_JOURNAL_MODE=WAL (or DELETE) sets a journal mode on the file
before the run, to compare modes.
"""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

SECONDS = h.env_number("NETREF_SOAK_SECONDS", 20.0)
PEOPLE = h.env_number("NETREF_SOAK_PEOPLE", 2000, int)
WORKER = os.path.join(h.HERE, "soak_worker.py")


class Soak(unittest.TestCase):

    def setUp(self):
        self._tmp = h.tmpdir("netref-soak-")
        self.work = self._tmp.name
        self.db = h.make_example_db(os.path.join(self.work, "soak.db"))
        csv = h.generate_network(os.path.join(self.work, "csv"), PEOPLE,
                                 seed=3)
        res = h.cli(h.import_args(csv), self.db)
        self.assertEqual(res.returncode, 0, res.stderr)
        # To try another mode than the one netref gives its files.
        mode = os.environ.get("NETREF_SOAK_JOURNAL_MODE")
        if mode:
            h.set_journal_mode(self.db, mode)

    def tearDown(self):
        self._tmp.cleanup()

    def start(self, role, seed, *extra):
        return subprocess.Popen(
            [h.PYTHON, WORKER, "--role", role, "--db", self.db,
             "--seconds", str(SECONDS), "--seed", str(seed),
             "--people", str(PEOPLE)] + list(extra),
            env=h.python_env(), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            universal_newlines=True)

    def collect(self, procs):
        reports = []
        for name, proc in procs:
            out, err = proc.communicate(timeout=SECONDS + 120)
            lines = out.strip().splitlines()
            self.assertTrue(lines, "%s printed no report (exit %d): %s"
                            % (name, proc.returncode, err))
            report = json.loads(lines[-1])
            report["name"] = name
            reports.append(report)
        return reports

    def missing_writes(self, acked):
        """The acknowledged writes the file does not hold, read through a
        fresh handle of the binding."""
        import netref
        net = netref.open(self.db, create=False, readonly=True)
        missing = []
        try:
            for write in acked:
                kind = write[0]
                try:
                    if kind == "person":
                        ok = net.person_get(write[1]).name == write[2]
                    elif kind == "tie":
                        ok = net.tie_get(write[1], write[2]).strength == \
                            write[3]
                    else:
                        ok = any(n.tag == write[2] and n.weight == write[3]
                                 for n in net.need_list(write[1]))
                except netref.NotFound:
                    ok = False
                if not ok:
                    missing.append(write)
        finally:
            net.close()
        return missing

    def test_reader_beside_a_writer_in_its_commit(self):
        # A writer holds the file's write lock as long as it commits (all
        # of a long import's commit; from the first cache spill on, in
        # rollback mode). Python's sqlite3 plays that writer here, with
        # an uncommitted row, and keeps its lock until the readers are
        # done: they must answer meanwhile, from the last committed
        # state, instead of waiting out a busy timeout and failing.
        import netref
        early = netref.open(self.db, create=False, readonly=True)
        writer = h.sqlite3.connect(self.db, timeout=0, isolation_level=None)
        try:
            writer.execute("BEGIN EXCLUSIVE")
            writer.execute("INSERT INTO person(key, name) "
                           "VALUES ('uncommitted', 'U')")
            res = h.cli(["person", "list", "--json"], self.db)
            try:
                early_keys = {p.key for p in early.person_list()}
                early.prospects("me", "party planning", hops=3)
                early_error = None
            except netref.Error as e:
                early_keys, early_error = set(), str(e)
        finally:
            writer.execute("COMMIT")
            writer.close()
            early.close()
        self.assertEqual(res.returncode, 0, "a CLI read while a writer "
                         "commits: " + res.stderr.strip())
        keys = {p["key"] for p in json.loads(res.stdout)["people"]}
        self.assertIn("me", keys)
        self.assertNotIn("uncommitted", keys)
        self.assertIsNone(early_error, "a handle opened before, read while "
                          "a writer commits")
        self.assertIn("me", early_keys)
        self.assertNotIn("uncommitted", early_keys)
        # Once committed, the row is there for a new reader.
        res = h.cli(["person", "show", "uncommitted", "--json"], self.db)
        self.assertEqual(res.returncode, 0, res.stderr)

    def test_readers_and_writers(self):
        seed = h.seed_from_env("NETREF_SOAK_SEED")
        procs = [
            ("reader-cli-1", self.start("reader-cli", seed + 1)),
            ("reader-cli-2", self.start("reader-cli", seed + 2)),
            ("reader-binding-ro", self.start("reader-binding", seed + 3,
                                             "--readonly")),
            ("reader-binding-rw", self.start("reader-binding", seed + 4)),
            ("writer-cli", self.start("writer-cli", seed + 5, "--name",
                                      "wcli")),
            ("writer-binding", self.start("writer-binding", seed + 6,
                                          "--name", "wbind", "--pause",
                                          "0.002")),
        ]
        reports = self.collect(procs)
        readers = [r for r in reports if r["role"].startswith("reader")]
        writers = [r for r in reports if r["role"].startswith("writer")]
        acked = [w for r in writers for w in r["acked"]]
        missing = self.missing_writes(acked)
        ic = h.integrity(self.db)
        reads = sum(r["ops"] for r in readers)
        failed_reads = sum(r["failed"] for r in readers)
        failed_writes = sum(r["failed"] for r in writers)
        h.log("soak: %.0f s, journal mode %s: reads %d, failed reads %d; "
              "writes %d acknowledged, failed writes %d, lost writes %d; "
              "integrity_check %s" % (
                  SECONDS, h.journal_mode(self.db), reads, failed_reads,
                  len(acked), failed_writes, len(missing), ic))
        for r in reports:
            h.log("  %-18s %6d ops, %d failed, longest %.3f s%s" % (
                r["name"], r["ops"], r["failed"], r["longest"],
                "".join("\n      " + m for m in r["failures"][:3])))
        self.assertGreater(reads, 0)
        self.assertGreater(len(acked), 0)
        self.assertEqual(failed_reads, 0, "failed reads")
        self.assertEqual(failed_writes, 0, "failed writes")
        self.assertEqual(missing, [], "acknowledged writes not in the file")
        self.assertEqual(ic, "ok")


if __name__ == "__main__":
    unittest.main(verbosity=2)
