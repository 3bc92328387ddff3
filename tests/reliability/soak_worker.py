#!/usr/bin/env python3
"""One process of the soak test (test_soak.py): a reader or a writer on
one database file for a given time, then one JSON line on stdout:

    {"role": ..., "ops": N, "failed": N, "failures": [first messages],
     "acked": [every acknowledged write], "longest": seconds}

("longest": the longest single read or write, a figure only: how long
readers waited for writers.)

Roles:
  reader-cli      runs the CLI's read commands one after another (each
                  opens the file anew, read-only)
  reader-binding  keeps one binding handle open (--readonly: read-only)
                  and runs queries on it
  writer-cli      commits changes with the CLI's write commands
  writer-binding  keeps one binding handle open and commits changes
Writers pause 0-10 ms (random) between two commits, as a program does
between two things a person asks for: a loop that commits back to back
holds the one write lock nearly all the time, and no busy handler can
then promise the other writer a turn within its timeout.
A write is acknowledged when its command exited 0 or its call returned;
an acknowledged write is recorded as ["person", key, name],
["tie", a, b, strength] or ["need", person, tag, weight].
"""
import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

MAX_MESSAGES = 20


class Worker:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.ops = self.failed = 0
        self.longest = 0.0
        self.failures = []
        self.acked = []
        self.deadline = time.monotonic() + args.seconds

    def fail(self, what, message):
        self.failed += 1
        if len(self.failures) < MAX_MESSAGES:
            self.failures.append("%s: %s" % (what, message.strip()))

    def running(self):
        return time.monotonic() < self.deadline

    def pause(self):
        time.sleep(self.rng.uniform(0.0, self.args.pause))

    def report(self):
        print(json.dumps({"role": self.args.role, "ops": self.ops,
                          "failed": self.failed, "failures": self.failures,
                          "acked": self.acked,
                          "longest": round(self.longest, 3)}), flush=True)

    def timed(self, fn):
        """fn(), counted as one operation, its duration kept if longest."""
        start = time.monotonic()
        try:
            return fn()
        finally:
            self.ops += 1
            self.longest = max(self.longest, time.monotonic() - start)

    # -- what to read and write -------------------------------------------

    def tag(self):
        return self.rng.choice(h.TAGS)

    def generated(self):
        return "g%06d" % self.rng.randrange(self.args.people)

    def next_write(self, n):
        """The n-th write of this writer (n from 0): a new person, then a
        tie of theirs, then a need of theirs."""
        key = "%s-%05d" % (self.args.name, n // 3)
        kind = n % 3
        if kind == 0:
            return ["person", key, "Soak %s" % key]
        if kind == 1:
            return ["tie", key, self.generated(),
                    round(self.rng.uniform(0.05, 1.0), 2)]
        return ["need", key, self.tag(), round(self.rng.uniform(0.1, 1.0), 2)]


def cli_read_commands(w):
    return [["prospects", "--from", "me", "--tag", w.tag(), "--hops", "3",
             "--json"],
            ["providers", "--from", "me", "--tag", w.tag(), "--hops", "3",
             "--json"],
            ["person", "show", "me", "--json"],
            ["tie", "list", w.generated(), "--json"]]


def reader_cli(w):
    while w.running():
        for cmd in cli_read_commands(w):
            res = w.timed(lambda: h.cli(cmd, w.args.db))
            if res.returncode != 0:
                w.fail(" ".join(cmd[:2]), res.stderr)


def reader_binding(w):
    import netref
    net = netref.open(w.args.db, create=False, readonly=w.args.readonly)
    try:
        while w.running():
            for name, call in (
                    ("prospects", lambda: net.prospects("me", w.tag(), hops=3)),
                    ("providers", lambda: net.providers("me", w.tag(), hops=3)),
                    ("person_get", lambda: net.person_get("me")),
                    ("tie_list", lambda: net.tie_list(w.generated()))):
                try:
                    w.timed(call)
                except netref.Error as e:
                    w.fail(name, str(e))
    finally:
        net.close()


def cli_write(write):
    kind = write[0]
    if kind == "person":
        return ["person", "add", write[1], write[2]]
    if kind == "tie":
        return ["tie", "set", write[1], write[2], "--strength",
                "%.2f" % write[3]]
    return ["need", "add", write[1], write[2], "--weight", "%.2f" % write[3]]


def writer_cli(w):
    n = 0
    while w.running():
        w.pause()
        write = w.next_write(n)
        res = w.timed(lambda: h.cli(cli_write(write), w.args.db))
        if res.returncode == 0:
            w.acked.append(write)
            n += 1
        else:
            # A failed write is a failure; the next one is tried again
            # the same, so that a tie or need never names a person who
            # was not added.
            w.fail(" ".join(cli_write(write)[:2]), res.stderr)


def binding_write(net, write):
    kind = write[0]
    if kind == "person":
        net.person_add(write[1], write[2])
    elif kind == "tie":
        net.tie_set(write[1], write[2], strength=write[3])
    else:
        net.need_add(write[1], write[2], weight=write[3])


def writer_binding(w):
    import netref
    net = netref.open(w.args.db, create=False)
    n = 0
    try:
        while w.running():
            w.pause()
            write = w.next_write(n)
            try:
                w.timed(lambda: binding_write(net, write))
            except netref.Error as e:
                w.fail(write[0], str(e))
                continue
            w.acked.append(write)
            n += 1
    finally:
        net.close()


ROLES = {"reader-cli": reader_cli, "reader-binding": reader_binding,
         "writer-cli": writer_cli, "writer-binding": writer_binding}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--role", choices=sorted(ROLES), required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--people", type=int, required=True,
                   help="how many generated people (g000000...) there are")
    p.add_argument("--name", default="w", help="a writer's key prefix")
    p.add_argument("--readonly", action="store_true")
    p.add_argument("--pause", type=float, default=0.010,
                   help="a writer's longest pause between two commits (s)")
    w = Worker(p.parse_args())
    try:
        ROLES[w.args.role](w)
    except Exception as e:  # an open that failed, or a bug: report it
        w.fail("worker", "%s: %s" % (type(e).__name__, e))
    w.report()


if __name__ == "__main__":
    main()
