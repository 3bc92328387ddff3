#!/usr/bin/env python3
"""The persisted index (FILE-index, lib/snapshot.c) across processes.

SnapshotCoherence: `netref` query processes write the snapshot (they are
read-only handles); then another process changes the network (the CLI, a
long-lived binding handle, Python's sqlite3 as a foreign program that
follows the documented rule); every later query process must answer as
one that builds its index (NETREF_SNAPSHOT=0), never from the stale
snapshot, and a long-lived handle that mapped it sees the change too.

SnapshotKill: a query process that writes the snapshot is killed right
after each fsync in turn (the killshim), and at random moments; what it
leaves is never a half-written FILE-index (a present one is whole, and
every later process answers right), and no temporary file holds the
network's keys.
"""
import json
import os
import random
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

PEOPLE = h.env_number("NETREF_SNAPSHOT_PEOPLE", 1500, int)
QUERIES = (
    ("prospects", "--from", "g000001", "--tag", "party planning", "--hops",
     "3", "--json"),
    ("providers", "--from", "g000002", "--tag", "catering", "--hops", "2",
     "--json"),
    ("path", "--from", "g000003", "--to", "g000400", "--json"),
    ("matches", "--from", "g000004", "--hops", "2", "--json"),
)
HEADER_SIZE = 144  # struct nr_snap_header (lib/snapshot.h)


def env(mode):
    e = dict(h.BASE_ENV)
    if mode is None:
        e.pop("NETREF_SNAPSHOT", None)
    else:
        e["NETREF_SNAPSHOT"] = mode
    return e


def answers(db, mode):
    out = []
    for q in QUERIES:
        res = h.cli(q, db, env=env(mode))
        if res.returncode != 0:
            raise AssertionError("%s: %s" % (" ".join(q), res.stderr))
        out.append(json.loads(res.stdout))
    return out


def make_db(tmp):
    db = os.path.join(tmp, "net.db")
    csv = h.generate_network(os.path.join(tmp, "csv"), PEOPLE, seed=11)
    res = h.cli(h.import_args(csv), db)
    if res.returncode != 0:
        raise RuntimeError("import: " + res.stderr)
    return db


def sidecar_whole(db):
    """Whether FILE-index, if present, is as long as its header says."""
    path = db + "-index"
    if not os.path.exists(path):
        return True
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < HEADER_SIZE:
        return False
    # magic 8, 4 x uint32, 4 x int64, then file_size (native order)
    size = int.from_bytes(data[56:64], sys.byteorder)
    return size == len(data)


class SnapshotCoherence(unittest.TestCase):
    def check(self, db):
        """A query process with snapshots on answers as one without."""
        self.assertEqual(answers(db, "always"), answers(db, "0"))

    def test_rebuilt_after_writes_by_other_processes(self):
        with h.tmpdir("netref_snap_") as tmp:
            db = make_db(tmp)
            built = answers(db, "0")
            self.assertFalse(os.path.exists(db + "-index"))
            self.assertEqual(answers(db, "always"), built)
            self.assertTrue(os.path.exists(db + "-index"))
            # A process that maps it answers the same.
            self.assertEqual(answers(db, None), built)
            # A long-lived binding handle that mapped the snapshot.
            reader = subprocess.Popen(
                [h.PYTHON, "-c", READER, db], env=dict(h.python_env(),
                                                      NETREF_SNAPSHOT="1"),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                universal_newlines=True)
            try:
                first = reader.stdout.readline()
                edits = [
                    ("tie", "set", "g000001", "g000900", "--strength", "1"),
                    ("need", "add", "g000900", "party planning"),
                    ("person", "set", "g000400", "--name", "Somebody Else"),
                    ("tie", "remove", "g000001", "g000900"),
                ]
                seen = []
                for edit in edits:
                    res = h.cli(edit, db)
                    self.assertEqual(res.returncode, 0, res.stderr)
                    self.check(db)
                    reader.stdin.write("\n")
                    reader.stdin.flush()
                    seen.append(json.loads(reader.stdout.readline()))
                    self.assertEqual(seen[-1], cli_rows(answers(db, "0")[0]))
                # The edits changed this answer on the way.
                self.assertNotEqual(json.loads(first), seen[1])
            finally:
                reader.stdin.close()
                reader.wait(timeout=60)

    def test_foreign_writer_that_counts(self):
        with h.tmpdir("netref_snap_") as tmp:
            db = make_db(tmp)
            answers(db, "always")
            self.assertTrue(os.path.exists(db + "-index"))
            # What docs/reliability.md asks of a program that writes the
            # file without netref: count the change in its transaction.
            con = sqlite3.connect(db, timeout=30)
            with con:
                con.execute("UPDATE person SET name = 'Foreign'"
                            " WHERE key = 'g000589'")
                con.execute("UPDATE netref_state SET changes = changes + 1,"
                            " stamp = random()")
            con.close()
            self.check(db)
            self.assertIn("Foreign", json.dumps(answers(db, None)))


# A long-lived handle: prints the first query's answer at once, then
# again after each line on stdin.
READER = r"""
import json, sys
import netref
net = netref.open(sys.argv[1], readonly=True)
def answer():
    rows = net.prospects("g000001", "party planning", hops=3)
    return [[r.key, r.hops, r.introducer, list(r.path), r.tag]
            for r in rows]
print(json.dumps(answer()), flush=True)
for line in sys.stdin:
    print(json.dumps(answer()), flush=True)
"""


def cli_rows(answer):
    """The prospects rows of a --json answer as READER prints them."""
    return [[r["key"], r["hops"], r["introducer"], r["path"], r["tag"]]
            for r in answer["results"]]


class SnapshotKill(unittest.TestCase):
    def kill_runs(self, db, extra_env):
        """Run the first query with extra_env; the process may die."""
        e = env("always")
        e.update(extra_env)
        return subprocess.run([h.CLI] + list(QUERIES[0]) + ["--db", db],
                              env=e, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=120)

    def after_kill(self, db, tmp):
        self.assertTrue(sidecar_whole(db), "a half-written FILE-index")
        self.assertEqual(answers(db, None), answers(db, "0"))
        # The next writer removes what a killed one left.
        answers(db, "always")
        for name in os.listdir(tmp):
            self.assertFalse(".tmp" in name and "-index" in name,
                             "a temporary file left: " + name)

    def test_killed_after_each_sync(self):
        with h.tmpdir("netref_snap_") as tmp:
            db = make_db(tmp)
            log = os.path.join(tmp, "syncs.log")
            res = self.kill_runs(db, {"LD_PRELOAD": h.KILLSHIM,
                                      "NETREF_SYNC_LOG": log})
            self.assertEqual(res.returncode, 0, res.stderr)
            with open(log) as f:
                syncs = [line.split(" ", 1)[1].strip() for line in f]
            self.assertTrue(any("-index" in s or s == tmp for s in syncs),
                            syncs)
            for k in range(1, len(syncs) + 1):
                if os.path.exists(db + "-index"):
                    os.unlink(db + "-index")
                res = self.kill_runs(db, {"LD_PRELOAD": h.KILLSHIM,
                                          "NETREF_KILL_AT_SYNC": str(k)})
                self.assertEqual(res.returncode, -9, "sync %d" % k)
                self.after_kill(db, tmp)

    def test_killed_at_random_moments(self):
        seed = h.seed_from_env("NETREF_SNAPSHOT_SEED")
        rng = random.Random(seed)
        with h.tmpdir("netref_snap_") as tmp:
            db = make_db(tmp)
            start = h.now()
            self.kill_runs(db, {})
            span = h.now() - start
            for _ in range(8):
                if os.path.exists(db + "-index"):
                    os.unlink(db + "-index")
                proc = subprocess.Popen(
                    [h.CLI] + list(QUERIES[0]) + ["--db", db],
                    env=env("always"), stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
                h.kill_after(proc, rng.uniform(0, span))
                self.after_kill(db, tmp)


if __name__ == "__main__":
    unittest.main()
