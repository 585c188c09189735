#!/usr/bin/env bash
# Outages of the services the cluster depends on, each in the middle of a job, against the running
# local stack (./setup.sh): every job must end COMPLETED with exactly the rows of a fault-free run
# of the same job, and without a KILLED or FAILED attempt (an outage is waited out, not paid for
# with attempts). Scenarios:
#   kafka     ./setup.sh restart kafka (the broker stops, then starts again and is healthy)
#   redis     redis-cli CLIENT PAUSE 30000 ALL (Redis answers nothing for 30 s)
#   postgres  PostgreSQL restarted (pg_ctlcluster ... restart): drops every connection. It restarts
#             the machine's PostgreSQL, so it runs only when OUTAGES_RESTART_POSTGRES=yes
#   leader    SIGSTOP of the leading coordinator for 20 s, then SIGCONT
# Each fault is injected once map tasks have committed and the job is still in its map phase
# (MIN_MAPS_DONE of NUM_MAPPERS). Prints, per scenario, the attempts by type and status.
#
#   integration-tests/outages.sh [kafka] [redis] [postgres] [leader]   (default: all)
#
# Environment: EVENTS (lines of the dataset, 1000000; the figures in docs/fault-tolerance.md are of
# 10000000), NUM_MAPPERS (16), NUM_REDUCERS (4), MIN_MAPS_DONE (2), DATA (a LogGen file to use
# instead of generating one), TOPIC and BASELINE (a topic ingested and the id of a fault-free job
# over it, from an earlier run: to run again without ingesting), REDIS_SLEEP (30), LEADER_STOP (20), TIMEOUT (per job, 900 s),
# GATEWAY_URL, KAFKA_BOOTSTRAP_SERVERS, PGHOST/PGPORT/PGUSER/PGDATABASE, REDIS_HOST/REDIS_PORT.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=lib/stack.sh
source "$HERE/lib/stack.sh"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
EVENTS="${EVENTS:-1000000}"
NUM_MAPPERS="${NUM_MAPPERS:-16}"
NUM_REDUCERS="${NUM_REDUCERS:-4}"
MIN_MAPS_DONE="${MIN_MAPS_DONE:-2}"
REDIS_SLEEP="${REDIS_SLEEP:-30}"
LEADER_STOP="${LEADER_STOP:-20}"
TIMEOUT="${TIMEOUT:-900}"
scenarios=("$@")
((${#scenarios[@]} > 0)) || scenarios=(kafka redis postgres leader)

work="$(mktemp -d "${TMPDIR:-/tmp}/outages.XXXXXX")"
stopped_pid=""
cleanup() {
    if [ -n "$stopped_pid" ]; then kill -CONT "$stopped_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

require_gateway

topic="${TOPIC:-}"
if [ -z "$topic" ]; then
    data="${DATA:-}"
    if [ -z "$data" ]; then
        data="$work/data.log"
        java "$LOGGEN" --lines "$EVENTS" --format json --seed 42 --malformed 0.01 --out "$data" >/dev/null
    fi
    topic="outages-$(date +%H%M%S)-$RANDOM"
    "$ROOT/mr" ingest --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topic "$topic" --partitions 4 "$data" >/dev/null
    log "dataset: $(wc -l <"$data") lines in topic $topic"
fi

submit() { # name -> job id
    local body code
    body="$(jq -cn --arg n "$1" --arg t "$topic" --argjson m "$NUM_MAPPERS" --argjson r "$NUM_REDUCERS" \
        '{jobName: $n, inputTopic: $t, numMappers: $m, numReducers: $r, mapFunction: "WORD_COUNT"}')"
    code="$(curl -sS -m 60 -o "$work/submit.json" -w '%{http_code}' -X POST "$GATEWAY_URL/api/jobs" \
        -H 'Content-Type: application/json' --data "$body")"
    [[ "$code" == 201 ]] || die "submit answered $code: $(cat "$work/submit.json")"
    jq -r .jobId "$work/submit.json"
}

await_end() { # id -> final status (read from PostgreSQL: the gateway may be cut off by the fault)
    local deadline=$((SECONDS + TIMEOUT)) status
    while ((SECONDS < deadline)); do
        status="$(psql_q -c "SELECT status FROM jobs WHERE job_id = '$1'" 2>/dev/null || true)"
        case "$status" in COMPLETED | FAILED | CANCELLED)
            echo "$status"
            return 0
            ;;
        esac
        sleep 0.5
    done
    echo TIMEOUT
}

await_maps_done() { # id: until MIN_MAPS_DONE map tasks committed (ends the script after 300 s); prints the job's status then
    local deadline=$((SECONDS + 300)) done
    while true; do
        done="$(psql_q -c "SELECT count(*) FROM tasks WHERE job_id = '$1' AND task_type = 'MAP' AND status = 'COMPLETED'")"
        ((done >= MIN_MAPS_DONE)) && break
        # a fault injected now would not be the outage in the map phase this script is about
        ((SECONDS < deadline)) || die "job $1: $done of $MIN_MAPS_DONE map tasks committed after 300 s, no outage injected"
        sleep 0.05
    done
    psql_q -c "SELECT status || ',' || (SELECT count(*) FROM tasks t WHERE t.job_id = j.job_id
        AND task_type = 'MAP' AND t.status = 'COMPLETED') || '/$NUM_MAPPERS maps' FROM jobs j WHERE job_id = '$1'"
}

check() { # label id took
    local status rows diff wasted
    status="$(await_end "$2")"
    [[ "$status" == COMPLETED ]] || {
        fail "$1: job ended $status"
        return
    }
    rows="$(psql_q -c "SELECT count(*) FROM results WHERE job_id = '$2'")"
    diff="$(psql_q -c "SELECT count(*) FROM (
        (SELECT result_key, result_value FROM results WHERE job_id = '$2'
         EXCEPT ALL SELECT result_key, result_value FROM results WHERE job_id = '$baseline')
        UNION ALL
        (SELECT result_key, result_value FROM results WHERE job_id = '$baseline'
         EXCEPT ALL SELECT result_key, result_value FROM results WHERE job_id = '$2')) d")"
    [[ "$diff" == 0 && "$rows" == "$baseline_rows" ]] ||
        fail "$1: $rows rows, $diff differ from the fault-free run's $baseline_rows"
    wasted="$(psql_q -c "SELECT count(*) FROM task_attempts WHERE job_id = '$2' AND status IN ('KILLED', 'FAILED')")"
    [[ "$wasted" == 0 ]] || fail "$1: $wasted KILLED or FAILED attempt(s)"
    log "$1: $status in $(($(date +%s) - $3)) s, $rows rows ($diff differ), attempts: $(attempts_summary "$2")"
}

leader_pid() {
    local name port
    for name in coordinator-1 coordinator-2; do
        port=8080
        [[ "$name" == coordinator-2 ]] && port=8180
        if printf 'Authorization: Bearer %s\n' "${MAPREDUCE_INTERNAL_TOKEN:-$(cat "$ROOT/.local/internal-token")}" |
            curl -fsS -m 2 -H @- "http://127.0.0.1:$port/internal/leadership" 2>/dev/null | jq -e .leader >/dev/null; then
            cat "$ROOT/.local/pids/$name.pid"
            return 0
        fi
    done
    return 1
}

t0=$(date +%s)
baseline="${BASELINE:-}"
if [ -z "$baseline" ]; then
    baseline="$(submit "outages-baseline")"
    status="$(await_end "$baseline")"
    [[ "$status" == COMPLETED ]] || die "the fault-free run ended $status"
fi
baseline_rows="$(psql_q -c "SELECT count(*) FROM results WHERE job_id = '$baseline'")"
log "fault-free run: $baseline, $baseline_rows rows, attempts: $(attempts_summary "$baseline")"

for s in "${scenarios[@]}"; do
    if [[ "$s" == postgres && "${OUTAGES_RESTART_POSTGRES:-}" != yes ]]; then
        log "postgres: skipped (set OUTAGES_RESTART_POSTGRES=yes to restart the machine's PostgreSQL)"
        continue
    fi
    t0=$(date +%s)
    id="$(submit "outages-$s")"
    at="$(await_maps_done "$id")"
    case "$s" in
    kafka)
        log "kafka: restarting the broker with the job $at"
        # on a loaded machine the broker may take longer to start than setup.sh waits: wait on
        "$ROOT/setup.sh" restart kafka >/dev/null || until "$ROOT/setup.sh" start kafka >/dev/null; do sleep 5; done
        ;;
    redis)
        # CLIENT PAUSE ALL: Redis answers no client for the whole pause, as if it hung (DEBUG SLEEP would
        # do the same, but Redis 7 refuses DEBUG unless enable-debug-command is set)
        log "redis: CLIENT PAUSE ${REDIS_SLEEP}s ALL with the job $at"
        reply="$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" CLIENT PAUSE "$((REDIS_SLEEP * 1000))" ALL)"
        [[ $reply == OK ]] || die "redis: the pause was refused: $reply"
        sleep "$REDIS_SLEEP"
        ;;
    postgres)
        log "postgres: restarting PostgreSQL with the job $at"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main restart
        ;;
    leader)
        pid="$(leader_pid)" || die "no coordinator says it leads"
        log "leader: SIGSTOP of the leading coordinator (pid $pid) for $LEADER_STOP s with the job $at"
        kill -STOP "$pid"
        stopped_pid="$pid"
        sleep "$LEADER_STOP"
        kill -CONT "$pid"
        stopped_pid=""
        ;;
    *) die "unknown scenario '$s' (kafka, redis, postgres, leader)" ;;
    esac
    [[ "$at" == RUNNING,* ]] || fail "$s: the fault was not injected in the map phase: the job was $at"
    check "$s" "$id" "$t0"
done

report_failures
log "all outages waited out: exact rows, no KILLED or FAILED attempt"
