#!/usr/bin/env python3
"""End-to-end test of the networking-evening demo (standard library only).

ctest runs it with the environment
  NETREF_DEMO        the demo binary (networking-evening)
  NETREF_CLI         the netref command-line tool
  NETREF_SOURCE_DIR  the source tree (the demo runs there, so that its
                     default data directory examples/data/networking-evening
                     resolves)

It checks that
  * the example data satisfies its constraints (30 to 60 people, every tie,
    offer and need names a known person, strengths and weights in (0,1],
    dates valid);
  * the example data tells the intended story (checked against an
    independent Python model of DESIGN section 4, so a change to the data
    that flattens the story fails here);
  * the demo exits 0 and each of its answers lists the same people, in the
    same order, with the same introducers, hops, scores and paths as
    - the netref CLI run on the same files with the same options, and
    - the independent model;
  * the demo fails cleanly (exit 1, a message on stderr) on a missing data
    directory, and with exit 2 on bad usage.
"""

import csv
import datetime
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("NETREF_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(HERE))
DATA_REL = os.path.join("examples", "data", "networking-evening")
DATA_DIR = os.path.join(SOURCE_DIR, DATA_REL)
FILES = {kind: os.path.join(DATA_DIR, kind + ".csv")
         for kind in ("people", "ties", "offers", "needs")}

# The demo's fixed reference date and its questions, in order:
# (section letter, heading start, query, tag, hops, half-life in days).
TODAY = "2026-03-15"
SOURCE = "me"
SECTIONS = [
    ("a", "a) Who within two hops might need party planning",
     "prospects", "party planning", 2, None),
    ("b", "b) My client is expanding: who offers commercial office space",
     "providers", "commercial office space", 3, None),
    ("c", "c) And for me: who within three hops offers a part-time job",
     "providers", "part-time job", 3, None),
    ("d", "d) When old ties cool, who might need party planning",
     "prospects", "party planning", 2, 180.0),
]
# Section a) also lists who a third hop would add.
EXTRA = ("prospects", "party planning", 3, None)

TIMEOUT = 120


def env_path(name):
    value = os.environ.get(name)
    if not value:
        raise unittest.SkipTest(f"{name} is not set (run through ctest)")
    return value


# ----------------------------------------------------------------------
# The data

def read_csv(kind):
    with open(FILES[kind], newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def parse_date(text):
    return datetime.date.fromisoformat(text)


class Network:
    """The example network, read with the csv module."""

    def __init__(self):
        self.people = read_csv("people")
        self.ties = read_csv("ties")
        self.offers = read_csv("offers")
        self.needs = read_csv("needs")
        self.name = {p["key"]: p["name"] for p in self.people}
        # adjacency: key -> {other key: (strength, last_contact or None)}
        self.adj = {p["key"]: {} for p in self.people}
        for t in self.ties:
            day = parse_date(t["last_contact"]) if t["last_contact"] else None
            s = float(t["strength"]) if t["strength"] else 0.5
            self.adj[t["a"]][t["b"]] = (s, day)
            self.adj[t["b"]][t["a"]] = (s, day)


# ----------------------------------------------------------------------
# An independent model of DESIGN section 4 / netref.h "Queries"

def strength(net, a, b, half_life, today):
    s, day = net.adj[a][b]
    if half_life and day is not None:
        age = max(0, (today - day).days)
        s = s * math.pow(0.5, age / half_life)
    return s


def hop_distances(net, source):
    dist = {source: 0}
    frontier = [source]
    while frontier:
        nxt = []
        for u in frontier:
            for v in net.adj[u]:
                if v not in dist:
                    dist[v] = dist[u] + 1
                    nxt.append(v)
        frontier = nxt
    return dist


def best_paths(net, source, k, half_life=None, today=None):
    """key -> (reach, path) by brute force over simple paths of <= k ties.

    A walk that repeats a person is never better than the simple path left
    when its cycle is cut out (strengths are at most 1, and cutting keeps
    the introducer while using fewer ties), so simple paths suffice.
    Products are formed from the source outward, as the library does."""
    best = {}

    def rank(w, path):
        direct = len(path) == 2
        return (-w, 0 if direct else 1, "" if direct else path[1],
                len(path), [p.encode() for p in reversed(path[1:-1])])

    def visit(path, w):
        p = path[-1]
        if p != source:
            cand = (rank(w, path), w, list(path))
            if p not in best or cand[0] < best[p][0]:
                best[p] = cand
        if len(path) - 1 == k:
            return
        for v in net.adj[p]:
            if v not in path:
                path.append(v)
                visit(path, w * strength(net, p, v, half_life, today))
                path.pop()

    visit([source], 1.0)
    return {p: (w, path) for p, (_, w, path) in best.items()}


def model_query(net, query, tag, hops, half_life=None):
    today = parse_date(TODAY)
    paths = best_paths(net, SOURCE, hops, half_life, today)
    dist = hop_distances(net, SOURCE)
    rows = []
    if query == "prospects":
        holders = {}
        for n in net.needs:
            if n["tag"] == tag:
                w = float(n["weight"]) if n["weight"] else 1.0
                holders[n["person"]] = max(w, holders.get(n["person"], 0))
    else:
        holders = {o["person"]: 1.0 for o in net.offers if o["tag"] == tag}
    for key, weight in holders.items():
        if key == SOURCE or key not in paths:
            continue
        reach, path = paths[key]
        rows.append({
            "key": key, "name": net.name[key], "hops": dist[key],
            "reach": reach, "score": reach * weight, "path": path,
            "introducer": path[1] if len(path) > 2 else None, "tag": tag})
    rows.sort(key=lambda r: (-r["score"], r["hops"], r["key"].encode()))
    return rows


# ---- brokers ----
def model_connectors(net, k):
    """[(key, hops, betweenness)] of netref.h's connectors, by brute force:
    the people within k hops of SOURCE and the ties among them; for every
    pair {a, b}, BFS path counts sigma; v gets sigma_av * sigma_vb /
    sigma_ab when d(a,v) + d(v,b) = d(a,b). Ordered as the library does."""
    dist = hop_distances(net, SOURCE)
    inside = sorted(p for p, d in dist.items() if d <= k)

    def bfs(a):
        d, sigma, frontier = {a: 0}, {a: 1}, [a]
        while frontier:
            nxt = []
            for u in frontier:
                for v in net.adj[u]:
                    if v not in inside_set:
                        continue
                    if v not in d:
                        d[v] = d[u] + 1
                        sigma[v] = 0
                        nxt.append(v)
                    if d[v] == d[u] + 1:
                        sigma[v] += sigma[u]
            frontier = nxt
        return d, sigma

    inside_set = set(inside)
    paths = {a: bfs(a) for a in inside}
    rows = []
    for v in inside:
        if v == SOURCE:
            continue
        b = 0.0
        for i, a in enumerate(inside):
            for c in inside[i + 1:]:
                if v in (a, c):
                    continue
                da, sa = paths[a]
                dv, sv = paths[v]
                if c in da and v in da and c in dv and \
                        da[v] + dv[c] == da[c]:
                    b += sa[v] * sv[c] / sa[c]
        if b > 0:
            rows.append((v, dist[v], b))
    rows.sort(key=lambda r: (-round(r[2], 9), r[0].encode()))
    return rows
# ---- end of brokers ----


# ----------------------------------------------------------------------
# The demo's output

ROW = re.compile(
    r"^\s+(?P<mark>\d+\.|\+)\s(?P<name>.+?)\s+score (?P<score>\d\.\d{3})"
    r"\s+(?P<hops>\d+) hops?\s+"
    r"(?:ask (?P<intro>.+?)|(?P<direct>you know them directly))\s*$")
ARROW = " \u2192 "


def parse_demo(text):
    """{section letter: {"rows": [...], "extra": [...]}} from the story."""
    lines = text.splitlines()
    sections = {}
    current = None
    last = None
    for line in lines:
        if line in SCENE_HEADINGS.values():
            current = last = None  # a later scene, checked on its own
            continue
        for letter, heading, *_ in SECTIONS:
            if line.startswith(heading):
                current = sections.setdefault(letter,
                                              {"rows": [], "extra": []})
                last = None
                break
        else:
            if current is None:
                continue
            m = ROW.match(line)
            if m:
                last = {"name": m["name"], "score": m["score"],
                        "hops": int(m["hops"]),
                        "introducer": None if m["direct"] else m["intro"],
                        "path": None}
                current["extra" if m["mark"] == "+" else "rows"].append(last)
            elif last is not None and line.strip().startswith("you" + ARROW):
                names = line.strip().split("   ")[0].split(ARROW)
                last["path"] = names
                last = None
    return sections


def expected_rows(net, rows):
    """Rows of the model or the CLI, as the demo prints them."""
    out = []
    for r in rows:
        intro = r.get("introducer")
        out.append({
            "name": r["name"],
            "score": f"{r['score']:.3f}",
            "hops": r["hops"],
            "introducer": net.name[intro] if intro else None,
            "path": ["you"] + [net.name[k] for k in r["path"][1:]],
        })
    return out


# Scenes f) to i) print tables of their own (not a ranked result with
# paths); they are checked line by line against the CLI.
SCENE_HEADINGS = {
    "f": "f) Whom should I tell first that I want a part-time job?",
    "g": "g) Which two people I know should I introduce to each other?",
    "h": "h) Whom have I lost touch with that is worth a call?",
    "i": "i) Whom do I owe a favour?",
    # ---- brokers ----
    "j": "j) Who connects the people around me?",
    # ---- the tag taxonomy and groups ----
    "k": "k) Who else might need party planning, under another name?",
    "l": "l) Who at the evening might need party planning?",
}
NAME_WIDTH = 20
SCENE_ROW = re.compile(r"^\s+\d+\. ")


def padded(s, width=NAME_WIDTH):
    """s, then spaces up to width characters (at least one), as printed."""
    return s + " " * max(1, width - len(s))


def scene_lines(text, letter, pattern=SCENE_ROW):
    """The lines of scene letter that match pattern."""
    start = text.index("\n" + SCENE_HEADINGS[letter] + "\n")
    after = [text.find("\n" + h + "\n", start + 1)
             for h in SCENE_HEADINGS.values()]
    after = [a for a in after if a > start]
    body = text[start + 1:min(after) if after else len(text)]
    lines = body.splitlines()[2:]  # past the heading and its underline
    return [line for line in lines if pattern.match(line)]


def marker(i):
    return f"  {f'{i + 1}.':>4} "


# ----------------------------------------------------------------------
# Tests

class DataConstraints(unittest.TestCase):
    """The example data obeys netref's CSV format and the brief."""

    @classmethod
    def setUpClass(cls):
        cls.net = Network()

    def test_files_are_utf8_with_headers(self):
        need = {"people": {"key", "name"},
                "ties": {"a", "b", "strength", "last_contact", "context"},
                "offers": {"person", "tag", "note"},
                "needs": {"person", "tag", "weight"}}
        for kind, path in FILES.items():
            with open(path, "rb") as f:
                data = f.read()
            data.decode("utf-8")  # raises on invalid UTF-8
            with open(path, newline="", encoding="utf-8") as f:
                header = next(csv.reader(f))
            self.assertTrue(need[kind] <= set(header), f"{path}: {header}")
            self.assertEqual(len(header), len(set(header)), path)

    def test_people(self):
        keys = [p["key"] for p in self.net.people]
        self.assertGreaterEqual(len(keys), 30)
        self.assertLessEqual(len(keys), 60)
        self.assertEqual(len(keys), len(set(keys)), "duplicate person keys")
        self.assertIn(SOURCE, keys)
        for p in self.net.people:
            self.assertTrue(p["key"] and p["name"], p)
        self.assertTrue(any(not p["name"].isascii() for p in self.net.people),
                        "expected some non-ASCII names")

    def test_ties(self):
        keys = set(self.net.name)
        pairs = set()
        today = parse_date(TODAY)
        for i, t in enumerate(self.net.ties, start=2):
            where = f"ties.csv:{i}"
            self.assertIn(t["a"], keys, where)
            self.assertIn(t["b"], keys, where)
            self.assertNotEqual(t["a"], t["b"], where)
            pair = frozenset((t["a"], t["b"]))
            self.assertNotIn(pair, pairs, f"{where}: duplicate tie")
            pairs.add(pair)
            s = float(t["strength"])
            self.assertTrue(0 < s <= 1 and math.isfinite(s), where)
            if t["last_contact"]:
                self.assertRegex(t["last_contact"], r"^\d{4}-\d{2}-\d{2}$")
                day = parse_date(t["last_contact"])
                self.assertIn(day.year, (2025, 2026), where)
                self.assertLessEqual(day, today, where)

    def test_offers_and_needs(self):
        keys = set(self.net.name)
        for kind, rows in (("offers", self.net.offers),
                           ("needs", self.net.needs)):
            seen = set()
            for i, r in enumerate(rows, start=2):
                where = f"{kind}.csv:{i}"
                self.assertIn(r["person"], keys, where)
                self.assertTrue(r["tag"].strip(), where)
                self.assertEqual(r["tag"], " ".join(r["tag"].lower().split()),
                                 f"{where}: tag not in normalized form")
                self.assertNotIn((r["person"], r["tag"]), seen, where)
                seen.add((r["person"], r["tag"]))
                if kind == "needs":
                    w = float(r["weight"])
                    self.assertTrue(0 < w <= 1 and math.isfinite(w), where)


class Story(unittest.TestCase):
    """The data makes the answers interesting (checked on the model)."""

    @classmethod
    def setUpClass(cls):
        cls.net = Network()

    def test_party_planning_within_two_hops(self):
        rows = model_query(self.net, "prospects", "party planning", 2)
        self.assertGreaterEqual(len(rows), 4)
        introducers = {r["introducer"] for r in rows}
        self.assertGreaterEqual(len(introducers - {None}), 3,
                                "several introducers expected")
        self.assertIn(None, introducers, "someone known directly expected")
        # The best introduction is not along a shortest path.
        self.assertTrue(any(len(r["path"]) - 1 > r["hops"] for r in rows))

    def test_hop_limit_matters(self):
        two = {r["key"] for r in model_query(self.net, "prospects",
                                             "party planning", 2)}
        three = model_query(self.net, "prospects", "party planning", 3)
        beyond = [r for r in three if r["key"] not in two]
        self.assertTrue(beyond, "nobody beyond two hops needs it")
        self.assertTrue(all(r["hops"] == 3 for r in beyond))

    def test_office_space(self):
        rows = model_query(self.net, "providers", "commercial office space", 3)
        direct = [r for r in rows if r["introducer"] is None]
        self.assertTrue(direct, "a weak direct tie (the broker) expected")
        self.assertLessEqual(max(r["reach"] for r in direct), 0.3)
        far = [r for r in rows
               if r["hops"] >= 2 and r["reach"] > direct[0]["reach"]
               and self.net.adj[SOURCE][r["introducer"]][0] >= 0.7]
        self.assertTrue(far, "a provider further out, through a strong "
                             "friend, should beat the broker")

    def test_cooling_changes_the_answer(self):
        before = model_query(self.net, "prospects", "party planning", 2)
        after = model_query(self.net, "prospects", "party planning", 2, 180.0)
        self.assertNotEqual([(r["key"], r["introducer"]) for r in before],
                            [(r["key"], r["introducer"]) for r in after])


class Demo(unittest.TestCase):
    """The demo runs and its answers are right."""

    @classmethod
    def setUpClass(cls):
        cls.demo = env_path("NETREF_DEMO")
        cls.net = Network()
        proc = subprocess.run([cls.demo], cwd=SOURCE_DIR, capture_output=True,
                              timeout=TIMEOUT)
        cls.proc = proc
        cls.stdout = proc.stdout.decode("utf-8")
        cls.stderr = proc.stderr.decode("utf-8", "replace")
        cls.sections = parse_demo(cls.stdout)

    def check_rows(self, got, want, what):
        self.assertEqual([r["name"] for r in got], [r["name"] for r in want],
                         f"{what}: people or order differ")
        for g, w in zip(got, want):
            self.assertEqual(g, w, f"{what}: row of {w['name']}")

    def test_exit_status(self):
        self.assertEqual(self.proc.returncode, 0,
                         f"stdout:\n{self.stdout}\nstderr:\n{self.stderr}")
        self.assertEqual(self.stderr, "")

    def test_every_section_present(self):
        for letter, heading, *_ in SECTIONS:
            self.assertIn(letter, self.sections, f"missing: {heading}")
            self.assertTrue(self.sections[letter]["rows"],
                            f"no rows under: {heading}")
            for row in self.sections[letter]["rows"]:
                self.assertIsNotNone(row["path"], f"{heading}: {row}")

    def test_import_counts(self):
        n = [len(self.net.people), len(self.net.ties), len(self.net.offers),
             len(self.net.needs)]
        self.assertIn(f"Loaded {n[0]} people, {n[1]} ties, {n[2]} offers "
                      f"and {n[3]} needs", self.stdout)

    def test_answers_match_the_model(self):
        for letter, heading, query, tag, hops, half_life in SECTIONS:
            with self.subTest(section=letter):
                want = expected_rows(self.net, model_query(
                    self.net, query, tag, hops, half_life))
                self.check_rows(self.sections[letter]["rows"], want, heading)
        with self.subTest(section="a, third hop"):
            shown = {r["name"] for r in self.sections["a"]["rows"]}
            want = [r for r in expected_rows(self.net,
                                             model_query(self.net, *EXTRA))
                    if r["name"] not in shown]
            self.assertTrue(want)
            self.check_rows(self.sections["a"]["extra"], want,
                            "a) third hop")

    def test_fixed_date(self):
        # The same answers whatever the date: the demo must not read the
        # clock. Run it again under a far-away TZ and compare.
        env = dict(os.environ, TZ="Pacific/Kiritimati")
        proc = subprocess.run([self.demo], cwd=SOURCE_DIR, env=env,
                              capture_output=True, timeout=TIMEOUT)
        self.assertEqual(proc.stdout.decode("utf-8"), self.stdout)

    def test_data_dir_argument(self):
        proc = subprocess.run([self.demo, DATA_DIR], cwd=tempfile.gettempdir(),
                              capture_output=True, timeout=TIMEOUT)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        # Only the "Loaded ... from DIR" line may differ.
        strip = re.compile(r"^Loaded .*$", re.M)
        self.assertEqual(strip.sub("", proc.stdout.decode("utf-8")),
                         strip.sub("", self.stdout))

    def test_missing_data_dir_fails_cleanly(self):
        with tempfile.TemporaryDirectory() as empty:
            proc = subprocess.run([self.demo, empty], capture_output=True,
                                  timeout=TIMEOUT)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(b"networking-evening:", proc.stderr)

    def test_bad_usage(self):
        proc = subprocess.run([self.demo, "a", "b"], capture_output=True,
                              timeout=TIMEOUT)
        self.assertEqual(proc.returncode, 2)
        self.assertIn(b"usage", proc.stderr)


class DemoAgainstCli(unittest.TestCase):
    """The demo and the netref CLI give the same answers."""

    @classmethod
    def setUpClass(cls):
        cls.demo = env_path("NETREF_DEMO")
        cls.cli = env_path("NETREF_CLI")
        cls.net = Network()
        proc = subprocess.run([cls.demo], cwd=SOURCE_DIR, capture_output=True,
                              timeout=TIMEOUT)
        if proc.returncode != 0:
            raise AssertionError("the demo failed:\n"
                                 + proc.stderr.decode("utf-8", "replace"))
        cls.stdout = proc.stdout.decode("utf-8")
        cls.sections = parse_demo(cls.stdout)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "netref.db")
        cls.run_cli(["import", "--db", cls.db,
                     "--people", FILES["people"], "--ties", FILES["ties"],
                     "--offers", FILES["offers"], "--needs", FILES["needs"]])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def run_cli(cls, args):
        proc = subprocess.run([cls.cli] + args, capture_output=True,
                              timeout=TIMEOUT)
        if proc.returncode != 0:
            raise AssertionError(
                f"netref {' '.join(args)} exited {proc.returncode}:\n"
                + proc.stderr.decode("utf-8", "replace"))
        return proc.stdout.decode("utf-8")

    def cli_query(self, query, tag, hops, half_life):
        args = [query, "--db", self.db, "--from", SOURCE, "--tag", tag,
                "--hops", str(hops), "--today", TODAY, "--json"]
        if half_life:
            args += ["--half-life", repr(half_life)]
        doc = json.loads(self.run_cli(args))
        self.assertEqual(doc["source"], SOURCE)
        self.assertEqual(doc["tag"], tag)
        self.assertEqual(doc["hops"], hops)
        for r in doc["results"]:
            self.assertEqual(r["path"][0], SOURCE)
            self.assertEqual(r["path"][-1], r["key"])
            self.assertEqual(r["tag"], tag)
        return doc["results"]

    def check_rows(self, got, want, what):
        self.assertEqual([r["name"] for r in got], [r["name"] for r in want],
                         f"{what}: people or order differ from the CLI")
        self.assertEqual([r["introducer"] for r in got],
                         [r["introducer"] for r in want],
                         f"{what}: introducers differ from the CLI")
        for g, w in zip(got, want):
            self.assertEqual(g, w, f"{what}: row of {w['name']}")

    def test_sections_match_cli(self):
        for letter, heading, query, tag, hops, half_life in SECTIONS:
            with self.subTest(section=letter):
                want = expected_rows(self.net, self.cli_query(
                    query, tag, hops, half_life))
                self.check_rows(self.sections[letter]["rows"], want, heading)

    def test_path_section_matches_cli(self):
        """e) prints the paths `netref path --alternatives 2` finds."""
        doc = json.loads(self.run_cli(
            ["path", "--db", self.db, "--from", SOURCE, "--to", "nadia",
             "--alternatives", "2", "--today", TODAY, "--json"]))
        want = []
        for i, p in enumerate(doc["paths"]):
            ties = p["hops"]
            names = ["you"] + [self.net.name[k] for k in p["path"][1:]]
            want.append(f"    {i + 1}. strength {p['strength']:.3f}  {ties} "
                        f"tie{' ' if ties == 1 else 's'}  "
                        + ARROW.join(names))
        self.assertTrue(want, "the CLI found no path to nadia")
        proc = subprocess.run([self.demo], cwd=SOURCE_DIR,
                              capture_output=True, timeout=TIMEOUT)
        text = proc.stdout.decode("utf-8")
        section = text[text.index("e) Who can introduce me to Nadia"):]
        got = [line for line in section.splitlines()
               if re.match(r"    \d+\. strength ", line)]
        self.assertEqual(got, want)

    def test_third_hop_matches_cli(self):
        shown = {r["name"] for r in self.sections["a"]["rows"]}
        want = [r for r in expected_rows(self.net, self.cli_query(*EXTRA))
                if r["name"] not in shown]
        self.check_rows(self.sections["a"]["extra"], want, "a) third hop")

    def test_ask_first_section_matches_cli(self):
        """f) ranks my contacts as `netref ask-first --role offers`."""
        doc = json.loads(self.run_cli(
            ["ask-first", "--db", self.db, "--from", SOURCE, "--tag",
             "part-time job", "--role", "offers", "--hops", "3", "--today",
             TODAY, "--json"]))
        want = []
        for i, r in enumerate(doc["results"]):
            tops = ", ".join("themselves" if t == r["key"] else
                             self.net.name[t] for t in r["top"])
            want.append(marker(i) + padded(r["name"])
                        + f" score {r['score']:.3f}  reaches {r['reached']}: "
                        + tops)
        self.assertGreaterEqual(len(want), 2, "ask-first found nobody")
        self.assertEqual(scene_lines(self.stdout, "f"), want)

    def test_matches_section_matches_cli(self):
        """g) lists the pairs `netref matches --limit 5` finds."""
        doc = json.loads(self.run_cli(
            ["matches", "--db", self.db, "--from", SOURCE, "--hops", "2",
             "--limit", "5", "--today", TODAY, "--json"]))
        want = [marker(i) + padded(self.net.name[m["needer"]]) + "\u2194 "
                + padded(self.net.name[m["provider"]])
                + f" score {m['score']:.3f}  {m['tag']}"
                for i, m in enumerate(doc["results"])]
        self.assertEqual(len(want), 5)
        self.assertEqual(scene_lines(self.stdout, "g"), want)

    def test_reconnect_section_matches_cli(self):
        """h) lists the ties `netref reconnect --older-than 180` finds."""
        doc = json.loads(self.run_cli(
            ["reconnect", "--db", self.db, "--from", SOURCE, "--older-than",
             "180", "--hops", "2", "--today", TODAY, "--json"]))
        want = []
        for i, r in enumerate(doc["results"]):
            days = ("never contacted" if r["days_overdue"] is None
                    else f"{r['days_overdue']} days overdue")
            tags = (", ".join(r["tags"]) if r["tags"]
                    else "(nothing I need or offer)")
            want.append(marker(i) + padded(r["name"])
                        + f" score {r['score']:.3f}  {days}  {tags}")
        self.assertTrue(want, "reconnect found nobody")
        self.assertEqual(scene_lines(self.stdout, "h"), want)

    def test_ledger_section_matches_cli(self):
        """i) records what `netref intro add/status` would, and prints the
        balance `netref balance` reports (on a copy of the network)."""
        with tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, "ledger.db")
            shutil.copyfile(self.db, db)
            intro = json.loads(self.run_cli(
                ["intro", "add", "--db", db, "--by", "priya", "--seeker",
                 SOURCE, "--target", "zoe", "--tag", "part-time job",
                 "--date", "2025-11-20", "--status", "made", "--json"]))
            self.run_cli(["intro", "status", "--db", db, str(intro["id"]),
                          "converted", "--date", "2026-01-12", "--value",
                          "2400", "--json"])
            doc = json.loads(self.run_cli(
                ["balance", SOURCE, "--db", db, "--json"]))
        want = ["       " + padded(b["name"])
                + f" for me {b['made_by']}  by me {b['made_for']}  converted "
                f"{b['converted']}  worth {b['value']:.2f} to me, "
                f"{b['value_given']:.2f} to them" for b in doc["results"]]
        self.assertEqual(len(want), 1)
        got = scene_lines(self.stdout, "i", re.compile(r"^\s+\S.* for me "))
        self.assertEqual(got, want)
        self.assertIn("    2025-11-20  Priya Natarajan introduced me to "
                      "Zoë Laurent (made)\n    2026-01-12  it converted, "
                      "worth 2400.00\n", self.stdout)

    # ---- brokers ----
    def test_connectors_section_matches_cli(self):
        """j) lists the people `netref connectors --limit 5` finds."""
        doc = json.loads(self.run_cli(
            ["connectors", "--db", self.db, "--from", SOURCE, "--hops", "2",
             "--limit", "5", "--json"]))
        self.assertEqual((doc["source"], doc["hops"]), (SOURCE, 2))
        want = [marker(i) + padded(r["name"])
                + f" betweenness {r['betweenness']:6.2f}  {r['hops']} "
                f"hop{'' if r['hops'] == 1 else 's'} away"
                for i, r in enumerate(doc["results"])]
        self.assertEqual(len(want), 5)
        self.assertEqual(scene_lines(self.stdout, "j"), want)
        # The CLI's answer against a brute-force model: shortest-path
        # counts by BFS within the 2-hop network, betweenness by pairs.
        model = model_connectors(self.net, 2)[:5]
        self.assertEqual([(r["key"], r["hops"]) for r in doc["results"]],
                         [(key, hops) for key, hops, _ in model])
        for r, (_, _, b) in zip(doc["results"], model):
            self.assertAlmostEqual(r["betweenness"], b, places=9)

    # ---- end of brokers ----

    # ---- the tag taxonomy and groups ----
    def ranked_lines(self, results):
        """The first line of each ranked row, as the demo prints it, and a
        "(needs TAG)" line after it when the matched tag is another."""
        out = []
        for i, r in enumerate(results):
            hops = r["hops"]
            line = (marker(i) + padded(self.net.name[r["key"]])
                    + f" score {r['score']:.3f}  {hops} "
                    f"hop{' ' if hops == 1 else 's'}  ")
            line += (f"ask {self.net.name[r['introducer']]}"
                     if r["introducer"] else "you know them directly")
            out.append(line)
            if r["tag"] != "party planning":
                out.append(f"        (needs {r['tag']})")
        return out

    def test_taxonomy_and_group_sections_match_cli(self):
        """k) and l) ask what the CLI answers once taxonomy.csv and
        groups.csv are imported too."""
        db = os.path.join(self.tmp.name, "with-taxonomy.db")
        self.run_cli(["import", "--db", db,
                      "--people", FILES["people"], "--ties", FILES["ties"],
                      "--offers", FILES["offers"], "--needs", FILES["needs"],
                      "--taxonomy", os.path.join(DATA_DIR, "taxonomy.csv"),
                      "--groups", os.path.join(DATA_DIR, "groups.csv")])
        pattern = re.compile(r"^(\s+\d+\. |        \(needs )")
        for letter, extra in (("k", ["--hops", "2"]),
                              ("l", ["--hops", "3", "--group",
                                     "nov-evening"])):
            with self.subTest(scene=letter):
                doc = json.loads(self.run_cli(
                    ["prospects", "--db", db, "--from", SOURCE, "--tag",
                     "party planning", "--today", TODAY, "--json"] + extra))
                want = self.ranked_lines(doc["results"])
                self.assertGreater(len(want), 2)
                self.assertEqual(scene_lines(self.stdout, letter, pattern),
                                 want)
        # The taxonomy finds someone a) could not: Hannah needs a kids
        # birthday party, which is narrower than party planning.
        self.assertIn("(needs kids birthday party)",
                      "\n".join(scene_lines(self.stdout, "k", pattern)))
        self.assertIn("Hannah Oyelaran", self.stdout[
            self.stdout.index(SCENE_HEADINGS["k"]):])
        self.assertNotIn("Hannah Oyelaran", self.stdout[
            :self.stdout.index("d) When old ties cool")])

    # ---- end of the tag taxonomy and groups ----

    def test_new_scenes_present_in_order(self):
        at = [self.stdout.find("\n" + h + "\n")
              for h in SCENE_HEADINGS.values()]
        self.assertTrue(all(a > 0 for a in at), at)
        self.assertEqual(at, sorted(at))
        self.assertGreater(at[0], self.stdout.index("e) Who can introduce"))


class ContactsStep(unittest.TestCase):
    """make demo's contacts step (examples/scripts/import-contacts.sh):
    the example LinkedIn export and address book imported beside the
    evening's network, the one person found in both merged, and the
    party-planning answer drawn."""

    @classmethod
    def setUpClass(cls):
        cls.cli = env_path("NETREF_CLI")
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "demo")
        env = dict(os.environ)
        # Graphviz's one leak (tests/lsan.supp) matches with full stacks
        if "ASAN_OPTIONS" in env:
            env["ASAN_OPTIONS"] += ":fast_unwind_on_malloc=0"
        cls.env = env
        script = os.path.join(SOURCE_DIR, "examples", "scripts",
                              "import-contacts.sh")
        proc = subprocess.run([script, cls.cli, cls.out], capture_output=True,
                              timeout=TIMEOUT, env=env)
        if proc.returncode != 0:
            raise AssertionError("the contacts step failed:\n"
                                 + proc.stderr.decode("utf-8", "replace"))
        cls.stdout = proc.stdout.decode("utf-8")
        cls.db = os.path.join(cls.out, "contacts.db")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def cli_json(self, *args):
        proc = subprocess.run([self.cli, "--db", self.db, *args, "--json"],
                              capture_output=True, timeout=TIMEOUT,
                              env=self.env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_reports_each_file(self):
        self.assertRegex(self.stdout, r"examples/data/linkedin/Connections"
                         r"\.csv\s+24 connections: \d+ new, [1-9]\d* updated")
        self.assertRegex(self.stdout, r"examples/data/contacts\.vcf\s+10 "
                         r"cards: \d+ new, [1-9]\d* updated")

    def test_one_person_for_each_of_the_evening(self):
        """The evening's people with an e-mail or profile were found, and
        the merge left one Nadia, with what both records had."""
        net = Network()
        people = {p["key"]: p for p in self.cli_json("person", "list")["people"]}
        for p in net.people:
            self.assertIn(p["key"], people)
        names = [p["name"] for p in people.values()]
        for p in net.people:
            if p["email"] or p["url"] or p["key"] == "nadia":
                self.assertEqual(names.count(p["name"]), 1, p["name"])
        self.assertNotIn("nadia-rahman-loom", people)
        nadia = self.cli_json("person", "show", "nadia")
        self.assertEqual(nadia["attributes"]["email"], "nadia@theloom.example")
        self.assertEqual(nadia["attributes"]["role"], "manager")
        self.assertIn("merged nadia-rahman-loom into nadia", self.stdout)

    def test_draws_the_answer(self):
        picture = os.path.join(self.out, "contacts-party-planning.svg")
        self.assertIn(f"Picture: {picture} ", self.stdout)
        root = ET.parse(picture).getroot()
        text = "".join(root.itertext())
        ranked = self.cli_json("prospects", "--from", SOURCE, "--tag",
                               "party planning")["results"]
        self.assertTrue(ranked)
        for rank, r in enumerate(ranked, 1):
            self.assertIn(f"{rank}. {r['name']}", text)
            self.assertIn(r["name"], self.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
