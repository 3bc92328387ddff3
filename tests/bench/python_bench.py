#!/usr/bin/env python3
"""The Python line of `make bench` (issue 12): the same prospects queries
at k=2 and k=3 through the Python binding (full rows, as
Network.prospects returns them) and as the bare C call (netref_prospects
and netref_result_free through ctypes, reading nothing), each query timed
both ways on a warm index, in turns, REPEAT times (the fastest of each
kept: what is left is the query's cost, not the other programs' of a
busy machine); prints the medians over the queries, their ratio and the
target (Python <= 1.3x C).

Usage: python_bench.py --db FILE [--queries N] [--repeat R] [--seed S]
                       [--json FILE]
(the library from NETREF_LIBRARY, the package from PYTHONPATH).
"""

import argparse
import ctypes
import json
import random
import sqlite3
import statistics
import sys
import time

import netref
from netref import _ffi

TARGET_RATIO = 1.3


def pick_queries(db, n, seed):
    """n (source, tag) pairs: a random person and the tag of a random
    need row."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        people = con.execute("SELECT max(id) FROM person").fetchone()[0]
        # Every need row: popular tags come up as often as they are held.
        tags = [t for (t,) in con.execute("SELECT tag FROM need")]
        rng = random.Random(seed)
        out = []
        while len(out) < n:
            p = con.execute("SELECT key FROM person WHERE id >= ? LIMIT 1",
                            (rng.randint(1, people),)).fetchone()
            if p and tags:
                out.append((p[0], rng.choice(tags)))
        return out
    finally:
        con.close()


def c_call(net, source, tag, opts):
    """The bare C query: run it and free the result, reading nothing."""
    lib = _ffi._lib
    res = _ffi.ResultPtr()
    with net._use() as db:
        lib.netref_prospects(db, source.encode(), tag.encode(), opts,
                             ctypes.byref(res))
    rows = lib.netref_result_count(res)
    lib.netref_result_free(res)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--queries", type=int, default=51)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json")
    args = ap.parse_args()
    queries = pick_queries(args.db, args.queries, args.seed)
    report = {}
    with netref.open(args.db, readonly=True) as net:
        lib = _ffi._lib
        net.prospects(*queries[0])  # build the index once
        for hops in (2, 3):
            opts = _ffi.OptionsPtr()
            lib.netref_options_new(ctypes.byref(opts))
            lib.netref_options_set_hops(opts, hops)
            c_ms, py_ms, rows = [], [], []
            for source, tag in queries:
                c_call(net, source, tag, opts)  # warm: both read it warm
                py_best = c_best = float("inf")
                for _ in range(max(1, args.repeat)):
                    t0 = time.perf_counter()
                    got = net.prospects(source, tag, hops=hops)
                    t1 = time.perf_counter()
                    n = c_call(net, source, tag, opts)
                    t2 = time.perf_counter()
                    py_best = min(py_best, t1 - t0)
                    c_best = min(c_best, t2 - t1)
                if len(got) != n:
                    sys.exit(f"python_bench: {len(got)} rows through Python,"
                             f" {n} in C for {source!r}, {tag!r}")
                py_ms.append(py_best * 1e3)
                c_ms.append(c_best * 1e3)
                rows.append(n)
            lib.netref_options_free(opts)
            c_med, py_med = statistics.median(c_ms), statistics.median(py_ms)
            ratio = py_med / c_med if c_med > 0 else float("inf")
            status = "met" if ratio <= TARGET_RATIO else "MISSED"
            print(f"python prospects k={hops}: {len(queries)} queries, "
                  f"median {statistics.median(rows):.0f} rows; Python "
                  f"(full rows) {py_med:.3f} ms, C {c_med:.3f} ms, ratio "
                  f"{ratio:.2f} (target <= {TARGET_RATIO}: {status})")
            report[f"k{hops}"] = {"queries": len(queries),
                                  "median_rows": statistics.median(rows),
                                  "python_ms": py_med, "c_ms": c_med,
                                  "ratio": ratio, "target": TARGET_RATIO}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
