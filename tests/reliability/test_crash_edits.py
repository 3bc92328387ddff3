#!/usr/bin/env python3
"""Crash test of a loop of edits (issue 9, point 1).

edit_loop (a C program on the public API) applies a deterministic
sequence of edits to the networking-evening example (person add, tie
set, need add, offer add, attribute, tag relation, group join, contact,
introduction, cadence or a cascading person removal), one transaction
each, and prints "ack N" after each one returns. At least
NETREF_CRASH_TRIALS (default 20) times it runs on a fresh copy of the
example and is killed with SIGKILL at a random moment (seeded:
NETREF_CRASH_SEED). After each kill netref opens the file (CLI read-only
first, then the binding read-write and read-only on raw copies),
integrity_check is ok and the content is exactly the example plus the
acknowledged edits, or plus one more (the edit in flight).

The reference states come from one run in step mode that takes a copy
of the file after every edit.
"""
import os
import random
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

TRIALS = h.env_number("NETREF_CRASH_TRIALS", 20, int)
EDITS = h.env_number("NETREF_CRASH_EDITS", 40, int)


class CrashEdits(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls._tmp = h.tmpdir("netref-crash-edits-")
        work = cls._tmp.name
        cls.states = h.EditStates(work, EDITS)
        # How long the whole loop takes without a kill.
        path = os.path.join(work, "timing.db")
        h.copy_db(cls.states.base, path)
        start = h.now()
        proc = h.start_edit_loop(path, count=EDITS)
        last, err = h.acked(proc)
        cls.seconds = h.now() - start
        if proc.returncode != 0 or last != EDITS:
            raise RuntimeError("edit_loop failed: " + err)
        h.remove_db(path)
        h.log("%d edits: %.2f s, journal mode %s" % (
            EDITS, cls.seconds, h.journal_mode(cls.states.base)))

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def test_reference_states_differ(self):
        # Each edit changes the file, so a lost edit cannot go unseen.
        files = self.states.files
        for i in range(1, len(files)):
            self.assertNotEqual(h.compare(files[i], files[i - 1]), "",
                                "edit %d changed nothing" % i)

    def test_checks_catch_damage(self):
        # The checks must be able to fail: a lost acknowledged edit, a
        # partial edit and a damaged page are each reported.
        work, files = self._tmp.name, self.states.files
        path = os.path.join(work, "damaged.db")
        h.copy_db(files[4], path)
        label, problems = h.check_crashed(path, self.states.allowed(5), work)
        self.assertIsNone(label)
        self.assertIn("no allowed state", " ".join(problems))
        # Edit 6 (a tag relation) in flight, but edit 3 (a need) undone.
        h.copy_db(files[6], path)
        con = h.sqlite3.connect(path)
        con.execute("DELETE FROM need WHERE person = "
                    "(SELECT id FROM person WHERE key = 'e00000')")
        con.commit()
        con.close()
        label, problems = h.check_crashed(path, self.states.allowed(5), work)
        self.assertIsNone(label)
        self.assertIn("vs after edit 6 (in flight): need: 20 rows, want 21",
                      " ".join(problems))
        h.copy_db(files[6], path)
        page = h.page_size(path)
        with open(path, "r+b") as f:  # the header of every page but 1
            for offset in range(page, os.path.getsize(path), page):
                f.seek(offset)
                f.write(b"\xff" * 16)
        label, problems = h.check_crashed(path, self.states.allowed(5), work)
        self.assertTrue(problems)
        h.remove_db(path)

    def test_sigkill_at_random_moments(self):
        rng = random.Random(h.seed_from_env("NETREF_CRASH_SEED"))
        work = self._tmp.name
        path = os.path.join(work, "trial.db")
        killed = finished = killed_failed = 0
        acks, failures = [], []
        while killed < TRIALS and killed + finished < 3 * TRIALS:
            h.copy_db(self.states.base, path)
            delay = rng.uniform(0.0, 1.05 * self.seconds)
            proc = h.start_edit_loop(path, count=EDITS)
            was_killed = h.kill_after(proc, delay)
            killed += was_killed
            finished += not was_killed
            last, err = h.acked(proc)
            acks.append(last)
            if not was_killed and proc.returncode != 0:
                failures.append("edit_loop failed unkilled: " + err)
            hot = h.side_files(path)
            label, problems = h.check_crashed(path, self.states.allowed(last),
                                              work)
            if problems:
                killed_failed += was_killed
                failures.append("trial %d (kill after %.3f s, %d edits "
                                "acknowledged, side files %s):\n  %s" % (
                                    killed + finished, delay, last, hot,
                                    "\n  ".join(problems)))
            elif was_killed and label and "in flight" in label:
                acks[-1] = "%d+1" % last
            h.remove_db(path)
        h.log("crash trials (edits): %d killed, %d survived, %d failed; %d "
              "loops finished before their kill; edits acknowledged at the "
              "kills (+1: the edit in flight had committed): %s" % (
                  killed, killed - killed_failed, killed_failed, finished,
                  " ".join(map(str, acks))))
        if failures:
            self.fail("%d trials failed, the first ones:\n%s"
                      % (len(failures), "\n".join(failures[:5])))
        self.assertGreaterEqual(killed, TRIALS)


if __name__ == "__main__":
    unittest.main(verbosity=2)
