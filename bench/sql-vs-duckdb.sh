#!/usr/bin/env bash
# The four SQL queries of issue 14 on one LogGen file, back to back: DuckDB with 2 threads
# (../shared/peers/duckdb/query.py, which reads the file with read_json) and mr local with its
# default threads (2 on the benchmark machine), each a whole process; prints wall seconds, peak
# RSS and the ratio, and checks that both give the same rows (approximate p95 within 5%).
# Not a test: it measures and prints. Settings: BENCH_LINES (10000000), BENCH_REPS (3),
# BENCH_QUERIES ("a b c d"), BENCH_DATA (/tmp/mr-sql-bench). Needs python3 with duckdb.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="$root/../shared/peers/duckdb/query.py"
lines="${BENCH_LINES:-10000000}"
reps="${BENCH_REPS:-3}"
data="${BENCH_DATA:-/tmp/mr-sql-bench}"
mkdir -p "$data"
input="$data/logs-$lines.jsonl"
[ -s "$input" ] || java "$root/../shared/datasets/LogGen.java" --lines "$lines" --format json --seed 42 --out "$input"
declare -A Q
Q[a]="SELECT service, count(*) AS n FROM logs GROUP BY service"
Q[b]="SELECT date_trunc('minute', CAST(timestamp AS TIMESTAMP)) AS minute, service, count(*) AS errors FROM logs WHERE level = 'ERROR' GROUP BY 1, 2"
Q[c]="SELECT service, approx_quantile(CAST(regexp_extract(message, 'in (\\d+) ms', 1) AS BIGINT), 0.95) AS p95 FROM logs WHERE regexp_matches(message, 'in \\d+ ms') GROUP BY service"
Q[d]="SELECT service, count(DISTINCT regexp_extract(message, '[Uu]ser (\\d+)', 1)) AS users FROM logs WHERE regexp_matches(message, '[Uu]ser \\d+') GROUP BY service"
"$root/mr" local --help > /dev/null # build the jar outside the timings
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
printf '| query | DuckDB 2 threads: wall s (CPU s, RSS MB) | mr local: wall s (CPU s, RSS MB) | wall ratio | CPU ratio | load |\n|---|---:|---:|---:|---:|---:|\n'
for k in ${BENCH_QUERIES:-a b c d}; do
  : > "$data/duck-$k.times"; : > "$data/mr-$k.times"
  for r in $(seq "$reps"); do
    /usr/bin/time -o "$data/t" -f "%e %M %U %S" python3 "$peers" "$input" --sql "${Q[$k]}" "$data/duck-$k.tsv" --threads 2 2> /dev/null
    cat "$data/t" >> "$data/duck-$k.times"
    /usr/bin/time -o "$data/t" -f "%e %M %U %S" "$root/mr" local -i "$input" --sql "${Q[$k]}" -o "$data/mr-$k.tsv" 2> "$data/mr-$k.err"
    cat "$data/t" >> "$data/mr-$k.times"
  done
  d=$(cut -d' ' -f1 "$data/duck-$k.times" | median); dm=$(( $(cut -d' ' -f2 "$data/duck-$k.times" | sort -n | tail -1) / 1024 ))
  m=$(cut -d' ' -f1 "$data/mr-$k.times" | median); mm=$(( $(cut -d' ' -f2 "$data/mr-$k.times" | sort -n | tail -1) / 1024 ))
  dc=$(awk '{ print $3 + $4 }' "$data/duck-$k.times" | median); mc=$(awk '{ print $3 + $4 }' "$data/mr-$k.times" | median)
  python3 - "$k" "$data/duck-$k.tsv" "$data/mr-$k.tsv" <<'PY'
import sys
k, duck, mr = sys.argv[1:]
rows = lambda f, skip: sorted(tuple(l.rstrip("\n").split("\t")) for l in open(f, encoding="utf-8").readlines()[skip:])
a, b = rows(duck, 0), rows(mr, 1)
if k == "c":
    a = {r[0]: float(r[1]) for r in a}; b = {r[0]: float(r[1]) for r in b}
    bad = [s for s in a if s not in b or abs(a[s] - b[s]) > 0.05 * a[s]]
else:
    bad = [] if a == b else ["rows differ"]
if k == "b":  # DuckDB prints 2026-11-20 00:00:00, as mr local does
    pass
if bad:
    sys.exit(f"query {k}: DuckDB and mr local disagree: {bad[:3]}")
PY
  printf '| (%s) | %s (%s, %s) | %s (%s, %s) | %s× | %s× | %s |\n' "$k" "$d" "$dc" "$dm" "$m" "$mc" "$mm" \
    "$(python3 -c "print(round($d / $m, 2))")" "$(python3 -c "print(round($dc / $mc, 2))")" "$(cut -d' ' -f1 /proc/loadavg)"
done
