#!/bin/sh
# The pictures of `make demo` (and of `make pictures`, for the README):
# the networking evening imported into a database of its own, then drawn
# with `netref draw`. Usage: draw-evening.sh NETREF_BINARY OUT_DIR [FORMAT]
set -eu
netref=$1
out=$2
format=${3:-svg}
data=$(dirname "$0")/../data/networking-evening
mkdir -p "$out"
db=$out/evening.db
rm -f "$db" "$db-wal" "$db-shm"
"$netref" import --db "$db" --people "$data/people.csv" \
  --ties "$data/ties.csv" --offers "$data/offers.csv" \
  --needs "$data/needs.csv" --taxonomy "$data/taxonomy.csv" \
  --groups "$data/groups.csv" >/dev/null
"$netref" draw --db "$db" --from me --tag "party planning" \
  -o "$out/party-planning.$format" >/dev/null
"$netref" draw --db "$db" --from me --to nadia --alternatives 2 \
  -o "$out/path-to-nadia.$format" >/dev/null
echo "Pictures of the evening: $out/party-planning.$format (who might need"
echo "party planning) and $out/path-to-nadia.$format (who can introduce me"
echo "to Nadia), drawn by 'netref draw'."
