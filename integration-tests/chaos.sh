#!/usr/bin/env bash
# Chaos test of the running local stack (start it with ./setup.sh first): a WORD_COUNT job over
# 1,000,000 LogGen events must give exactly the fault-free result while its workers, its leading
# coordinator and the shuffle store fail under it.
#
#   1. generates EVENTS LogGen lines (JSON, 1% malformed) and, while `./mr ingest` puts them into a
#      fresh topic with 4 partitions, computes the expected rows with integration-tests/reference.py
#      (an independent Python implementation), before any job is submitted;
#   2. submits WORD_COUNT/SUM (16 mappers, 4 reducers) through the gateway, and until the job ends:
#      - every 2-3 s (random) kills -9 a random map or reduce worker (`./setup.sh kill NAME`) and
#        restarts it in the background (`./setup.sh start NAME`). A worker still starting is never
#        chosen, nor one healthy for less than MIN_UPTIME (5 s: it has barely joined its share
#        group), nor the last running worker of its kind (KEEP_ONE): a JVM start takes 10-50 s on
#        2 busy cores, and killing every worker as soon as it is up would stall the job forever;
#      - once, in the map phase (RUNNING, after at least one map task committed), kills -9 the
#        LEADING coordinator (the one whose GET /internal/leadership says leader:true) and restarts it
#        COORDINATOR_RESTART_DELAY seconds later (it comes back as the standby);
#      - once, when the job is REDUCE_RUNNING, runs `redis-cli FLUSHALL` (every map run is lost), so
#        the reduce tasks find their runs missing and lineage recovery re-runs the map tasks;
#      every fault is logged with a timestamp. Neither fault races the job: both phases are HELD
#      open with the workers' test-only hold fault (integration-tests/lib/holds.sh): map task 0 waits
#      (after STARTED) until the coordinator has been killed, and every reduce attempt waits until
#      Redis has been flushed, so however fast the job or slow the machine, the fault lands in its
#      phase. The workers must run with the hold fault on: chaos.sh restarts those that do not, and
#      every worker it restarts keeps it on (harmless: nothing is held without a marker);
#   3. after the job ends it restarts whatever is dead, waits for every service to be healthy and
#      checks that exactly one coordinator leads, then checks: the job is COMPLETED; every result
#      row equals the reference (compare.py); counters.recordsRead and malformedRecords are exact;
#      no (job_id, result_key) is there twice; reduce_commits holds numReducers rows, each naming
#      its task's committed attempt; every task has committed_attempt set and exactly one
#      SUCCEEDED attempt, the committed one; after a flush, lineage recovery re-ran map tasks;
#   4. prints a summary: job time, the faults injected, attempts per status.
# It exits 0 only if every run passed, 1 on any difference, failed or cancelled job, timeout, or a
# stack that is not healthy at the end, 2 if the stack is not reachable at the start.
#
#   ./setup.sh && integration-tests/chaos.sh
#   CHAOS_RUNS=5 integration-tests/chaos.sh          # acceptance: 5 runs out of 5
#   EVENTS=200000 SEED=7 integration-tests/chaos.sh
#
# FLUSHALL empties the whole Redis at REDIS_HOST:REDIS_PORT, whatever else uses it (the *IT tests
# of ./mvnw verify use the same local Redis): do not run both at once. CHAOS_FLUSH=job deletes only
# this job's shuffle keys instead. The holds (markers MAP-0 and REDUCE) hold every job's attempts on
# the stack, not only the chaos job's: run it on a stack of its own.
#
# Environment (defaults in brackets):
#   GATEWAY_URL [http://127.0.0.1:8090]   KAFKA_BOOTSTRAP_SERVERS [127.0.0.1:9092]
#   PGHOST [127.0.0.1] PGPORT [5432] PGUSER [postgres] PGDATABASE [mapreduce] (PGPASSWORD as psql)
#   REDIS_HOST [127.0.0.1] REDIS_PORT [6379]
#   COORDINATOR_PORT [8080] COORDINATOR_2_PORT [8180] (as setup.sh: coordinator-1 and coordinator-2)
#   EVENTS [1000000] lines; DATA_SEED [42] LogGen's seed; MALFORMED [0.01]; PARTITIONS [4]
#   NUM_MAPPERS [16] NUM_REDUCERS [4]
#   CHAOS_RUNS [1]: runs, each a fresh job on the same topic (the dataset and topic are made once)
#   SEED [time-based, printed]: seeds the chaos (which worker, when); timing makes runs differ anyway
#   TIMEOUT [600] seconds per run, from submit to the end of the job
#   KILL_INTERVAL_MS ["2000 3000"]: the range of the pause between two worker kills
#   CHAOS_WORKERS ["map-worker-1 map-worker-2 reduce-worker-1 reduce-worker-2"]
#   MIN_UPTIME [5] s a restarted worker runs before it may be killed again; KEEP_ONE [1]: never kill
#     the last running map (reduce) worker; 0 lets every worker of a kind be down at once
#   COORDINATOR_KILL [1], COORDINATOR_RESTART_DELAY [4] s, COORDINATOR_KILL_WAIT [10] s: how long
#     the map phase may run with no committed map task seen before the leader is killed anyway
#   CHAOS_FLUSH [all]: all = FLUSHALL, job = UNLINK only this job's keys, 0 = no Redis fault
#   REQUIRE_FAULTS [1]: a run in which the coordinator kill or the flush could not be injected
#     fails, with the reason; 0 only warns. With the holds this never happens on a healthy stack.
#   HOLD_DIR [.local/holds]: the workers' hold-marker folder (MAPREDUCE_TESTFAULTS_HOLDDIR)
#   CHAOS_CACHE [1]: keep the dataset and the expected rows in .local/chaos for later runs
#   MR [./mr]; KEEP_FILES [0]: 1 keeps the temporary folder (restart logs, job answers)
#   CHAOS_QUERY [empty]: a SQL query to run instead of WORD_COUNT (a query job, docs/sql.md), e.g.
#     time buckets, approx_quantile and count(DISTINCT). Its expected rows are those of the same query
#     job run first on the same stack without any fault (the reference is only used for the
#     counters); every chaos run must give them exactly, sketches included (approx_quantile's coin
#     flips are reproducible, docs/sql.md)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
HERE="$ROOT/integration-tests"
SETUP="$ROOT/setup.sh"

GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8090}"
GATEWAY_URL="${GATEWAY_URL%/}"
KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGDATABASE="${PGDATABASE:-mapreduce}" PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"
export PGCLIENTENCODING=UTF8
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
COORDINATOR_PORT="${COORDINATOR_PORT:-8080}"
COORDINATOR_2_PORT="${COORDINATOR_2_PORT:-8180}"
EVENTS="${EVENTS:-1000000}"
DATA_SEED="${DATA_SEED:-42}"
MALFORMED="${MALFORMED:-0.01}"
PARTITIONS="${PARTITIONS:-4}"
NUM_MAPPERS="${NUM_MAPPERS:-16}"
NUM_REDUCERS="${NUM_REDUCERS:-4}"
CHAOS_RUNS="${CHAOS_RUNS:-1}"
SEED="${SEED:-$(($(date +%s%N) % 32768))}"
TIMEOUT="${TIMEOUT:-600}"
KILL_INTERVAL_MS="${KILL_INTERVAL_MS:-2000 3000}"
CHAOS_WORKERS="${CHAOS_WORKERS:-map-worker-1 map-worker-2 reduce-worker-1 reduce-worker-2}"
MIN_UPTIME="${MIN_UPTIME:-5}"
KEEP_ONE="${KEEP_ONE:-1}"
COORDINATOR_KILL="${COORDINATOR_KILL:-1}"
COORDINATOR_RESTART_DELAY="${COORDINATOR_RESTART_DELAY:-4}"
COORDINATOR_KILL_WAIT="${COORDINATOR_KILL_WAIT:-10}"
CHAOS_FLUSH="${CHAOS_FLUSH:-all}"
REQUIRE_FAULTS="${REQUIRE_FAULTS:-1}"
CHAOS_CACHE="${CHAOS_CACHE:-1}"
MR="${MR:-$ROOT/mr}"
KEEP_FILES="${KEEP_FILES:-0}"
LOGGEN="$ROOT/common/src/test/java/dev/mapreduce/testing/LogGen.java"

declare -A COORDINATOR_PORTS=([coordinator-1]="$COORDINATOR_PORT" [coordinator-2]="$COORDINATOR_2_PORT")
read -r -a workers <<<"$CHAOS_WORKERS"
read -r kill_min kill_max <<<"$KILL_INTERVAL_MS"
kill_max="${kill_max:-$kill_min}"

# --- helpers -----------------------------------------------------------------------------------
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
stamp() { date +%H:%M:%S.%3N; }
log() { printf '[%s] %s\n' "$(stamp)" "$*"; }
die() { # message [exit status, default 1]
    printf 'ERROR: %s\n' "$1" >&2
    exit "${2:-1}"
}
psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
# shellcheck source=lib/holds.sh
source "$HERE/lib/holds.sh"

for v in EVENTS PARTITIONS NUM_MAPPERS NUM_REDUCERS CHAOS_RUNS SEED TIMEOUT kill_min kill_max \
    COORDINATOR_RESTART_DELAY COORDINATOR_KILL_WAIT MIN_UPTIME; do
    is_uint "${!v}" || die "$v must be a whole number, got '${!v}'" 2
done
((kill_min <= kill_max)) || die "KILL_INTERVAL_MS: the first number must not be above the second" 2
case "$CHAOS_FLUSH" in all | job | 0) ;; *) die "CHAOS_FLUSH must be all, job or 0" 2 ;; esac
for tool in java python3 curl jq psql redis-cli timeout; do
    command -v "$tool" >/dev/null || die "$tool is needed but not installed" 2
done
[[ -f $LOGGEN ]] || die "missing $LOGGEN" 2

work="$(mktemp -d "${TMPDIR:-/tmp}/chaos.XXXXXX")"
ref_pid=""
declare -A restarting=() # service -> PID of its background './setup.sh start'
cleanup() {
    local name
    release_all
    if [[ -n $ref_pid ]]; then kill "$ref_pid" 2>/dev/null || true; fi
    for name in "${!restarting[@]}"; do # let restarts finish, so no service is left half started
        wait "${restarting[$name]}" 2>/dev/null || true
    done
    if [[ $KEEP_FILES == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# leadership PORT: true, false, or ? when the coordinator does not answer. The internal API wants the
# service token (setup.sh's, sent on stdin so it stays off the process list).
leadership() {
    local token="${MAPREDUCE_INTERNAL_TOKEN:-$(cat "$ROOT/.local/internal-token" 2>/dev/null)}"
    printf 'Authorization: Bearer %s\n' "$token" |
        curl -fsS -m 2 -H @- "http://127.0.0.1:$1/internal/leadership" 2>/dev/null | jq -r '.leader // "?"' 2>/dev/null ||
        echo "?"
}

# The leading coordinator's name, if exactly one says it leads.
leader_name() {
    local name found=()
    for name in coordinator-1 coordinator-2; do
        [[ "$(leadership "${COORDINATOR_PORTS[$name]}")" == true ]] && found+=("$name")
    done
    ((${#found[@]} == 1)) && echo "${found[0]}"
}

pid_alive() { # service: its PID file names a live process
    local file="$ROOT/.local/pids/$1.pid" pid
    [[ -f $file ]] || return 1
    pid="$(<"$file")"
    is_uint "$pid" && kill -0 "$pid" 2>/dev/null
}

# restart_in_background NAME: './setup.sh start NAME' (which waits for health) as a background job
restart_in_background() {
    local name=$1 out
    out="$work/restart-$name-$(now_ms).log"
    "$SETUP" start "$name" >"$out" 2>&1 &
    restarting[$name]=$!
    restart_log[$name]="$out"
    restart_since[$name]=$(now_ms)
}
declare -A restart_log=() restart_since=() up_since=() # up_since: when a restart ended (ms)

# Reaps finished background restarts; a failed one is started again.
reap_restarts() {
    local name pid
    for name in "${!restarting[@]}"; do
        pid="${restarting[$name]}"
        kill -0 "$pid" 2>/dev/null && continue
        unset "restarting[$name]"
        if wait "$pid"; then
            up_since[$name]=$(now_ms)
            log "        $name is up again ($(((($(now_ms) - restart_since[$name]) + 500) / 1000)) s after its restart began)"
        else
            log "        restarting $name FAILED: $(tail -n 3 "${restart_log[$name]}" | tr '\n' ' ')"
            restart_failures=$((restart_failures + 1))
            log "        restarting $name again"
            restart_in_background "$name"
        fi
    done
}

# Waits (up to 300 s) for the background restarts.
wait_restarts() {
    local deadline=$((SECONDS + 300))
    while ((${#restarting[@]} > 0)) && ((SECONDS < deadline)); do
        reap_restarts
        sleep 0.5
    done
}

# Restarts whatever of the stack is dead, then checks every service is healthy and exactly one
# coordinator leads. Prints the problems; status 0 when there are none.
stack_healthy() {
    local status name problems=() leaders=0
    wait_restarts
    status="$("$SETUP" status 2>&1)" || true
    while read -r name; do
        log "$name is not running: ./setup.sh start $name"
        "$SETUP" start "$name" >"$work/start-$name.log" 2>&1 </dev/null ||
            problems+=("$name did not start: $(tail -n 2 "$work/start-$name.log" | tr '\n' ' ')")
    done < <(awk '$3 == "stopped" {print $2}' <<<"$status")
    status="$("$SETUP" status 2>&1)" || true
    # "setup: NAME running pid PID 127.0.0.1:PORT health UP [leader|standby|?]"
    while read -r _ name state _ _ _ word health leader; do
        if [[ $state != running ]]; then
            problems+=("$name is $state")
            continue
        fi
        [[ $name == kafka ]] && continue
        [[ $word == health && $health == UP ]] || problems+=("$name is not healthy: ${health:-no answer}")
        if [[ $name == coordinator-* ]]; then
            [[ $leader == leader ]] && leaders=$((leaders + 1))
        fi
    done < <(grep -E '^setup: (kafka|coordinator-|map-worker-|reduce-worker-|api-gateway)' <<<"$status")
    grep -q 'postgresql *answering' <<<"$status" || problems+=("PostgreSQL does not answer")
    grep -q 'redis *answering' <<<"$status" || problems+=("Redis does not answer")
    ((leaders == 1)) || problems+=("$leaders coordinators lead (GET /internal/leadership), expected exactly 1")
    if ((${#problems[@]} > 0)); then
        printf '%s\n' "$status"
        printf '  - %s\n' "${problems[@]}"
        return 1
    fi
}

# --- 0. the stack answers ----------------------------------------------------------------------
log "gateway $GATEWAY_URL, Kafka $KAFKA_BOOTSTRAP_SERVERS, PostgreSQL $PGUSER@$PGHOST:$PGPORT/$PGDATABASE," \
    "Redis $REDIS_HOST:$REDIS_PORT; chaos seed $SEED"
curl -fsS -m 10 -o /dev/null "$GATEWAY_URL/actuator/health" ||
    die "the gateway does not answer at $GATEWAY_URL/actuator/health; start the stack with ./setup.sh" 2
psql_q -c "SELECT 1 FROM results LIMIT 0" >/dev/null ||
    die "cannot query the results table in PostgreSQL ($PGHOST:$PGPORT/$PGDATABASE)" 2
[[ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] ||
    die "Redis does not answer on $REDIS_HOST:$REDIS_PORT" 2
for name in "${workers[@]}"; do
    [[ -f "$ROOT/.local/pids/$name.pid" ]] ||
        die "$name is not running under ./setup.sh (no .local/pids/$name.pid); chaos.sh kills and restarts it" 2
done
release_all
ensure_holds "${workers[@]}" || die "the workers cannot run with the hold fault, which the test needs" 2
log "stack before the test:"
if ! stack_healthy; then
    die "the stack is not healthy before the test" 2
fi

# --- 1. dataset and expected rows ---------------------------------------------------------------
if [[ $CHAOS_CACHE == 1 ]]; then
    cache="$ROOT/.local/chaos"
else
    cache="$work"
fi
mkdir -p "$cache"
ref_sum="$(sha256sum "$HERE/reference.py" | cut -c1-12)"
data="$cache/logs-$EVENTS-$DATA_SEED-$MALFORMED.jsonl"
expected="$cache/expected-$EVENTS-$DATA_SEED-$MALFORMED-$ref_sum.jsonl"
counters="$cache/counters-$EVENTS-$DATA_SEED-$MALFORMED-$ref_sum.json"
if [[ ! -s $data ]]; then
    log "generating $EVENTS LogGen lines (JSON, seed $DATA_SEED, malformed $MALFORMED)"
    java "$LOGGEN" --lines "$EVENTS" --format json --seed "$DATA_SEED" --malformed "$MALFORMED" \
        --out "$data.tmp" || die "LogGen failed"
    mv -f "$data.tmp" "$data"
else
    log "dataset $data (cached)"
fi
log "dataset: $(wc -c <"$data") bytes"

if [[ ! -s $expected || ! -s $counters ]]; then
    log "computing the expected rows with reference.py (in the background, while ingesting)"
    "$HERE/reference.py" --map WORD_COUNT --reduce SUM --format jsonl --counters "$counters.tmp" \
        -o "$expected.tmp" "$data" >"$work/reference.out" 2>&1 &
    ref_pid=$!
else
    log "expected rows $expected (cached)"
fi

topic="chaos-$(date +%Y%m%d-%H%M%S)-$RANDOM"
log "ingesting into topic $topic ($PARTITIONS partitions)"
ingest_start=$SECONDS
"$MR" ingest --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topic "$topic" --partitions "$PARTITIONS" \
    "$data" >"$work/ingest.out" 2>&1 || {
    cat "$work/ingest.out"
    die "mr ingest failed"
}
log "ingested in $((SECONDS - ingest_start)) s: $(tail -n 1 "$work/ingest.out")"

if [[ -n $ref_pid ]]; then
    if ! wait "$ref_pid"; then
        ref_pid=""
        cat "$work/reference.out"
        die "reference.py failed"
    fi
    ref_pid=""
    mv -f "$expected.tmp" "$expected"
    mv -f "$counters.tmp" "$counters"
fi
exp_read="$(jq -r .recordsRead "$counters")"
exp_malformed="$(jq -r .malformedRecords "$counters")"
exp_rows=$(wc -l <"$expected")
log "reference: $exp_read records, $exp_malformed malformed, $exp_rows result rows"

# job_body NAME: the job to submit, WORD_COUNT/SUM or the query of CHAOS_QUERY
job_body() {
    jq -cn --arg name "$1" --arg topic "$topic" --argjson m "$NUM_MAPPERS" --argjson r "$NUM_REDUCERS" \
        --arg query "${CHAOS_QUERY:-}" '{jobName: $name, inputTopic: $topic, numMappers: $m, numReducers: $r}
        + (if $query == "" then {mapFunction: "WORD_COUNT", reduceFunction: "SUM"} else {query: $query} end)'
}

# query_rows JOB FILE: a query job's rows, one JSON object per line, sorted
query_rows() {
    psql_q -c "SELECT result_row::text FROM results WHERE job_id = '$1' ORDER BY 1" >"$2"
}

job_kind="WORD_COUNT/SUM"
if [[ -n ${CHAOS_QUERY:-} ]]; then
    job_kind="query"
    log "query: $CHAOS_QUERY"
    log "running the query job once without faults: its rows are the expected ones"
    release_all
    curl -fsS -m 30 -o "$work/baseline.json" -X POST "$GATEWAY_URL/api/jobs" -H 'Content-Type: application/json' \
        --data "$(job_body "chaos-baseline-$topic")" || die "the fault-free query job was refused: $(cat "$work/baseline.json" 2>/dev/null)"
    baseline="$(jq -r .jobId "$work/baseline.json")"
    deadline=$((SECONDS + TIMEOUT))
    while true; do
        status="$(curl -fsS -m 5 "$GATEWAY_URL/api/jobs/$baseline" | jq -r .status)" || status=""
        [[ $status != COMPLETED ]] || break
        [[ $status != FAILED && $status != CANCELLED ]] || die "the fault-free query job $baseline ended $status"
        ((SECONDS < deadline)) || die "the fault-free query job $baseline did not end within $TIMEOUT s"
        sleep 1
    done
    expected="$work/expected-query.jsonl"
    query_rows "$baseline" "$expected"
    exp_rows=$(wc -l <"$expected")
    ((exp_rows > 0)) || die "the fault-free query job $baseline gave no rows"
    log "fault-free query job $baseline: $exp_rows rows"
fi

RANDOM=$SEED

# --- 2. one run: submit, faults until the job ends, checks ---------------------------------------
# Sets run_summary; status 0 when the run passed.
run_once() {
    local run=$1 failures=() faults=() body code id
    local worker_kills=0 coord_fault="not injected" flush_fault="not injected" skipped=0 skipped_ticks=0
    restart_failures=0
    echo
    log "=== run $run/$CHAOS_RUNS"
    # Hold the phases the faults belong to before the job exists: map task 0 until the leader is
    # killed (the map phase cannot end before), every reduce attempt until Redis is flushed.
    release_all
    [[ $COORDINATOR_KILL != 1 ]] || hold MAP-0
    [[ $CHAOS_FLUSH == 0 ]] || hold REDUCE
    body="$(job_body "chaos-$run-$topic")"
    code="$(curl -sS -m 30 -o "$work/submit.json" -w '%{http_code}' -X POST "$GATEWAY_URL/api/jobs" \
        -H 'Content-Type: application/json' --data "$body")" || code=000
    id="$(jq -r '.jobId // empty' "$work/submit.json" 2>/dev/null || true)"
    if [[ ! $code =~ ^2 ]] || [[ ! $id =~ ^[0-9a-fA-F-]{36}$ ]]; then
        run_summary="$(printf 'run %-3s submit failed (HTTP %s)' "$run" "$code")"
        log "submitting answered HTTP $code: $(head -c 600 "$work/submit.json" 2>/dev/null)"
        return 1
    fi
    local submitted_ms
    submitted_ms=$(now_ms)
    log "submitted job $id: $job_kind, $NUM_MAPPERS mappers, $NUM_REDUCERS reducers"

    local deadline=$((SECONDS + TIMEOUT)) status="" last="" maps=0 reduces=0 job="$work/job-$run.json"
    local total_maps="?" total_reduces="?"
    local next_kill=$(($(now_ms) + kill_min + RANDOM % (kill_max - kill_min + 1)))
    local running_since="" coord_state=pending coord_killed="" coord_restart_at=0
    local flush_state=pending
    [[ $COORDINATOR_KILL == 1 ]] || coord_state=off
    [[ $CHAOS_FLUSH != 0 ]] || flush_state=off
    local poll_start poll_ms
    while true; do
        poll_start=$(now_ms)
        if curl -fsS -m 5 -o "$job.tmp" "$GATEWAY_URL/api/jobs/$id" 2>/dev/null &&
            jq -e .status "$job.tmp" >/dev/null 2>&1; then
            mv -f "$job.tmp" "$job"
            read -r status maps reduces total_maps total_reduces < <(jq -r '"\(.status) \(.completedMapTasks // 0)
                \(.completedReduceTasks // 0) \(.totalMapTasks // "?") \(.totalReduceTasks // "?")"' "$job" | paste -sd ' ')
        else
            log "        GET /api/jobs/$id did not answer (after $(($(now_ms) - poll_start)) ms)"
        fi
        poll_ms=$(($(now_ms) - poll_start))
        ((poll_ms < 1000)) || log "        slow status poll: GET /api/jobs/$id took $poll_ms ms"
        # Redis, once, while the reducers run: they are held before their fetch until it is done
        if [[ $flush_state == pending && $status == REDUCE_RUNNING ]]; then
            local commits what
            if [[ $CHAOS_FLUSH == all ]]; then
                redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" FLUSHALL >/dev/null
                what="FLUSHALL"
            else
                what="UNLINK of the job's $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --scan --pattern "mr:{$id:*" |
                    xargs -r -n 500 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" UNLINK |
                    awk '{s += $1} END {print s + 0}') shuffle keys"
            fi
            commits="$(psql_q -c "SELECT count(*) FROM reduce_commits WHERE job_id = '$id'" 2>/dev/null || echo '?')"
            flush_fault="$(stamp) redis $what in REDUCE_RUNNING, $commits/$NUM_REDUCERS reduces committed just after"
            faults+=("$flush_fault")
            log "FAULT   ${flush_fault#* }"
            flush_state=injected
            release REDUCE
            log "        reduce attempts released"
        fi
        if [[ $status != "$last" ]]; then
            log "job $status (map tasks $maps/$total_maps, reduce tasks $reduces/$total_reduces)"
            last=$status
            [[ $status == RUNNING ]] && running_since=$SECONDS
        fi
        case $status in COMPLETED | FAILED | CANCELLED) break ;; esac
        if ((SECONDS >= deadline)); then
            failures+=("job $id did not end within ${TIMEOUT}s (TIMEOUT); last status ${status:-none}")
            log "timed out; cancelling job $id"
            release_all
            curl -sS -m 10 -o /dev/null -X POST "$GATEWAY_URL/api/jobs/$id/cancel" || true
            break
        fi
        reap_restarts

        # the leading coordinator, once, in the map phase
        if [[ $coord_state == pending ]]; then
            local go=0
            if [[ $status == RUNNING ]]; then
                ((maps >= 1 || SECONDS - running_since >= COORDINATOR_KILL_WAIT)) && go=1
            elif [[ $status == MAP_COMPLETED || $status == REDUCE_RUNNING ]]; then
                go=1 # the map phase went by unseen: kill it now rather than never
            fi
            if ((go)); then
                local leader
                leader="$(leader_name || true)"
                if [[ -n $leader ]] && [[ -z ${restarting[$leader]:-} ]] &&
                    "$SETUP" kill "$leader" >"$work/kill.out" 2>&1; then
                    coord_fault="$(stamp) kill -9 $leader (leader) in $status, map tasks $maps committed"
                    faults+=("$coord_fault")
                    log "FAULT   kill -9 $leader, the leading coordinator (job $status, map tasks $maps committed)"
                    coord_killed=$leader
                    coord_state=killed
                    coord_restart_at=$((SECONDS + COORDINATOR_RESTART_DELAY))
                    release MAP-0
                    log "        map task 0 released"
                fi
            fi
        elif [[ $coord_state == killed ]] && ((SECONDS >= coord_restart_at)); then
            log "        restarting $coord_killed (it should come back as the standby)"
            restart_in_background "$coord_killed"
            coord_state=injected
        fi


        # a random worker that is up, every 2-3 s
        if (($(now_ms) >= next_kill)); then
            local up=() name victim
            declare -A running_of_kind=()
            for name in "${workers[@]}"; do
                if [[ -z ${restarting[$name]:-} ]] && pid_alive "$name"; then
                    running_of_kind[${name%-*}]=$((${running_of_kind[${name%-*}]:-0} + 1))
                fi
            done
            for name in "${workers[@]}"; do
                if [[ -n ${restarting[$name]:-} ]] || ! pid_alive "$name"; then continue; fi
                (($(now_ms) - ${up_since[$name]:-0} >= MIN_UPTIME * 1000)) || continue
                [[ $KEEP_ONE == 1 ]] && ((running_of_kind[${name%-*}] < 2)) && continue
                up+=("$name")
            done
            if ((${#up[@]} > 0)); then
                skipped=0
                victim="${up[RANDOM % ${#up[@]}]}"
                if "$SETUP" kill "$victim" >"$work/kill.out" 2>&1; then
                    worker_kills=$((worker_kills + 1))
                    faults+=("$(stamp) kill -9 $victim in $status")
                    log "FAULT   kill -9 $victim (job $status, map $maps, reduce $reduces); restarting it in the background"
                    restart_in_background "$victim"
                else
                    log "        ./setup.sh kill $victim failed: $(tr '\n' ' ' <"$work/kill.out")"
                fi
            else
                ((skipped++ == 0)) && log "        no worker may be killed now (starting, up for less than" \
                    "${MIN_UPTIME}s, or the last of its kind); waiting"
                skipped_ticks=$((skipped_ticks + 1))
            fi
            next_kill=$(($(now_ms) + kill_min + RANDOM % (kill_max - kill_min + 1)))
        fi
        sleep 0.2
    done
    local took_ms=$(($(now_ms) - submitted_ms))
    log "job $id ended $status after $((took_ms / 1000)).$(printf '%03d' $((took_ms % 1000))) s (durationMs $(jq -r '.durationMs // "?"' "$job"))"
    if [[ $coord_state == killed ]]; then
        log "        restarting $coord_killed"
        restart_in_background "$coord_killed"
        coord_state=injected
    fi

    # --- the stack ends healthy
    log "restarting whatever is dead and checking the stack"
    if stack_healthy; then
        log "stack healthy: every service UP, one coordinator leads"
    else
        failures+=("the stack is not healthy after the run")
    fi

    # --- the job
    case $status in
        COMPLETED) ;;
        FAILED | CANCELLED)
            jq . "$job" || true
            failures+=("job $id ended $status: $(jq -r '.error // "no error given"' "$job")")
            ;;
    esac
    release_all
    if [[ $REQUIRE_FAULTS == 1 ]]; then
        [[ $coord_state == off || $coord_state == injected ]] ||
            failures+=("the fault could not be injected: the leading coordinator was not killed in the map phase" \
                "(no single leader answered GET /internal/leadership while map task 0 was held)")
        [[ $flush_state == off || $flush_state == injected ]] ||
            failures+=("the fault could not be injected: Redis was not flushed (the job ended $status without" \
                "REDUCE_RUNNING being seen while the reduce attempts were held)")
    fi

    local rows_ok="-" dup="-" commits="-" attempts_ok="-" lineage="-"
    if [[ $status == COMPLETED ]]; then
        # every row
        if [[ -n ${CHAOS_QUERY:-} ]]; then
            query_rows "$id" "$work/actual.jsonl" || die "cannot read the results of job $id"
        else
            psql_q -c "SELECT json_build_array(result_key, result_value::text) FROM results WHERE job_id = '$id'" \
                >"$work/actual.jsonl" || die "cannot read the results of job $id"
        fi
        if [[ -n ${CHAOS_QUERY:-} ]] && diff -q "$expected" "$work/actual.jsonl" >/dev/null; then
            rows_ok=equal
        elif [[ -n ${CHAOS_QUERY:-} ]]; then
            diff "$expected" "$work/actual.jsonl" | head -n 10
            rows_ok=DIFFERENT
            failures+=("result rows differ from the fault-free run's")
        elif "$HERE/compare.py" --label "run $run rows" --expected-format jsonl --actual-format jsonl \
            "$expected" "$work/actual.jsonl"; then
            rows_ok=equal
        else
            rows_ok=DIFFERENT
            failures+=("result rows differ from the reference")
        fi
        # counters
        local got_read got_malformed
        got_read="$(jq -r '.counters.recordsRead // "missing"' "$job")"
        got_malformed="$(jq -r '.counters.malformedRecords // "missing"' "$job")"
        [[ $got_read == "$exp_read" ]] || failures+=("counters.recordsRead is $got_read, expected $exp_read")
        [[ $got_malformed == "$exp_malformed" ]] ||
            failures+=("counters.malformedRecords is $got_malformed, expected $exp_malformed")
        jq -e --argjson r "$NUM_REDUCERS" '.totalReduceTasks == $r and .completedReduceTasks == $r
            and .completedMapTasks == .totalMapTasks and .totalMapTasks > 0' "$job" >/dev/null ||
            failures+=("COMPLETED with $(jq -r '"\(.completedMapTasks)/\(.totalMapTasks) map, \(.completedReduceTasks)/\(.totalReduceTasks) reduce"' "$job") tasks")
        # no duplicate row (the primary key forbids it; checked anyway)
        dup="$(psql_q -c "SELECT count(*) - count(DISTINCT result_key) FROM results WHERE job_id = '$id'")"
        [[ $dup == 0 ]] || failures+=("$dup duplicate (job_id, result_key) rows")
        # one reduce commit per partition, by the committed attempt
        commits="$(psql_q -c "SELECT count(*) FROM reduce_commits WHERE job_id = '$id'")"
        [[ $commits == "$NUM_REDUCERS" ]] || failures+=("reduce_commits has $commits rows, expected $NUM_REDUCERS")
        local bad
        bad="$(psql_q -F ' ' -c "SELECT 'partition ' || c.partition || ': commit by attempt ' || c.attempt
                || ', task committed_attempt ' || coalesce(t.committed_attempt::text, 'NULL')
            FROM reduce_commits c LEFT JOIN tasks t ON t.job_id = c.job_id AND t.task_type = 'REDUCE'
                AND t.task_index = c.partition
            WHERE c.job_id = '$id' AND t.committed_attempt IS DISTINCT FROM c.attempt")"
        [[ -z $bad ]] || failures+=("reduce_commits disagree with tasks: $(tr '\n' ';' <<<"$bad")")
        # every task: committed_attempt set, exactly one SUCCEEDED attempt, the committed one. The
        # exception is a map task whose committed output was lost (the FLUSHALL): lineage recovery
        # reopens it and its new attempt commits too; each such re-run counts in
        # jobs.lineage_recoveries, and the committed attempt must then be the last SUCCEEDED one.
        bad="$(psql_q -F ' ' -c "SELECT t.task_type || ' ' || t.task_index || ': committed_attempt '
                || coalesce(t.committed_attempt::text, 'NULL') || ', SUCCEEDED attempts '
                || coalesce(string_agg(a.attempt::text, ',' ORDER BY a.attempt)
                    FILTER (WHERE a.status = 'SUCCEEDED'), 'none')
            FROM tasks t LEFT JOIN task_attempts a
                ON a.job_id = t.job_id AND a.task_type = t.task_type AND a.task_index = t.task_index
            WHERE t.job_id = '$id'
            GROUP BY t.task_type, t.task_index, t.committed_attempt
            HAVING t.committed_attempt IS NULL
                OR count(*) FILTER (WHERE a.status = 'SUCCEEDED') = 0
                OR (t.task_type = 'REDUCE' AND count(*) FILTER (WHERE a.status = 'SUCCEEDED') <> 1)
                OR max(a.attempt) FILTER (WHERE a.status = 'SUCCEEDED') IS DISTINCT FROM t.committed_attempt
            ORDER BY t.task_type, t.task_index")"
        local n_tasks extra
        n_tasks="$(psql_q -c "SELECT count(*) FROM tasks WHERE job_id = '$id'")"
        [[ $n_tasks == "$(jq -r '.totalMapTasks + .totalReduceTasks' "$job")" ]] ||
            failures+=("tasks has $n_tasks rows for the job's $(jq -r '.totalMapTasks + .totalReduceTasks' "$job") tasks")
        extra="$(psql_q -c "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM task_attempts
            WHERE job_id = '$id' AND task_type = 'MAP' AND status = 'SUCCEEDED' GROUP BY task_index) s")"
        lineage="$(psql_q -c "SELECT lineage_recoveries FROM jobs WHERE job_id = '$id'" 2>/dev/null || echo 0)"
        if [[ -n $bad ]]; then
            attempts_ok="NOT 1 each"
            failures+=("tasks without exactly one SUCCEEDED attempt, the committed one: $(tr '\n' ';' <<<"$bad")")
        elif ((extra > 0)) && { [[ $flush_state != injected ]] || ((extra > lineage)); }; then
            attempts_ok="NOT 1 each"
            failures+=("$extra map attempts SUCCEEDED beside the committed ones, with $lineage lineage recoveries" \
                "(Redis fault: $flush_state)")
        elif ((extra > 0)); then
            attempts_ok="1 each, +$extra map re-runs by lineage recovery"
        else
            attempts_ok="1 each"
        fi
        # every run was flushed before its reduces fetched anything: lineage recovery must show
        if [[ $flush_state == injected ]] && ! ((lineage > 0)); then
            failures+=("Redis was flushed before the reduces fetched, yet no lineage recovery re-ran a map task")
        fi
    fi

    # --- summary of the run
    local by_status
    by_status="$(psql_q -F '=' -c "SELECT status, count(*) FROM task_attempts WHERE job_id = '$id'
        GROUP BY 1 ORDER BY 1" | paste -sd ' ')"
    echo
    echo "run $run: job $id $status in $((took_ms / 1000)).$(printf '%03d' $((took_ms % 1000))) s"
    echo "  faults: $worker_kills worker kills ($skipped_ticks ticks with no worker to kill)," \
        "coordinator: $coord_fault, redis: $flush_fault, $restart_failures failed restarts"
    printf '    %s\n' "${faults[@]}"
    echo "  attempts by status: $by_status"
    echo "  rows $rows_ok ($exp_rows expected), duplicates $dup, reduce_commits $commits/$NUM_REDUCERS," \
        "attempts $attempts_ok"
    run_summary="$(printf 'run %-3s %-9s %7.1fs  %3d worker kills  leader killed %-3s  flush %-3s (map re-runs %2s)  rows %-9s  dup %-2s  attempts: %s' \
        "$run" "$status" "$(awk -v ms="$took_ms" 'BEGIN {printf "%.1f", ms / 1000}')" \
        "$worker_kills" "$([[ $coord_state == injected ]] && echo yes || echo no)" \
        "$([[ $flush_state == injected ]] && echo yes || echo no)" "$lineage" "$rows_ok" "$dup" "$by_status")"
    if ((${#failures[@]} > 0)); then
        echo "  FAILED:"
        printf '    - %s\n' "${failures[@]}"
        run_summary+="  FAILED"
        return 1
    fi
    echo "  PASSED"
}

summaries=()
failed_runs=0
for ((run = 1; run <= CHAOS_RUNS; run++)); do
    if run_once "$run"; then :; else failed_runs=$((failed_runs + 1)); fi
    summaries+=("$run_summary")
done

echo
echo "chaos: topic $topic, $exp_read events ($exp_malformed malformed), $job_kind, $NUM_MAPPERS mappers," \
    "$NUM_REDUCERS reducers, seed $SEED"
printf '%s\n' "${summaries[@]}"
if ((failed_runs > 0)); then
    echo "FAILED: $failed_runs of $CHAOS_RUNS run(s)"
    exit 1
fi
echo "PASSED: $CHAOS_RUNS of $CHAOS_RUNS run(s) with exact results under faults"
