#!/usr/bin/env python3
"""networking_evening.py: the netref demo, in Python.

A job seeker ("me") went to an entrepreneurs' networking evening with a
friend. This program loads that network from four CSV files into a
private in-memory netref database and asks it the questions one asks
after such an evening, printing the answers as a short story. It prints
exactly what the C demo (examples/networking_evening.c) prints.

Usage: networking_evening.py [DATA_DIR]
  DATA_DIR holds people.csv, ties.csv, offers.csv and needs.csv and
  defaults to examples/data/networking-evening (relative to the current
  directory).

Run it from a source checkout after `make build`:
  PYTHONPATH=bindings/python python3 examples/python/networking_evening.py
(without PYTHONPATH it finds bindings/python next to itself). All answers
are computed as of a fixed date, so the output never depends on the day
the program is run.
"""

import os
import sys
from typing import Dict, List, Optional

try:
    import netref
except ModuleNotFoundError:  # a source checkout: bindings/python is near
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(
        __file__)), os.pardir, os.pardir, "bindings", "python"))
    import netref

#: The person asking every question.
ME = "me"
#: The group of the people at the networking evening (groups.csv).
EVENING = "nov-evening"
#: The reference date of every query: answers are reproducible.
TODAY = "2026-03-15"
#: Where the example network lives, relative to the source tree.
DEFAULT_DATA_DIR = "examples/data/networking-evening"
#: Width (in characters) of the name column.
NAME_WIDTH = 20
#: Half-life of a tie's warmth, in days, for the "old ties cool" question.
HALF_LIFE_DAYS = 180.0

PROG = "networking-evening"


class Story:
    """What the story needs while it is being told."""

    def __init__(self, net: netref.Network) -> None:
        self.net = net
        self.names: Dict[str, str] = {
            p.key: p.name for p in net.person_list()}

    def name_of(self, key: Optional[str]) -> str:
        """Display name of a person, or the key itself when unknown."""
        if key is None:
            return "?"
        return self.names.get(key) or key

    def ask(self, query: str, tag: str, hops: int,
            half_life: float = 0.0) -> List[netref.Result]:
        """Ask one query (``"prospects"`` or ``"providers"``) as of TODAY."""
        return getattr(self.net, query)(ME, tag, hops=hops,
                                        half_life=half_life, today=TODAY)


def padded(s: str, width: int) -> str:
    """s, then spaces up to width characters (at least one space)."""
    return s + " " * max(1, width - len(s))


def print_heading(title: str) -> None:
    """Print a heading underlined to its width."""
    print(f"\n{title}\n" + "-" * len(title))


def find_row(rows: List[netref.Result], key: str) -> Optional[int]:
    """Index of the row about person key, or None."""
    for i, r in enumerate(rows):
        if r.key == key:
            return i
    return None


def print_row(st: Story, rows: List[netref.Result], i: int, marker: str,
              before: Optional[List[netref.Result]]) -> None:
    """Print one ranked row: name, score, hop distance and who to ask, then
    the best path by names (and, given an earlier answer, what changed)."""
    r = rows[i]
    line = f"  {marker:>4} " + padded(st.name_of(r.key), NAME_WIDTH)
    plural = " " if r.hops == 1 else "s"
    line += f" score {r.score:.3f}  {r.hops} hop{plural}  "
    if r.introducer is not None:
        line += f"ask {st.name_of(r.introducer)}"
    else:
        line += "you know them directly"
    print(line)

    line = "        " + " \u2192 ".join(
        "you" if pos == 0 else st.name_of(k) for pos, k in enumerate(r.path))
    ties = len(r.path) - 1
    if ties >= 1 and ties > r.hops:
        line += f"   ({ties} ties, yet warmer than the {r.hops}-hop route)"
    if before is not None:
        was = find_row(before, r.key)
        if was is None:
            line += "   [new]"
        else:
            old = before[was].introducer
            if old != r.introducer:
                line += (f"   [was #{was + 1}, "
                         + (f"ask {st.name_of(old)}" if old is not None
                            else "direct") + "]")
            elif was != i:
                line += f"   [was #{was + 1}]"
    print(line)


def print_result(st: Story, rows: List[netref.Result],
                 before: Optional[List[netref.Result]] = None) -> None:
    """Print every row of a result, ranked, or a line saying there are
    none."""
    if not rows:
        print("     (nobody)")
    for i in range(len(rows)):
        print_row(st, rows, i, f"{i + 1}.", before)


def question_party(st: Story) -> List[netref.Result]:
    """a) Who within two hops might need party planning? Also shows who
    one more hop would add. Returns the two-hop answer for d)."""
    print_heading("a) Who within two hops might need party planning, "
                  "and who would introduce me?")
    print("At the evening a party planner presented her services and gave "
          "me a stack of\ncards. Whom should I pass one to, and through "
          "whom?\n")
    two = st.ask("prospects", "party planning", 2)
    print_result(st, two)

    three = st.ask("prospects", "party planning", 3)
    extra = 0
    for i, r in enumerate(three):
        if find_row(two, r.key) is not None:
            continue
        if extra == 0:
            print("\nThe hop limit matters: a third hop would also reach:\n")
        extra += 1
        print_row(st, three, i, "+", None)
    if extra == 0:
        print("\nA third hop would reach nobody else who needs it.")
    return two


def question_office(st: Story) -> None:
    """b) Who offers commercial office space, within three hops?"""
    print_heading("b) My client is expanding: who offers commercial office "
                  "space, and who can introduce me?")
    print("Over coffee a client told me they are outgrowing their office. "
          "Who could I\nrecommend, within three hops?\n")
    print_result(st, st.ask("providers", "commercial office space", 3))


def question_job(st: Story) -> None:
    """c) Who offers a part-time job, within three hops?"""
    print_heading("c) And for me: who within three hops offers a part-time "
                  "job?")
    print("I am looking for part-time work myself. Whom should I ask, and "
          "who would\nvouch for me?\n")
    print_result(st, st.ask("providers", "part-time job", 3))


def question_cooling(st: Story, before: List[netref.Result]) -> None:
    """d) Party planning again, when ties cool with a 180-day half-life."""
    print_heading("d) When old ties cool, who might need party planning?")
    print("A tie I have not kept up is worth less than its strength says: "
          "let every tie\nlose half its warmth for each "
          f"{HALF_LIFE_DAYS:.0f} days since we were last in touch. "
          "Changes\nfrom answer a) are noted in brackets.\n")
    print_result(st, st.ask("prospects", "party planning", 2,
                            HALF_LIFE_DAYS), before)


def question_path(st: Story) -> None:
    """e) The strongest introduction to one person, and two other routes."""
    print_heading("e) Who can introduce me to Nadia Rahman, and by which "
                  "other routes?")
    print("Nadia leases the office space my client needs. I want the warmest "
          "chain of\nintroductions, and two more routes through other people "
          "in case one stalls.\n")
    paths = st.net.path(ME, "nadia", alternatives=2, today=TODAY)
    for i, p in enumerate(paths):
        plural = " " if p.hops == 1 else "s"
        print(f"    {i + 1}. strength {p.strength:.3f}  {p.hops} tie{plural}  "
              + " \u2192 ".join("you" if pos == 0 else st.name_of(k)
                                for pos, k in enumerate(p.path)))
    if not paths:
        print("    Nobody can introduce me to Nadia.")


#: The tag I am after myself, for question f).
JOB_TAG = "part-time job"
#: When Priya introduced me to Zoë, and when it became a job (scene i).
INTRO_MADE = "2025-11-20"
INTRO_CONVERTED = "2026-01-12"
#: What the introduction brought me (scene i).
INTRO_VALUE = 2400.0


def question_ask_first(st: Story) -> None:
    """f) Which of my contacts should I tell first that I want a job?"""
    print_heading("f) Whom should I tell first that I want a part-time "
                  "job?")
    print("Word travels: a friend who hears I am looking passes it on. "
          "Which of my\ncontacts reaches the most people offering such a "
          "job, within three hops?\n")
    rows = st.net.ask_first(ME, JOB_TAG, hops=3, role="offers", today=TODAY)
    if not rows:
        print("     (nobody)")
    for i, r in enumerate(rows):
        tops = ", ".join("themselves" if t == r.key else st.name_of(t)
                         for t in r.top)
        print(f"  {f'{i + 1}.':>4} " + padded(r.name, NAME_WIDTH)
              + f" score {r.score:.3f}  reaches {r.reached}: {tops}")


def question_matches(st: Story) -> None:
    """g) Which two people I know should I introduce to each other?"""
    print_heading("g) Which two people I know should I introduce to each "
                  "other?")
    print("A favour done is a favour remembered. Who within two hops needs "
          "what someone\nelse there offers, without knowing them yet? "
          "The five best pairs:\n")
    rows = st.net.matches(ME, hops=2, limit=5, today=TODAY)
    if not rows:
        print("     (nobody)")
    for i, m in enumerate(rows):
        print(f"  {f'{i + 1}.':>4} " + padded(m.needer_name, NAME_WIDTH)
              + "\u2194 " + padded(m.provider_name, NAME_WIDTH)
              + f" score {m.score:.3f}  {m.tag}")


def question_reconnect(st: Story) -> None:
    """h) Whom have I lost touch with that is worth a call?"""
    print_heading("h) Whom have I lost touch with that is worth a call?")
    print("Ties I have not kept up for more than 180 days, ranked by how "
          "many people\nwithin two hops they reach who offer what I need "
          "or need what I offer.\n")
    rows = st.net.reconnect(ME, older_than=180, hops=2, today=TODAY)
    if not rows:
        print("     (nobody)")
    for i, r in enumerate(rows):
        line = (f"  {f'{i + 1}.':>4} " + padded(r.name, NAME_WIDTH)
                + f" score {r.score:.3f}  ")
        line += ("never contacted" if r.days_overdue is None
                 else f"{r.days_overdue} days overdue")
        line += ("  " + ", ".join(r.tags) if r.tags
                 else "  (nothing I need or offer)")
        print(line)


def question_ledger(st: Story) -> None:
    """i) Record a referral that paid off, and show whom I owe."""
    print_heading("i) Whom do I owe a favour?")
    print("Priya introduced me to Zoë, who needed help with her books; in "
          "January it\nbecame a part-time job. I note it in my referral "
          "ledger.\n")
    intro = st.net.intro_add("priya", ME, "zoe", tag=JOB_TAG, date=INTRO_MADE,
                             note="met at the networking evening",
                             status="made")
    print(f"    {INTRO_MADE}  {st.name_of('priya')} introduced me to "
          f"{st.name_of('zoe')} (made)")
    st.net.intro_set_status(intro, "converted", date=INTRO_CONVERTED,
                            value=INTRO_VALUE)
    print(f"    {INTRO_CONVERTED}  it converted, worth {INTRO_VALUE:.2f}\n")
    rows = st.net.balance(ME)
    if not rows:
        print("     (nobody)")
    for b in rows:
        print("       " + padded(b.name, NAME_WIDTH)
              + f" for me {b.made_by}  by me {b.made_for}  converted "
              f"{b.converted}  worth {b.value:.2f} to me, "
              f"{b.value_given:.2f} to them")


# ---- j) brokers (connectors) ----

def question_connectors(st: Story) -> None:
    """j) Who connects the people around me?"""
    print_heading("j) Who connects the people around me?")
    print("Brokers hear of things first and pass them on. Among everyone "
          "within two hops\nof me, who stands on the most shortest chains "
          "of acquaintance between two\nothers (betweenness)? The five "
          "best placed:\n")
    rows = st.net.connectors(ME, hops=2, limit=5)
    if not rows:
        print("     (nobody)")
    for i, c in enumerate(rows):
        print(f"  {f'{i + 1}.':>4} " + padded(c.name, NAME_WIDTH)
              + f" betweenness {c.betweenness:6.2f}  {c.hops} "
              f"hop{'' if c.hops == 1 else 's'} away")


# ---- end of j) ----


def print_tagged_result(st: Story, rows: List[netref.Result],
                        before: Optional[List[netref.Result]],
                        asked: str) -> None:
    """print_result, and under each row whose matched tag is not the one
    asked, which tag matched (an alias or a narrower tag)."""
    if not rows:
        print("     (nobody)")
    for i, r in enumerate(rows):
        print_row(st, rows, i, f"{i + 1}.", before)
        if r.tag != asked:
            print(f"        (needs {r.tag})")


def question_taxonomy(st: Story, data_dir: str,
                      two_hops: List[netref.Result]) -> None:
    """k) Who else might need party planning, under another name? Teaches
    netref the tag taxonomy (taxonomy.csv) and asks question a) again."""
    print_heading("k) Who else might need party planning, under another "
                  "name?")
    print("A kids' birthday party is party planning too, and \"party "
          "planner\" means the\nsame. I tell netref which tags are aliases "
          "or narrower terms of others and\nask question a) again.\n")
    n = st.net.import_csv(taxonomy=os.path.join(data_dir, "taxonomy.csv"))
    print(f"Loaded {n['taxonomy']} tag relations.\n")
    print_tagged_result(st, st.ask("prospects", "party planning", 2),
                        two_hops, "party planning")


def question_group(st: Story, data_dir: str) -> None:
    """l) Of the people at the evening, who might need party planning?"""
    print_heading("l) Who at the evening might need party planning?")
    print("Zoë asked whom she should have talked to at the evening itself. "
          "I load who\nwas there (groups.csv) and keep the answer to them, "
          "within three hops.\n")
    n = st.net.import_csv(groups=os.path.join(data_dir, "groups.csv"))
    print(f"Loaded {n['groups']} group memberships.\n")
    print_tagged_result(st, st.net.prospects(ME, "party planning", hops=3,
                                             today=TODAY, group=EVENING),
                        None, "party planning")


def main(argv: List[str]) -> int:
    args = argv[1:]
    if len(args) > 1 or (len(args) == 1 and args[0] in ("-h", "--help")):
        out = sys.stderr if len(args) > 1 else sys.stdout
        print(f"usage: {os.path.basename(argv[0])} [DATA_DIR]\n"
              "  DATA_DIR holds people.csv, ties.csv, offers.csv, "
              "needs.csv,\n  taxonomy.csv and groups.csv "
              f"(default: {DEFAULT_DATA_DIR})", file=out)
        return 2 if len(args) > 1 else 0
    data_dir = args[0] if args else DEFAULT_DATA_DIR

    # Byte for byte what the C demo writes, whatever the locale says.
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
    what = "netref_open"
    try:
        with netref.open(":memory:") as net:
            what = "importing the network"
            n = net.import_csv(
                people=os.path.join(data_dir, "people.csv"),
                ties=os.path.join(data_dir, "ties.csv"),
                offers=os.path.join(data_dir, "offers.csv"),
                needs=os.path.join(data_dir, "needs.csv"))
            what = "netref_person_list"
            st = Story(net)

            title = ("A networking evening, told with netref "
                     + netref.version())
            print(title + "\n" + "=" * len(title) + "\n")
            print("I keep books for a few small firms and I am looking for "
                  "a part-time job. Last\nNovember a close friend took me "
                  "along to an entrepreneurs' networking evening.\nThese "
                  "are the questions I asked my network afterwards (as of "
                  f"{TODAY}).\n")
            print(f"Loaded {n['people']} people, {n['ties']} ties, "
                  f"{n['offers']} offers and {n['needs']} needs from "
                  f"{data_dir}.")
            what = "asking the network"
            party = question_party(st)
            question_office(st)
            question_job(st)
            question_cooling(st, party)
            question_path(st)
            question_ask_first(st)
            question_matches(st)
            question_reconnect(st)
            question_ledger(st)
            question_connectors(st)  # j) brokers
            question_taxonomy(st, data_dir, party)
            question_group(st, data_dir)
    except netref.Error as e:
        sys.stdout.flush()
        print(f"{PROG}: {what}: {e}", file=sys.stderr)
        return 1
    try:
        sys.stdout.flush()
    except OSError as e:
        print(f"{PROG}: writing the story: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
