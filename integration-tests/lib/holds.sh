# Deterministic fault injection for the fault scripts (sourced, not run): hold task attempts at a point,
# inject a fault there, release them. It drives the workers' test-only "hold" fault
# (MAPREDUCE_TESTFAULTS_HOLDDIR, see runtime/.../TestFaults.java): after STARTED and before its work, an
# attempt waits while a marker naming it exists in the hold folder: MAP or REDUCE (every attempt of
# that type), MAP-3 (map task 3), each optionally after "<jobId>." (one job only). So a script never
# races a job to "see" a phase: while a marker stands, the job cannot leave that phase.
#
# Needs ROOT (the project root) and log (a logging function). HOLD_DIR defaults to .local/holds.
HOLD_DIR="${HOLD_DIR:-$ROOT/.local/holds}"
# Exported, so every worker the script (re)starts through ./setup.sh runs with the hold fault on.
export MAPREDUCE_TESTFAULTS_ENABLED=true MAPREDUCE_TESTFAULTS_HOLDDIR="$HOLD_DIR"
mkdir -p "$HOLD_DIR"

# hold MARKER...: attempts named by each marker wait from now on
hold() {
    local m
    for m in "$@"; do : >"$HOLD_DIR/$m"; done
}

# release MARKER...: attempts held by these markers go on (within 20 ms)
release() {
    local m
    for m in "$@"; do rm -f "$HOLD_DIR/$m"; done
}

# release_all: removes every marker (for an EXIT trap: never leave a stack holding work)
release_all() {
    rm -f "$HOLD_DIR"/* 2>/dev/null || true
}

# worker_holds NAME: the worker answers GET /actuator/info with hold-dir=$HOLD_DIR among its testFaults
worker_holds() {
    local port
    port="$("$ROOT/setup.sh" status 2>/dev/null | awk -v n="$1" '$2 == n && $3 == "running" {
        for (i = 1; i <= NF; i++) if ($i ~ /^127\.0\.0\.1:[0-9]+$/) { sub(/.*:/, "", $i); print $i } }')"
    [[ -n $port ]] && curl -fsS -m 5 "http://127.0.0.1:$port/actuator/info" 2>/dev/null |
        jq -e --arg d "hold-dir=$HOLD_DIR" '(.testFaults // []) | index($d) != null' >/dev/null 2>&1
}

# ensure_holds NAME...: restarts (in parallel) each worker that does not run with the hold fault on
# this HOLD_DIR; status 1 if one could not be restarted with it
ensure_holds() {
    local name pids=() names=() status=0 i
    for name in "$@"; do
        worker_holds "$name" && continue
        log "restarting $name with the test-only hold fault (MAPREDUCE_TESTFAULTS_HOLDDIR=$HOLD_DIR)"
        "$ROOT/setup.sh" restart "$name" >/dev/null 2>&1 &
        pids+=($!)
        names+=("$name")
    done
    for i in "${!pids[@]}"; do
        if ! wait "${pids[$i]}" || ! worker_holds "${names[$i]}"; then
            log "ERROR: ${names[$i]} does not run with the hold fault after a restart"
            status=1
        fi
    done
    return "$status"
}
