#!/usr/bin/env bash
# End-to-end test of the running cluster (start it with ./setup.sh first). It
#   1. generates a LogGen dataset with 1% malformed lines (half JSON, half text form by default),
#   2. computes the expected rows with integration-tests/reference.py, an independent
#      implementation of the input rules and functions (Python, not the project's engine), while
#   3. `./mr ingest` puts the file into a fresh topic (3 partitions),
#   4. submits WORD_COUNT, SERVICE_DISTRIBUTION, LEVEL_COUNT and ERROR_PATTERN jobs (SUM, 4
#      mappers, 2 reducers) through the gateway at the same time and waits for COMPLETED,
#   5. compares EVERY row of each job in PostgreSQL with the reference (integration-tests/compare.py),
#      and the job's counters.recordsRead / counters.malformedRecords with the reference's counts,
#   6. checks that each task ran exactly one attempt, reports which workers ran map and reduce
#      tasks, and runs the README's top-20 SQL unchanged, checking its numeric order and values.
# It exits 0 only if everything matches, 1 on any difference, 2 if the stack is not reachable.
#
#   ./setup.sh && integration-tests/test-mapreduce.sh
#   EVENTS=1000000 TIMEOUT=900 integration-tests/test-mapreduce.sh
#
# Environment (defaults in brackets):
#   GATEWAY_URL [http://127.0.0.1:8090]   KAFKA_BOOTSTRAP_SERVERS [127.0.0.1:9092]
#   PGHOST [127.0.0.1] PGPORT [5432] PGUSER [postgres] PGDATABASE [mapreduce] (PGPASSWORD as psql)
#   EVENTS [200000] lines generated; SEED [42]; MALFORMED [0.01]; FORMAT [mixed|json|text]
#   NASTY [0]: 1 appends the edge cases of integration-tests/make-nasty-logs.py (BOM, CR/CRLF,
#     invalid UTF-8, escapes, keys with tabs/newlines, every ERROR_PATTERN rule) to the dataset;
#     NASTY=nul also adds a valid record whose service holds U+0000, which PostgreSQL text cannot
#     store: the cluster stores it as U+2400, as the reference does (docs/results.md)
#   MAP_FUNCTIONS ["WORD_COUNT SERVICE_DISTRIBUTION LEVEL_COUNT ERROR_PATTERN"]; REDUCE_FUNCTION [SUM]
#   NUM_MAPPERS [4] NUM_REDUCERS [2] PARTITIONS [3] (of the fresh topic)
#   TIMEOUT [300] seconds for the whole test
#   REQUIRE_ALL_WORKERS [0]: 1 makes it a failure unless at least MAP_WORKERS [2] distinct workers
#     ran map tasks and REDUCE_WORKERS [2] ran reduce tasks (it depends on timing, so by default it
#     is only reported)
#   REQUIRE_SINGLE_ATTEMPT [1]: 0 reports tasks with more than one attempt instead of failing
#   MR [./mr] the command line used for `mr ingest`; KEEP_FILES [0]: 1 keeps the temporary folder
# The fresh topic (it-mapreduce-<time>-<random>) and the jobs' rows are left for inspection.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
HERE="$ROOT/integration-tests"

GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8090}"
GATEWAY_URL="${GATEWAY_URL%/}"
KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGDATABASE="${PGDATABASE:-mapreduce}" PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"
export PGCLIENTENCODING=UTF8
EVENTS="${EVENTS:-200000}"
SEED="${SEED:-42}"
MALFORMED="${MALFORMED:-0.01}"
FORMAT="${FORMAT:-mixed}"
MAP_FUNCTIONS="${MAP_FUNCTIONS:-WORD_COUNT SERVICE_DISTRIBUTION LEVEL_COUNT ERROR_PATTERN}"
REDUCE_FUNCTION="${REDUCE_FUNCTION:-SUM}"
NUM_MAPPERS="${NUM_MAPPERS:-4}"
NUM_REDUCERS="${NUM_REDUCERS:-2}"
PARTITIONS="${PARTITIONS:-3}"
TIMEOUT="${TIMEOUT:-300}"
REQUIRE_ALL_WORKERS="${REQUIRE_ALL_WORKERS:-0}"
MAP_WORKERS="${MAP_WORKERS:-2}"
REDUCE_WORKERS="${REDUCE_WORKERS:-2}"
REQUIRE_SINGLE_ATTEMPT="${REQUIRE_SINGLE_ATTEMPT:-1}"
MR="${MR:-$ROOT/mr}"
KEEP_FILES="${KEEP_FILES:-0}"
LOGGEN="$ROOT/common/src/test/java/dev/mapreduce/testing/LogGen.java"

deadline=$((SECONDS + TIMEOUT))
failures=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() {
    failures+=("$*")
    printf 'FAIL: %s\n' "$*"
}
die() { # message [exit status, default 1]
    printf 'ERROR: %s\n' "$1" >&2
    exit "${2:-1}"
}
# Dies once the deadline has passed; otherwise sets $left to the seconds that remain.
check_time() {
    left=$((deadline - SECONDS))
    ((left > 0)) || die "timed out after ${TIMEOUT}s (TIMEOUT) $1"
}
psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

for tool in java python3 curl jq psql timeout; do
    command -v "$tool" >/dev/null || die "$tool is needed but not installed" 2
done
[ -f "$LOGGEN" ] || die "missing $LOGGEN" 2
read -r -a maps <<<"$MAP_FUNCTIONS"

work="$(mktemp -d "${TMPDIR:-/tmp}/test-mapreduce.XXXXXX")"
ref_pid=""
cleanup() {
    if [ -n "$ref_pid" ]; then kill "$ref_pid" 2>/dev/null || true; fi
    if [ "$KEEP_FILES" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- 0. the stack answers ----------------------------------------------------------------------
log "gateway $GATEWAY_URL, Kafka $KAFKA_BOOTSTRAP_SERVERS, PostgreSQL $PGUSER@$PGHOST:$PGPORT/$PGDATABASE"
curl -fsS -m 10 -o /dev/null "$GATEWAY_URL/actuator/health" ||
    die "the gateway does not answer at $GATEWAY_URL/actuator/health; start the stack with ./setup.sh" 2
psql_q -c "SELECT 1 FROM results LIMIT 0" >/dev/null ||
    die "cannot query the results table in PostgreSQL ($PGHOST:$PGPORT/$PGDATABASE)" 2

# --- 1. dataset --------------------------------------------------------------------------------
data="$work/logs"
log "generating $EVENTS LogGen lines ($FORMAT, seed $SEED, malformed $MALFORMED)"
gen() { # lines format seed out
    check_time "generating the dataset"
    timeout "$left" java "$LOGGEN" --lines "$1" --format "$2" --seed "$3" \
        --malformed "$MALFORMED" --out "$4"
}
case "$FORMAT" in
    json | text) gen "$EVENTS" "$FORMAT" "$SEED" "$data" ;;
    mixed)
        gen $((EVENTS - EVENTS / 2)) json "$SEED" "$work/part-json"
        gen $((EVENTS / 2)) text $((SEED + 1)) "$work/part-text"
        cat "$work/part-json" "$work/part-text" >"$data"
        rm "$work/part-json" "$work/part-text"
        ;;
    *) die "FORMAT must be json, text or mixed" 2 ;;
esac
if [ "${NASTY:-0}" != 0 ]; then
    nasty_args=()
    [ "$NASTY" = nul ] || nasty_args=(--no-nul-key)
    "$HERE/make-nasty-logs.py" ${nasty_args[@]+"${nasty_args[@]}"} "$work/nasty" 2>/dev/null
    cat "$work/nasty" >>"$data"
    rm "$work/nasty"
fi
log "dataset: $(wc -c <"$data") bytes"

# --- 2. the independent expected results, computed while the topic is filled -------------------
expected="$work/expected"
map_args=()
for map in "${maps[@]}"; do map_args+=(--map "$map"); done
"$HERE/reference.py" --reduce "$REDUCE_FUNCTION" --format jsonl --output-dir "$expected" \
    --counters "$expected/counters.json" "${map_args[@]}" "$data" \
    >"$work/reference.out" 2>&1 &
ref_pid=$!

# --- 3. ingest into a fresh topic --------------------------------------------------------------
topic="it-mapreduce-$(date +%Y%m%d-%H%M%S)-$RANDOM"
log "ingesting into topic $topic ($PARTITIONS partitions)"
ingest_start=$SECONDS
check_time "before ingesting"
timeout "$left" "$MR" ingest --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" \
    --topic "$topic" --partitions "$PARTITIONS" "$data" >"$work/ingest.out" 2>&1 ||
    {
        cat "$work/ingest.out"
        die "mr ingest failed"
    }
log "ingested in $((SECONDS - ingest_start)) s: $(tail -n 1 "$work/ingest.out")"

# --- 2'. the reference is done before any job starts, so it does not slow the jobs down --------
while kill -0 "$ref_pid" 2>/dev/null; do
    check_time "waiting for reference.py"
    sleep 0.5
done
if ! wait "$ref_pid"; then
    ref_pid=""
    cat "$work/reference.out"
    die "reference.py failed"
fi
ref_pid=""
exp_read="$(jq -r .recordsRead "$expected/counters.json")"
exp_malformed="$(jq -r .malformedRecords "$expected/counters.json")"
log "reference: $exp_read records, $exp_malformed malformed"

# --- 4. submit every job at once ---------------------------------------------------------------
declare -A job_id job_submitted job_seconds job_json ended
uuid_re='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
for map in "${maps[@]}"; do
    body="$(jq -cn --arg name "it-$(tr 'A-Z_' 'a-z-' <<<"$map")-$topic" --arg topic "$topic" \
        --argjson m "$NUM_MAPPERS" --argjson r "$NUM_REDUCERS" --arg map "$map" --arg red "$REDUCE_FUNCTION" \
        '{jobName: $name, inputTopic: $topic, numMappers: $m, numReducers: $r, mapFunction: $map,
          reduceFunction: $red}')"
    code="$(curl -sS -m 30 -o "$work/submit.json" -w '%{http_code}' -X POST "$GATEWAY_URL/api/jobs" \
        -H 'Content-Type: application/json' --data "$body")" || die "POST $GATEWAY_URL/api/jobs failed"
    id="$(jq -r '.jobId // empty' "$work/submit.json" 2>/dev/null || true)"
    if [[ ! "$code" =~ ^2 ]] || [[ ! "$id" =~ $uuid_re ]]; then
        die "submitting $map answered HTTP $code: $(cat "$work/submit.json")"
    fi
    job_id[$map]="$id"
    job_submitted[$map]=$SECONDS
    log "submitted $map/$REDUCE_FUNCTION: job $id ($(jq -r '.status' "$work/submit.json"))"
done

# --- 4'. wait for COMPLETED --------------------------------------------------------------------
pending=("${maps[@]}")
while ((${#pending[@]} > 0)); do
    still=()
    for map in "${pending[@]}"; do
        id="${job_id[$map]}"
        code="$(curl -sS -m 10 -o "$work/job-$map.json" -w '%{http_code}' "$GATEWAY_URL/api/jobs/$id" || true)"
        status="$(jq -r '.status // empty' "$work/job-$map.json" 2>/dev/null || true)"
        case "$status" in
            COMPLETED)
                job_seconds[$map]=$((SECONDS - job_submitted[$map]))
                job_json[$map]="$(cat "$work/job-$map.json")"
                log "$map: COMPLETED after ${job_seconds[$map]} s (durationMs $(jq -r '.durationMs // "?"' "$work/job-$map.json"))"
                ;;
            FAILED | CANCELLED)
                job_seconds[$map]=$((SECONDS - job_submitted[$map]))
                jq . "$work/job-$map.json" || cat "$work/job-$map.json"
                fail "$map job $id ended $status: $(jq -r '.error // "no error given"' "$work/job-$map.json")"
                ended[$map]="$status"
                ;;
            *) still+=("$map") ;;
        esac
    done
    pending=(${still[@]+"${still[@]}"})
    if ((${#pending[@]} > 0)); then
        if ((SECONDS >= deadline)); then
            for map in "${pending[@]}"; do
                echo "--- $map job ${job_id[$map]} (HTTP $code):"
                jq . "$work/job-$map.json" 2>/dev/null || cat "$work/job-$map.json"
            done
            die "timed out after ${TIMEOUT}s (TIMEOUT) waiting for: ${pending[*]}"
        fi
        sleep 0.5
    fi
done

# --- 5. every row, the counters, the attempts --------------------------------------------------
declare -A summary
for map in "${maps[@]}"; do
    id="${job_id[$map]}"
    if [ -n "${ended[$map]:-}" ]; then
        summary[$map]="$(printf '%-21s %6ss  %s' "$map" "${job_seconds[$map]}" "${ended[$map]}: not compared")"
        continue
    fi
    jobfile="$work/job-$map.json"
    actual="$work/actual-$map.jsonl"
    exp_file="$expected/$map.jsonl"
    exp_rows=$(wc -l <"$exp_file")
    echo
    log "$map (job $id)"

    # rows: one JSON array per row, so any key (tabs, newlines, backslashes) survives
    psql_q -c "SELECT json_build_array(result_key, result_value::text) FROM results WHERE job_id = '$id'" \
        >"$actual" || die "cannot read the results of job $id"
    act_rows=$(wc -l <"$actual")
    if "$HERE/compare.py" --label "$map rows" --expected-format jsonl --actual-format jsonl \
        "$exp_file" "$actual" >"$work/compare-$map.out"; then
        rows_ok="equal"
    else
        rows_ok="DIFFERENT"
        fail "$map: result rows differ from the reference"
    fi
    cat "$work/compare-$map.out"

    # counters
    got_read="$(jq -r '.counters.recordsRead // "missing"' "$jobfile")"
    got_malformed="$(jq -r '.counters.malformedRecords // "missing"' "$jobfile")"
    got_output="$(jq -r '.counters.outputRecords // "missing"' "$jobfile")"
    [ "$got_read" = "$exp_read" ] || fail "$map: counters.recordsRead is $got_read, expected $exp_read"
    [ "$got_malformed" = "$exp_malformed" ] ||
        fail "$map: counters.malformedRecords is $got_malformed, expected $exp_malformed"
    [ "$got_output" = "$exp_rows" ] ||
        echo "warning: $map: counters.outputRecords is $got_output, the job has $exp_rows result rows"
    tasks="$(jq -r '"\(.completedMapTasks)/\(.totalMapTasks) map, \(.completedReduceTasks)/\(.totalReduceTasks) reduce"' "$jobfile")"
    jq -e '.completedMapTasks == .totalMapTasks and .completedReduceTasks == .totalReduceTasks
           and .totalMapTasks > 0' "$jobfile" >/dev/null || fail "$map: COMPLETED with tasks $tasks"
    jq -e --argjson r "$NUM_REDUCERS" '.totalReduceTasks == $r' "$jobfile" >/dev/null ||
        fail "$map: $tasks tasks, expected $NUM_REDUCERS reduce tasks"
    jq -e --argjson m "$NUM_MAPPERS" '.totalMapTasks == $m' "$jobfile" >/dev/null ||
        echo "warning: $map: $tasks tasks for numMappers $NUM_MAPPERS"

    # attempts: with no faults every task runs exactly once (a speculative backup of a straggler on
    # this busy machine is not a re-run), and exactly one of its attempts succeeded
    psql_q -F $'\t' -c "SELECT task_type, task_index, count(*) FILTER (WHERE NOT speculative),
        count(*) FILTER (WHERE status = 'SUCCEEDED') FROM task_attempts WHERE job_id = '$id' GROUP BY 1, 2 ORDER BY 1, 2" >"$work/attempts-$map.tsv" ||
        die "cannot read the task attempts of job $id"
    n_tasks=$(wc -l <"$work/attempts-$map.tsv")
    exp_tasks=$(jq -r '.totalMapTasks + .totalReduceTasks' "$jobfile")
    multi="$(awk -F'\t' '$3 != 1 || $4 != 1 {printf "%s %s: %s attempt(s), %s succeeded; ", $1, $2, $3, $4}' \
        "$work/attempts-$map.tsv")"
    attempts_ok="1 each"
    if [ "$n_tasks" != "$exp_tasks" ]; then
        fail "$map: task_attempts has $n_tasks tasks, the job $exp_tasks"
        attempts_ok="MISSING"
    fi
    if [ -n "$multi" ]; then
        attempts_ok="NOT 1 each"
        if [ "$REQUIRE_SINGLE_ATTEMPT" = 1 ]; then
            fail "$map: tasks not run exactly once successfully: $multi"
        else
            echo "warning: $map: $multi"
        fi
    fi

    # the README's query, unchanged: numeric descending order, and the expected top values
    psql_q -F $'\t' -0 \
        -c "SELECT result_key, result_value FROM results WHERE job_id = '$id' ORDER BY result_value DESC LIMIT 20;" \
        >"$work/top-$map.tsv" || die "the README's query failed for job $id"
    if top_msg="$(python3 - "$work/top-$map.tsv" "$exp_file" 2>&1 <<'EOF'
import json, sys
from decimal import Decimal
# records end with a NUL byte (psql -0), which no PostgreSQL text can hold, so keys may hold newlines
got = [Decimal(r.rsplit("\t", 1)[1]) for r in open(sys.argv[1], encoding="utf-8").read().split("\0") if r]
exp = sorted((Decimal(json.loads(l)[1]) for l in open(sys.argv[2], encoding="utf-8")), reverse=True)[:20]
if any(a < b for a, b in zip(got, got[1:])):
    sys.exit("not in descending numeric order: %s" % [str(v) for v in got])
if got != exp:
    sys.exit("top values %s, expected %s" % ([str(v) for v in got], [str(v) for v in exp]))
print("%d rows in descending numeric order, top value %s" % (len(got), got[0] if got else "-"))
EOF
    )"; then
        readme_ok="ordered"
        echo "README query: $top_msg"
    else
        readme_ok="WRONG"
        fail "$map: README query: $top_msg"
    fi

    summary[$map]="$(printf '%-21s %6ss %8s %8s  %-9s  %8s/%-8s  %9s/%-9s  %-10s %s' "$map" \
        "${job_seconds[$map]}" "$exp_rows" "$act_rows" "$rows_ok" "$exp_malformed" "$got_malformed" \
        "$exp_read" "$got_read" "$attempts_ok" "$readme_ok")"
done

# --- 6. which workers ran the tasks ------------------------------------------------------------
echo
ids="$(for map in "${maps[@]}"; do printf "'%s'," "${job_id[$map]}"; done)"
ids="${ids%,}"
psql_q -F $'\t' -c "SELECT task_type, count(DISTINCT worker_id), string_agg(DISTINCT worker_id, ', ')
    FROM task_attempts WHERE job_id IN ($ids) GROUP BY 1 ORDER BY 1" >"$work/workers.tsv" ||
    die "cannot read the workers of the jobs"
for type in MAP REDUCE; do
    line="$(awk -F'\t' -v t="$type" '$1 == t' "$work/workers.tsv")"
    n="$(cut -f2 <<<"$line")"
    n="${n:-0}"
    want=$([ "$type" = MAP ] && echo "$MAP_WORKERS" || echo "$REDUCE_WORKERS")
    echo "$type tasks ran on $n distinct worker(s): $(cut -f3 <<<"$line")"
    if ((n < want)); then
        if [ "$REQUIRE_ALL_WORKERS" = 1 ]; then
            fail "$type tasks ran on $n worker(s), at least $want required (REQUIRE_ALL_WORKERS=1)"
        else
            echo "note: $type tasks ran on fewer than $want workers (set REQUIRE_ALL_WORKERS=1 to fail on it)"
        fi
    fi
done
for map in "${maps[@]}"; do
    psql_q -F $'\t' -c "SELECT task_type, count(DISTINCT worker_id) FROM task_attempts
        WHERE job_id = '${job_id[$map]}' GROUP BY 1 ORDER BY 1" |
        awk -F'\t' -v m="$map" '{s = s sprintf(" %s on %s worker(s);", $1, $2)} END {print "  " m ":" s}'
done

# --- summary -----------------------------------------------------------------------------------
echo
echo "topic $topic: $exp_read lines ($FORMAT, seed $SEED), $exp_malformed malformed; reduce $REDUCE_FUNCTION," \
    "$NUM_MAPPERS mappers, $NUM_REDUCERS reducers"
printf '%-21s %7s %8s %8s  %-9s  %-17s  %-19s  %-10s %s\n' "job" "time" "expected" "actual" "rows" \
    "malformed exp/got" "recordsRead exp/got" "attempts" "README SQL"
for map in "${maps[@]}"; do echo "${summary[$map]}"; done
echo
if ((${#failures[@]} > 0)); then
    echo "FAILED (${#failures[@]}):"
    printf '  - %s\n' "${failures[@]}"
    exit 1
fi
echo "PASSED: every row of ${#maps[@]} jobs equals the independent reference; malformed count exact"
