"""Shared helpers of the process-level reliability tests (issue 9).

Standard library only. The tests run the real `netref` CLI (NETREF_CLI),
small C helpers built beside it (NETREF_EDIT_LOOP, NETREF_KILLSHIM) and the Python binding (PYTHONPATH), on real files
in temporary directories, and look at the files with Python's sqlite3
only after netref itself has opened them: what is tested is netref's own
recovery path, not Python's.
"""
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("NETREF_SOURCE_DIR",
                            os.path.abspath(os.path.join(HERE, "..", "..")))
BUILD_DIR = os.environ.get("NETREF_BUILD_DIR",
                           os.path.join(SOURCE_DIR, "build"))
CLI = os.path.abspath(os.environ.get(
    "NETREF_CLI", os.path.join(BUILD_DIR, "examples", "netref")))
BIN_DIR = os.path.join(BUILD_DIR, "tests", "reliability")
EDIT_LOOP = os.path.abspath(os.environ.get(
    "NETREF_EDIT_LOOP", os.path.join(BIN_DIR, "edit_loop")))
KILLSHIM = os.path.abspath(os.environ.get(
    "NETREF_KILLSHIM", os.path.join(BIN_DIR, "libkillshim.so")))
EXAMPLE_DATA = os.path.join(SOURCE_DIR, "examples", "data",
                            "networking-evening")

# Every run: no NETREF_DB from the caller, a fixed locale.
BASE_ENV = {k: v for k, v in os.environ.items() if k != "NETREF_DB"}
BASE_ENV["LC_ALL"] = "C.UTF-8"

# The files SQLite may keep beside a database.
SIDE_FILES = ("-journal", "-wal", "-shm")


def seed_from_env(name, default=None):
    """The seed of a randomized test: $name, else a fresh one. Printed,
    so that a failure can be replayed with the same seed."""
    value = os.environ.get(name)
    seed = int(value) if value else (default if default is not None
                                     else random.SystemRandom().randrange(
                                         1, 2 ** 31))
    print("%s=%d (set it to replay this run)" % (name, seed), flush=True)
    return seed


def env_number(name, default, kind=float):
    value = os.environ.get(name)
    return kind(value) if value else default


def cli(args, db, env=None, timeout=60, stdin=None):
    """Run `netref ARGS --db DB`; returns the CompletedProcess (text)."""
    return subprocess.run([CLI] + list(args) + ["--db", db],
                          env=env if env is not None else BASE_ENV,
                          stdin=subprocess.DEVNULL if stdin is None else stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, encoding="utf-8",
                          errors="replace", timeout=timeout)


def import_args(csv_dir):
    """The `netref import` arguments for the CSV files present in dir."""
    args = ["import"]
    for kind in ("people", "ties", "offers", "needs", "taxonomy", "groups"):
        path = os.path.join(csv_dir, kind + ".csv")
        if os.path.exists(path):
            args += ["--" + kind, path]
    return args


def make_example_db(path):
    """A database holding the networking-evening example: the known
    before-state of every crash trial."""
    res = cli(import_args(EXAMPLE_DATA), path)
    if res.returncode != 0:
        raise RuntimeError("cannot import the example: " + res.stderr)
    return path


def copy_db(src, dst):
    """Copy a database and whatever side files it has, byte for byte,
    without opening it: a crashed file set is copied as it was left."""
    for suffix in ("",) + SIDE_FILES:
        if os.path.exists(dst + suffix):
            os.unlink(dst + suffix)
        if os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)


def side_files(path):
    """Which side files exist beside path, e.g. ['-journal']."""
    return [s for s in SIDE_FILES if os.path.exists(path + s)]


def remove_db(path):
    for suffix in ("",) + SIDE_FILES:
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)


# --- looking at a file with Python's sqlite3 ---------------------------------

def integrity(path):
    """PRAGMA integrity_check's answer, 'ok' for a sound file."""
    con = sqlite3.connect(path, timeout=30)
    try:
        rows = con.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows)
    except sqlite3.DatabaseError as e:
        return "error: %s" % e
    finally:
        con.close()


def _tables(con, schema="main"):
    return [r[0] for r in con.execute(
        "SELECT name FROM %s.sqlite_master WHERE type = 'table' "
        "ORDER BY name" % schema)]


def _quote(name):
    return '"%s"' % name.replace('"', '""')


def counts(path):
    """{table: rows} of every table of the file, for messages."""
    con = sqlite3.connect(path, timeout=30)
    try:
        return {t: con.execute("SELECT count(*) FROM %s" % _quote(t))
                .fetchone()[0] for t in _tables(con)}
    finally:
        con.close()


def summary(path):
    """'person=120 tie=800 ...': the row counts of a file."""
    return " ".join("%s=%d" % kv for kv in sorted(counts(path).items()))


def compare(path, ref):
    """How the content of the file at path differs from the one at ref:
    '' when they hold exactly the same schema, application id, schema
    version and rows in every table. Rows are compared by SQLite itself
    over the two attached files, so that a test can afford it on files
    of a few hundred thousand rows: first the row counts, then, where
    they are equal, the rows of path EXCEPT those of ref (every table has
    a key, so no row is there twice, and equal counts with nothing left
    over mean equal tables)."""
    con = sqlite3.connect(path, timeout=30)
    try:
        con.execute("ATTACH DATABASE ? AS ref", (ref,))
        diffs = []
        for pragma in ("application_id", "user_version"):
            got = con.execute("PRAGMA main.%s" % pragma).fetchone()[0]
            want = con.execute("PRAGMA ref.%s" % pragma).fetchone()[0]
            if got != want:
                diffs.append("%s %r, want %r" % (pragma, got, want))
        schema = ("SELECT type, name, tbl_name, sql FROM %s.sqlite_master "
                  "WHERE name NOT LIKE 'sqlite_autoindex%%'")
        if (set(con.execute(schema % "main")) !=
                set(con.execute(schema % "ref"))):
            diffs.append("the schemas differ")
            return "; ".join(diffs)
        for t in _tables(con):
            q = _quote(t)
            got, want = (con.execute("SELECT count(*) FROM %s.%s" % (db, q))
                         .fetchone()[0] for db in ("main", "ref"))
            if got != want:
                diffs.append("%s: %d rows, want %d" % (t, got, want))
                continue
            # The change counter of the index snapshot (lib/snapshot.c)
            # counts write transactions and draws a random stamp and
            # identity: two files with the same data differ in it.
            if t == "netref_state":
                continue
            changed = con.execute(
                "SELECT count(*) FROM (SELECT * FROM main.%s EXCEPT "
                "SELECT * FROM ref.%s)" % (q, q)).fetchone()[0]
            if changed:
                diffs.append("%s: %d rows differ" % (t, changed))
        return "; ".join(diffs)
    finally:
        con.close()


def snapshot(path, dst):
    """A consistent copy of a database that is not being written right
    now, by SQLite's backup API: a reference state to compare with."""
    src = sqlite3.connect(path, timeout=30)
    out = sqlite3.connect(dst)
    try:
        src.backup(out)
    finally:
        out.close()
        src.close()
    return dst


def set_journal_mode(path, mode):
    con = sqlite3.connect(path)
    try:
        got = con.execute("PRAGMA journal_mode=%s" % mode).fetchone()[0]
    finally:
        con.close()
    return got


def page_size(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA page_size").fetchone()[0]
    finally:
        con.close()


def journal_mode(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()


# --- processes ---------------------------------------------------------------

def kill_after(proc, delay):
    """SIGKILL proc after delay seconds unless it ended first. Returns
    True when the kill was sent to a running process."""
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def tmpdir(prefix):
    return tempfile.TemporaryDirectory(prefix=prefix)


def log(msg):
    print(msg, flush=True)


def now():
    return time.monotonic()


def python_env():
    """The environment of a child Python process that imports the
    binding (PYTHONPATH comes from ctest)."""
    env = dict(BASE_ENV)
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return env


PYTHON = sys.executable


# --- a generated network -----------------------------------------------------

TAGS = ("bookkeeping", "catering", "commercial office space",
        "kids birthday party", "office furniture", "office leasing",
        "part-time job", "party planning", "photography", "web design",
        "legal advice", "accounting software", "printing", "translation")
CITIES = ("Bristol", "Bath", "Cardiff", "Swindon", "Gloucester")
# People of the example network that the generated one touches, so that
# an import changes rows of the before-state too, not only adds rows.
EXAMPLE_KEYS = ("me", "priya", "ravi", "zoe", "noor", "marcus", "ellen")


def _write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


def generate_network(csv_dir, people, ties_per_person=8, seed=1):
    """people/ties/offers/needs/taxonomy/groups CSVs of a random network
    in csv_dir (deterministic for a seed). It renames and re-ties some
    people of the example network, so an import over the example both
    changes and adds rows."""
    rng = random.Random(seed)
    os.makedirs(csv_dir, exist_ok=True)
    keys = ["g%06d" % i for i in range(people)]
    person_rows = [(k, "Person %d" % i, "Org %d" % rng.randrange(500),
                    rng.choice(CITIES)) for i, k in enumerate(keys)]
    person_rows += [(k, "Renamed %s" % k, "Example Org", "Bristol")
                    for k in EXAMPLE_KEYS]
    _write_csv(os.path.join(csv_dir, "people.csv"), "key,name,org,city",
               person_rows)
    pairs = set()
    for i in range(people):
        for _ in range(ties_per_person // 2):
            j = rng.randrange(people)
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    tie_rows = [(keys[a], keys[b], "%.2f" % rng.uniform(0.05, 1.0),
                 "2025-%02d-%02d" % (rng.randrange(1, 13),
                                     rng.randrange(1, 29)), "gen")
                for a, b in sorted(pairs)]
    tie_rows += [(k, keys[n], "0.77", "2026-01-15", "generated")
                 for n, k in enumerate(EXAMPLE_KEYS)]
    tie_rows.append(("me", "priya", "0.31", "2026-02-02", "re-tied"))
    _write_csv(os.path.join(csv_dir, "ties.csv"),
               "a,b,strength,last_contact,context", tie_rows)
    offer_rows = [(k, rng.choice(TAGS), "note %d" % i)
                  for i, k in enumerate(keys) if i % 3 == 0]
    _write_csv(os.path.join(csv_dir, "offers.csv"), "person,tag,note",
               offer_rows)
    need_rows = [(k, rng.choice(TAGS), "%.2f" % rng.uniform(0.1, 1.0))
                 for i, k in enumerate(keys) if i % 3 == 1]
    need_rows.append(("me", "printing", "0.66"))
    _write_csv(os.path.join(csv_dir, "needs.csv"), "person,tag,weight",
               need_rows)
    _write_csv(os.path.join(csv_dir, "taxonomy.csv"), "tag,relation,other",
               [("invoice printing", "broader", "printing"),
                ("interpreting", "alias", "translation")])
    _write_csv(os.path.join(csv_dir, "groups.csv"), "group,person",
               [("gen-club-%d" % (i % 7), k)
                for i, k in enumerate(keys) if i % 11 == 0])
    return csv_dir


# --- after a crash -----------------------------------------------------------

# A query that builds the whole in-memory index (every table it reads).
INDEX_QUERY = ("prospects", "--from", "me", "--tag", "party planning",
               "--hops", "3", "--json")


def _netref():
    import netref  # the binding, from PYTHONPATH (bindings/python)
    return netref


def me_in_file(path):
    """What the file holds about the person `me`: their name and the keys
    of their ties, as netref's `person show me` must show them."""
    con = sqlite3.connect(path, timeout=30)
    try:
        name = con.execute("SELECT name FROM person WHERE key = 'me'") \
            .fetchone()
        ties = con.execute(
            "SELECT o.key FROM person AS m JOIN tie ON tie.a = m.id "
            "JOIN person AS o ON o.id = tie.b WHERE m.key = 'me'").fetchall()
        return (name[0] if name else None, sorted(k for (k,) in ties))
    finally:
        con.close()


def match_state(path, allowed):
    """The label of the allowed state (a list of (label, reference file))
    that the file at path holds, or None and how it differs from each."""
    diffs = []
    for label, ref in allowed:
        diff = compare(path, ref)
        if not diff:
            return label, ""
        diffs.append("vs %s: %s" % (label, diff))
    return None, "; ".join(diffs)


def _check_cli_readonly(path, problems):
    """netref's read-only commands on the crashed file, before anything
    else opens it. Returns what it showed of `me`, or None."""
    seen = None
    res = cli(["person", "show", "me", "--json"], path)
    if res.returncode != 0:
        problems.append("CLI `person show` (read-only open) exit %d: %s"
                        % (res.returncode, res.stderr.strip()))
    else:
        me = json.loads(res.stdout)
        seen = (me["name"], sorted(t["key"] for t in me["ties"]))
    res = cli(INDEX_QUERY, path)
    if res.returncode != 0:
        problems.append("CLI `prospects` (read-only open) exit %d: %s"
                        % (res.returncode, res.stderr.strip()))
    return seen


def _check_binding(path, readonly, problems):
    """The Python binding on the crashed file (a raw copy of it), opened
    read-write or read-only. Returns what it showed of `me`, or None."""
    netref = _netref()
    how = "read-only" if readonly else "read-write"
    try:
        net = netref.open(path, create=False, readonly=readonly)
    except netref.Error as e:
        problems.append("binding open (%s): %s" % (how, e))
        return None
    try:
        seen = (net.person_get("me").name,
                sorted(t.key for t in net.tie_list("me")))
        net.prospects("me", "party planning", hops=3)
        return seen
    except netref.Error as e:
        problems.append("binding query (%s): %s" % (how, e))
        return None
    finally:
        net.close()


def check_crashed(path, allowed, work):
    """Check a file a killed process left: netref opens it (the CLI's
    read-only commands on the file itself; the binding read-write and
    read-only, each on its own raw copy of the crashed file set, so that
    every path meets the crash as it was left), then integrity_check is
    ok, the content is exactly one of the allowed states (a list of
    (label, reference file)) and the same for all three, and what netref
    showed is what the file holds.

    Returns (label of the state found or None, list of problems)."""
    rw, ro = os.path.join(work, "copy-rw.db"), os.path.join(work, "copy-ro.db")
    copy_db(path, rw)
    copy_db(path, ro)
    problems = []
    seen = {"CLI read-only": _check_cli_readonly(path, problems),
            "binding read-write": _check_binding(rw, False, problems),
            "binding read-only": _check_binding(ro, True, problems)}
    files = {"CLI read-only": path, "binding read-write": rw,
             "binding read-only": ro}
    labels = set()
    for who, f in files.items():
        ic = integrity(f)
        if ic != "ok":
            problems.append("%s file: integrity_check: %s" % (who, ic[:300]))
            continue
        label, diff = match_state(f, allowed)
        labels.add(label)
        if label is None:
            problems.append("%s file: content is no allowed state (a "
                            "partial change?): %s" % (who, diff))
        elif seen[who] is not None and seen[who] != me_in_file(f):
            problems.append("%s: netref showed %r, the file holds %r"
                            % (who, seen[who], me_in_file(f)))
    if len(labels) > 1:
        problems.append("the copies recovered to different states: %s"
                        % sorted(map(str, labels)))
    remove_db(rw)
    remove_db(ro)
    return (labels.pop() if len(labels) == 1 else None), problems


def _file_sizes(path):
    """Sizes of the database and its write-ahead log (0 when there is
    none, as SQLite may create an empty one on open): what grows once a
    transaction starts writing pages (its commit, a cache spill or a
    checkpoint), unlike the rollback journal, which SQLite creates early."""
    sizes = []
    for suffix in ("", "-wal"):
        try:
            sizes.append(os.stat(path + suffix).st_size)
        except FileNotFoundError:
            sizes.append(0)
    return tuple(sizes)


def wait_for_writes(proc, path, poll=0.001):
    """Wait until proc starts writing pages to path (or its WAL), or
    ends. Returns the seconds waited, or None when proc ended first."""
    start, initial = now(), _file_sizes(path)
    while proc.poll() is None:
        if _file_sizes(path) != initial:
            return now() - start
        time.sleep(poll)
    return None


# --- the edit loop -----------------------------------------------------------

def start_edit_loop(path, first=1, count=None, step=False, env=None):
    """edit_loop on path, running, its stdout a pipe ("ack N" lines)."""
    args = [EDIT_LOOP, path, "--first", str(first)]
    if count is not None:
        args += ["--count", str(count)]
    if step:
        args.append("--step")
    return subprocess.Popen(args, env=env if env is not None else BASE_ENV,
                            stdin=subprocess.PIPE if step
                            else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True)


def acked(proc, first=1):
    """The last edit the (ended) edit_loop acknowledged, first-1 if none;
    and its stderr."""
    out, err = proc.communicate()
    last = first - 1
    for line in out.splitlines():
        if line.startswith("ack "):
            last = int(line.split()[1])
    return last, err


class EditStates:
    """The reference states of the edit loop: states[i] is a file holding
    the example network after edits 1..i (states[0] the example itself),
    each taken by SQLite's backup API while edit_loop waits between two
    edits (--step)."""

    def __init__(self, work, count):
        self.dir = os.path.join(work, "states")
        os.makedirs(self.dir, exist_ok=True)
        self.base = make_example_db(os.path.join(self.dir, "0.db"))
        self.count = count
        self.files = [self.base]
        live = os.path.join(work, "reference-run.db")
        copy_db(self.base, live)
        proc = start_edit_loop(live, count=count, step=True)
        for i in range(1, count + 1):
            proc.stdin.write("go\n")
            proc.stdin.flush()
            line = proc.stdout.readline().strip()
            if line != "ack %d" % i:
                proc.kill()
                raise RuntimeError("edit_loop reference run: got %r at edit "
                                   "%d: %s" % (line, i, proc.stderr.read()))
            self.files.append(snapshot(live, os.path.join(self.dir,
                                                          "%d.db" % i)))
        # (The acks were read above: only the exit status is left.)
        err = proc.communicate()[1]
        if proc.returncode != 0:
            raise RuntimeError("edit_loop reference run failed: " + err)
        remove_db(live)

    def allowed(self, last_acked):
        """The states a crash after `last_acked` acknowledged edits may
        leave: all of them, or one more (the edit in flight)."""
        out = [("after edit %d (last acked)" % last_acked,
                self.files[last_acked])]
        if last_acked + 1 <= self.count:
            out.append(("after edit %d (in flight)" % (last_acked + 1),
                        self.files[last_acked + 1]))
        return out
