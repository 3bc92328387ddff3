#!/usr/bin/env python3
"""The cold-start lines of `make bench` (issue 12, the persisted index,
lib/snapshot.c):

1. cold process: `netref prospects --hops 2` as a new process against
   `netref person show KEY` (a process that opens the file and reads one
   row), each the median over N sources; their ratio and the target
   (<= 3x). With a valid snapshot beside the file (FILE-index), and once
   more without one (NETREF_SNAPSHOT=0: the index is built), for scale.
2. open to first answer: a new process opens the file read-only and runs
   one prospects query; the time from netref_open to the answer,
   measured inside the process: with a valid snapshot (median of N), and
   the first build (no snapshot: the build alone, then the build plus
   writing the snapshot, as the first query after an import does).

Usage: cold_bench.py --db FILE --cli NETREF [--sources 20] [--builds 3]
                     [--seed S] [--json FILE] [--always]
                     [--first-answer-target] [--cold-target]
(the targets, <= 0.2 s to the first answer and <= 3x `person show`, are
judged only with their option: issue 12 sets the first at 1M people and
the second at 200k, and `make bench-large` runs those two sizes; without
the option the figure is reported only)
(the library from NETREF_LIBRARY for the in-process timing). The database
is only read; FILE-index is removed and written again.
"""

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time

TARGET_COLD_RATIO = 3.0
TARGET_FIRST_ANSWER_S = 0.2

# A new process: open, one query, the time from open to its answer.
FIRST_ANSWER = r"""
import ctypes, sys, time
lib = ctypes.CDLL(sys.argv[1])
db, res = ctypes.c_void_p(), ctypes.c_void_p()
t0 = time.perf_counter()
if lib.netref_open_with(sys.argv[2].encode(), 2, ctypes.byref(db)):
    sys.exit("open failed")
if lib.netref_prospects(db, sys.argv[3].encode(), sys.argv[4].encode(),
                        None, ctypes.byref(res)):
    sys.exit("query failed")
t1 = time.perf_counter()
lib.netref_result_free(res)
lib.netref_close(db)
print(t1 - t0)
"""


def pick_sources(db, n, seed):
    """n (source, tag) pairs: a random person and a random need's tag."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        people = con.execute("SELECT max(id) FROM person").fetchone()[0]
        tags = [t for (t,) in con.execute("SELECT tag FROM need LIMIT 5000")]
        rng = random.Random(seed)
        out = []
        while len(out) < n:
            p = con.execute("SELECT key FROM person WHERE id >= ? LIMIT 1",
                            (rng.randint(1, people),)).fetchone()
            if p:
                out.append((p[0], rng.choice(tags)))
        return out
    finally:
        con.close()


DEFAULT_MODE = None  # NETREF_SNAPSHOT unset: the library's default


def env(mode):
    e = dict(os.environ)
    e.pop("NETREF_SNAPSHOT", None)
    mode = mode if mode is not None else DEFAULT_MODE
    if mode is not None:
        e["NETREF_SNAPSHOT"] = mode
    return e


def run_s(argv, mode=None):
    t0 = time.perf_counter()
    res = subprocess.run(argv, env=env(mode), stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    t1 = time.perf_counter()
    if res.returncode != 0:
        sys.exit(f"cold_bench: {' '.join(argv)}: {res.stderr.decode()}")
    return t1 - t0


def first_answer_s(lib, db, source, tag, mode=None):
    res = subprocess.run([sys.executable, "-c", FIRST_ANSWER, lib, db,
                          source, tag], env=env(mode), capture_output=True,
                         text=True)
    if res.returncode != 0:
        sys.exit(f"cold_bench: first answer: {res.stderr}")
    return float(res.stdout)


def remove_snapshot(db):
    if os.path.exists(db + "-index"):
        os.unlink(db + "-index")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--sources", type=int, default=20)
    ap.add_argument("--builds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json")
    # Each target is judged at the size issue 12 sets it for (1M people
    # for the first answer, 200k for the cold process); elsewhere the
    # figure is reported only.
    ap.add_argument("--first-answer-target", action="store_true")
    ap.add_argument("--cold-target", action="store_true")
    ap.add_argument("--always", action="store_true",
                    help="write the snapshot however small the network"
                    " (NETREF_SNAPSHOT=always; for the smoke test)")
    args = ap.parse_args()
    global DEFAULT_MODE
    DEFAULT_MODE = "always" if args.always else None
    lib = os.environ.get("NETREF_LIBRARY")
    if not lib:
        sys.exit("cold_bench: NETREF_LIBRARY is not set")
    db, cli = args.db, args.cli
    sources = pick_sources(db, args.sources, args.seed)
    report = {}

    # 2. open to first answer: the first build (alone, then with the
    # snapshot written after it), then from the snapshot.
    build, build_write = [], []
    for source, tag in sources[:args.builds]:
        remove_snapshot(db)
        build.append(first_answer_s(lib, db, source, tag, "0"))
        remove_snapshot(db)
        build_write.append(first_answer_s(lib, db, source, tag))
    if not os.path.exists(db + "-index"):
        sys.exit("cold_bench: no snapshot was written")
    size = os.path.getsize(db + "-index")
    mapped = [first_answer_s(lib, db, s, t) for s, t in sources]
    med = statistics.median(mapped)
    status = (("met" if med <= TARGET_FIRST_ANSWER_S else "MISSED")
              if args.first_answer_target else "reported; set at 1M")
    print(f"open to first answer (prospects k=2, new process): snapshot "
          f"{med * 1e3:.0f} ms (median of {len(mapped)}; target <= "
          f"{TARGET_FIRST_ANSWER_S * 1e3:.0f} ms: {status}); first build "
          f"{statistics.median(build) * 1e3:.0f} ms, with the snapshot "
          f"written {statistics.median(build_write) * 1e3:.0f} ms (median of "
          f"{len(build)}); snapshot file {size / 1e6:.1f} MB")
    report["first_answer"] = {
        "snapshot_ms": med * 1e3, "build_ms": statistics.median(build) * 1e3,
        "build_and_write_ms": statistics.median(build_write) * 1e3,
        "snapshot_bytes": size, "target_ms": TARGET_FIRST_ANSWER_S * 1e3}

    # 1. cold processes, with the snapshot in place.
    prospects, show = [], []
    for source, tag in sources:
        prospects.append(run_s([cli, "prospects", "--from", source, "--tag",
                                tag, "--hops", "2", "--db", db]))
        show.append(run_s([cli, "person", "show", source, "--db", db]))
    unmapped = [run_s([cli, "prospects", "--from", s, "--tag", t, "--hops",
                       "2", "--db", db], "0")
                for s, t in sources[:args.builds]]
    p_med, s_med = statistics.median(prospects), statistics.median(show)
    ratio = p_med / s_med
    status = (("met" if ratio <= TARGET_COLD_RATIO else "MISSED")
              if args.cold_target else "reported; set at 200k")
    print(f"cold process: netref prospects --hops 2 {p_med * 1e3:.0f} ms, "
          f"netref person show {s_med * 1e3:.0f} ms (medians of "
          f"{len(sources)}), ratio {ratio:.2f} (target <= "
          f"{TARGET_COLD_RATIO:.0f}: {status}); without the snapshot "
          f"{statistics.median(unmapped) * 1e3:.0f} ms")
    report["cold_process"] = {
        "prospects_ms": p_med * 1e3, "person_show_ms": s_med * 1e3,
        "ratio": ratio, "target": TARGET_COLD_RATIO,
        "prospects_without_snapshot_ms": statistics.median(unmapped) * 1e3}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
