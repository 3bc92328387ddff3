#!/bin/sh
# The contacts step of `make demo`: the evening's network, then the
# example LinkedIn export and address book imported beside it, the one
# person who came in twice merged, and the party-planning answer drawn.
# Usage: import-contacts.sh NETREF_BINARY OUT_DIR [FORMAT]
set -eu
netref=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mkdir -p "$2"
out=$(cd "$2" && pwd)
shown=${2%/} # the directory as the caller named it, for the messages
format=${3:-svg}
# Paths in the output read as a user would type them, from the top of
# the source tree.
cd "$(dirname "$0")/../.."
evening=examples/data/networking-evening
db=$out/contacts.db
picture=$out/contacts-party-planning.$format
rm -f "$db" "$db-wal" "$db-shm"
nr() { "$netref" --db "$db" "$@"; }
nr import --people "$evening/people.csv" --ties "$evening/ties.csv" \
  --offers "$evening/offers.csv" --needs "$evening/needs.csv" \
  --taxonomy "$evening/taxonomy.csv" --groups "$evening/groups.csv" \
  >/dev/null

echo "Your own contacts, imported beside the evening's network into"
echo "$shown/contacts.db; people already there are found by e-mail or"
echo "profile URL:"
nr import --linkedin examples/data/linkedin/Connections.csv \
  --vcard examples/data/contacts.vcf | sed 1d
echo
echo "The evening's Nadia had no e-mail or profile, so the contact files'"
echo "Nadia is a second record (netref person find \"Nadia Rahman\"):"
nr person find "Nadia Rahman" | sed 's/^/  /'
echo "Making them one (netref person merge nadia nadia-rahman-loom):"
nr person merge nadia nadia-rahman-loom | sed 's/^/  /'
echo
nr draw --from me --tag "party planning" -o "$picture" >/dev/null
echo "Who might need party planning, with your contacts in:"
nr prospects --from me --tag "party planning" | sed '1,2d'
echo "Picture: $shown/contacts-party-planning.$format (netref draw)."
