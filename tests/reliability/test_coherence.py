#!/usr/bin/env python3
"""Coherence across processes (issue 9, point 3: a long-lived handle
answers from stale data).

A writer process (this file run with --writer, on the Python binding)
commits changes one at a time: people, ties (new ones, and the strength
of a tie near the source), needs, offers, tag aliases, group members,
removals. After every commit, signalled through a pipe, the test process
asks the same queries of two handles it opened before the first change
and kept open (one read-write, one read-only) and of a fresh handle; the
answers must be equal every time. The number of comparisons is printed,
and how often the fresh answers changed (so that equality is not the
equality of answers that never move).

    NETREF_COHERENCE_CHANGES  how many commits (default 60)
"""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

CHANGES = h.env_number("NETREF_COHERENCE_CHANGES", 60, int)
TAG = "party planning"


def change(net, n):
    """Commit change n (from 0) through the handle net. Cycle c works on
    its own new person c<c>; each change moves some query's answer."""
    cycle, kind = divmod(n, 8)
    key = "c%04d" % cycle
    strength = round(0.1 + (n % 9) / 10.0, 2)
    if kind == 0:
        net.person_add(key, "Coherent %d" % cycle)
    elif kind == 1:
        net.tie_set(key, "priya", strength=strength)
    elif kind == 2:
        net.need_add(key, TAG, weight=strength)
    elif kind == 3:
        net.tie_set("me", "priya", strength=strength)
    elif kind == 4:
        net.offer_add(key, TAG, note="change %d" % n)
    elif kind == 5:
        net.tag_relate("soiree %d" % cycle, "alias", TAG)
    elif kind == 6:
        net.group_join("nov-evening", key)
    elif cycle % 2:
        net.person_remove(key)
    else:
        # Found only through the alias: the taxonomy cache must move too.
        net.need_add(key, "soiree %d" % cycle, weight=1.0)


def writer(db):
    """The writer process: one change per line read, then "committed N"."""
    import netref
    net = netref.open(db, create=False)
    n = 0
    for _ in sys.stdin:
        change(net, n)
        print("committed %d" % n, flush=True)
        n += 1
    net.close()


QUERIES = {
    "prospects": lambda net: net.prospects("me", TAG, hops=3),
    "providers": lambda net: net.providers("me", TAG, hops=3),
    "prospects in a group": lambda net: net.prospects(
        "me", TAG, hops=3, group="nov-evening"),
    "ask_first": lambda net: net.ask_first("me", TAG, hops=3),
    "tag_expand": lambda net: net.tag_expand(TAG),
    "tie_list": lambda net: net.tie_list("me"),
    "person_list": lambda net: net.person_list(),
    "group_members": lambda net: net.group_members("nov-evening"),
}


def answers(net):
    return {name: q(net) for name, q in QUERIES.items()}


class Coherence(unittest.TestCase):

    def setUp(self):
        self._tmp = h.tmpdir("netref-coherence-")
        self.db = h.make_example_db(os.path.join(self._tmp.name, "net.db"))

    def tearDown(self):
        self._tmp.cleanup()

    def test_long_lived_handles_see_every_commit(self):
        import netref
        proc = subprocess.Popen([h.PYTHON, os.path.abspath(__file__),
                                 "--writer", self.db], env=h.python_env(),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                universal_newlines=True)
        long_lived = {"read-write": netref.open(self.db, create=False),
                      "read-only": netref.open(self.db, create=False,
                                               readonly=True)}
        comparisons, stale, moved = 0, [], 0
        try:
            previous = answers(long_lived["read-write"])  # builds the index
            answers(long_lived["read-only"])
            for n in range(CHANGES):
                proc.stdin.write("go\n")
                proc.stdin.flush()
                line = proc.stdout.readline().strip()
                self.assertEqual(line, "committed %d" % n,
                                 "the writer stopped")
                fresh_net = netref.open(self.db, create=False, readonly=True)
                try:
                    fresh = answers(fresh_net)
                finally:
                    fresh_net.close()
                moved += fresh != previous
                previous = fresh
                for who, net in long_lived.items():
                    got = answers(net)
                    for name in QUERIES:
                        comparisons += 1
                        if got[name] != fresh[name]:
                            stale.append("after change %d, %s handle, %s"
                                         % (n, who, name))
        finally:
            proc.communicate()
            for net in long_lived.values():
                net.close()
        h.log("coherence: %d commits by another process, %d comparisons of "
              "a long-lived handle with a fresh one, %d stale answers; the "
              "fresh answers moved after %d commits" % (
                  CHANGES, comparisons, len(stale), moved))
        self.assertEqual(proc.returncode, 0)
        self.assertGreaterEqual(moved, CHANGES // 2,
                                "the changes hardly move the answers")
        if stale:
            self.fail("%d stale answers, the first ones:\n%s"
                      % (len(stale), "\n".join(stale[:10])))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--writer"]:
        writer(sys.argv[2])
    else:
        unittest.main(verbosity=2)
