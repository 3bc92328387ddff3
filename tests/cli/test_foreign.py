"""Files that are not (sound) netref databases, through the real CLI.

Only `init` and `import` turn a missing or empty file into a database;
every other command on an empty file, another program's SQLite file or a
text file exits 1 and leaves the file byte-identical (issue 9, point 9).
`init` on a damaged database fails, as `check` does.

The commands come from `netref --help` itself, so a new command is
covered without editing this file. Run by ctest (environment NETREF_CLI).
"""

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest

CLI = os.environ.get("NETREF_CLI", "netref")

# Values for the placeholders of the synopses.
VALUES = {"A": "a", "B": "b", "KEY": "a", "PERSON": "a", "TAG": "t",
          "OTHER": "u", "ID": "1", "STATUS": "made", "DAYS": "30", "S": "a",
          "T": "t", "G": "g", "GROUP": "g", "P": "a", "NAME": "n",
          "F": "x.csv", "FILE": "x.svg"}


def run(*args, env=None):
    return subprocess.run([CLI, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=60,
                          env=env)


def synopses():
    """The usage line of every command `netref --help` lists (one line
    each, by subject), from the command's own --help."""
    out = run("--help").stdout
    for line in out.splitlines():
        m = re.match(r"  ([a-z-]+(?: [a-z-]+)?) {2,}\S", line)
        if m:
            usage = run(*m.group(1).split(), "--help").stdout
            yield usage.splitlines()[0][len("Usage: netref "):]


def commands():
    """Every command of `netref --help` as argv lists with its required
    arguments filled in."""
    result = []
    for synopsis in synopses():
        argv = []
        for token in synopsis.split():
            if token.startswith("["):
                break
            if "|" in token:
                token = token.split("|")[0]
            argv.append(VALUES.get(token, token) if token.isupper()
                        else token)
        if argv[:2] == ["person", "set"]:  # needs something to change
            argv += ["--name", "n"]
        result.append(argv)
    assert len(result) > 30, result
    return result


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class ForeignFiles(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="netref-foreign-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def make(self, kind):
        path = os.path.join(self.tmp, kind)
        if kind == "empty":
            open(path, "wb").close()
        elif kind == "text":
            with open(path, "w") as f:
                f.write("not a database, " * 20)
        else:
            con = sqlite3.connect(path)
            con.execute("CREATE TABLE t(x)")
            if kind == "sqlite-empty":  # an SQLite file without tables
                con.execute("DROP TABLE t")
            else:
                con.execute("INSERT INTO t VALUES (1)")
            con.commit()
            con.close()
        return path

    def test_every_command_leaves_foreign_files_alone(self):
        for kind in ("empty", "text", "sqlite", "sqlite-empty"):
            path = self.make(kind)
            before = digest(path)
            for argv in commands():
                if argv[0] in ("init", "import"):
                    continue
                with self.subTest(kind=kind, command=" ".join(argv)):
                    r = run(*argv, "--db", path)
                    self.assertEqual(r.returncode, 1, r.stderr)
                    self.assertIn(path, r.stderr)
                    self.assertEqual(digest(path), before)
                    self.assertFalse(os.path.exists(path + "-journal"))

    def test_import_refuses_other_programs_files(self):
        people = os.path.join(self.tmp, "people.csv")
        with open(people, "w") as f:
            f.write("key,name\nana,Ana\n")
        for kind in ("text", "sqlite"):
            path = self.make(kind)
            before = digest(path)
            r = run("import", "--people", people, "--db", path)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertEqual(digest(path), before)
            r = run("init", "--db", path)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertEqual(digest(path), before)

    def test_init_and_import_make_empty_files_databases(self):
        for cmd in (["init"], ["import", "--people"]):
            path = self.make("empty")
            args = list(cmd)
            if cmd[0] == "import":
                people = os.path.join(self.tmp, "people.csv")
                with open(people, "w") as f:
                    f.write("key,name\nana,Ana\n")
                args.append(people)
            r = run(*args, "--db", path)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(run("check", "--db", path).returncode, 0)

    def test_init_on_a_damaged_database_fails(self):
        path = os.path.join(self.tmp, "net.db")
        self.assertEqual(run("init", "--db", path).returncode, 0)
        people = os.path.join(self.tmp, "people.csv")
        with open(people, "w") as f:
            f.write("key,name\n")
            f.writelines(f"p{i},Person {i} with a long name\n"
                         for i in range(3000))
        self.assertEqual(run("import", "--people", people,
                             "--db", path).returncode, 0)
        self.assertEqual(run("check", "--db", path).returncode, 0)
        r = run("init", "--db", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("already a netref database", r.stdout)
        # Damage a page in the middle of the person table's b-tree.
        size = os.path.getsize(path)
        page = 4096
        with open(path, "r+b") as f:
            f.seek((size // page // 2) * page)
            f.write(b"\xff" * 64 + b"\x00" * 64)
        r = run("init", "--db", path)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertNotIn("already a netref database", r.stdout)
        r = run("check", "--db", path)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn(path, r.stderr)

    def test_new_database_is_private(self):
        path = os.path.join(self.tmp, "new.db")
        old = os.umask(0o022)
        try:
            self.assertEqual(run("init", "--db", path).returncode, 0)
        finally:
            os.umask(old)
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)


if __name__ == "__main__":
    sys.exit(unittest.main())
