#!/usr/bin/env bash
# count(DISTINCT) over 10M distinct values in one group, through mr local at -Xmx256m: the map side
# spills, the reduce streams over the sorted run and never holds the group's values. Checks the
# count. Not a test: it measures and prints. Options: LINES (10000000), DATA (/tmp/mr-sql-memory).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lines="${LINES:-10000000}"
data="${DATA:-/tmp/mr-sql-memory}"
mkdir -p "$data"
input="$data/distinct-$lines.jsonl"
if [ ! -s "$input" ]; then
  echo "generating $lines lines with distinct messages in $input" >&2
  awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++) printf "{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":\"one\",\"message\":\"user-%d\"}\n", i }' > "$input"
fi
query="SELECT service, count(DISTINCT message) AS users, count(*) AS n FROM logs GROUP BY service"
out="$data/out.tsv"
MR_JAVA_OPTS="-Xmx256m -XX:+UseParallelGC -Xlog:gc:file=$data/gc.log" \
  /usr/bin/time -o "$data/time" -f "%e s wall, %M KB peak RSS" \
  "$root/mr" local -i "$input" --sql "$query" --threads 2 --sort-buffer-mb 32 -o "$out" 2> "$data/err"
cat "$data/err" >&2
cat "$out"
expected=$(printf 'service\tusers\tn\none\t%s\t%s' "$lines" "$lines")
if [ "$(cat "$out")" != "$expected" ]; then
  echo "FAILED: expected one row with $lines distinct values" >&2
  exit 1
fi
echo "ok: $(cat "$data/time"), heap at most $(grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$data/gc.log" | sed 's/.*->\([0-9]*\)M(\([0-9]*\)M)/\2/' | sort -n | tail -1) MB committed"
