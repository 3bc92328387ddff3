#!/usr/bin/env python3
"""Kill at every sync point (issue 9, point 1: "a kill between journal
sync and first page write").

The shim killshim (LD_PRELOAD) raises SIGKILL right after the K-th
fsync/fdatasync of the process has returned. A first run counts the sync
points of a piece of work (and names the file each one syncs); then the
work runs again once for every K in 1..count, each time on a fresh copy
of its starting file, and is killed there. In rollback-journal mode this
reaches "journal synced, no page written yet" and "pages written and
synced, journal not yet deleted"; in WAL mode "WAL synced, checkpoint in
progress". The work: `netref import` of a generated network over the
example, and single edits of edit_loop (a tie set and a cascading
person removal), each in the file's own journal mode (as
netref makes it) and once more in the old rollback mode (journal_mode=
DELETE set by Python's sqlite3 first, in case netref keeps such files in
that mode).

After each kill the checks of the crash tests: netref opens the file,
read-only (the CLI's read commands, on the crashed file itself) and
read-write and read-only through the binding (on raw copies); integrity
is ok; the content is the state before or after the work, never
partial. Where a kill leaves a hot rollback journal, the state must be
the one before (the journal is rolled back): read-only opens included,
netref must see the rolled-back state.
"""
import os
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from test_crash_import import ImportFixture  # noqa: E402

PEOPLE = h.env_number("NETREF_SYNC_KILL_PEOPLE", 3000, int)
# Edits of edit_loop killed at every sync: a tie set (the commonest
# edit), and a removal that cascades over ties, needs, offers, groups,
# contacts and introductions (edit 20: see edit_loop.c). Every edit is
# one transaction with the same sync points, so two are enough.
EDITS = (2, 20)
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def hot_journal(path):
    """A rollback journal that SQLite must play back: present, with its
    header (the magic number) written."""
    try:
        with open(path + "-journal", "rb") as f:
            return f.read(8) == JOURNAL_MAGIC
    except FileNotFoundError:
        return False


def shim_env(**extra):
    env = dict(h.BASE_ENV)
    env["LD_PRELOAD"] = h.KILLSHIM
    env.update(extra)
    return env


def read_log(path):
    """[(n, file name)] of the shim's sync log."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [(int(n), "dir" if os.path.isdir(name) else
                 os.path.basename(name)) for n, name in
                (line.rstrip("\n").split(" ", 1) for line in f)]


class SyncKill(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls._tmp = h.tmpdir("netref-sync-kill-")
        work = cls._tmp.name
        cls.fx = ImportFixture(os.path.join(work, "import"), PEOPLE)
        cls.states = h.EditStates(os.path.join(work, "edits"), max(EDITS))
        cls.figures = []

    @classmethod
    def tearDownClass(cls):
        for line in cls.figures:
            h.log(line)
        cls._tmp.cleanup()

    def each_sync(self, what, start, command, allowed, mode):
        """Run command (a list; the file is its last argument) on copies
        of start, killed after each sync point in turn; check each
        crashed file. mode: None for netref's own journal mode, or a
        mode to set with Python's sqlite3 first."""
        work = self._tmp.name
        first = os.path.join(work, "start.db")
        h.copy_db(start, first)
        if mode:
            h.set_journal_mode(first, mode)
        path = os.path.join(work, "trial.db")
        log = os.path.join(work, "sync.log")
        # The counting run: how many sync points, on which files.
        h.copy_db(first, path)
        if os.path.exists(log):
            os.unlink(log)
        res = subprocess.run(command + [path], env=shim_env(
            NETREF_SYNC_LOG=log), stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(res.returncode, 0, res.stderr)
        syncs = read_log(log)
        self.assertTrue(syncs, "%s: no sync seen: is the shim loaded?" % what)
        kept_mode = h.journal_mode(path)
        before_label = allowed[0][0]
        failures, hot_at, states = [], [], []
        for k, synced in syncs:
            h.copy_db(first, path)
            res = subprocess.run(command + [path], env=shim_env(
                NETREF_KILL_AT_SYNC=str(k)), stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            if res.returncode != -signal.SIGKILL:
                failures.append("K=%d: not killed (exit %d): the runs "
                                "differ" % (k, res.returncode))
            hot = hot_journal(path)
            left = h.side_files(path)
            label, problems = h.check_crashed(path, allowed, work)
            if hot:
                hot_at.append(k)
                if label is not None and label != before_label:
                    problems.append("a hot journal was left, yet the "
                                    "state is %s, not %s" % (label,
                                                             before_label))
            states.append("%d:%s%s" % (k, synced, "(hot)" if hot else ""))
            if problems:
                failures.append("K=%d (after the sync of %s; side files "
                                "%s):\n  %s" % (k, synced, left,
                                                "\n  ".join(problems)))
            h.remove_db(path)
        self.figures.append(
            "kill at sync (%s, journal mode %s -> %s): %d sync points "
            "[%s], %d survived, %d failed; hot journal left at K=%s" % (
                what, h.journal_mode(first), kept_mode, len(syncs),
                " ".join(states), len(syncs) - len(failures), len(failures),
                hot_at or "none"))
        if failures:
            self.fail("%s: %d of %d kills failed:\n%s" % (
                what, len(failures), len(syncs), "\n".join(failures[:6])))
        if kept_mode == "delete":
            # Rollback mode kept: the kills must have reached the case
            # the point is about.
            self.assertTrue(hot_at, "%s: no kill left a hot journal" % what)
        return kept_mode

    def import_each_sync(self, mode):
        fx = self.fx
        self.each_sync("import", fx.base,
                       [h.CLI] + h.import_args(fx.csv) + ["--db"],
                       fx.allowed, mode)

    def edits_each_sync(self, mode):
        for i in EDITS:
            with self.subTest(edit=i):
                self.each_sync(
                    "edit %d" % i, self.states.files[i - 1],
                    [h.EDIT_LOOP, "--first", str(i), "--count", str(i)],
                    [("before edit %d" % i, self.states.files[i - 1]),
                     ("after edit %d" % i, self.states.files[i])], mode)

    def test_import_own_mode(self):
        self.import_each_sync(None)

    def test_import_rollback_mode(self):
        self.import_each_sync("DELETE")

    def test_edits_own_mode(self):
        self.edits_each_sync(None)

    def test_edits_rollback_mode(self):
        self.edits_each_sync("DELETE")


if __name__ == "__main__":
    unittest.main(verbosity=2)
