#!/usr/bin/python3
"""export.readers: the files `netref export` writes load in the tools
they are for, and hold what the database holds.

- GraphML with networkx.read_graphml and igraph's GraphML reader,
- GEXF with networkx.read_gexf,
- node-link JSON with networkx.node_link_graph,
- DOT with Graphviz (`dot -Tsvg`, whose SVG must parse as XML),

each compared, person by person and tie by tie, with the database as the
CLI's --json listings show it: keys, names, attributes, offers, needs,
strengths, last contacts, contexts and cadences, on a network whose text
is hostile (quotes, <&>, commas, tab, CR LF, a C0 control that XML cannot
hold, emoji, attribute names that clash with the formats' own fields),
and for a k-hop network, its people and their hops.

Debian's python3-networkx and python3-igraph (make deps) install for
/usr/bin/python3, which ctest runs this with.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

import igraph
import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
CLI = os.path.abspath(os.environ.get("NETREF_CLI") or os.path.join(
    HERE, "..", "..", "build", "examples", "netref"))

PEOPLE = [
    ("me", "Me"),
    ("ana", 'Ana "Q" D\u00edaz <&> \'Co\''),
    ("bo", "Bo\tTab\r\nCRLF \x01ctl"),
    ('k,"q"', 'Comma, "Quote"'),
    ("\U0001F600", "\u00c9moji \U0001F600"),
    ("far", "Far"),
    ("farther", "Farther"),
]
ATTRS = [
    ("ana", "Org", 'Acme, "Ltd" & <Co>\nline two'),
    ("ana", "id", "an attribute called id"),
    ("ana", "offers", "an attribute called offers"),
    ("bo", "city", "  Porto  "),
]
TIES = [
    ("me", "ana", "0.8", "2024-01-02", 'met at "Nov", <evening>\r\nok', "30"),
    ("me", "bo", "0.5", None, None, None),
    ("ana", "bo", "0.25", None, "tab\there", None),
    ("me", 'k,"q"', "1", "2023-12-31", None, "7"),
    ("ana", "\U0001F600", "0.6", None, None, None),
    ("\U0001F600", "far", "0.4", None, None, None),
    ("far", "farther", "0.9", None, None, None),
]
OFFERS = [("ana", "party planning"), ("ana", "design"), ("far", "design")]
NEEDS = [("bo", "party planning", "0.3"), ("\U0001F600", "caf\u00e9")]

# What XML 1.0 cannot hold (netref writes U+FFFD instead).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text):
    return XML_FORBIDDEN.sub("\ufffd", text)


def attr_name(name):
    """The name an attribute takes beside netref's own fields."""
    own = ("id", "key", "name", "label", "offers", "needs", "hops")
    return "attr:" + name if name in own or name.startswith("attr:") \
        else name


class ReadersCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="netref-readers-")
        cls.dir = cls._tmp.name
        cls.db = os.path.join(cls.dir, "net.db")
        cls.nr("init")
        for key, name in PEOPLE:
            cls.nr("person", "add", key, name)
        for key, attr, value in ATTRS:
            cls.nr("person", "set", key, "--attr", f"{attr}={value}")
        for a, b, strength, last, context, cadence in TIES:
            args = ["tie", "set", a, b, "--strength", strength]
            if last:
                args += ["--last-contact", last]
            if context:
                args += ["--context", context]
            if cadence:
                args += ["--cadence", cadence]
            cls.nr(*args)
        for key, tag in OFFERS:
            cls.nr("offer", "add", key, tag)
        for key, tag, *weight in NEEDS:
            cls.nr("need", "add", key, tag,
                   *(["--weight", weight[0]] if weight else []))
        cls.truth = cls.read_database()

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    @classmethod
    def nr(cls, *args):
        p = subprocess.run([CLI] + list(args) + ["--db", cls.db],
                           cwd=cls.dir, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, encoding="utf-8",
                           timeout=60)
        if p.returncode != 0:
            raise AssertionError(f"netref {args}: {p.stderr}")
        return p.stdout

    @classmethod
    def read_database(cls):
        """People and ties as the database holds them (CLI --json)."""
        people, ties = {}, {}
        for p in json.loads(cls.nr("person", "list", "--json"))["people"]:
            e = json.loads(cls.nr("person", "export", p["key"], "--json"))
            people[p["key"]] = {
                "name": e["name"], "attributes": e["attributes"],
                "offers": sorted(o["tag"] for o in e["offers"]),
                "needs": sorted(n["tag"] for n in e["needs"])}
            for t in e["ties"]:
                pair = frozenset((p["key"], t["key"]))
                ties[pair] = {
                    "strength": float(t["strength"]),
                    "last_contact": t["last_contact"],
                    "context": t["context"],
                    "cadence": None if t["cadence"] is None
                    else int(t["cadence"])}
        return {"people": people, "ties": ties}

    def export(self, fmt, name, *extra):
        path = os.path.join(self.dir, name)
        self.nr("export", "--format", fmt, "-o", path, *extra)
        return path

    # -- comparing a NetworkX graph with the database ---------------------

    def expect_graph(self, g, *, label, weight, lists, safe):
        """g's nodes and edges against the database. label: the node
        field of the name; weight: the edge field of the strength; lists:
        offers and needs as lists (JSON), else joined by line feeds;
        safe: the text transformation of the format (XML)."""
        self.assertFalse(g.is_directed())
        people = self.truth["people"]
        self.assertEqual(sorted(g.nodes), sorted(safe(k) for k in people))
        for key, p in people.items():
            with self.subTest(person=key):
                data = dict(g.nodes[safe(key)])
                self.assertEqual(data.pop(label), safe(p["name"]))
                for field in ("offers", "needs"):
                    got = data.pop(field, [] if lists else "")
                    if not lists:
                        got = got.split("\n") if got else []
                    self.assertEqual(sorted(got), p[field])
                data.pop("hops", None)
                self.assertEqual(data, {attr_name(n): safe(v)
                                        for n, v in p["attributes"].items()})
        edges = {frozenset((a, b)): d for a, b, d in g.edges(data=True)}
        self.assertEqual(set(edges), {frozenset(map(safe, pair))
                                      for pair in self.truth["ties"]})
        for pair, t in self.truth["ties"].items():
            with self.subTest(tie=sorted(pair)):
                d = dict(edges[frozenset(map(safe, pair))])
                d.pop("id", None)  # GEXF's edge ids
                self.assertEqual(d.pop(weight), t["strength"])
                want = {k: safe(v) if isinstance(v, str) else v
                        for k, v in t.items()
                        if k != "strength" and v is not None}
                self.assertEqual(d, want)


class TestReaders(ReadersCase):

    def test_networkx_graphml(self):
        g = nx.read_graphml(self.export("graphml", "net.graphml"))
        self.expect_graph(g, label="name", weight="strength", lists=False,
                          safe=xml_safe)
        # the control character became U+FFFD, CR LF and tab survived
        self.assertEqual(g.nodes["bo"]["name"], "Bo\tTab\r\nCRLF \ufffdctl")

    def test_networkx_gexf(self):
        g = nx.read_gexf(self.export("gexf", "net.gexf"))
        self.expect_graph(g, label="label", weight="weight", lists=False,
                          safe=xml_safe)

    def test_networkx_node_link_json(self):
        with open(self.export("json", "net.json"), encoding="utf-8") as f:
            g = nx.node_link_graph(json.load(f))
        # JSON holds every character: nothing replaced
        self.expect_graph(g, label="name", weight="strength", lists=True,
                          safe=lambda s: s)
        self.assertEqual(g.nodes["bo"]["name"], "Bo\tTab\r\nCRLF \x01ctl")

    def test_igraph_graphml(self):
        g = igraph.Graph.Read_GraphML(self.export("graphml", "ig.graphml"))
        people = self.truth["people"]
        self.assertFalse(g.is_directed())
        self.assertEqual(sorted(g.vs["id"]),
                         sorted(xml_safe(k) for k in people))
        for v in g.vs:
            key = [k for k in people if xml_safe(k) == v["id"]][0]
            self.assertEqual(v["name"], xml_safe(people[key]["name"]))
            self.assertEqual(v["Org"] or None,
                             people[key]["attributes"].get("Org"))
        got = {frozenset((g.vs[e.source]["id"], g.vs[e.target]["id"])):
               e["strength"] for e in g.es}
        self.assertEqual(got, {frozenset(pair): t["strength"]
                               for pair, t in self.truth["ties"].items()})

    def test_graphviz_dot(self):
        path = self.export("dot", "net.dot")
        p = subprocess.run(["dot", "-Tsvg", path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, b"")  # no warning either
        svg = ET.fromstring(p.stdout)
        titles = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}title")]
        for key in self.truth["people"]:
            self.assertIn(key, titles)  # node ids as Graphviz read them
        self.assertIn('Ana "Q" D\u00edaz <&> \'Co\'',
                      "".join(svg.itertext()))

    def test_k_hop_network(self):
        g = nx.read_graphml(self.export("graphml", "me1.graphml",
                                        "--from", "me", "--hops", "1"))
        self.assertEqual({n: d["hops"] for n, d in g.nodes(data=True)},
                         {"me": 0, "ana": 1, "bo": 1, 'k,"q"': 1})
        self.assertEqual({frozenset(e) for e in g.edges},
                         {frozenset(p) for p in self.truth["ties"]
                          if all(k in g.nodes for k in p)})
        g = nx.read_gexf(self.export("gexf", "me2.gexf", "--from", "me",
                                     "--hops", "2"))
        self.assertEqual(g.nodes["\U0001F600"]["hops"], 2)
        self.assertNotIn("far", g.nodes)


if __name__ == "__main__":
    if not os.access(CLI, os.X_OK):
        sys.exit(f"netref binary not found at {CLI}; set NETREF_CLI")
    unittest.main(verbosity=2)
