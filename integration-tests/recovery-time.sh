#!/usr/bin/env bash
# Measures recovery time (issue 4, acceptance 4): from `kill -9` of a worker running a task to that
# task running again on another worker. N trials (default 10) for each coordinator worker timeout
# (default: WORKER_TIMEOUT=2s, then the default, 5 s); prints min / median / p90 / max.
#
# It RESTARTS THE LOCAL STACK: for each setting it runs `./setup.sh stop`, then starts the stack
# (`./setup.sh --no-demo`) with the setting and the test-only hold fault, and holds every map attempt
# after STARTED (marker MAP, integration-tests/lib/holds.sh), so a task is certainly still running when
# its worker is killed, however fast it would be; at the end it stops that stack
# again and, if a stack was running when it began, starts it again with the caller's environment
# (no fault injection). Jobs running on the stack when it begins are interrupted by the restarts.
#
# One trial, with two idle map workers:
#   1. submit a job with one map task (numMappers 1) over a small topic;
#   2. poll PostgreSQL until an attempt of that task is RUNNING on some worker X;
#   3. `./setup.sh kill X` (kill -9; setup.sh prints the epoch second of the kill);
#   4. poll PostgreSQL every 50 ms until a higher attempt of the same task is RUNNING (or already
#      SUCCEEDED) on another worker; the recovery time is that attempt's task_attempts.started_at
#      minus the kill's time (both from this machine's clock);
#   5. restart X (`./setup.sh start X`), cancel the job (POST /api/jobs/{id}/cancel), and wait until
#      no attempt of it runs, so both workers are idle for the next trial.
# Exits 0 when every setting's median is within its target (acceptance: <= 3 s with a 2 s timeout,
# <= 7 s with the default), 1 otherwise or when a trial fails, 2 when the stack cannot be started.
#
#   integration-tests/recovery-time.sh
#   TRIALS=5 TIMEOUTS="2s" integration-tests/recovery-time.sh
#
# Environment (defaults in brackets):
#   TRIALS [10]; TIMEOUTS ["2s default"]: the coordinators' worker timeouts to measure, "default"
#     meaning the variable is not set; TARGETS ["2s=3 default=7"]: median targets in seconds
#   TIMEOUT_VAR [WORKER_TIMEOUT]: the coordinators' setting
#   FAULT_ENV ["MAPREDUCE_TESTFAULTS_ENABLED=true MAPREDUCE_TESTFAULTS_HOLDDIR=<HOLD_DIR>"]: the
#     test-only fault injection that holds each map attempt while the marker MAP exists (HOLD_DIR
#     [.local/holds]; the names are the workers'; change them here)
#   POLL_MS [50]; TRIAL_TIMEOUT [60] s to wait for an attempt to run; SETTLE [3] s after a restart
#   MAP_WORKERS ["map-worker-1 map-worker-2"]; INPUT_EVENTS [2000]
#   GATEWAY_URL [http://127.0.0.1:8090]   KAFKA_BOOTSTRAP_SERVERS [127.0.0.1:9092]
#   PGHOST [127.0.0.1] PGPORT [5432] PGUSER [postgres] PGDATABASE [mapreduce]
#   RESTORE_STACK [auto]: auto = start the stack again at the end if it ran before; 1 always; 0 never
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
# The test-only fault injection and the coordinators' timeout setting (names owned by the services).
HOLD_DIR="${HOLD_DIR:-$ROOT/.local/holds}"
FAULT_ENV="${FAULT_ENV:-MAPREDUCE_TESTFAULTS_ENABLED=true MAPREDUCE_TESTFAULTS_HOLDDIR=$HOLD_DIR}"
TIMEOUT_VAR="${TIMEOUT_VAR:-WORKER_TIMEOUT}"
SETUP="$ROOT/setup.sh"

TRIALS="${TRIALS:-10}"
TIMEOUTS="${TIMEOUTS:-2s default}"
TARGETS="${TARGETS:-2s=3 default=7}"
POLL_MS="${POLL_MS:-50}"
TRIAL_TIMEOUT="${TRIAL_TIMEOUT:-60}"
SETTLE="${SETTLE:-3}"
MAP_WORKERS="${MAP_WORKERS:-map-worker-1 map-worker-2}"
INPUT_EVENTS="${INPUT_EVENTS:-2000}"
RESTORE_STACK="${RESTORE_STACK:-auto}"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8090}"
GATEWAY_URL="${GATEWAY_URL%/}"
KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGDATABASE="${PGDATABASE:-mapreduce}" PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"
LOGGEN="$ROOT/common/src/test/java/dev/mapreduce/testing/LogGen.java"

read -r -a fault_env <<<"$FAULT_ENV"
read -r -a timeouts <<<"$TIMEOUTS"
read -r -a map_workers <<<"$MAP_WORKERS"
declare -A target=()
for t in $TARGETS; do target[${t%%=*}]=${t#*=}; done
poll_s="$(awk -v ms="$POLL_MS" 'BEGIN {printf "%.3f", ms / 1000}')"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S.%3N)" "$*"; }
# shellcheck source=lib/holds.sh
source "$ROOT/integration-tests/lib/holds.sh"
# holds.sh exported its own fault settings; this script passes FAULT_ENV explicitly instead
unset MAPREDUCE_TESTFAULTS_ENABLED MAPREDUCE_TESTFAULTS_HOLDDIR
die() { # message [exit status]
    printf 'ERROR: %s\n' "$1" >&2
    exit "${2:-1}"
}
psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
now() { echo "${EPOCHREALTIME/,/.}"; }

for tool in java python3 curl jq psql; do
    command -v "$tool" >/dev/null || die "$tool is needed but not installed" 2
done
((${#map_workers[@]} >= 2)) || die "MAP_WORKERS needs two workers at least" 2

work="$(mktemp -d "${TMPDIR:-/tmp}/recovery-time.XXXXXX")"
current_job=""
stack_was_running=0
for f in "$ROOT"/.local/pids/*.pid; do
    [[ -f $f ]] && kill -0 "$(<"$f")" 2>/dev/null && stack_was_running=1
done

# shellcheck disable=SC2317 # run by the EXIT trap
finish() {
    local status=$?
    trap - EXIT
    release_all
    if [[ -n $current_job ]]; then
        curl -sS -m 10 -o /dev/null -X POST "$GATEWAY_URL/api/jobs/$current_job/cancel" 2>/dev/null || true
    fi
    log "stopping the stack started with fault injection"
    "$SETUP" stop >"$work/stop.log" 2>&1 || cat "$work/stop.log"
    if [[ $RESTORE_STACK == 1 || ($RESTORE_STACK == auto && $stack_was_running == 1) ]]; then
        log "starting the stack again as it was (./setup.sh --no-demo, the caller's environment)"
        "$SETUP" --no-demo >"$work/restore.log" 2>&1 || {
            tail -n 20 "$work/restore.log"
            echo "ERROR: could not start the stack again" >&2
        }
    fi
    rm -rf "$work"
    exit "$status"
}
trap finish EXIT

# start_stack TIMEOUT_VALUE: the whole stack with the fault injection and that worker timeout
start_stack() {
    local value=$1
    local -a env_args=(env)
    if [[ $value == default ]]; then
        env_args+=(-u "$TIMEOUT_VAR" "${fault_env[@]}")
    else
        env_args+=("${fault_env[@]}" "$TIMEOUT_VAR=$value")
    fi
    log "restarting the stack: ${env_args[*]:1} ./setup.sh --no-demo"
    "$SETUP" stop >"$work/stop.log" 2>&1 || {
        cat "$work/stop.log"
        die "./setup.sh stop failed" 2
    }
    "${env_args[@]}" "$SETUP" --no-demo >"$work/start.log" 2>&1 || {
        tail -n 40 "$work/start.log"
        die "the stack did not start" 2
    }
}

# The RUNNING attempts of job $1 as "type index attempt worker" lines.
running_attempts() {
    psql_q -F ' ' -c "SELECT task_type, task_index, attempt, worker_id FROM task_attempts
        WHERE job_id = '$1' AND status = 'RUNNING' ORDER BY attempt"
}

# Cancels job $1 and waits (up to 60 s) until none of its attempts runs.
cancel_and_drain() {
    local id=$1 deadline=$((SECONDS + 60)) code
    code="$(curl -sS -m 10 -o "$work/cancel.json" -w '%{http_code}' -X POST "$GATEWAY_URL/api/jobs/$id/cancel")" ||
        code=000
    [[ $code =~ ^2 ]] || log "cancel of job $id answered HTTP $code: $(head -c 300 "$work/cancel.json")"
    while [[ -n "$(running_attempts "$id")" ]]; do
        if ((SECONDS >= deadline)); then
            log "attempts of job $id still RUNNING 60 s after its cancel: $(running_attempts "$id" | tr '\n' ';')"
            return 1
        fi
        sleep 0.5
    done
    current_job=""
}

# Makes sure every map worker runs and is healthy.
workers_up() {
    local name
    for name in "${map_workers[@]}"; do
        "$SETUP" start "$name" >"$work/start-$name.log" 2>&1 || {
            cat "$work/start-$name.log"
            die "$name did not start"
        }
    done
}

# One trial; appends "delay observed attempt worker rerun_worker" to $results_file. Status 1 on failure.
trial() {
    local n=$1 id code deadline line type index attempt worker
    workers_up
    local body
    body="$(jq -cn --arg t "$topic" --arg n "recovery-time-$n" \
        '{jobName: $n, inputTopic: $t, numMappers: 1, numReducers: 1, mapFunction: "WORD_COUNT", reduceFunction: "SUM"}')"
    code="$(curl -sS -m 30 -o "$work/submit.json" -w '%{http_code}' -X POST "$GATEWAY_URL/api/jobs" \
        -H 'Content-Type: application/json' --data "$body")" || code=000
    id="$(jq -r '.jobId // empty' "$work/submit.json" 2>/dev/null || true)"
    [[ $code =~ ^2 && -n $id ]] || {
        log "trial $n: submit answered HTTP $code: $(head -c 300 "$work/submit.json")"
        return 1
    }
    current_job=$id

    # 2. an attempt runs on X
    deadline=$((SECONDS + TRIAL_TIMEOUT))
    until line="$(running_attempts "$id" | head -n 1)" && [[ -n $line ]]; do
        ((SECONDS < deadline)) || {
            log "trial $n: no attempt of job $id RUNNING within ${TRIAL_TIMEOUT}s"
            return 1
        }
        sleep "$poll_s"
    done
    read -r type index attempt worker <<<"$line"
    [[ " ${map_workers[*]} " == *" $worker "* ]] || {
        log "trial $n: attempt runs on '$worker', not a worker this script can kill"
        return 1
    }

    # 3. kill -9 X; setup.sh prints the time of the kill
    local out killed_at
    out="$("$SETUP" kill "$worker" 2>&1)" || {
        log "trial $n: ./setup.sh kill $worker failed: $out"
        return 1
    }
    killed_at="$(sed -nE 's/.* at ([0-9]+\.[0-9]+)\)$/\1/p' <<<"$out")"
    [[ -n $killed_at ]] || killed_at="$(now)"

    # 4. a higher attempt of the same task runs elsewhere
    local found="" seen_at
    deadline=$((SECONDS + TRIAL_TIMEOUT))
    while true; do
        found="$(psql_q -F ' ' -c "SELECT attempt, worker_id, extract(epoch FROM started_at) FROM task_attempts
            WHERE job_id = '$id' AND task_type = '$type' AND task_index = $index AND attempt > $attempt
              AND started_at IS NOT NULL AND status IN ('RUNNING', 'SUCCEEDED')
              AND worker_id IS DISTINCT FROM '$worker'
            ORDER BY attempt LIMIT 1")" || true
        [[ -n $found ]] && break
        ((SECONDS < deadline)) || {
            log "trial $n: $type $index not running again within ${TRIAL_TIMEOUT}s of the kill of $worker:" \
                "$(psql_q -F ' ' -c "SELECT attempt, worker_id, status FROM task_attempts WHERE job_id = '$id'" | tr '\n' ';')"
            "$SETUP" start "$worker" >/dev/null 2>&1 || true
            return 1
        }
        sleep "$poll_s"
    done
    seen_at="$(now)"
    local rerun_attempt rerun_worker started_at delay observed
    read -r rerun_attempt rerun_worker started_at <<<"$found"
    delay="$(awk -v a="$started_at" -v k="$killed_at" 'BEGIN {printf "%.3f", a - k}')"
    observed="$(awk -v a="$seen_at" -v k="$killed_at" 'BEGIN {printf "%.3f", a - k}')"
    log "trial $n: $type $index attempt $attempt on $worker killed; attempt $rerun_attempt started on" \
        "$rerun_worker $delay s later (seen after $observed s)"
    echo "$delay $observed $attempt $worker $rerun_worker" >>"$results_file"

    # 5. X back, the job cancelled, both workers idle
    "$SETUP" start "$worker" >"$work/restart.log" 2>&1 || {
        cat "$work/restart.log"
        return 1
    }
    cancel_and_drain "$id" || return 1
    sleep "$SETTLE"
}

summary_rows=()
overall=0
hold MAP # every map attempt waits after STARTED, until the end: each is running when its worker is killed

log "recovery time: $TRIALS trials per setting ($TIMEOUTS), fault injection: $FAULT_ENV"
for value in "${timeouts[@]}"; do
    start_stack "$value"
    if [[ -z ${topic:-} ]]; then
        topic="recovery-time-input"
        java "$LOGGEN" --lines "$INPUT_EVENTS" --format json --seed 1 --out "$work/input.jsonl" >/dev/null
        "$ROOT/mr" ingest --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topic "$topic" --partitions 1 \
            --if-empty "$work/input.jsonl" >"$work/ingest.out" 2>&1 || {
            cat "$work/ingest.out"
            die "mr ingest failed"
        }
    fi
    results_file="$work/results-$value.txt"
    : >"$results_file"
    failed=0
    for ((n = 1; n <= TRIALS; n++)); do
        if ! trial "$n"; then
            failed=$((failed + 1))
            [[ -n $current_job ]] && { cancel_and_drain "$current_job" || true; }
            sleep "$SETTLE"
        fi
    done
    echo
    log "$TIMEOUT_VAR=$value: per trial (recovery s, seen after s, attempt, killed worker, re-run worker):"
    cat "$results_file"
    row="$(python3 - "$results_file" "$value" "${target[$value]:-}" "$failed" <<'EOF'
import math, statistics, sys
path, value, target, failed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
d = sorted(float(l.split()[0]) for l in open(path) if l.strip())
label = "%s (%s)" % ("default", "5s") if value == "default" else value
if not d:
    print("%-14s %6d %6d %8s %8s %8s %8s %8s  NO DATA" % (label, 0, failed, "-", "-", "-", "-", target or "-"))
    sys.exit(1)
med = statistics.median(d)
p90 = d[max(0, math.ceil(0.9 * len(d)) - 1)]
verdict = "" if not target else ("PASS" if med <= float(target) and not failed else "FAIL")
print("%-14s %6d %6d %8.2f %8.2f %8.2f %8.2f %8s  %s" % (label, len(d), failed, d[0], med, p90, d[-1],
      ("<= " + target) if target else "-", verdict))
sys.exit(1 if verdict == "FAIL" else 0)
EOF
    )" || overall=1
    summary_rows+=("$row")
done

echo
echo "recovery time: kill -9 of the worker running a task -> the task's next attempt RUNNING on another"
echo "worker (task_attempts.started_at - time of the kill), seconds"
printf '%-14s %6s %6s %8s %8s %8s %8s %8s  %s\n' "$TIMEOUT_VAR" trials failed min median p90 max target result
printf '%s\n' "${summary_rows[@]}"
exit "$overall"
