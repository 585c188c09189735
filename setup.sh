#!/usr/bin/env bash
# The local stack, no Docker: a Kafka broker (from Maven Central artifacts, its own JVM), PostgreSQL
# and Redis on their default ports, two coordinators (one leads, the other stands by), two map
# workers, two reduce workers and the API gateway as background processes; then two demo jobs on a
# generated dataset, a word count and a SQL query.
#
#   ./setup.sh [--build] [--no-demo]   start what is not running yet, then run the demo jobs (the demo
#                                      data is ingested once; each run submits new jobs)
#   ./setup.sh status                  list what runs, and which coordinator leads
#   ./setup.sh stop                    stop what setup.sh started (never PostgreSQL or Redis)
#   ./setup.sh clean                   stop, then delete .local (Kafka's data, logs, demo data)
#   ./setup.sh start NAME              start one service (a name from 'status': kafka, coordinator-1,
#                                      map-worker-2, ...) unless it runs, and wait until it is healthy
#   ./setup.sh kill NAME               kill -9 one service (for fault tests), by its PID file
#   ./setup.sh restart NAME            stop one service (SIGTERM), start it again, wait until healthy
#                                      ('gateway' is short for api-gateway)
#
# With a Docker engine running ('docker info' answers) and 'docker compose' installed, the same
# commands run the stack of docker-compose.yml instead: start builds our four images with Jib into
# Docker (./mvnw package jib:dockerBuild), runs 'docker compose up -d --build --wait', then the demo
# job (over a file of the input folder, data/), status is 'docker compose ps', stop is 'docker
# compose down', clean is 'docker compose down -v' (its volumes: Kafka's, PostgreSQL's,
# Prometheus's and Grafana's data). SETUP_MODE=local forces the local stack, SETUP_MODE=compose Compose.
#
# Everything it writes goes under .local/ (ignored by git): logs/<name>.log, pids/<name>.pid,
# kafka/ (classpath, server.properties, data), demo/ and jars/: the services run copies of their
# jars, taken when the stack starts with none of them running, so rebuilding while the stack runs
# changes nothing that runs ('./setup.sh stop' and start again to run a new build). Running it
# again is harmless: what already runs is left alone. It exits non-zero, before starting anything, when a port it needs is taken.
#
# The services inherit setup.sh's whole environment, so a setting for them can be given on the
# command line, e.g. `WORKER_TIMEOUT=2s ./setup.sh` (coordinators) or
# `MAPREDUCE_TESTFAULTS_ENABLED=true ./setup.sh start map-worker-1` (test-only fault injection).
# Only the port, WORKER_ID and COORDINATOR_ID of each service are set per service, and BIND_ADDRESS:
# every service of the local stack listens on 127.0.0.1 only (Kafka too, local-stack/kafka).
# The coordinators and the gateway share MAPREDUCE_INTERNAL_TOKEN, the internal API's secret: unless
# set, it is generated once into .local/internal-token (in Compose mode, into .env).
# The gateway and the reduce workers connect to PostgreSQL as their own roles (mapreduce_gateway,
# mapreduce_reduce_worker), whose passwords GATEWAY_DB_PASSWORD and REDUCE_WORKER_DB_PASSWORD are
# generated once into .local/ unless set (in Compose mode, with every other password, into .env).
# The gateway takes MAPREDUCE_API_KEYS (tenant:key or tenant:key:admin, comma-separated),
# MAPREDUCE_INPUT_GRANTS (what each tenant may read), MAPREDUCE_RATE_LIMIT and MAPREDUCE_RATE_LIMIT_PERIOD
# when it starts: to change them on a running stack, `MAPREDUCE_API_KEYS=acme:… ./setup.sh restart gateway`.
# The demo jobs use the first key, whose tenant must be an admin or have a grant on the demo's input.
#
# Environment (default):
#   KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_JAVA_OPTS (-Xmx512m)
#   KAFKA_AUTO_CREATE_TOPICS (false): true lets the broker create a topic the first time a producer
#     (kcat, Vector, Fluent Bit) writes to it, with KAFKA_NUM_PARTITIONS (1) partitions; by default
#     topics are made on purpose (mr topics create, mr ingest), so a typo never becomes a topic.
#     Read when Kafka starts (./setup.sh restart kafka).
#   PG_HOST (127.0.0.1), PG_PORT (5432), PG_DATABASE (mapreduce), POSTGRES_USER (postgres)
#   REDIS_HOST (127.0.0.1), REDIS_PORT (6379)
#   COORDINATOR_PORT (8080), COORDINATOR_2_PORT (8180), API_GATEWAY_PORT (8090),
#   MAP_WORKER_PORT (8081), MAP_WORKER_2_PORT (8181), REDUCE_WORKER_PORT (8082), REDUCE_WORKER_2_PORT (8182)
#   KAFKA_BOOTSTRAP_SERVERS, POSTGRES_URL, REDIS_URL: what the services get (built from the values above)
#   COORDINATOR_URL: the gateway's coordinators, tried in order (default both:
#     http://127.0.0.1:8080,http://127.0.0.1:8180)
#   MR_JAVA_OPTS: JVM options for every service (default -Xmx512m, workers add -XX:+UseParallelGC,
#     gateway -Xmx256m)
#   MAP_WORKER_JAVA_OPTS, REDUCE_WORKER_JAVA_OPTS: JVM options for the map (reduce) workers alone, in
#     place of MR_JAVA_OPTS, e.g. MAP_WORKER_JAVA_OPTS='-Xmx256m -XX:+UseParallelGC' (bench/memory.sh)
#   MAPREDUCE_INPUT_ROOT (data): the folder under which jobs' inputPath is resolved, for the
#     coordinators and map workers (created if missing)
#   SETUP_DEMO (1; 0 = --no-demo), SETUP_DEMO_EVENTS (100000), SETUP_DEMO_TOPIC (application-logs)
#   SETUP_TIMEOUT_SECONDS (300, per wait for a service; it says every 30 s that it still waits: on a
#     loaded machine a service may take minutes to start), SETUP_JOB_TIMEOUT_SECONDS (600)
#   SETUP_MODE (auto: compose when a Docker engine runs, else local; or compose, local)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

LOCAL="$ROOT/.local"
PID_DIR="$LOCAL/pids"
LOG_DIR="$LOCAL/logs"
KAFKA_HOME="$LOCAL/kafka"
JAR_DIR="$LOCAL/jars"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Jobs over files ("inputPath") read below this folder; coordinators and map workers share it.
export MAPREDUCE_INPUT_ROOT="${MAPREDUCE_INPUT_ROOT:-$ROOT/data}"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_JAVA_OPTS="${KAFKA_JAVA_OPTS:--Xmx512m}"
KAFKA_AUTO_CREATE_TOPICS="${KAFKA_AUTO_CREATE_TOPICS:-false}"
KAFKA_NUM_PARTITIONS="${KAFKA_NUM_PARTITIONS:-1}"
[[ $KAFKA_AUTO_CREATE_TOPICS == true || $KAFKA_AUTO_CREATE_TOPICS == false ]] ||
    { echo "setup: KAFKA_AUTO_CREATE_TOPICS must be true or false, got '$KAFKA_AUTO_CREATE_TOPICS'" >&2; exit 2; }
[[ $KAFKA_NUM_PARTITIONS =~ ^[1-9][0-9]*$ ]] ||
    { echo "setup: KAFKA_NUM_PARTITIONS must be a whole number of at least 1, got '$KAFKA_NUM_PARTITIONS'" >&2; exit 2; }
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_DATABASE="${PG_DATABASE:-mapreduce}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
COORDINATOR_PORT="${COORDINATOR_PORT:-8080}"
COORDINATOR_2_PORT="${COORDINATOR_2_PORT:-8180}"
API_GATEWAY_PORT="${API_GATEWAY_PORT:-8090}"

export POSTGRES_USER="${POSTGRES_USER:-postgres}"
export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}"
export POSTGRES_URL="${POSTGRES_URL:-jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DATABASE}"
export REDIS_URL="${REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT}"
export COORDINATOR_URL="${COORDINATOR_URL:-http://127.0.0.1:$COORDINATOR_PORT,http://127.0.0.1:$COORDINATOR_2_PORT}"

TIMEOUT_SECONDS="${SETUP_TIMEOUT_SECONDS:-300}"
PROGRESS_SECONDS=30
[[ $TIMEOUT_SECONDS =~ ^[1-9][0-9]*$ ]] ||
    { echo "setup: SETUP_TIMEOUT_SECONDS must be a whole number of seconds of at least 1, got '$TIMEOUT_SECONDS'" >&2; exit 2; }
JOB_TIMEOUT_SECONDS="${SETUP_JOB_TIMEOUT_SECONDS:-600}"
DEMO="${SETUP_DEMO:-1}"
DEMO_EVENTS="${SETUP_DEMO_EVENTS:-100000}"
DEMO_TOPIC="${SETUP_DEMO_TOPIC:-application-logs}"
# A copy of the shared LogGen that the engine's tests use; it runs as a single-file program.
LOGGEN="$ROOT/common/src/test/java/dev/mapreduce/testing/LogGen.java"

# The services in start order: module, port, the variable that overrides the port, extra environment.
# coordinator-1 starts first and alone: it runs the Flyway migrations the others rely on.
SERVICES=(coordinator-1 coordinator-2 map-worker-1 map-worker-2 reduce-worker-1 reduce-worker-2 api-gateway)
# "coordinator" is the single coordinator of earlier versions of this script: only stopped.
declare -A MODULE=(
    [coordinator]=coordinator [coordinator-1]=coordinator [coordinator-2]=coordinator
    [api-gateway]=api-gateway
    [map-worker-1]=map-worker [map-worker-2]=map-worker
    [reduce-worker-1]=reduce-worker [reduce-worker-2]=reduce-worker
)
declare -A PORT=(
    [coordinator]="$COORDINATOR_PORT"
    [coordinator-1]="$COORDINATOR_PORT" [coordinator-2]="$COORDINATOR_2_PORT"
    [api-gateway]="$API_GATEWAY_PORT"
    [map-worker-1]="${MAP_WORKER_PORT:-8081}" [map-worker-2]="${MAP_WORKER_2_PORT:-8181}"
    [reduce-worker-1]="${REDUCE_WORKER_PORT:-8082}" [reduce-worker-2]="${REDUCE_WORKER_2_PORT:-8182}"
)
declare -A PORT_SETTING=(
    [coordinator-1]=COORDINATOR_PORT [coordinator-2]=COORDINATOR_2_PORT [api-gateway]=API_GATEWAY_PORT
    [map-worker-1]=MAP_WORKER_PORT [map-worker-2]=MAP_WORKER_2_PORT
    [reduce-worker-1]=REDUCE_WORKER_PORT [reduce-worker-2]=REDUCE_WORKER_2_PORT
)
# BIND_ADDRESS is set here, not inherited: a BIND_ADDRESS=0.0.0.0 left in the caller's environment
# must not open the coordinators' and workers' ports (the coordinators' internal API needs the
# service token, see use_internal_token, but their actuator endpoints and the workers' do not).
declare -A SERVICE_ENV=(
    [coordinator-1]="BIND_ADDRESS=127.0.0.1 COORDINATOR_PORT=${PORT[coordinator-1]} COORDINATOR_ID=coordinator-1"
    [coordinator-2]="BIND_ADDRESS=127.0.0.1 COORDINATOR_PORT=${PORT[coordinator-2]} COORDINATOR_ID=coordinator-2"
    [api-gateway]="BIND_ADDRESS=127.0.0.1 API_GATEWAY_PORT=${PORT[api-gateway]}"
    [map-worker-1]="BIND_ADDRESS=127.0.0.1 MAP_WORKER_PORT=${PORT[map-worker-1]} WORKER_ID=map-worker-1"
    [map-worker-2]="BIND_ADDRESS=127.0.0.1 MAP_WORKER_PORT=${PORT[map-worker-2]} WORKER_ID=map-worker-2"
    [reduce-worker-1]="BIND_ADDRESS=127.0.0.1 REDUCE_WORKER_PORT=${PORT[reduce-worker-1]} WORKER_ID=reduce-worker-1"
    [reduce-worker-2]="BIND_ADDRESS=127.0.0.1 REDUCE_WORKER_PORT=${PORT[reduce-worker-2]} WORKER_ID=reduce-worker-2"
)
declare -A JVM_OPTS=(
    [coordinator-1]="-Xmx512m" [coordinator-2]="-Xmx512m" [api-gateway]="-Xmx256m"
    [map-worker-1]="-Xmx512m -XX:+UseParallelGC" [map-worker-2]="-Xmx512m -XX:+UseParallelGC"
    [reduce-worker-1]="-Xmx512m -XX:+UseParallelGC" [reduce-worker-2]="-Xmx512m -XX:+UseParallelGC"
)

# A random secret: 32 bytes as 64 hex digits.
random_secret() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

# The shared secret of the coordinators' internal API (MAPREDUCE_INTERNAL_TOKEN): the coordinators
# refuse calls without it and the gateway sends it. Unless set in the environment it is generated
# once into .local/internal-token (readable by its owner only) and kept across restarts.
use_internal_token() {
    [[ -n ${MAPREDUCE_INTERNAL_TOKEN:-} ]] && { export MAPREDUCE_INTERNAL_TOKEN; return; }
    local file="$LOCAL/internal-token"
    if [[ ! -s $file ]]; then
        mkdir -p "$LOCAL"
        (umask 077 && random_secret >"$file.tmp" && mv "$file.tmp" "$file")
    fi
    MAPREDUCE_INTERNAL_TOKEN="$(<"$file")"
    export MAPREDUCE_INTERNAL_TOKEN
}

# The gateway and the reduce workers connect to PostgreSQL as roles of their own, which the
# coordinators' migrations create (mapreduce_gateway, mapreduce_reduce_worker: they may read jobs
# and results, and write results, only). Their passwords, GATEWAY_DB_PASSWORD and
# REDUCE_WORKER_DB_PASSWORD, are generated once into .local/ unless set; the coordinators set them
# on the roles after migrating, so they work whether PostgreSQL trusts local connections or not.
use_db_role_passwords() {
    local variable file
    for variable in GATEWAY_DB_PASSWORD REDUCE_WORKER_DB_PASSWORD; do
        if [[ -z ${!variable:-} ]]; then
            file="$LOCAL/$(echo "$variable" | tr 'A-Z_' 'a-z-')"
            if [[ ! -s $file ]]; then
                mkdir -p "$LOCAL"
                (umask 077 && random_secret >"$file.tmp" && mv "$file.tmp" "$file")
            fi
            printf -v "$variable" '%s' "$(<"$file")"
        fi
        export "${variable?}"
    done
}

# The database user and password of service NAME: its own role for the gateway and the reduce
# workers, POSTGRES_USER (the schema's owner) for the coordinators.
db_login_of() {
    case $1 in
        api-gateway) echo "POSTGRES_USER=mapreduce_gateway POSTGRES_PASSWORD=$GATEWAY_DB_PASSWORD" ;;
        reduce-worker-*) echo "POSTGRES_USER=mapreduce_reduce_worker POSTGRES_PASSWORD=$REDUCE_WORKER_DB_PASSWORD" ;;
    esac
}

say() { echo "setup: $*"; }
die() {
    echo "setup: $*" >&2
    exit 1
}

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

# The services run a copy of their module's jar (.local/jars), taken when the stack starts with
# nothing of it running: a rebuild while the stack runs changes nothing that runs, and a service
# restarted by './setup.sh start NAME' runs the same build as the rest of the stack.
built_jar_of() { echo "$ROOT/${MODULE[$1]}/target/${MODULE[$1]}.jar"; }
jar_of() { echo "$JAR_DIR/${MODULE[$1]}.jar"; }

# copy_jars NAME...: the built jars of those services' modules into .local/jars
copy_jars() {
    local name module
    mkdir -p "$JAR_DIR"
    rm -f "$JAR_DIR"/*.jar.tmp
    for name in "$@"; do
        module="${MODULE[$name]}"
        [[ -f "$JAR_DIR/$module.jar.tmp" ]] && continue # copied already in this call
        cp -f "$(built_jar_of "$name")" "$JAR_DIR/$module.jar.tmp" || die "could not copy $(built_jar_of "$name")"
    done
    for name in "$@"; do
        module="${MODULE[$name]}"
        [[ -f "$JAR_DIR/$module.jar.tmp" ]] && mv -f "$JAR_DIR/$module.jar.tmp" "$JAR_DIR/$module.jar"
    done
}

# What a process of ours has on its command line: the broker's config file, or the service's jar.
marker_of() {
    if [[ $1 == kafka ]]; then
        echo "kafka.Kafka $KAFKA_HOME/server.properties"
    elif [[ $1 == coordinator ]]; then # started by an earlier setup.sh, from the module's target/
        built_jar_of "$1"
    else
        jar_of "$1"
    fi
}

# Prints the PID of our running process NAME: its PID file names a live java process whose command
# line is still ours (a PID can be reused by anything once our process is gone).
our_pid() {
    local name=$1 file="$PID_DIR/$1.pid" pid
    [[ -f $file ]] || return 1
    pid="$(<"$file")"
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ "$(ps -o comm= -p "$pid" 2>/dev/null)" == java ]] || return 1
    [[ "$(ps -ww -o args= -p "$pid" 2>/dev/null)" == *"$(marker_of "$name")"* ]] || return 1
    echo "$pid"
}

port_in_use() {
    if command -v ss >/dev/null; then
        [[ -n "$(ss -ltnH "sport = :$1" 2>/dev/null)" ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

port_owner() {
    local owner=""
    if command -v ss >/dev/null; then
        owner="$(ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -n 1 \
            | sed -E 's/users:\(\("([^"]*)",pid=([0-9]+)/\1 (pid \2)/' || true)"
    fi
    echo "${owner:-another process}"
}

health_of() {
    curl -fsS --max-time 2 "http://127.0.0.1:${PORT[$1]}/actuator/health" 2>/dev/null \
        | jq -r '.status // "?"' 2>/dev/null || echo DOWN
}

# Moves the previous logs aside (NAME.log.1 is the last run, up to .5), so a log holds one run and a
# service restarted by a fault test keeps its last runs' logs.
fresh_log() {
    local log="$LOG_DIR/$1.log" i
    for ((i = 4; i >= 1; i--)); do
        [[ -f $log.$i ]] && mv -f "$log.$i" "$log.$((i + 1))"
    done
    [[ -f $log ]] && mv -f "$log" "$log.1"
    echo "$log"
}

fail_with_log() {
    local name=$1 message=$2
    echo "setup: $message; last lines of $LOG_DIR/$name.log:" >&2
    tail -n 40 "$LOG_DIR/$name.log" >&2 || true
    echo "setup: what was started still runs; './setup.sh stop' stops it" >&2
    exit 1
}

# ---------------------------------------------------------------------------------------------
# start

check_tools() {
    command -v "$JAVA" >/dev/null || die "no '$JAVA' found: install a JDK 17 or newer, or set JAVA_HOME"
    command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
    command -v jq >/dev/null || die "jq is needed (apt-get install jq)"
}

# Every port we are about to listen on must be free, or already held by our own process.
check_ports() {
    local problems=() name port
    local -a wanted=("kafka:$KAFKA_PORT:KAFKA_PORT" "kafka:$KAFKA_CONTROLLER_PORT:KAFKA_CONTROLLER_PORT")
    for name in "${SERVICES[@]}"; do
        wanted+=("$name:${PORT[$name]}:${PORT_SETTING[$name]}")
    done
    local entry setting
    for entry in "${wanted[@]}"; do
        IFS=: read -r name port setting <<<"$entry"
        our_pid "$name" >/dev/null && continue
        if port_in_use "$port"; then
            problems+=("port $port, which $name should use, is already in use by $(port_owner "$port"); stop that process or choose another port with $setting=...")
        fi
    done
    if ((${#problems[@]} > 0)); then
        printf 'setup: %s\n' "${problems[@]}" >&2
        die "nothing was started"
    fi
}

build_if_needed() {
    local force=$1 missing=() name
    for name in coordinator map-worker-1 reduce-worker-1 api-gateway; do
        [[ -f "$(built_jar_of "$name")" ]] || missing+=("$(built_jar_of "$name")")
    done
    [[ -f cli/target/mr.jar ]] || missing+=(cli/target/mr.jar)
    if ((force)) || ((${#missing[@]} > 0)); then
        say "building the jars (./mvnw -B -q package -DskipTests)..."
        ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true || die "the build failed"
    fi
}

# The broker's classpath from local-stack/kafka/pom.xml (downloaded by Maven on first use).
resolve_kafka_classpath() {
    local file="$KAFKA_HOME/classpath.txt"
    if [[ ! -s $file || local-stack/kafka/pom.xml -nt $file ]]; then
        say "resolving the Kafka broker's classpath (local-stack/kafka/pom.xml)..."
        ./mvnw -q -B -f local-stack/kafka/pom.xml dependency:build-classpath \
            -Dmdep.includeScope=runtime -Dmdep.outputFile="$file.tmp" || die "could not resolve the Kafka broker"
        mv -f "$file.tmp" "$file"
    fi
}

start_kafka() {
    local pid
    if pid="$(our_pid kafka)"; then
        say "kafka already running (pid $pid)"
        return
    fi
    resolve_kafka_classpath
    local classpath config="$KAFKA_HOME/server.properties" text
    classpath="$(<"$KAFKA_HOME/classpath.txt")"
    text="$(<local-stack/kafka/server.properties)"
    text="${text//@KAFKA_PORT@/$KAFKA_PORT}"
    text="${text//@KAFKA_CONTROLLER_PORT@/$KAFKA_CONTROLLER_PORT}"
    text="${text//@LOG_DIRS@/$KAFKA_HOME/data}"
    text="${text//@AUTO_CREATE_TOPICS@/$KAFKA_AUTO_CREATE_TOPICS}"
    text="${text//@NUM_PARTITIONS@/$KAFKA_NUM_PARTITIONS}"
    printf '%s\n' "$text" >"$config"
    local -a java=("$JAVA" "-Dlog4j2.configurationFile=$ROOT/local-stack/kafka/log4j2.properties" -cp "$classpath")
    local log
    log="$(fresh_log kafka)"
    if [[ ! -f "$KAFKA_HOME/data/meta.properties" ]]; then
        say "formatting Kafka's data folder ($KAFKA_HOME/data)"
        local cluster_id
        cluster_id="$("${java[@]}" kafka.tools.StorageTool random-uuid 2>>"$log")" \
            || fail_with_log kafka "kafka.tools.StorageTool random-uuid failed"
        "${java[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$config" >>"$log" 2>&1 \
            || fail_with_log kafka "formatting Kafka's data folder failed"
    fi
    local -a opts
    read -ra opts <<<"$KAFKA_JAVA_OPTS"
    nohup "${java[0]}" "${opts[@]}" "${java[@]:1}" kafka.Kafka "$config" >>"$log" 2>&1 </dev/null 8>&- 9>&- &
    echo $! >"$PID_DIR/kafka.pid"
    say "started kafka (pid $!, 127.0.0.1:$KAFKA_PORT, controller 127.0.0.1:$KAFKA_CONTROLLER_PORT, log $log)"
}

# await_service NAME WHAT READY...: until the command READY... succeeds; fails with NAME's log if
# NAME's process exits or after SETUP_TIMEOUT_SECONDS, and says every PROGRESS_SECONDS that it still
# waits (a service slow to start on a loaded machine looks slow, not hung)
await_service() {
    local name=$1 what=$2 start=$SECONDS next=$((SECONDS + PROGRESS_SECONDS))
    shift 2
    until "$@"; do
        our_pid "$name" >/dev/null || fail_with_log "$name" "$name exited before it was $what"
        ((SECONDS - start < TIMEOUT_SECONDS)) ||
            fail_with_log "$name" "$name was not $what within ${TIMEOUT_SECONDS}s (SETUP_TIMEOUT_SECONDS)"
        if ((SECONDS >= next)); then
            say "$name is not $what yet after $((SECONDS - start))s; waiting up to ${TIMEOUT_SECONDS}s" \
                "(SETUP_TIMEOUT_SECONDS), log $LOG_DIR/$name.log"
            next=$((SECONDS + PROGRESS_SECONDS))
        fi
        sleep 0.5
    done
}

kafka_started() { grep -q 'Kafka Server started' "$LOG_DIR/kafka.log" 2>/dev/null && port_in_use "$KAFKA_PORT"; }

wait_for_kafka() {
    await_service kafka up kafka_started
    say "kafka is up on 127.0.0.1:$KAFKA_PORT"
}

wait_until() {
    local what=$1 deadline=$((SECONDS + 30))
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "$what did not answer within 30s"
        sleep 0.5
    done
}

postgres_ready() {
    if command -v pg_isready >/dev/null; then
        pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
    else
        (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null
    fi
}

redis_ready() {
    if command -v redis-cli >/dev/null; then
        [[ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
    else
        (exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT") 2>/dev/null
    fi
}

is_local() { [[ $1 == 127.0.0.1 || $1 == localhost ]]; }

psql_() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$POSTGRES_USER" "$@"; }

start_postgres() {
    if ! postgres_ready; then
        if is_local "$PG_HOST" && command -v pg_ctlcluster >/dev/null && [[ -n "$(ls /etc/postgresql 2>/dev/null)" ]]; then
            local version
            version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
            say "starting PostgreSQL $version (it keeps running after './setup.sh stop')"
            pg_ctlcluster --skip-systemctl-redirect "$version" main start 8>&- 9>&- || die "could not start PostgreSQL"
            wait_until PostgreSQL postgres_ready
        else
            die "PostgreSQL does not answer on $PG_HOST:$PG_PORT and is not installed here;" \
                "start it, install it (apt-get install postgresql) or set PG_HOST/PG_PORT"
        fi
    fi
    [[ $PG_DATABASE =~ ^[a-z_][a-z0-9_]*$ ]] || die "PG_DATABASE must be a plain lower-case name, got '$PG_DATABASE'"
    command -v psql >/dev/null || die "psql is needed (apt-get install postgresql-client)"
    local exists
    exists="$(psql_ -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" \
        || die "cannot connect to PostgreSQL on $PG_HOST:$PG_PORT as $POSTGRES_USER"
    if [[ $exists != 1 ]]; then
        psql_ -d postgres -qc "CREATE DATABASE $PG_DATABASE" || die "could not create database $PG_DATABASE"
        say "created database $PG_DATABASE"
    fi
    say "PostgreSQL is up on $PG_HOST:$PG_PORT (database $PG_DATABASE)"
}

start_redis() {
    if ! redis_ready; then
        if ! is_local "$REDIS_HOST" || ! command -v redis-server >/dev/null; then
            die "Redis does not answer on $REDIS_HOST:$REDIS_PORT and is not installed here;" \
                "start it, install it (apt-get install redis-server) or set REDIS_HOST/REDIS_PORT"
        fi
        say "starting Redis (it keeps running after './setup.sh stop')"
        redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no 8>&- 9>&- \
            >/dev/null || die "could not start Redis"
        wait_until Redis redis_ready
    fi
    say "Redis is up on $REDIS_HOST:$REDIS_PORT"
}

# The JVM options of service NAME: its kind's override, else MR_JAVA_OPTS, else its default.
java_opts_of() {
    case $1 in
        map-worker-*) echo "${MAP_WORKER_JAVA_OPTS:-${MR_JAVA_OPTS:-${JVM_OPTS[$1]}}}" ;;
        reduce-worker-*) echo "${REDUCE_WORKER_JAVA_OPTS:-${MR_JAVA_OPTS:-${JVM_OPTS[$1]}}}" ;;
        *) echo "${MR_JAVA_OPTS:-${JVM_OPTS[$1]}}" ;;
    esac
}

start_service() {
    local name=$1 pid
    if pid="$(our_pid "$name")"; then
        say "$name already running (pid $pid, port ${PORT[$name]})"
        return
    fi
    local jar log
    jar="$(jar_of "$name")"
    log="$(fresh_log "$name")"
    local -a env opts
    use_internal_token
    use_db_role_passwords
    read -ra env <<<"${SERVICE_ENV[$name]} $(db_login_of "$name")"
    read -ra opts <<<"$(java_opts_of "$name")"
    nohup env "${env[@]}" "$JAVA" "${opts[@]}" -jar "$jar" >"$log" 2>&1 </dev/null 8>&- 9>&- &
    echo $! >"$PID_DIR/$name.pid"
    say "started $name (pid $!, port ${PORT[$name]}, log $log)"
}

is_healthy() { [[ "$(health_of "$1")" == UP ]]; }

wait_healthy() {
    await_service "$1" healthy is_healthy "$1"
    say "$1 is healthy (http://127.0.0.1:${PORT[$1]})"
}

# ---------------------------------------------------------------------------------------------
# demo

# The X-API-Key header line for the first key of MAPREDUCE_API_KEYS, or nothing when it has none.
api_key_header() {
    local -a entries
    local entry tenant key
    IFS=, read -ra entries <<<"${MAPREDUCE_API_KEYS:-}"
    for entry in "${entries[@]}"; do
        entry="${entry//[[:space:]]/}"
        [[ -n $entry ]] || continue
        IFS=: read -r tenant key _ <<<"$entry"
        printf 'X-API-Key: %s\n' "$key"
        return
    done
}

run_demo() {
    [[ $DEMO_EVENTS =~ ^[1-9][0-9]*$ ]] || die "SETUP_DEMO_EVENTS must be a positive number, got '$DEMO_EVENTS'"
    # No edge-case lines (LogGen's 100 kB "spam spam ..." lines parse, and would top the word count): the
    # demo's 1% malformed lines are ones that do not parse. The name changed with that, so an older file is
    # not reused.
    local data="$LOCAL/demo/demo-$DEMO_EVENTS.jsonl"
    # Compose publishes no Kafka port: its demo job reads the file from the input folder instead.
    ((COMPOSE)) && data="$COMPOSE_INPUT_DIR/demo/demo-$DEMO_EVENTS.jsonl"
    if [[ ! -f $data ]]; then
        say "generating $DEMO_EVENTS demo events (LogGen, JSON, 1% malformed, no edge cases, seed 42)"
        mkdir -p "$LOCAL/demo" "$(dirname "$data")"
        "$JAVA" "$LOGGEN" --lines "$DEMO_EVENTS" --format json --seed 42 --malformed 0.01 --no-edge-cases \
            --out "$data.tmp" || die "LogGen failed"
        mv -f "$data.tmp" "$data"
    fi
    local input
    if ((COMPOSE)); then
        chmod a+rX "$(dirname "$data")" "$data" # the containers' user is not ours
        input="$(jq -cn --arg path "demo/${data##*/}" '{inputPath: $path}')"
    else
        say "ingesting $data into topic $DEMO_TOPIC (skipped if the topic already holds records)"
        ./mr ingest --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topic "$DEMO_TOPIC" --if-empty "$data" \
            || die "ingesting the demo data failed"
        input="$(jq -cn --arg topic "$DEMO_TOPIC" '{inputTopic: $topic}')"
    fi

    local gateway="http://127.0.0.1:${PORT[api-gateway]}" body response="$LOCAL/demo/response.json"
    # curl reads the key from a file (-H @file), so that it never shows on a command line
    local auth="$LOCAL/demo/api-key.header"
    (umask 077 && api_key_header >"$auth")
    body="$(jq -cn --argjson input "$input" '{jobName: "word-count-analysis"} + $input
        + {numMappers: 4, numReducers: 2, mapFunction: "WORD_COUNT", reduceFunction: "SUM"}')"
    demo_job "$body"
    say "top 20 words:"
    local -a psql=(psql_ -d "$PG_DATABASE")
    ((COMPOSE)) && psql=(compose_ exec -T postgres psql -U postgres -d mapreduce)
    "${psql[@]}" -c \
        "SELECT result_key, result_value FROM results WHERE job_id = '$DEMO_JOB_ID' ORDER BY result_value DESC LIMIT 20;"

    # The same events asked in SQL (docs/sql.md), in the default format as the word count (its 1 %
    # malformed lines skipped). It also warms the SQL path of every service: the first query job after a
    # start pays for loading and compiling that code (here a 10M-line count per service took 11-13 s
    # first, 4 s after a small query job).
    body="$(jq -cn --argjson input "$input" --arg query "$DEMO_QUERY" \
        '{jobName: "sql-errors-per-service"} + $input + {numMappers: 4, numReducers: 2, query: $query}')"
    demo_job "$body"
    say "$DEMO_QUERY:"
    curl -fsS --max-time 30 -H "@$auth" -H 'Accept: text/csv' "$gateway/api/jobs/$DEMO_JOB_ID/results" \
        || die "reading the rows of job $DEMO_JOB_ID failed"
    local from="-t $DEMO_TOPIC"
    ((COMPOSE)) && from="-i demo/${data##*/}"
    say "your own question: ./mr query $from \"SELECT ... FROM logs ...\" (MR_API_KEY set to a key when" \
        "MAPREDUCE_API_KEYS has one; docs/sql.md), or the dashboard's query box"
}

# The SQL demo job's query: events, errors and distinct hosts per service, most errors first.
DEMO_QUERY="SELECT service, count(*) AS events, sum(CASE WHEN level = 'ERROR' THEN 1 ELSE 0 END) AS errors,\
 count(DISTINCT host) AS hosts FROM logs GROUP BY service ORDER BY errors DESC, service"

# Submits the demo job of JSON body $1 through the gateway, waits until it COMPLETED (dies when it
# cannot be submitted, fails or times out) and prints its view; sets DEMO_JOB_ID. Uses run_demo's
# gateway, auth and response.
demo_job() {
    local code
    say "submitting a demo job: POST $gateway/api/jobs $1"
    code="$(curl -sS -o "$response" -w '%{http_code}' --max-time 30 -X POST "$gateway/api/jobs" \
        -H 'Content-Type: application/json' -H "@$auth" -d "$1")" || code=000
    if [[ $code != 2?? ]]; then
        die "the gateway answered HTTP $code to POST /api/jobs: $(head -c 600 "$response" 2>/dev/null)" \
            "(the stack itself is up; './setup.sh stop' stops it)"
    fi
    local job_id
    job_id="$(jq -r '.jobId // empty' "$response" 2>/dev/null || true)"
    [[ $job_id =~ ^[A-Za-z0-9_-]+$ ]] || die "no usable jobId in the gateway's answer: $(head -c 600 "$response")"
    say "job $job_id submitted; waiting for it (up to ${JOB_TIMEOUT_SECONDS}s)"

    local deadline=$((SECONDS + JOB_TIMEOUT_SECONDS)) status="" last=""
    while true; do
        if curl -fsS --max-time 10 -H "@$auth" -o "$response" "$gateway/api/jobs/$job_id" 2>/dev/null; then
            status="$(jq -r '.status // "?"' "$response" 2>/dev/null || echo '?')"
            if [[ $status != "$last" ]]; then
                say "job $job_id: $status"
                last=$status
            fi
            case $status in
                COMPLETED) break ;;
                FAILED | CANCELLED) die "job $job_id ended $status: $(jq -c . "$response")" ;;
            esac
        fi
        ((SECONDS < deadline)) || die "job $job_id not COMPLETED within ${JOB_TIMEOUT_SECONDS}s (last status: ${status:-none})"
        sleep 1
    done
    jq . "$response"
    DEMO_JOB_ID=$job_id
}

# ---------------------------------------------------------------------------------------------
# Docker Compose: the stack of docker-compose.yml, when a Docker engine runs

COMPOSE=0
COMPOSE_INPUT_DIR="${MAPREDUCE_INPUT_DIR:-$ROOT/data}" # mounted as the services' input root

compose_() { docker compose -f "$ROOT/docker-compose.yml" "$@"; }

# docker-compose.yml takes MAPREDUCE_INTERNAL_TOKEN from the environment or from .env next to it,
# and refuses to run without it: unless one of them has it, a random one is added to .env (created
# readable by its owner only), once.
compose_env() {
    local file="$ROOT/.env" variable
    [[ -s $file && -n "$(tail -c1 "$file")" ]] && echo >>"$file"
    # every password of docker-compose.yml, none of which has a default there
    for variable in POSTGRES_PASSWORD REDIS_PASSWORD GATEWAY_DB_PASSWORD REDUCE_WORKER_DB_PASSWORD \
        MONITOR_DB_PASSWORD GRAFANA_ADMIN_PASSWORD; do
        [[ -n ${!variable:-} ]] && continue
        grep -qs "^$variable=." "$file" && continue
        (umask 077 && echo "$variable=$(random_secret)" >>"$file")
        say "wrote a random $variable to .env"
    done
    [[ -n ${MAPREDUCE_INTERNAL_TOKEN:-} ]] && return
    grep -qs '^MAPREDUCE_INTERNAL_TOKEN=.' "$file" && return
    (umask 077 && echo "MAPREDUCE_INTERNAL_TOKEN=$(random_secret)" >>"$file")
    say "wrote a random MAPREDUCE_INTERNAL_TOKEN (the coordinators' service token) to .env"
}

compose_available() {
    command -v docker >/dev/null || return 1
    # an unreachable DOCKER_HOST must not hang every ./setup.sh
    if command -v timeout >/dev/null; then
        timeout 10 docker info >/dev/null 2>&1 || return 1
    else
        docker info >/dev/null 2>&1 || return 1
    fi
    docker compose version >/dev/null 2>&1
}

use_compose() {
    case "${SETUP_MODE:-auto}" in
        local) return 1 ;;
        compose)
            compose_available \
                || die "SETUP_MODE=compose, but no Docker engine answers 'docker info' or 'docker compose' is missing"
            ;;
        auto) compose_available ;;
        *) die "SETUP_MODE must be auto, compose or local, got '$SETUP_MODE'" ;;
    esac
}

compose_start() {
    while (($# > 0)); do
        case $1 in
            --build) ;; # the images are always built: Jib and Maven reuse what has not changed
            --no-demo) DEMO=0 ;;
            -h | --help) usage && exit 0 ;;
            *) die "unknown option '$1' (see './setup.sh --help')" ;;
        esac
        shift
    done
    command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
    command -v jq >/dev/null || die "jq is needed (apt-get install jq)"
    ((DEMO)) && { command -v "$JAVA" >/dev/null || die "the demo data is generated with a JDK 17+ ('$JAVA'); or --no-demo"; }
    mkdir -p "$COMPOSE_INPUT_DIR" "$LOCAL/demo" # the input folder ours, not created by Docker as root
    say "building the services' images with Jib into Docker (./mvnw -B -q package jib:dockerBuild -DskipTests)..."
    (cd "$ROOT" && ./mvnw -B -q package jib:dockerBuild -DskipTests -Dspotless.check.skip=true) \
        || die "the images' build failed"
    say "starting the stack with Docker Compose (docker-compose.yml; SETUP_MODE=local for the local stack)"
    if ! compose_ up -d --build --wait --wait-timeout "$((TIMEOUT_SECONDS * 2))"; then
        compose_ ps -a >&2 || true
        compose_ logs --tail 40 >&2 || true
        die "the Compose stack did not become healthy; 'docker compose logs SERVICE' for more, './setup.sh stop' stops it"
    fi
    local gateway="http://127.0.0.1:${PORT[api-gateway]}" deadline=$((SECONDS + TIMEOUT_SECONDS))
    until [[ "$(curl -fsS --max-time 2 "$gateway/actuator/health" 2>/dev/null | jq -r '.status // empty' 2>/dev/null)" == UP ]]; do
        ((SECONDS < deadline)) || die "the gateway does not answer on $gateway within ${TIMEOUT_SECONDS}s"
        sleep 1
    done
    compose_ ps
    say "the stack is up: API $gateway, Grafana http://127.0.0.1:${GRAFANA_PORT:-3000}," \
        "Prometheus http://127.0.0.1:${PROMETHEUS_PORT:-9090}; input files in $COMPOSE_INPUT_DIR"
    if [[ $DEMO == 1 ]]; then
        run_demo
    fi
}

compose_command() {
    COMPOSE=1
    compose_env
    (($# > 0)) || set -- start
    case $1 in
        start | kill | restart)
            if [[ $1 != start ]] || { (($# >= 2)) && [[ $2 != -* ]]; }; then
                die "with Docker Compose, one service is started, killed or restarted with" \
                    "'docker compose up -d --wait|kill|restart SERVICE' (SERVICE one of:" \
                    "$(compose_ config --services | tr '\n' ' '))"
            fi
            shift
            compose_start "$@"
            ;;
        -*) compose_start "$@" ;;
        stop) compose_ down ;;
        status) compose_ ps -a ;;
        clean) compose_ down -v ;;
        *) die "unknown command '$1' (see './setup.sh --help')" ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_start() {
    local build=0 pid name
    while (($# > 0)); do
        case $1 in
            --build) build=1 ;;
            --no-demo) DEMO=0 ;;
            -h | --help) usage && exit 0 ;;
            *) die "unknown option '$1' (see './setup.sh --help')" ;;
        esac
        shift
    done
    check_tools
    mkdir -p "$PID_DIR" "$LOG_DIR" "$KAFKA_HOME" "$MAPREDUCE_INPUT_ROOT"
    if command -v flock >/dev/null; then
        exec 9>"$LOCAL/setup.lock"
        flock -n 9 || die "another ./setup.sh is running"
    fi
    if pid="$(our_pid coordinator)"; then
        die "a coordinator started by an earlier version of setup.sh runs (pid $pid); './setup.sh stop' first"
    fi
    check_ports
    build_if_needed "$build"
    local running=0
    for name in "${SERVICES[@]}"; do
        our_pid "$name" >/dev/null && running=1
    done
    if ((running == 0)); then
        copy_jars "${SERVICES[@]}"
    elif ((build)); then
        say "services still run: they keep their build; './setup.sh stop' first to run the new one"
    fi

    start_kafka
    start_postgres
    start_redis
    wait_for_kafka
    start_service coordinator-1
    wait_healthy coordinator-1 # it runs the Flyway migrations the others rely on
    for name in "${SERVICES[@]:1}"; do
        start_service "$name"
    done
    for name in "${SERVICES[@]:1}"; do
        wait_healthy "$name"
    done
    say "the stack is up; logs in .local/logs, './setup.sh status' lists it, './setup.sh stop' stops it"

    if [[ $DEMO == 1 ]]; then
        run_demo
    fi
}

# "leader", "standby" or "?" (no answer) from a coordinator's GET /internal/leadership, which wants the
# service token like the rest of the internal API (sent on stdin, so it stays off the process list).
leadership_of() {
    local token="${MAPREDUCE_INTERNAL_TOKEN:-$(cat "$LOCAL/internal-token" 2>/dev/null)}"
    printf 'Authorization: Bearer %s\n' "$token" \
        | curl -fsS --max-time 2 -H @- "http://127.0.0.1:${PORT[$1]}/internal/leadership" 2>/dev/null \
        | jq -r 'if .leader == true then "leader" elif .leader == false then "standby" else "?" end' \
            2>/dev/null || echo "?"
}

cmd_status() {
    local name pid extra
    if pid="$(our_pid kafka)"; then
        say "$(printf '%-16s running  pid %-7s 127.0.0.1:%s' kafka "$pid" "$KAFKA_PORT")"
    else
        say "$(printf '%-16s stopped' kafka)"
    fi
    if pid="$(our_pid coordinator)"; then
        say "$(printf '%-16s running  pid %-7s (started by an earlier setup.sh; ./setup.sh stop stops it)' \
            coordinator "$pid")"
    fi
    for name in "${SERVICES[@]}"; do
        if pid="$(our_pid "$name")"; then
            extra=""
            [[ $name == coordinator-* ]] && extra="  $(leadership_of "$name")"
            say "$(printf '%-16s running  pid %-7s 127.0.0.1:%-5s health %s%s' \
                "$name" "$pid" "${PORT[$name]}" "$(health_of "$name")" "$extra")"
        else
            say "$(printf '%-16s stopped' "$name")"
        fi
    done
    local answer=answering
    postgres_ready || answer="not answering"
    say "$(printf '%-16s %s on %s:%s (setup.sh never stops it)' postgresql "$answer" "$PG_HOST" "$PG_PORT")"
    answer=answering
    redis_ready || answer="not answering"
    say "$(printf '%-16s %s on %s:%s (setup.sh never stops it)' redis "$answer" "$REDIS_HOST" "$REDIS_PORT")"
}

# SIGTERM to each of ours, up to 15 s for all of them to exit, then SIGKILL; PID files removed.
stop_group() {
    local name pid file stopping=()
    for name in "$@"; do
        file="$PID_DIR/$name.pid"
        [[ -f $file ]] || continue
        if pid="$(our_pid "$name")"; then
            kill -TERM "$pid" 2>/dev/null || true
            stopping+=("$name:$pid")
        else
            say "$name: not running (stale $file removed)"
            rm -f "$file"
        fi
    done
    local deadline=$((SECONDS + 15)) entry alive
    while true; do
        alive=()
        for entry in "${stopping[@]}"; do
            kill -0 "${entry#*:}" 2>/dev/null && alive+=("$entry")
        done
        ((${#alive[@]} == 0 || SECONDS >= deadline)) && break
        sleep 0.3
    done
    for entry in "${alive[@]}"; do
        say "${entry%%:*} (pid ${entry#*:}) ignored SIGTERM for 15s; sending SIGKILL"
        kill -KILL "${entry#*:}" 2>/dev/null || true
    done
    for entry in "${stopping[@]}"; do
        rm -f "$PID_DIR/${entry%%:*}.pid"
        say "stopped ${entry%%:*} (pid ${entry#*:})"
    done
}

cmd_stop() {
    local reversed=() i
    for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
        reversed+=("${SERVICES[i]}")
    done
    stop_group "${reversed[@]}" coordinator
    stop_group kafka # after the services, so they do not spend their shutdown reconnecting
    say "PostgreSQL and Redis are left running (setup.sh never stops them, even when it started them)"
}

# ---------------------------------------------------------------------------------------------
# one service: ./setup.sh start|kill|restart NAME

is_service_name() {
    local name
    [[ $1 == kafka ]] && return 0
    for name in "${SERVICES[@]}"; do
        [[ $1 == "$name" ]] && return 0
    done
    return 1
}

check_name() {
    is_service_name "$1" || die "unknown service '$1'; one of: kafka ${SERVICES[*]}"
}

# One lock per service, so that several single-service commands (a chaos test restarting workers in
# the background) run at once, but never two on the same service. The processes we start close the
# lock's descriptor (8>&-), as they close the whole-stack lock's (9>&-), or they would hold it.
lock_service() {
    mkdir -p "$PID_DIR" "$LOG_DIR" "$KAFKA_HOME" "$MAPREDUCE_INPUT_ROOT"
    if command -v flock >/dev/null; then
        exec 8>"$LOCAL/setup-$1.lock"
        flock -w 60 8 || die "another ./setup.sh command on $1 did not finish within 60s"
    fi
}

start_one() {
    local name=$1 pid port
    if pid="$(our_pid "$name")"; then
        say "$name already running (pid $pid)"
        [[ $name == kafka ]] && return
        wait_healthy "$name"
        return
    fi
    if [[ $name == kafka ]]; then
        for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
            port_in_use "$port" && die "port $port, which kafka should use, is in use by $(port_owner "$port")"
        done
        start_kafka
        wait_for_kafka
        return
    fi
    if [[ ! -f "$(jar_of "$name")" ]]; then
        [[ -f "$(built_jar_of "$name")" ]] || die "$(built_jar_of "$name") is missing; build it first (./setup.sh --build)"
        copy_jars "$name"
    fi
    port="${PORT[$name]}"
    if port_in_use "$port"; then
        die "port $port, which $name should use, is in use by $(port_owner "$port"); set ${PORT_SETTING[$name]}=..."
    fi
    start_service "$name"
    wait_healthy "$name"
}

# SIGKILL, no warning: what a crash looks like to the rest of the stack.
kill_one() {
    local name=$1 pid
    if pid="$(our_pid "$name")"; then
        local at=$EPOCHREALTIME
        kill -KILL "$pid" 2>/dev/null || true
        # Gone, or a zombie whose port is free: PID 1 may take a second or two to reap it, and a
        # JVM's main thread turns zombie before its other threads have exited and closed its sockets.
        local deadline=$((SECONDS + 10)) state port="${PORT[$name]:-$KAFKA_PORT}"
        while state="$(ps -o stat= -p "$pid" 2>/dev/null)" && ((SECONDS < deadline)); do
            [[ $state == Z* ]] && ! port_in_use "$port" && break
            sleep 0.02
        done
        rm -f "$PID_DIR/$name.pid"
        say "killed $name (kill -9 pid $pid at ${at/,/.})" # the epoch second, for the fault tests
    else
        rm -f "$PID_DIR/$name.pid"
        say "$name is not running"
    fi
}

cmd_one() {
    local command=$1 name=${2:-}
    [[ $name == gateway ]] && name=api-gateway
    [[ -n $name ]] || die "usage: ./setup.sh $command NAME (NAME one of: kafka ${SERVICES[*]})"
    check_name "$name"
    check_tools
    lock_service "$name"
    case $command in
        start) start_one "$name" ;;
        kill) kill_one "$name" ;;
        restart)
            stop_group "$name"
            start_one "$name"
            ;;
    esac
}

if [[ ${1:-start} != help ]] && use_compose; then
    compose_command "$@"
    exit
fi

case "${1:-start}" in
    start)
        if (($# >= 2)) && [[ $2 != -* ]]; then
            cmd_one start "$2"
        else
            shift $(($# > 0 ? 1 : 0)) && cmd_start "$@"
        fi
        ;;
    -*) cmd_start "$@" ;;
    kill | restart) cmd_one "$1" "${2:-}" ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    clean)
        cmd_stop
        rm -rf "$LOCAL"
        say "deleted .local (Kafka's data, logs, demo data)"
        ;;
    help) usage ;;
    *) die "unknown command '$1' (see './setup.sh --help')" ;;
esac
