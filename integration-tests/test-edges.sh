#!/usr/bin/env bash
# Edge cases of the cluster, against a running local stack (./setup.sh):
#   - an empty topic completes with 0 rows;
#   - numReducers 1; numMappers larger than the record count; a topic with several partitions;
#   - two jobs submitted at the same moment on different topics both complete with exact results;
#   - bad submits answer 4xx problem details and create nothing;
#   - with no faults, every task of every job here ran exactly one attempt;
#   - the README's SQL sorts numerically.
# Results are compared, every row, with integration-tests/reference.py (an independent
# computation over the same file). Exits non-zero on any difference.
#
# Environment: GATEWAY_URL (http://127.0.0.1:8090), KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:9092),
# PGHOST/PGPORT/PGUSER/PGDATABASE (127.0.0.1/5432/postgres/mapreduce), TIMEOUT (300 s).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=lib/stack.sh
source "$HERE/lib/stack.sh"
TIMEOUT="${TIMEOUT:-300}"
deadline=$((SECONDS + TIMEOUT))

jobs_run=()

work="$(mktemp -d "${TMPDIR:-/tmp}/test-edges.XXXXXX")"
trap 'rm -rf "$work"' EXIT

require_gateway

suffix="$(date +%H%M%S)-$RANDOM"

# ingest FILE TOPIC PARTITIONS: a fresh topic holding every line of FILE
ingest() {
    "$ROOT/mr" ingest --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topic "$2" --partitions "$3" "$1" \
        >"$work/ingest.out" 2>&1 || die "mr ingest failed: $(cat "$work/ingest.out")"
}

# submit BODY: prints the job id
submit() {
    local code
    code="$(curl -sS -m 30 -o "$work/submit.json" -w '%{http_code}' -X POST "$GATEWAY_URL/api/jobs" \
        -H 'Content-Type: application/json' --data "$1")"
    [[ "$code" == 201 ]] || die "submit answered $code: $(cat "$work/submit.json") (body $1)"
    jq -r .jobId "$work/submit.json"
}

# await ID: waits for COMPLETED and leaves the job in $work/ID.json
await_completed() {
    local status
    while ((SECONDS < deadline)); do
        curl -fsS -m 10 -o "$work/$1.json" "$GATEWAY_URL/api/jobs/$1" || true
        status="$(jq -r '.status // empty' "$work/$1.json" 2>/dev/null || true)"
        case "$status" in
            COMPLETED) return 0 ;;
            FAILED | CANCELLED) die "job $1 ended $status: $(jq -c . "$work/$1.json")" ;;
        esac
        sleep 0.2
    done
    die "job $1 did not complete within ${TIMEOUT}s: $(cat "$work/$1.json" 2>/dev/null)"
}

# check LABEL ID FILE MAP [REDUCE]: every row of job ID equals the reference over FILE
check() {
    local label=$1 id=$2 file=$3 map=$4 reduce=${5:-SUM}
    "$HERE/reference.py" --map "$map" --reduce "$reduce" --format jsonl --counters "$work/counters.json" \
        -o "$work/expected.jsonl" "$file" 2>/dev/null
    psql_q -c "SELECT json_build_array(result_key, result_value::text) FROM results WHERE job_id = '$id'" \
        >"$work/actual.jsonl"
    if "$HERE/compare.py" --label "$label" --expected-format jsonl --actual-format jsonl \
        "$work/expected.jsonl" "$work/actual.jsonl"; then
        :
    else
        fail "$label: rows differ from the reference"
    fi
    local want got
    want="$(jq -r .malformedRecords "$work/counters.json")"
    got="$(jq -r .counters.malformedRecords "$work/$id.json")"
    [[ "$want" == "$got" ]] || fail "$label: malformedRecords $got, expected $want"
    want="$(jq -r .recordsRead "$work/counters.json")"
    got="$(jq -r .counters.recordsRead "$work/$id.json")"
    [[ "$want" == "$got" ]] || fail "$label: recordsRead $got, expected $want"
    jobs_run+=("$id")
}

body() { # name topic mappers reducers map [reduce]
    jq -cn --arg n "$1" --arg t "$2" --argjson m "$3" --argjson r "$4" --arg f "$5" --arg g "${6:-SUM}" \
        '{jobName: $n, inputTopic: $t, numMappers: $m, numReducers: $r, mapFunction: $f, reduceFunction: $g}'
}

java "$LOGGEN" --lines 20000 --format json --seed 7 --malformed 0.01 --out "$work/a.log" >/dev/null
java "$LOGGEN" --lines 15000 --format text --seed 8 --malformed 0.01 --out "$work/b.log" >/dev/null
head -n 3 "$work/a.log" >"$work/three.log"

# --- an empty topic ----------------------------------------------------------------------------
log "empty topic"
"$ROOT/mr" ingest --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topic "edge-empty-$suffix" \
    --partitions 2 --create-only >/dev/null
id="$(submit "$(body edge-empty "edge-empty-$suffix" 4 2 WORD_COUNT)")"
await_completed "$id"
rows="$(psql_q -c "SELECT count(*) FROM results WHERE job_id = '$id'")"
[[ "$rows" == 0 ]] || fail "empty topic: $rows rows, expected 0"
[[ "$(jq -r .counters.recordsRead "$work/$id.json")" == 0 ]] || fail "empty topic: records read"
jobs_run+=("$id")
log "empty topic: COMPLETED, $rows rows"

# --- numReducers 1, several partitions, and two jobs at the same moment -----------------------
log "two jobs at once on different topics (4 and 3 partitions), numReducers 1 and 3"
ingest "$work/a.log" "edge-a-$suffix" 4
ingest "$work/b.log" "edge-b-$suffix" 3
body_a="$(body edge-a "edge-a-$suffix" 5 1 WORD_COUNT)"
body_b="$(body edge-b "edge-b-$suffix" 3 3 SERVICE_DISTRIBUTION COUNT)"
curl -sS -m 30 -o "$work/sa.json" -X POST "$GATEWAY_URL/api/jobs" -H 'Content-Type: application/json' \
    --data "$body_a" &
pid_a=$!
curl -sS -m 30 -o "$work/sb.json" -X POST "$GATEWAY_URL/api/jobs" -H 'Content-Type: application/json' \
    --data "$body_b" &
pid_b=$!
wait "$pid_a" "$pid_b"
id_a="$(jq -r .jobId "$work/sa.json")"
id_b="$(jq -r .jobId "$work/sb.json")"
await_completed "$id_a"
await_completed "$id_b"
check "numReducers 1, 4 partitions (WORD_COUNT)" "$id_a" "$work/a.log" WORD_COUNT
check "concurrent job on 3 partitions (SERVICE_DISTRIBUTION/COUNT)" "$id_b" "$work/b.log" \
    SERVICE_DISTRIBUTION COUNT

# --- numMappers larger than the record count --------------------------------------------------
log "numMappers 50 over 3 records"
ingest "$work/three.log" "edge-three-$suffix" 2
id="$(submit "$(body edge-three "edge-three-$suffix" 50 2 LEVEL_COUNT)")"
await_completed "$id"
[[ "$(jq -r .totalMapTasks "$work/$id.json")" == 3 ]] ||
    fail "numMappers 50 over 3 records: $(jq -r .totalMapTasks "$work/$id.json") map tasks, expected 3"
check "numMappers 50 over 3 records (LEVEL_COUNT)" "$id" "$work/three.log" LEVEL_COUNT

# --- the README's SQL sorts numerically --------------------------------------------------------
psql_q -F $'\t' -c "SELECT result_key, result_value FROM results WHERE job_id = '$id_a' \
    ORDER BY result_value DESC LIMIT 20;" | cut -f2 >"$work/top.txt"
sort -g -r -c "$work/top.txt" 2>/dev/null || fail "README SQL: values are not in numeric descending order"
[[ "$(wc -l <"$work/top.txt")" == 20 ]] || fail "README SQL: expected 20 rows"

# --- bad submits: 4xx problem details, nothing created -----------------------------------------
log "bad submits"
jobs_before="$(psql_q -c "SELECT count(*) FROM jobs")"
bad_bodies=(
    '{"jobName":"x","mapFunction":"NO_SUCH_FUNCTION"}'
    '{"jobName":"x","reduceFunction":"MEDIAN"}'
    '{"jobName":"x","numMappers":0}'
    '{"jobName":"x","numMappers":100000}'
    '{"jobName":"x","numReducers":-1}'
    '{"inputTopic":"application-logs"}'
    '{"jobName":""}'
    "{\"jobName\":\"x\",\"inputTopic\":\"no-such-topic-$suffix\"}"
    '{"jobName":"x","inputTopic":"bad topic name!"}'
    '{"jobName":"x",'
    'not json'
    '[]'
    '{"jobName":"x","numMappers":"four"}'
    '{"jobName":"x","numMapper":4}'
    '{"jobName":"x","parameters":{"pattern.X":"(abc"},"mapFunction":"ERROR_PATTERN"}'
    "{\"jobName\":\"x'; DROP TABLE results; --\",\"inputTopic\":\"no-such-topic-$suffix\"}"
)
for b in "${bad_bodies[@]}"; do
    code="$(curl -sS -m 30 -o "$work/bad.json" -D "$work/bad.headers" -w '%{http_code}' -X POST \
        "$GATEWAY_URL/api/jobs" -H 'Content-Type: application/json' --data "$b")"
    if [[ ! "$code" =~ ^4 ]]; then
        fail "bad submit $b answered $code, expected 4xx"
    elif ! grep -qi '^content-type: application/problem+json' "$work/bad.headers"; then
        fail "bad submit $b answered $code without application/problem+json"
    fi
done
jobs_after="$(psql_q -c "SELECT count(*) FROM jobs")"
[[ "$jobs_before" == "$jobs_after" ]] || fail "bad submits created $((jobs_after - jobs_before)) jobs"
log "bad submits: ${#bad_bodies[@]} bodies, all 4xx problem details, no job created"

# --- every task ran exactly one attempt ----------------------------------------------------------
ids="$(printf "'%s'," "${jobs_run[@]}")"
extra="$(psql_q -c "SELECT count(*) FROM (SELECT 1 FROM task_attempts WHERE job_id IN (${ids%,})
    GROUP BY job_id, task_type, task_index HAVING count(*) FILTER (WHERE NOT speculative) <> 1
    OR count(*) FILTER (WHERE status = 'SUCCEEDED') <> 1) t")"
[[ "$extra" == 0 ]] || fail "$extra tasks ran more than one attempt"
tasks="$(psql_q -c "SELECT count(*) FROM tasks WHERE job_id IN (${ids%,})")"
log "attempts: $tasks tasks over ${#jobs_run[@]} jobs, each ran exactly once"

report_failures
log "all edge checks passed"
