#!/usr/bin/env python3
"""The manual page netref(1) and the bash completion against the tool.

Every command of `netref --help` has a paragraph in the manual, whose
heading names the options of the command's synopsis; groff renders the
page without a warning. The completion script, sourced in bash and called
as bash calls it (COMP_WORDS, COMP_CWORD), completes every command, every
subcommand and exactly the options each command's --help lists. Standard
library only; ctest runs it as `cli.manual`:

    NETREF_CLI=build/examples/netref python3 tests/cli/test_manual.py -v

The manual checked is the one CMake configured beside the tool
(build/examples/netref.1, the one `make install` installs).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", ".."))
CLI = os.path.abspath(os.environ.get("NETREF_CLI") or os.path.join(
    SOURCE, "build", "examples", "netref"))
MANUAL = os.path.join(os.path.dirname(CLI), "netref.1")
COMPLETION = os.path.join(SOURCE, "examples", "bash-completion", "netref")
ENV = {k: v for k, v in os.environ.items() if k != "NETREF_DB"}
ENV["LC_ALL"] = "C.UTF-8"


def netref(*args, cwd=None):
    p = subprocess.run([CLI] + list(args), env=ENV, cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"netref {' '.join(args)}: {p.stderr}")
    return p.stdout


def listed_commands():
    """The commands of `netref --help`: ["init"], ["person", "add"], ..."""
    commands = []
    for line in netref("--help").splitlines():
        m = re.match(r"  ([a-z-]+(?: [a-z-]+)?) {2,}\S", line)
        if m:
            commands.append(m.group(1).split())
    return commands


def help_of(words):
    return netref(*(words + ["--help"]))


def synopsis_options(words):
    """The options in the command's usage line."""
    usage = help_of(words).splitlines()[0]
    return set(re.findall(r"--[a-z][a-z-]*", usage))


def listed_options(words):
    """The options the command's --help lists under Options."""
    text = help_of(words)
    options = text[text.index("Options:"):] if "Options:" in text else ""
    return set(re.findall(r"^  (--[a-z][a-z-]*)", options, flags=re.M))


def manual_source():
    with open(MANUAL, encoding="utf-8") as f:
        return f.read()


def plain(troff):
    """Troff source without font escapes, \\- as -."""
    text = re.sub(r"\\f[BIRP]", "", troff)
    return text.replace("\\-", "-").replace('"', "")


class TestManual(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.source = manual_source()
        cls.text = plain(cls.source)
        cls.commands = listed_commands()

    def heading(self, words):
        """The heading line of a command's paragraph, or None."""
        name = "netref " + " ".join(words)
        lines = self.text.splitlines()
        for before, line in zip(lines, lines[1:]):
            if before == ".TP" and re.match(r"\.(B|BI|BR) ", line) and \
                    re.match(re.escape(name) + r"(\s|$)",
                             line.split(" ", 1)[1]):
                return line
        return None

    def test_configured(self):
        self.assertNotIn("@", self.source, "a @VARIABLE@ left unset")
        version = netref("--version").split()[1]
        self.assertIn(f'"netref {version}"', self.source)
        for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS",
                        "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"):
            self.assertRegex(self.source, rf"(?m)^\.SH \"?{section}")
        self.assertIn("NETREF_DB", self.text)

    def test_every_command_has_a_paragraph(self):
        self.assertGreater(len(self.commands), 40)
        for words in self.commands:
            with self.subTest(cmd=words):
                self.assertIsNotNone(self.heading(words),
                                     f"netref {' '.join(words)} is not in "
                                     "the manual")

    def test_headings_name_the_synopsis_options(self):
        shared = set(re.findall(r"^\.BI? (--[a-z][a-z-]*)",
                                self.text[self.text.index(
                                    "The tag queries take these options"):],
                                flags=re.M))
        for words in self.commands:
            heading = self.heading(words)
            if heading is None:
                continue
            for option in synopsis_options(words):
                with self.subTest(cmd=words, option=option):
                    if option in ("--db", "--help"):
                        continue
                    self.assertTrue(
                        re.search(re.escape(option) + r"\b", heading) or
                        ("[options]" in heading and option in shared),
                        heading)

    def test_the_rule_of_arguments(self):
        flat = " ".join(self.text.split())
        self.assertIn("A record's own identity is positional", flat)
        self.assertIn("Fields and values are always flags", flat)

    def test_renders_without_warnings(self):
        groff = shutil.which("groff")
        if not groff:
            self.skipTest("groff is not installed")
        p = subprocess.run([groff, "-man", "-ww", "-z", "-Tutf8", MANUAL],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=60)
        self.assertEqual((p.returncode, p.stderr), (0, ""))
        man = shutil.which("man")
        if man:
            p = subprocess.run([man, "--warnings", "-l", MANUAL],
                               env=dict(ENV, MANWIDTH="80", MANPAGER="cat",
                                        PAGER="cat"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, timeout=60)
            self.assertEqual((p.returncode, p.stderr), (0, ""))
            self.assertIn("netref - keep a referral network", p.stdout)


class TestCompletion(unittest.TestCase):
    """The completion function, called as bash calls it."""

    @classmethod
    def setUpClass(cls):
        if not shutil.which("bash"):
            raise unittest.SkipTest("bash is not installed")
        cls.commands = listed_commands()

    def complete(self, *words, cwd=None, env=None):
        """COMPREPLY for the command line `words` (the last one being the
        word under the cursor)."""
        script = (f'source "$1"; shift; COMP_WORDS=("$@"); '
                  f'COMP_CWORD=$(($# - 1)); _netref; '
                  f'printf "%s\\n" "${{COMPREPLY[@]}}"')
        env = dict(ENV, PATH=os.path.dirname(CLI) + os.pathsep +
                   ENV.get("PATH", ""), **(env or {}))
        p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script,
                            "bash", COMPLETION, "netref"] + list(words),
                           env=env, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True,
                           timeout=60)
        self.assertEqual(p.stderr, "", words)
        self.assertEqual(p.returncode, 0, words)
        return [w for w in p.stdout.split("\n") if w]

    def test_commands(self):
        want = {words[0] for words in self.commands} | {"help"}
        self.assertEqual(set(self.complete("")), want)
        self.assertEqual(self.complete("gr"), ["group"])
        self.assertEqual(set(self.complete("--db", "x.db", "p")),
                         {"person", "prospects", "providers", "path"})

    def test_subcommands(self):
        subs = {}
        for words in self.commands:
            if len(words) == 2:
                subs.setdefault(words[0], set()).add(words[1])
        self.assertIn("group", subs)
        for command, want in subs.items():
            with self.subTest(cmd=command):
                self.assertEqual(set(self.complete(command, "")), want)
                self.assertEqual(set(self.complete("help", command, "")),
                                 want)

    def test_options_are_those_of_the_help(self):
        for words in self.commands:
            with self.subTest(cmd=words):
                want = listed_options(words) | {"--help", "--db"}
                self.assertEqual(set(self.complete(*words, "--")), want)
        # `netref tie A B` is `netref tie set A B`.
        self.assertEqual(set(self.complete("tie", "ana", "bo", "--")),
                         listed_options(["tie", "set"]) | {"--help"})
        self.assertEqual(set(self.complete("--")),
                         {"--help", "--db", "--json", "--version"})

    def test_values(self):
        self.assertEqual(self.complete("tag", "people", "x", "--role", ""),
                         ["offers", "needs", "any"])
        self.assertEqual(self.complete("tag", "relate", "a", ""),
                         ["alias", "broader"])
        self.assertIn("converted", self.complete("intro", "status", "3", ""))
        self.assertEqual(self.complete("person", "add", "--name", ""), [])
        with tempfile.TemporaryDirectory() as d:
            open(os.path.join(d, "people.csv"), "w").close()
            self.assertEqual(
                self.complete("import", "--people", "peo", cwd=d),
                ["people.csv"])

    def test_keys_from_the_database(self):
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, "net.db")
            netref("init", "--db", db)
            for key in ("ana", "anders", "bo"):
                netref("person", "add", key, key.title(), "--db", db)
            self.assertEqual(
                self.complete("--db", db, "path", "--from", "an"),
                ["ana", "anders"])
            self.assertEqual(
                self.complete("prospects", "--db=" + db, "--from", ""),
                ["ana", "anders", "bo"])
            # $NETREF_DB when the line names no database; none: nothing.
            self.assertEqual(self.complete("path", "--to", "b", cwd=d,
                                           env={"NETREF_DB": db}), ["bo"])
            self.assertEqual(self.complete("path", "--to", "b", cwd=d), [])


if __name__ == "__main__":
    if not os.access(CLI, os.X_OK):
        sys.exit(f"netref binary not found at {CLI}; set NETREF_CLI")
    unittest.main(verbosity=2)
