# What the scripts that drive the running local stack (./setup.sh) share (sourced, not run): the
# addresses of the stack, overridable from the environment, failures collected as the script goes,
# and a few helpers. Needs ROOT (the project root).
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8090}"
KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGDATABASE="${PGDATABASE:-mapreduce}"
LOGGEN="$ROOT/common/src/test/java/dev/mapreduce/testing/LogGen.java"

failures=()
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
# fail MESSAGE: a failed check; the script goes on, and report_failures ends it with status 1
fail() {
    failures+=("$*")
    printf 'FAIL: %s\n' "$*"
}
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}
psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

# require_gateway: dies unless the stack's gateway answers
require_gateway() {
    curl -fsS -m 10 -o /dev/null "$GATEWAY_URL/actuator/health" ||
        die "the gateway does not answer at $GATEWAY_URL; start the stack with ./setup.sh"
}

# worker_pid NAME: the PID of setup.sh's worker NAME (from .local/pids), if that process is a live JVM
# and, where /proc tells, the one that runs as NAME (WORKER_ID in its environment); status 1 otherwise
worker_pid() {
    local pid
    pid="$(cat "$ROOT/.local/pids/$1.pid" 2>/dev/null)" || return 1
    [[ $pid =~ ^[0-9]+$ ]] && [[ "$(ps -o comm= -p "$pid" 2>/dev/null)" == java ]] || return 1
    if [[ -r /proc/$pid/environ ]]; then
        tr '\0' '\n' <"/proc/$pid/environ" | grep -qx "WORKER_ID=$1" || return 1
    fi
    echo "$pid"
}

# attempts_summary ID: the job's attempts counted by type and status, "MAP SUCCEEDED 16,REDUCE ..."
attempts_summary() {
    psql_q -F ' ' -c "SELECT task_type, status, count(*) FROM task_attempts WHERE job_id = '$1'
        GROUP BY 1, 2 ORDER BY 1, 2" | paste -sd ',' -
}

# report_failures: lists the failed checks and exits 1, if there are any
report_failures() {
    if ((${#failures[@]} > 0)); then
        printf '\n%d check(s) failed:\n' "${#failures[@]}"
        printf '  - %s\n' "${failures[@]}"
        exit 1
    fi
}
