#!/usr/bin/env bash
# The four SQL queries of issue 14 on one LogGen file, back to back: DuckDB with 2 threads
# (../shared/peers/duckdb/query.py, which reads the file with read_json) and mr local with its
# default threads (2 on the benchmark machine), each a whole process; prints wall seconds, peak
# RSS and the ratio, and checks that both give the same rows (approximate p95 within 5%).
# Not a test: it measures and prints. Settings: BENCH_LINES (10000000), BENCH_REPS (5: DuckDB's time for one query can vary 2x between runs),
# BENCH_QUERIES ("a b c d"), BENCH_DATA (/tmp/mr-sql-bench). Needs python3 with duckdb.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="$root/../shared/peers/duckdb/query.py"
lines="${BENCH_LINES:-10000000}"
reps="${BENCH_REPS:-5}"
data="${BENCH_DATA:-/tmp/mr-sql-bench}"
mkdir -p "$data"
input="$data/logs-$lines.jsonl"
[ -s "$input" ] || java "$root/../shared/datasets/LogGen.java" --lines "$lines" --format json --seed 42 --out "$input"
source "$root/bench/sql-queries.sh"
"$root/mr" local --help > /dev/null # build the jar outside the timings
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
runs=""
printf '| query | DuckDB 2 threads: wall s (CPU s, RSS MB) | mr local: wall s (CPU s, RSS MB) | wall ratio | CPU ratio | load |\n|---|---:|---:|---:|---:|---:|\n'
for k in ${BENCH_QUERIES:-a b c d}; do
  : > "$data/duck-$k.times"; : > "$data/mr-$k.times"
  for r in $(seq "$reps"); do
    /usr/bin/time -o "$data/t" -f "%e %M %U %S %R" python3 "$peers" "$input" --sql "${Q[$k]}" "$data/duck-$k.tsv" --threads 2 2> /dev/null
    cat "$data/t" >> "$data/duck-$k.times"
    /usr/bin/time -o "$data/t" -f "%e %M %U %S" "$root/mr" local -i "$input" --sql "${Q[$k]}" -o "$data/mr-$k.tsv" 2> "$data/mr-$k.err"
    cat "$data/t" >> "$data/mr-$k.times"
  done
  d=$(cut -d' ' -f1 "$data/duck-$k.times" | median); dm=$(( $(cut -d' ' -f2 "$data/duck-$k.times" | sort -n | tail -1) / 1024 ))
  m=$(cut -d' ' -f1 "$data/mr-$k.times" | median); mm=$(( $(cut -d' ' -f2 "$data/mr-$k.times" | sort -n | tail -1) / 1024 ))
  dc=$(awk '{ print $3 + $4 }' "$data/duck-$k.times" | median); mc=$(awk '{ print $3 + $4 }' "$data/mr-$k.times" | median)
  python3 "$root/bench/sql-same-rows.py" "$k" "$data/duck-$k.tsv" "$data/mr-$k.tsv"
  printf '| (%s) | %s (%s, %s) | %s (%s, %s) | %s× | %s× | %s |\n' "$k" "$d" "$dc" "$dm" "$m" "$mc" "$mm" \
    "$(python3 -c "print(round($d / $m, 2))")" "$(python3 -c "print(round($dc / $mc, 2))")" "$(cut -d' ' -f1 /proc/loadavg)"
  runs+="($k) DuckDB: $(duck_runs "$data/duck-$k.times" 5); mr local: $(cut -d' ' -f1 "$data/mr-$k.times" | paste -sd' ') s"$'\n'
done
printf '\nEach run:\n%s' "$runs"
