#!/usr/bin/env bash
# Launches each service's fat jar with `java -jar` on a free port and checks that it reports
# health UP and serves Prometheus metrics tagged with its application name, then stops exactly
# the process it started. Run after `./mvnw package` (or verify).
#
#   integration-tests/smoke-jars.sh                      # all four services, `java` from PATH
#   JAVA=/path/to/jdk/bin/java integration-tests/smoke-jars.sh coordinator
#
# Environment: JAVA (default: java), SMOKE_TIMEOUT_SECONDS (default: 90, per service).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

JAVA="${JAVA:-java}"
TIMEOUT_SECONDS="${SMOKE_TIMEOUT_SECONDS:-90}"

# service name -> environment variable its application.yml reads the port from
declare -A PORT_VARIABLE=(
    [coordinator]=COORDINATOR_PORT
    [map-worker]=MAP_WORKER_PORT
    [reduce-worker]=REDUCE_WORKER_PORT
    [api-gateway]=API_GATEWAY_PORT
)
ALL_SERVICES=(coordinator map-worker reduce-worker api-gateway)

services=("$@")
if ((${#services[@]} == 0)); then
    services=("${ALL_SERVICES[@]}")
fi
for service in "${services[@]}"; do
    if [[ -z "${PORT_VARIABLE[$service]:-}" ]]; then
        echo "smoke-jars: unknown service '$service' (known: ${ALL_SERVICES[*]})" >&2
        exit 1
    fi
done

LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/smoke-jars.XXXXXX")"
PID=""

stop_service() {
    [[ -n "$PID" ]] || return 0
    if kill -0 "$PID" 2>/dev/null; then
        kill "$PID" 2>/dev/null || true
        local deadline=$((SECONDS + 20))
        while kill -0 "$PID" 2>/dev/null && ((SECONDS < deadline)); do
            sleep 0.2
        done
        if kill -0 "$PID" 2>/dev/null; then
            echo "  pid $PID ignored SIGTERM for 20s, sending SIGKILL" >&2
            kill -9 "$PID" 2>/dev/null || true
        fi
    fi
    wait "$PID" 2>/dev/null || true
    PID=""
}

cleanup() {
    local status=$?
    stop_service
    if ((status == 0)); then
        rm -rf "$LOG_DIR"
    else
        echo "smoke-jars: FAILED; logs kept in $LOG_DIR" >&2
    fi
}
trap cleanup EXIT

# A port nobody listens on right now. Another process could still take it before the service
# binds, so smoke_test retries on a fresh port when the service exits early.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "smoke-jars: no free port found" >&2
    return 1
}

# Starts the jar and polls until health is UP. Returns 0 when healthy, 2 when the process exited
# because another process took its port first, 1 on any other failure.
start_and_wait_healthy() {
    local service=$1 jar=$2 port=$3 log=$4
    local base="http://127.0.0.1:$port"

    env "${PORT_VARIABLE[$service]}=$port" BIND_ADDRESS=127.0.0.1 \
        "$JAVA" -jar "$jar" >"$log" 2>&1 &
    PID=$!
    echo "  pid $PID, port $port, log $log"

    local deadline=$((SECONDS + TIMEOUT_SECONDS)) health
    while true; do
        health="$(curl -fsS --max-time 2 "$base/actuator/health" 2>/dev/null || true)"
        [[ "$health" == *'"status":"UP"'* ]] && return 0
        if ! kill -0 "$PID" 2>/dev/null; then
            wait "$PID" 2>/dev/null || true
            PID=""
            if grep -q 'already in use' "$log"; then
                return 2
            fi
            echo "  exited before becoming healthy" >&2
            tail -n 50 "$log" >&2
            return 1
        fi
        if ((SECONDS >= deadline)); then
            echo "  not healthy within ${TIMEOUT_SECONDS}s" >&2
            tail -n 50 "$log" >&2
            return 1
        fi
        sleep 0.5
    done
}

smoke_test() {
    local service=$1
    local jar="$service/target/$service.jar"
    if [[ ! -f "$jar" ]]; then
        echo "smoke-jars: $jar not found; run ./mvnw package first" >&2
        return 1
    fi
    echo "smoke-jars: $service ($jar)"

    local attempt port log status
    for attempt in 1 2 3; do
        port="$(free_port)"
        log="$LOG_DIR/$service-$attempt.log"
        status=0
        start_and_wait_healthy "$service" "$jar" "$port" "$log" || status=$?
        case $status in
            0) break ;;
            2) echo "  port $port was taken before the service bound it; retrying" >&2 ;;
            *) return 1 ;;
        esac
    done
    ((status == 0)) || return 1

    local metrics
    metrics="$(curl -fsS --max-time 5 "http://127.0.0.1:$port/actuator/prometheus")"
    if [[ "$metrics" != *"application=\"$service\""* ]]; then
        echo "  /actuator/prometheus has no application=\"$service\" tag" >&2
        return 1
    fi
    echo "  health UP, prometheus tagged application=\"$service\""
    stop_service
}

echo "smoke-jars: using $("$JAVA" -version 2>&1 | head -n 1)"
for service in "${services[@]}"; do
    smoke_test "$service"
done
echo "smoke-jars: all ${#services[@]} services passed"
