"""netref draw (issue 11, "Pictures"): SVG, PNG and PDF pictures of a
query's answer, rendered with Graphviz. Each output is a valid file of
its format holding the highlighted people; hostile names (quotes,
backslashes, <, &, newlines, right-to-left marks) never abort the drawing
or break the file; a failed drawing leaves nothing behind.

Run by ctest (environment NETREF_CLI, NETREF_SOURCE_DIR).
"""

import os
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

CLI = os.environ.get("NETREF_CLI", "netref")
SOURCE = os.environ.get("NETREF_SOURCE_DIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
EVENING = os.path.join(SOURCE, "examples", "data", "networking-evening")
SVG = "{http://www.w3.org/2000/svg}"

HOSTILE = {
    "q": 'Say "hi" O\'Neil',
    "bs": "back\\slash \\n \\N \\l",
    "lt": "<b>bold</b> & co",
    "nl": "two\nlines\r",
    "rtl": "abc\u202edef",
    "emoji": "Zoë 🎉 李",
}


# Under the sanitizers, Graphviz's one leak (gvconfig, in tests/lsan.supp)
# is matched by name only with full stacks: Debian's libgvc has no frame
# pointers for the fast unwinder.
ENV = dict(os.environ)
if "ASAN_OPTIONS" in ENV:
    ENV["ASAN_OPTIONS"] += ":fast_unwind_on_malloc=0"


def run(*args, check=True):
    p = subprocess.run([CLI, *args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=300,
                       env=ENV)
    if check and p.returncode != 0:
        raise AssertionError(f"netref {' '.join(args)} failed "
                             f"({p.returncode}):\n{p.stdout}{p.stderr}")
    return p


def svg_texts(path):
    """Every text of an SVG file (parsing it proves it is well-formed)."""
    root = ET.parse(path).getroot()
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


class DrawEvening(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="netref-draw-")
        cls.tmp = cls._tmp.name
        cls.db = os.path.join(cls.tmp, "evening.db")
        files = []
        for kind in ("people", "ties", "offers", "needs", "taxonomy"):
            files += [f"--{kind}", os.path.join(EVENING, f"{kind}.csv")]
        run("import", "--db", cls.db, *files)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def draw(self, name, *args, check=True):
        out = os.path.join(self.tmp, name)
        p = run("draw", "--db", self.db, *args, "-o", out, check=check)
        return out, p

    def test_svg_holds_the_ranked_answer(self):
        out, p = self.draw("pp.svg", "--from", "me", "--tag",
                           "party planning")
        # The evening's taxonomy makes it 8 (tags narrower than party
        # planning match too).
        self.assertIn("drew 8 of 8 people", p.stdout)
        texts = svg_texts(out)
        # The prospects, ranked, with their scores.
        self.assertIn("1. Fatima Benali (fatima)", texts)
        self.assertIn("0.665", texts)
        self.assertIn("2. Ravi Shah (ravi)", texts)
        self.assertIn("8. Sven Olsen (sven)", texts)
        self.assertIn("Jordan Lee (me)", texts)
        self.assertTrue(any("Who might need" in t for t in texts))
        # The answer's people are filled; the source ringed twice.
        content = open(out, encoding="utf-8").read()
        self.assertEqual(content.count('fill="#ffd966"'), 8)

    def test_providers_and_limit(self):
        out, p = self.draw("prov.svg", "--from", "me", "--tag",
                           "party planning", "--role", "offers",
                           "--limit", "1")
        texts = svg_texts(out)
        self.assertTrue(any(t.startswith("1. ") for t in texts))
        self.assertFalse(any(t.startswith("2. ") for t in texts))
        self.assertTrue(any("more not shown" in t for t in texts),
                        "the picture must say how many were left out")
        self.assertIn("drew 1 of", p.stdout)

    def test_path_png_and_pdf(self):
        out, _ = self.draw("path.png", "--from", "me", "--to", "nadia",
                           "--alternatives", "2")
        with open(out, "rb") as f:
            head = f.read(24)
        self.assertEqual(head[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(head[12:16], b"IHDR")
        out, _ = self.draw("path.pdf", "--from", "me", "--to", "nadia")
        with open(out, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"%PDF-"))
        self.assertIn(b"%%EOF", data[-64:])
        out, _ = self.draw("path.svg", "--from", "me", "--to", "nadia",
                           "--alternatives", "2")
        texts = svg_texts(out)
        self.assertIn("Nadia Rahman (nadia)", texts)
        content = open(out, encoding="utf-8").read()
        self.assertIn('stroke-dasharray', content)  # an alternative

    def test_usage_and_failures_leave_nothing(self):
        for args in (["--from", "me", "--tag", "x", "-o", "a.gif"],
                     ["--from", "me", "-o", "a.svg"],
                     ["--from", "me", "--tag", "x", "--to", "b", "-o",
                      "a.svg"],
                     ["--from", "me", "--tag", "x"],
                     ["--from", "me", "--tag", "x", "--limit", "0", "-o",
                      "a.svg"],
                     ["--from", "me", "--tag", "x", "--role", "both", "-o",
                      "a.svg"]):
            with self.subTest(args=args):
                p = run("draw", "--db", self.db, *args, check=False)
                self.assertEqual(p.returncode, 2, p.stderr)
        before = set(os.listdir(self.tmp))
        out, p = self.draw("none.svg", "--from", "zed", "--tag",
                           "party planning", check=False)
        self.assertEqual(p.returncode, 1)
        out, p = self.draw("none.svg", "--from", "me", "--tag",
                           "no such tag at all", check=False)
        self.assertEqual(p.returncode, 1)
        missing = os.path.join(self.tmp, "no", "such", "dir", "x.svg")
        p = run("draw", "--db", self.db, "--from", "me", "--tag",
                "party planning", "-o", missing, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(set(os.listdir(self.tmp)), before)

    def test_an_old_picture_is_replaced_whole(self):
        out = os.path.join(self.tmp, "keep.svg")
        with open(out, "w") as f:
            f.write("old")
        run("draw", "--db", self.db, "--from", "me", "--tag",
            "party planning", "-o", out)
        svg_texts(out)  # a complete new picture


class DrawHostileNames(unittest.TestCase):
    def test_names_never_break_the_picture(self):
        with tempfile.TemporaryDirectory(prefix="netref-draw-") as tmp:
            db = os.path.join(tmp, "h.db")
            run("init", "--db", db)
            run("person", "add", "me", "Me", "--db", db)
            for key, name in HOSTILE.items():
                run("person", "add", key, name, "--db", db)
                run("tie", "set", "me", key, "--strength", "0.5",
                    "--db", db)
                run("need", "add", key, "cake", "--db", db)
            run("tie", "set", "q", "lt", "--db", db)
            for ext in ("svg", "png", "pdf"):
                out = os.path.join(tmp, f"h.{ext}")
                p = run("draw", "--db", db, "--from", "me", "--tag", "cake",
                        "-o", out)
                self.assertIn(f"drew {len(HOSTILE)} of", p.stdout)
                self.assertGreater(os.path.getsize(out), 100)
            texts = "\n".join(svg_texts(os.path.join(tmp, "h.svg")))
            self.assertIn('Say "hi" O\'Neil', texts)
            self.assertIn("<b>bold</b> & co", texts)
            # Stored control characters are shown as escapes, never raw.
            self.assertIn("two\\nlines\\r", texts)
            # A backslash shows as \\, as in the CLI's tables: Graphviz's
            # own escapes (\n, \N, \l) are never read from a name.
            self.assertIn("back\\\\slash \\\\n \\\\N \\\\l", texts)
            self.assertIn("abc\\u202Edef", texts)
            self.assertIn("Zoë 🎉 李", texts)


if __name__ == "__main__":
    unittest.main(verbosity=2)
