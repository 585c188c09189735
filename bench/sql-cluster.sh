#!/usr/bin/env bash
# The four SQL queries of issue 14 (bench/sql-vs-duckdb.sh) as query jobs on the running local stack,
# from a file under the input root, back to back with DuckDB with 2 threads on the same file, as the
# issue's yardstick runs it (../shared/peers/duckdb/query.py, a 200 MB read buffer) and with
# read_json's default 16 MB (bench/duckdb-default.py): prints the wall seconds of each (DuckDB: the
# whole process; the cluster: `mr query` from submit to the last row printed), the ratios and the
# load average, and checks that all give the same rows (p95 within 5 %). Not a test: it measures and prints.
# Settings: BENCH_LINES (10000000), BENCH_REPS (5: DuckDB's time for one query can vary 2x between runs), BENCH_QUERIES ("a b c d"), BENCH_DATA
# (/tmp/mr-sql-bench, shared with sql-vs-duckdb.sh; DuckDB's files here are duck-cluster-*), BENCH_MAPPERS (4), BENCH_REDUCERS (2), and
# MAPREDUCE_INPUT_ROOT (data/) and MR_GATEWAY as for the stack. Needs python3 with duckdb.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="$root/../shared/peers/duckdb/query.py"
lines="${BENCH_LINES:-10000000}"
reps="${BENCH_REPS:-5}"
data="${BENCH_DATA:-/tmp/mr-sql-bench}"
input_root="${MAPREDUCE_INPUT_ROOT:-$root/data}"
mkdir -p "$data" "$input_root/bench-sql"
input="$data/logs-$lines.jsonl"
[ -s "$input" ] || java "$root/../shared/datasets/LogGen.java" --lines "$lines" --format json --seed 42 --out "$input"
# The stack reads under its input root: a hard link when the file system allows, else a copy.
staged="$input_root/bench-sql/logs-$lines.jsonl"
[ -s "$staged" ] || ln "$input" "$staged" 2> /dev/null || cp "$input" "$staged"
source "$root/bench/sql-queries.sh"
printf '| query | DuckDB, peer (200 MB buffer): wall s | DuckDB, 16 MB buffer | cluster (%s mappers, %s reducers) | ratio to peer | ratio to 16 MB | load |\n|---|---:|---:|---:|---:|---:|---:|\n' \
  "${BENCH_MAPPERS:-4}" "${BENCH_REDUCERS:-2}"
runs=""
for k in ${BENCH_QUERIES:-a b c d}; do
  : > "$data/duck-cluster-$k.times"; : > "$data/duck16-cluster-$k.times"; : > "$data/cluster-$k.times"
  for r in $(seq "$reps"); do
    /usr/bin/time -o "$data/t" -f "%e %R" python3 "$peers" "$input" --sql "${Q[$k]}" "$data/duck-cluster-$k.tsv" --threads 2 2> /dev/null
    cat "$data/t" >> "$data/duck-cluster-$k.times"
    /usr/bin/time -o "$data/t" -f "%e %R" python3 "$root/bench/duckdb-default.py" "$input" --sql "${Q[$k]}" "$data/duck16-cluster-$k.tsv" --threads 2 2> /dev/null
    cat "$data/t" >> "$data/duck16-cluster-$k.times"
    /usr/bin/time -o "$data/t" -f "%e" "$root/mr" query -i "bench-sql/logs-$lines.jsonl" -f json --progress lines \
      --poll-interval 50 --mappers "${BENCH_MAPPERS:-4}" --reducers "${BENCH_REDUCERS:-2}" -n "bench-sql-$k" \
      "${Q[$k]}" > "$data/cluster-$k.tsv" 2> "$data/cluster-$k.err"
    cat "$data/t" >> "$data/cluster-$k.times"
  done
  python3 "$root/bench/sql-same-rows.py" "$k" "$data/duck-cluster-$k.tsv" "$data/cluster-$k.tsv"
  python3 "$root/bench/sql-same-rows.py" "$k" "$data/duck16-cluster-$k.tsv" "$data/cluster-$k.tsv"
  printf '| (%s) | %s | %s | %s | %s× | %s× | %s |\n' "$k" "$(cut -d' ' -f1 "$data/duck-cluster-$k.times" | median)" \
    "$(cut -d' ' -f1 "$data/duck16-cluster-$k.times" | median)" "$(median < "$data/cluster-$k.times")" \
    "$(ratio "$data/duck-cluster-$k.times" "$data/cluster-$k.times")" \
    "$(ratio "$data/duck16-cluster-$k.times" "$data/cluster-$k.times")" "$(cut -d' ' -f1 /proc/loadavg)"
  runs+="($k) DuckDB peer: $(duck_runs "$data/duck-cluster-$k.times" 2); 16 MB: $(duck_runs "$data/duck16-cluster-$k.times" 2); cluster: $(paste -sd' ' "$data/cluster-$k.times") s"$'\n'
done
printf '\nEach run:\n%s' "$runs"
