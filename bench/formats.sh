#!/usr/bin/env bash
# Events per second of `mr local` per format, beside DuckDB (JDBC, 2 threads) reading the same file
# with its own parsing (read_json, read_csv, or regexp_extract over the raw lines). Not a test: it
# measures and prints a table. Needs the cli jar and common's test classes (./mvnw -pl cli -am
# package -DskipTests; ./mvnw -pl common test-compile) and org.duckdb:duckdb_jdbc in ~/.m2.
#
#   bench/formats.sh                 # 1M lines per format, 3 reps
#   BENCH_LINES=200000 BENCH_REPS=1 BENCH_SKIP=grok bench/formats.sh   # leave out the cases whose name has "grok"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lines="${BENCH_LINES:-1000000}"
reps="${BENCH_REPS:-3}"
out="${BENCH_OUT:-/tmp/mr-bench-formats}"
duck="${DUCKDB_JAR:-$HOME/.m2/repository/org/duckdb/duckdb_jdbc/1.5.6.0/duckdb_jdbc-1.5.6.0.jar}"
mkdir -p "$out"
java -cp "$root/common/target/test-classes" "$root/bench/FormatFiles.java" "$out" "$lines"
[ -s "$out/logs.jsonl" ] || java "${PEERS_DIR:-$root/../shared/peers}/../datasets/LogGen.java" --lines "$lines" --format json --seed 42 --out "$out/logs.jsonl"
mr() { java -XX:+UseParallelGC -jar "$root/cli/target/mr.jar" local "$@"; }
raw() { echo "read_csv('$1', columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', header = false, auto_detect = false)"; }
access_re='^\S+ \S+ \S+ \[[^\]]*\] "(?:[^"\\]|\\.)*" ([0-9]+|-) '
cat > "$out/regex.json" <<'JSON'
{"type": "regex", "pattern": "^\\S+ \\S+ \\S+ \\[[^\\]]*\\] \"(?:[^\"\\\\]|\\\\.)*\" (?P<status>[0-9]+|-) "}
JSON
cat > "$out/grok.json" <<'JSON'
{"type": "grok", "pattern": "%{COMBINEDAPACHELOG}"}
JSON
# name | mr local arguments | DuckDB SQL
cases=(
  "default (json)|-i $out/logs.jsonl -m SERVICE_DISTRIBUTION|SELECT service, count(*) FROM read_json('$out/logs.jsonl', format = 'newline_delimited', ignore_errors = true, columns = {timestamp: 'VARCHAR', level: 'VARCHAR', service: 'VARCHAR', message: 'VARCHAR'}) GROUP BY 1"
  "apache_combined|-i $out/access.log --format apache_combined -m COUNT_BY -p field=status|SELECT regexp_extract(line, '$access_re', 1) s, count(*) FROM $(raw "$out/access.log") GROUP BY 1"
  "regex|-i $out/access.log --format @$out/regex.json -m COUNT_BY -p field=status|SELECT regexp_extract(line, '$access_re', 1) s, count(*) FROM $(raw "$out/access.log") GROUP BY 1"
  "grok (COMBINEDAPACHELOG)|-i $out/access.log --format @$out/grok.json -m COUNT_BY -p field=response|SELECT regexp_extract(line, '$access_re', 1) s, count(*) FROM $(raw "$out/access.log") GROUP BY 1"
  "syslog_rfc5424|-i $out/syslog5424.log --format syslog_rfc5424 -m COUNT_BY -p field=host|SELECT regexp_extract(line, '^<[0-9]+>[0-9]+ \S+ (\S+) ', 1) h, count(*) FROM $(raw "$out/syslog5424.log") GROUP BY 1"
  "logfmt|-i $out/logfmt.log --format logfmt -m COUNT_BY -p field=level|SELECT regexp_extract(line, '(?:^| )level=(\S+)', 1) l, count(*) FROM $(raw "$out/logfmt.log") GROUP BY 1"
  "ecs_json|-i $out/ecs.jsonl --format ecs_json -m COUNT_BY -p field=level|SELECT coalesce(j->>'\$.\"log.level\"', j->>'\$.log.level') l, count(*) FROM (SELECT line::JSON j FROM $(raw "$out/ecs.jsonl")) GROUP BY 1"
  "csv|-i $out/events.csv --format csv -m COUNT_BY -p field=user|SELECT \"user\", count(*) FROM read_csv('$out/events.csv', header = true) GROUP BY 1"
  "log4j (events)|-i $out/app.log --format log4j -m COUNT_BY -p field=level|SELECT regexp_extract(line, '^\d{4}-\d\d-\d\d \S+ (?:- )?(?:\[.*?\] )?([A-Z]+)', 1) l, count(*) FROM $(raw "$out/app.log") WHERE regexp_matches(line, '^\d{4}-\d\d-\d\d ') GROUP BY 1"
)
results="$out/results.tsv"
: > "$results"
for rep in $(seq 1 "$reps"); do
  for c in "${cases[@]}"; do
    IFS='|' read -r name args sql <<< "$c"
    if [ -n "${BENCH_SKIP:-}" ] && [[ "$name" == *"$BENCH_SKIP"* ]]; then continue; fi
    file=$(echo "$args" | sed -E 's/^-i ([^ ]+).*/\1/')
    cat "$file" > /dev/null
    eval "set -- $(printf '%q ' $args)"
    mr "$@" -o "$out/mr.tsv" 2> "$out/mr.err"
    # the job's own time (mr local's first stderr line), as DuckDB's is its query's: no JVM start-up on either side
    seconds=$(sed -nE '1s/.*threads, ([0-9.]+) s,.*/\1/p' "$out/mr.err")
    records=$(awk '/recordsRead/ {print $2}' "$out/mr.err")
    read -r dsec drows < <(java -cp "$duck" "$root/bench/DuckQuery.java" "$sql")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rep" "$seconds" "$records" "$(wc -l < "$out/mr.tsv")" "$dsec" "$drows" >> "$results"
    echo "formats: $name rep $rep: mr $seconds s ($records records), duckdb $dsec s" >&2
  done
done
python3 - "$results" <<'PY'
import sys, statistics, collections
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
by = collections.OrderedDict()
for name, rep, mr, records, groups, duck, dgroups in rows:
    by.setdefault(name, []).append((float(mr), int(records), int(groups), float(duck), int(dgroups)))
print("| format | records | mr local 2 threads, job s | events/s | DuckDB 2 threads, query s | events/s | groups (mr / DuckDB) |")
print("|---|---:|---:|---:|---:|---:|---|")
for name, v in by.items():
    mr = statistics.median(x[0] for x in v); duck = statistics.median(x[3] for x in v); n = v[0][1]
    print(f"| {name} | {n:,} | {mr:.2f} | {n/mr:,.0f} | {duck:.2f} | {n/duck:,.0f} | {v[0][2]} / {v[0][4]} |")
PY
