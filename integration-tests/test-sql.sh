#!/usr/bin/env bash
# Query jobs on a running stack (./setup.sh), issue 14: each query runs as a cluster job (mr query,
# through the gateway) over a LogGen file under the input root, and as mr local --sql over the same
# file (itself checked against DuckDB by SqlCorpusTest); every row must be equal (numbers within
# 1e-9 relative, in the query's ORDER BY). Covers time buckets, count(DISTINCT), ORDER BY/LIMIT/
# OFFSET, no GROUP BY (also on an empty file), NULL keys and a projection. Then a query that cannot
# run: exit status 2, its position printed, and no job made. Finally the job's view in PostgreSQL
# (resultsQuery) gives the same rows by name.
#
# Environment: GATEWAY_URL (http://127.0.0.1:8090), MAPREDUCE_INPUT_ROOT (default data/ under the
# repository), LINES (50000), PSQL_URL (postgresql://postgres@127.0.0.1:5432/mapreduce).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8090}"
INPUT_ROOT="${MAPREDUCE_INPUT_ROOT:-$ROOT/data}"
LINES="${LINES:-50000}"
PSQL_URL="${PSQL_URL:-postgresql://postgres@127.0.0.1:5432/mapreduce}"
MR="$ROOT/mr"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

log() { printf '[%s] test-sql: %s\n' "$(date +%H:%M:%S)" "$*"; }
failures=()
fail() {
    printf 'FAIL: %s\n' "$*"
    failures+=("$*")
}
curl -fsS -m 10 -o /dev/null "$GATEWAY_URL/actuator/health" ||
    { echo "test-sql: the gateway does not answer at $GATEWAY_URL; start the stack with ./setup.sh" >&2; exit 1; }

mkdir -p "$INPUT_ROOT/sql-test" "$INPUT_ROOT/sql-test-empty"
DATA="$INPUT_ROOT/sql-test/logs.jsonl"
if [[ ! -s $DATA ]]; then
    log "generating $LINES events (LogGen, seed 7, 1% malformed)"
    java "$ROOT/common/src/test/java/dev/mapreduce/testing/LogGen.java" --lines "$LINES" --format json --seed 7 \
        --malformed 0.01 --out "$DATA" >/dev/null
fi
: >"$INPUT_ROOT/sql-test-empty/empty.jsonl"

# Same rows: numbers within 1e-9 relative; unordered queries compared as sorted rows.
cat >"$WORK/same.py" <<'PY'
import sys
ordered, a, b = sys.argv[1] == "1", open(sys.argv[2]).read().splitlines(), open(sys.argv[3]).read().splitlines()
def cell(x):
    try:
        return float(x)
    except ValueError:
        return x
def eq(x, y):
    x, y = cell(x), cell(y)
    if isinstance(x, float) and isinstance(y, float):
        return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))
    return x == y
if not ordered:
    a, b = [a[0]] + sorted(a[1:]), [b[0]] + sorted(b[1:])
if len(a) != len(b):
    print(f"{len(a) - 1} rows on the cluster, {len(b) - 1} in mr local"); sys.exit(1)
for i, (x, y) in enumerate(zip(a, b)):
    xs, ys = x.split("\t"), y.split("\t")
    if len(xs) != len(ys) or not all(eq(p, q) for p, q in zip(xs, ys)):
        print(f"row {i}: cluster {x!r}, mr local {y!r}"); sys.exit(1)
PY
same() { python3 "$WORK/same.py" "$1" "$2" "$3"; }

queries=(
    "SELECT service, count(*) AS n FROM logs GROUP BY service ORDER BY n DESC, service"
    "SELECT date_trunc('minute', timestamp) AS minute, service, count(*) AS errors FROM logs WHERE level = 'ERROR' GROUP BY 1, 2"
    "SELECT time_bucket(INTERVAL '7 minutes', timestamp) AS b, level, count(*) AS n FROM logs GROUP BY 1, 2 ORDER BY b, level LIMIT 15 OFFSET 3"
    "SELECT service, count(DISTINCT regexp_extract(message, '[Uu]ser (\\d+)', 1)) AS users FROM logs WHERE regexp_matches(message, '[Uu]ser \\d+') GROUP BY service"
    "SELECT service, avg(CAST(regexp_extract(message, 'in (\\d+) ms', 1) AS BIGINT)) AS avg_ms, max(CAST(regexp_extract(message, 'in (\\d+) ms', 1) AS BIGINT)) AS max_ms FROM logs WHERE regexp_matches(message, 'in \\d+ ms') GROUP BY service ORDER BY avg_ms DESC"
    "SELECT count(*) AS n, count(DISTINCT service) AS services, min(timestamp) AS first, max(timestamp) AS last FROM logs"
    "SELECT w, count(*) AS n FROM (SELECT unnest(tokenize(message)) AS w FROM logs) GROUP BY w ORDER BY n DESC, w LIMIT 20"
    "SELECT traceId AS t, count(*) AS n FROM logs WHERE service = 'nope' GROUP BY t"
    "SELECT nullif(level, 'INFO') AS l, count(*) AS n FROM logs GROUP BY l ORDER BY l NULLS FIRST"
    "SELECT DISTINCT level FROM logs ORDER BY level"
)
n=0
for sql in "${queries[@]}"; do
    n=$((n + 1))
    ordered=0
    [[ $sql == *"ORDER BY"* ]] && ordered=1
    "$MR" local -i "$DATA" --sql "$sql" >"$WORK/local.tsv" 2>"$WORK/local.err" ||
        { fail "query $n: mr local failed: $(head -1 "$WORK/local.err")"; continue; }
    if ! "$MR" query --gateway "$GATEWAY_URL" --input sql-test --name "sql-test-$n" --progress lines "$sql" \
        >"$WORK/cluster.tsv" 2>"$WORK/cluster.err"; then
        fail "query $n: mr query failed: $(tail -2 "$WORK/cluster.err" | tr '\n' ' ')"
        continue
    fi
    if why="$(same "$ordered" "$WORK/cluster.tsv" "$WORK/local.tsv")"; then
        log "query $n: $(($(wc -l <"$WORK/cluster.tsv") - 1)) rows equal: $sql"
    else
        fail "query $n: $why: $sql"
    fi
done

# The corpus: SqlCorpusTest's exact queries (85) in its three formats (the default one, ecs_json,
# and json with renamed and nested fields), each a cluster job compared with mr local --sql on the
# same file, which SqlCorpusTest compares with DuckDB row by row on the same data.
CORPUS="$INPUT_ROOT/sql-corpus"
if [[ ${CORPUS_CASES:-all} != 0 ]]; then
    "$MR" --version >/dev/null
    [[ -d $ROOT/common/target/test-classes/dev/mapreduce/engine/sql && -f $ROOT/cli/target/test-classes/dev/mapreduce/cli/MrBatch.class ]] ||
        { echo "test-sql: common's or cli's test classes are missing: ./mvnw -pl common,cli test-compile" >&2; exit 1; }
    java -cp "$ROOT/cli/target/mr.jar:$ROOT/common/target/test-classes" dev.mapreduce.engine.sql.SqlCorpusExport \
        "$CORPUS" "${CORPUS_LINES:-30000}"
    corpus_case() { # FOLDER FORMAT LINE: one query of the corpus, on the cluster and in mr local
        local folder=$1 format=$2 line=$3 sql out="$WORK/corpus-$1-$3" ordered=0
        sql="$(sed -n "${line}p" "$CORPUS/queries.txt")"
        [[ $sql == *"ORDER BY"* ]] && ordered=1
        if [[ "$(cat "$out.rc" 2>/dev/null)" != 0 ]]; then
            echo "FAIL $folder query $line: mr local failed: $(head -1 "$out.err" 2>/dev/null): $sql"
        elif ! "$MR" query --gateway "$GATEWAY_URL" --input "sql-corpus/$folder" -f "$format" --name "sql-corpus-$folder-$line" \
            --progress lines --poll-interval 100 "$sql" >"$out.cluster" 2>"$out.err"; then
            echo "FAIL $folder query $line: mr query failed: $(tail -2 "$out.err" | tr '\n' ' '): $sql"
        elif why="$(python3 "$WORK/same.py" "$ordered" "$out.cluster" "$out.local")"; then
            echo "ok $folder query $line: $(($(wc -l <"$out.cluster") - 1)) rows"
        else
            echo "FAIL $folder query $line: $why: $sql"
        fi
    }
    export -f corpus_case
    export CORPUS WORK MR GATEWAY_URL
    n_queries=$(wc -l <"$CORPUS/queries.txt")
    started=$SECONDS
    # Every case's mr local answer first, all in one JVM (MrBatch runs the same command line, as mr
    # does; a JVM start per case cost more than the queries): PREFIX.local, .err, .rc per case.
    while IFS=$'\t' read -r folder format; do
        line=0
        while IFS= read -r sql; do
            line=$((line + 1))
            printf '%s\tlocal\t-i\t%s\t-f\t%s\t--sql\t%s\t-o\t%s\n' "$WORK/corpus-$folder-$line" \
                "$CORPUS/$folder/logs.jsonl" "$format" "$sql" "$WORK/corpus-$folder-$line.local"
        done <"$CORPUS/queries.txt"
    done <"$CORPUS/formats.tsv" |
        java ${MR_JAVA_OPTS:--XX:+UseParallelGC} -cp "$ROOT/cli/target/mr.jar:$ROOT/cli/target/test-classes" \
            dev.mapreduce.cli.MrBatch 2>"$WORK/corpus-local.log" ||
        { echo "test-sql: MrBatch failed: $(tail -3 "$WORK/corpus-local.log")" >&2; exit 1; }
    log "corpus: mr local answered $n_queries queries x $(wc -l <"$CORPUS/formats.tsv") formats in one JVM ($((SECONDS - started)) s)"
    while IFS=$'\t' read -r folder format; do
        for ((line = 1; line <= n_queries; line++)); do
            printf '%s\t%s\t%s\n' "$folder" "$format" "$line"
        done
    done <"$CORPUS/formats.tsv" |
        xargs -d '\n' -n 1 -P "${CORPUS_PARALLEL:-3}" bash -c 'IFS=$'"'"'\t'"'"' read -r f fmt l <<<"$1"; corpus_case "$f" "$fmt" "$l"' _ \
            >"$WORK/corpus.log"
    passed=$(grep -c '^ok ' "$WORK/corpus.log" || true)
    while read -r line; do fail "corpus: ${line#FAIL }"; done < <(grep '^FAIL ' "$WORK/corpus.log" || true)
    log "corpus: $passed of $((n_queries * $(wc -l <"$CORPUS/formats.tsv"))) query jobs in 3 formats equal mr local ($((SECONDS - started)) s)"
fi

sql="SELECT count(*) AS n, sum(length(message)) AS total FROM logs"
if "$MR" query --gateway "$GATEWAY_URL" --input sql-test-empty --progress lines "$sql" >"$WORK/empty.tsv" 2>/dev/null &&
    [[ "$(cat "$WORK/empty.tsv")" == $'n\ttotal\n0\t' ]]; then
    log "no GROUP BY on an empty file: one row, count 0, sum NULL"
else
    fail "no GROUP BY on an empty file gave: $(cat "$WORK/empty.tsv" 2>/dev/null | tr '\n' '|')"
fi

before="$(curl -fsS "$GATEWAY_URL/api/jobs?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
set +e
"$MR" query --gateway "$GATEWAY_URL" --input sql-test "SELECT service FROM logs GROUP BY ROLLUP(service)" \
    >/dev/null 2>"$WORK/bad.err"
code=$?
set -e
after="$(curl -fsS "$GATEWAY_URL/api/jobs?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
if [[ $code == 2 && $before == "$after" ]] && grep -q 'query: line 1, column 35' "$WORK/bad.err"; then
    log "a bad query: exit 2, its position named, no job made"
else
    fail "a bad query: exit $code, jobs $before -> $after, said: $(tr '\n' ' ' <"$WORK/bad.err")"
fi

if command -v psql >/dev/null; then
    job="$(curl -fsS "$GATEWAY_URL/api/jobs?name=sql-test-1&limit=200" |
        python3 -c 'import json,sys; print([j["jobId"] for j in json.load(sys.stdin)["jobs"] if j["jobName"] == "sql-test-1"][0])')"
    view="job_${job//-/_}"
    if psql "$PSQL_URL" -AtF $'\t' -c "SELECT service, n FROM $view" >"$WORK/view.tsv" &&
        diff <("$MR" local -i "$DATA" --sql "${queries[0]}" 2>/dev/null | tail -n +2) "$WORK/view.tsv" >/dev/null; then
        log "the view $view gives the rows by name and type"
    else
        fail "the view $view differs from mr local"
    fi
fi

if ((${#failures[@]})); then
    printf 'test-sql: %d failure(s)\n' "${#failures[@]}"
    exit 1
fi
log "all query jobs equal mr local"
