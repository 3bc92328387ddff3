#!/usr/bin/env python3
"""bench.smoke: netref-gen makes 2,000 people, netref-bench measures them
with few queries; both must exit 0 and the JSON report must hold the
expected keys. Also checks that netref and the SQLite baseline found the
same number of people on every compared query.

Then cold_bench.py's lines (a snapshot written and used).
usage: smoke.py NETREF_GEN NETREF_BENCH NETREF_CLI (NETREF_LIBRARY set)"""
import json
import os
import subprocess
import sys
import tempfile


def run(cmd, env=None):
    print("+", " ".join(cmd), flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=env)
    sys.stdout.write(p.stdout)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        sys.exit(f"FAIL: exit status {p.returncode}")
    return p.stdout


def python_env():
    """cold_bench.py loads the library into Python: in the sanitizer build
    (NETREF_LIBASAN set by CMake) the ASan runtime must be preloaded, and
    Python's own leaks (by design) must not count."""
    env = dict(os.environ)
    libasan = env.get("NETREF_LIBASAN")
    if libasan:
        env["LD_PRELOAD"] = libasan
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
    return env


def main():
    gen, bench, cli = sys.argv[1], sys.argv[2], sys.argv[3]
    cold = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "cold_bench.py")
    with tempfile.TemporaryDirectory(prefix="netref-bench-smoke-") as tmp:
        db = os.path.join(tmp, "net.db")
        run([gen, "--people", "2000", "--ties-per-person", "20", "--seed", "7",
             "--out", db])
        side = json.load(open(db + ".gen.json"))
        assert side["people"] == 2000 and side["ties"] == 20000, side
        out_json = os.path.join(tmp, "bench.json")
        table = run([bench, "--db", db, "--queries", "50", "--hub-queries",
                     "10", "--sqlite-queries", "5", "--seed", "3", "--json",
                     out_json])
        for text in ("open to first answer", "prospects", "providers",
                     "mixed", "sqlite", "connectors", "taxonomy"):
            assert text in table, f"table lacks {text!r}"
        r = json.load(open(out_json))
        for key in ("netref_version", "db", "machine", "people", "ties",
                    "targets_apply", "import", "open", "memory", "hubs",
                    "edges_touched_estimate", "queries", "mixed", "sqlite",
                    "targets", "total_s"):
            assert key in r, f"JSON lacks {key}"
        assert r["people"] == 2000 and r["ties"] == 20000
        assert r["import"]["tie_rows_per_s"] > 0
        assert r["open"]["open_to_first_answer_s"] > 0
        assert r["memory"]["bytes_per_tie"] is not None
        lines = {(q["kind"], q["k"], q["sources"]): q for q in r["queries"]}
        for kind in ("prospects", "providers"):
            for k in (1, 2, 3):
                for sources, n in (("random", 50), ("hubs", 10)):
                    q = lines[(kind, k, sources)]
                    assert q["n"] == n, q
                    for f in ("median_ms", "p95_ms", "max_ms",
                              "edges_touched_per_s", "mean_rows"):
                        assert q[f] is not None and q[f] >= 0, (f, q)
        m = r["mixed"]
        assert m["n"] == 50 and m["changes"] == 1 and m["median_ms"] > 0, m
        assert [s["k"] for s in r["sqlite"]] == [1, 2, 3]
        for s in r["sqlite"]:
            assert s["n"] == 5 and s["median_ms"] > 0, s
            assert s["rows_agree"] == s["rows_compared"], \
                f"netref and SQLite disagree on the people within k hops: {s}"
        # connectors: k = 1 and 2 from the 50 random sources, each
        # answered or refused as the plan's sizes say.
        assert [c["k"] for c in r["connectors"]] == [1, 2], r["connectors"]
        for c in r["connectors"]:
            assert c["sources"] == 50, c
            assert c["answered"] + c["refused"] == 50, c
            assert c["refusals_disagreeing_with_plan"] == 0, c
            assert c["people_median"] >= 1 and c["ties_max"] >= 0, c
        # taxonomy: the 50 random prospects queries at k=2, expanded and
        # exact; exact agrees with the prospects line, expanded finds at
        # least as many rows.
        t = r["taxonomy"]
        assert t["sources"] == 50 and t["broader"] > 0, t
        assert t["exact"]["rows_equal_to_prospects_k2"] == 50, t
        assert t["expanded"]["rows_at_least_exact"] == 50, t
        names = {t["name"] for t in r["targets"]}
        for name in ("import_tie_rows_per_s", "open_to_first_answer_s",
                     "index_bytes_per_tie", "prospects_k2_median_ms",
                     "providers_k3_median_ms", "sqlite_over_prospects_k2"):
            assert name in names, f"target {name} missing"
        # the cold-start lines (cold_bench.py): a snapshot written and
        # used, on a network below the default size threshold
        cold_json = os.path.join(tmp, "cold.json")
        lines = run([sys.executable, cold, "--db", db, "--cli", cli,
                     "--sources", "3", "--builds", "1", "--always", "--json",
                     cold_json], env=python_env())
        for text in ("open to first answer", "cold process"):
            assert text in lines, f"cold_bench lacks {text!r}"
        c = json.load(open(cold_json))
        assert c["first_answer"]["snapshot_ms"] > 0, c
        assert c["first_answer"]["snapshot_bytes"] > 0, c
        assert c["cold_process"]["ratio"] > 0, c
    print("bench.smoke: ok")


if __name__ == "__main__":
    main()
