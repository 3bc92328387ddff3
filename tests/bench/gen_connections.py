#!/usr/bin/env python3
"""Write a synthetic LinkedIn Connections.csv (standard library only).

    tests/bench/gen_connections.py ROWS OUT.csv [--seed N] [--newer PCT]

The file looks like an export from "Download your data": a byte order
mark, CRLF line ends, the notes before the header (one of them quoted
and spanning lines), then ROWS connections with accented and emoji
names, profile URLs (a few empty or percent-encoded), e-mail addresses
for about a third of them, companies with commas and quotes, and dates
such as "12 Mar 2024". The same seed gives the same file; --newer PCT
makes a later export of the same people: PCT percent of them changed
position or company, and PCT percent more people at the end, so that
importing it after the first counts new, updated and unchanged people.
Used to measure the import rate (README, "Performance").
"""
import argparse
import random

FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Eve", "Fatima", "Grace", "Hiro",
         "Inês", "José", "Kofi", "Lena", "Mei", "Nadia", "Oliver", "Priya",
         "Quentin", "Ravi", "Siobhán", "Tom", "Uma", "Vikram", "Wanjiru",
         "Xavier", "Yusuf", "Zoë", "Björn", "Ngozi", "Łukasz", "Aoife"]
LAST = ["Lima", "Okafor", "Dubois", "Ivanov", "Stone", "Benali", "Adeyemi",
        "Tanaka", "Ferreira", "Álvarez", "Mensah", "Lee", "Chen", "Rahman",
        "Grant", "Natarajan", "Moreau", "Shah", "Kelly", "Berg", "Patel",
        "Singh", "Kamau", "Núñez", "Demir", "Laurent", "Lindqvist", "Eze",
        "Wójcik", "O'Connell"]
EMOJI = ["", "", "", "", "", "", "", "", " 🚀", " 🌸", " 🎉"]
COMPANIES = ["Acme", "Brightside Studio", "Confetti & Co., Ltd",
             "\"Big Ideas\" Agency", "Harbourside Property",
             "Northgate Logistics", "Fenwick Accounting", "Tidewater Games",
             "The Loom Co-working", "Okafor, Reid & Partners", "Self-employed",
             ""]
POSITIONS = ["Founder", "CEO", "Designer", "Engineer", "Product Manager",
             "Accountant", "Recruiter, Finance & Accounting",
             "Head of \"Growth\"", "Consultant", "Director", ""]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]
NOTES = ("Notes:\r\n"
         "\"When exporting your connection data, you may notice that some "
         "of the email addresses are missing. You will only see email "
         "addresses for connections who have allowed their connections to "
         "see or download their email address using this setting "
         "https://www.linkedin.com/psettings/privacy/email.\r\n"
         "You can learn more here https://www.linkedin.com/help/linkedin/"
         "answer/261\"\r\n\r\n")
HEADER = ("First Name,Last Name,URL,Email Address,Company,Position,"
          "Connected On\r\n")


def field(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def person(i, rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    slug = f"{first}-{last}-{i:x}".lower().replace("'", "")
    roll = rng.random()
    if roll < 0.02:
        url = ""
    elif roll < 0.05:
        url = "https://www.linkedin.com/in/" + "".join(
            c if c.isascii() else "".join(f"%{b:02X}" for b in c.encode())
            for c in slug)
    else:
        url = "https://www.linkedin.com/in/" + "".join(
            c for c in slug if c.isascii())
    email = (f"{first}.{last}.{i}@example.com".lower().replace("'", "")
             if rng.random() < 0.33 or not url else "")
    email = "".join(c for c in email if c.isascii())
    date = (f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} "
            f"{rng.randint(2008, 2025)}")
    return [first + rng.choice(EMOJI), last, url, email,
            rng.choice(COMPANIES), rng.choice(POSITIONS), date]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rows", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--newer", type=float, default=0.0,
                    help="percent of people changed, and added")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    people = [person(i, rng) for i in range(args.rows)]
    if args.newer:
        change = random.Random(args.seed + 1)
        for p in people:
            if change.random() * 100 < args.newer:
                p[5] = change.choice(POSITIONS[:-1]) + " (new)"
        extra = int(args.rows * args.newer / 100)
        people += [person(args.rows + i, change) for i in range(extra)]
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff" + NOTES + HEADER)
        for p in people:
            f.write(",".join(field(x) for x in p) + "\r\n")


if __name__ == "__main__":
    main()
