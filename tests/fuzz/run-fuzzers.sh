#!/bin/sh
# Run every libFuzzer target of a fuzz build for a while
# (tests/fuzz/README.md; `make fuzz` and `make test` call this).
#
#   tests/fuzz/run-fuzzers.sh BUILD_DIR SECONDS [JOBS] [TARGET...]
#
# Each target starts from its committed seed corpus, copied into
# BUILD_DIR/fuzz-corpus/TARGET (the inputs libFuzzer adds go there and
# are kept for the next run; the committed corpus is never written), and
# uses its dictionary. A crash, leak, timeout or broken invariant is saved
# into tests/fuzz/regressions/TARGET/, where the replay test of every
# build picks it up, and makes this script fail. JOBS targets run at once.
# The last lines are a table: executions, executions per second, corpus
# size and the outcome of each target.
set -u

usage() {
  echo "usage: $0 BUILD_DIR SECONDS [JOBS] [TARGET...]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
build=$1
seconds=$2
jobs=${3:-1}
[ $# -ge 3 ] && shift 3 || shift 2
case $seconds$jobs in *[!0-9]*) usage ;; esac

here=$(cd "$(dirname "$0")" && pwd)
work=$build/fuzz-corpus
logs=$build/fuzz-logs
mkdir -p "$work" "$logs"

if [ $# -eq 0 ]; then
  set -- $(cd "$here/corpus" && ls)
fi

dictionary() {
  case $1 in
    import_vcard | vcard) echo "$here/vcard.dict" ;;
    import_*) echo "$here/csv.dict" ;;
    *) echo "$here/$1.dict" ;;
  esac
}

# ASan keeps freed memory out of use for a while to catch use after free;
# its default of 256 MB of such memory makes every SQLite page cache of
# the import targets fresh memory (page faults, a quarter of the speed).
# 16 MB still holds thousands of recent frees. The caller's options win.
ASAN_OPTIONS="quarantine_size_mb=16${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export ASAN_OPTIONS

# Run one target; its log goes to $logs/TARGET.log.
run_one() {
  t=$1
  exe=$build/tests/fuzz/fuzz_$t
  if [ ! -x "$exe" ]; then
    echo "missing $exe (build the target netref_fuzzers)" >"$logs/$t.log"
    return 1
  fi
  mkdir -p "$work/$t" "$here/regressions/$t"
  cp -p "$here/corpus/$t"/* "$work/$t"/
  dict=$(dictionary "$t")
  set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
    -print_final_stats=1 -artifact_prefix="$here/regressions/$t/"
  [ -f "$dict" ] && set -- "$@" -dict="$dict"
  "$exe" "$@" "$work/$t" >"$logs/$t.log" 2>&1
}

# A pool of $jobs background runs; each writes its exit status beside
# its log.
running=0
for t in "$@"; do
  if [ "$running" -ge "$jobs" ]; then
    wait
    running=0
  fi
  echo "fuzz: $t for ${seconds}s" >&2
  (run_one "$t"; echo $? >"$logs/$t.status") &
  running=$((running + 1))
done
wait

failed=0
printf '%-20s %12s %10s %8s  %s\n' target executions exec/s corpus result
for t in "$@"; do
  log=$logs/$t.log
  status=$(cat "$logs/$t.status" 2>/dev/null || echo 1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(ls "$work/$t" | wc -l)
  if [ "$status" = 0 ]; then
    result=ok
  else
    result="FAILED (log: $log)"
    failed=1
  fi
  printf '%-20s %12s %10s %8s  %s\n' "$t" "${runs:-?}" "${rate:-?}" \
    "$corpus" "$result"
done
if [ "$failed" != 0 ]; then
  for t in "$@"; do
    [ "$(cat "$logs/$t.status" 2>/dev/null)" = 0 ] && continue
    echo "---- $t: end of $logs/$t.log" >&2
    tail -40 "$logs/$t.log" >&2
  done
  echo "fuzz: failures above; the inputs are in tests/fuzz/regressions/" >&2
  exit 1
fi
