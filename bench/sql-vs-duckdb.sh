#!/usr/bin/env bash
# The four SQL queries of issue 14 on one LogGen file, back to back, each a whole process: DuckDB
# with 2 threads as the issue's yardstick runs it (../shared/peers/duckdb/query.py: read_json with a
# 200 MB maximum_object_size), DuckDB with read_json's default 16 MB (bench/duckdb-default.py, the
# same view otherwise) and mr local with its default threads (2 on the benchmark machine); prints
# wall seconds, CPU seconds, peak RSS and the ratios, each run's time (DuckDB's with its minor page
# faults), and checks that all give the same rows (approximate p95 within 5%).
# Not a test: it measures and prints. Settings: BENCH_LINES (10000000), BENCH_REPS (5: the peer's
# time for one query can vary 2x between runs), BENCH_QUERIES ("a b c d"), BENCH_DATA
# (/tmp/mr-sql-bench). Needs python3 with duckdb.
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
# "wall (CPU, peak RSS MB)" of a times file of "%e %M %U %S ..." lines: medians, the RSS the largest
summary() {
  printf '%s (%s, %s)' "$(cut -d' ' -f1 "$1" | median)" "$(awk '{ print $3 + $4 }' "$1" | median)" \
    "$(( $(cut -d' ' -f2 "$1" | sort -n | tail -1) / 1024 ))"
}
runs=""
printf '| query | DuckDB, peer (200 MB buffer): wall s (CPU s, RSS MB) | DuckDB, 16 MB buffer | mr local | ratio to peer | ratio to 16 MB | load |\n|---|---:|---:|---:|---:|---:|---:|\n'
for k in ${BENCH_QUERIES:-a b c d}; do
  : > "$data/duck-$k.times"; : > "$data/duck16-$k.times"; : > "$data/mr-$k.times"
  for r in $(seq "$reps"); do
    /usr/bin/time -o "$data/t" -f "%e %M %U %S %R" python3 "$peers" "$input" --sql "${Q[$k]}" "$data/duck-$k.tsv" --threads 2 2> /dev/null
    cat "$data/t" >> "$data/duck-$k.times"
    /usr/bin/time -o "$data/t" -f "%e %M %U %S %R" python3 "$root/bench/duckdb-default.py" "$input" --sql "${Q[$k]}" "$data/duck16-$k.tsv" --threads 2 2> /dev/null
    cat "$data/t" >> "$data/duck16-$k.times"
    /usr/bin/time -o "$data/t" -f "%e %M %U %S" "$root/mr" local -i "$input" --sql "${Q[$k]}" -o "$data/mr-$k.tsv" 2> "$data/mr-$k.err"
    cat "$data/t" >> "$data/mr-$k.times"
  done
  python3 "$root/bench/sql-same-rows.py" "$k" "$data/duck-$k.tsv" "$data/mr-$k.tsv"
  python3 "$root/bench/sql-same-rows.py" "$k" "$data/duck16-$k.tsv" "$data/mr-$k.tsv"
  printf '| (%s) | %s | %s | %s | %s× | %s× | %s |\n' "$k" "$(summary "$data/duck-$k.times")" \
    "$(summary "$data/duck16-$k.times")" "$(summary "$data/mr-$k.times")" \
    "$(ratio "$data/duck-$k.times" "$data/mr-$k.times")" "$(ratio "$data/duck16-$k.times" "$data/mr-$k.times")" \
    "$(cut -d' ' -f1 /proc/loadavg)"
  runs+="($k) DuckDB peer: $(duck_runs "$data/duck-$k.times" 5); 16 MB: $(duck_runs "$data/duck16-$k.times" 5); mr local: $(cut -d' ' -f1 "$data/mr-$k.times" | paste -sd' ') s"$'\n'
done
printf '\nEach run:\n%s' "$runs"
