#!/usr/bin/env bash
# The framework as it runs on several hosts, on this one machine (issue 16 item 6): a 3-broker KRaft
# Kafka cluster with SASL/SCRAM, RF 3 and min.insync.replicas=2; a Redis Cluster of 3 masters, each
# with a replica; an S3-compatible server (S3Proxy, filesystem backend); the coordinator and the
# gateway on this host; and every map and reduce worker in a network namespace of its own, with its
# own address on a bridge network that this script creates, so the workers reach Kafka, Redis,
# PostgreSQL and S3 only over that network. Then two jobs, WORD_COUNT/SUM over a topic and over
# s3://, while one broker and one Redis master are killed mid-job; every row of both must equal the
# reference (integration-tests/reference.py, an independent implementation).
#
#   integration-tests/multi-host.sh          (as root: it creates namespaces, veth pairs and a bridge)
#
# What it does, in order:
#   1. a bridge mhbr0 with MH_NET.1/24 on this host, and per worker a namespace (mh-map-1, mh-map-2,
#      mh-reduce-1), a veth pair into the bridge and an address (MH_NET.11, .12, .21): the namespaces
#      have no other interface and no default route. `ip netns` and each worker's address are printed;
#   2. PostgreSQL: a database of its own (mh_<time>_<pid>) on the machine's server. That server listens
#      on 127.0.0.1 only and trusts only 127.0.0.1, and is shared: rather than reconfigure it, socat
#      forwards MH_NET.1:18432 to it, and the reduce workers reach it only at that address;
#   3. Redis: 6 redis-server in cluster mode on MH_NET.1:18411-18416 (bus 18421-18426), joined by
#      `redis-cli --cluster create --cluster-replicas 1`: 3 masters, 3 replicas;
#   4. Kafka: 3 combined broker+controller nodes from the Maven artifacts of local-stack/kafka/pom.xml
#      (static quorum), clients on SASL_PLAINTEXT MH_NET.1:18401-18403 with SCRAM-SHA-512, controllers
#      on 18404-18406; the SCRAM users (broker, mapreduce) are written when the nodes' storage is
#      formatted (kafka-storage format --add-scram). default.replication.factor=3,
#      min.insync.replicas=2, and the services create their topics with KAFKA_TOPIC_REPLICATION_FACTOR=3,
#      KAFKA_TOPIC_MIN_INSYNC_REPLICAS=2. A client with a wrong password must be refused;
#   5. S3Proxy (org.gaul:s3proxy from Maven Central) on MH_NET.1:18430, filesystem backend; the bucket
#      and objects are uploaded with curl's SigV4 signing;
#   6. the coordinator (127.0.0.1:18480) and the gateway (127.0.0.1:18490) on this host, the workers
#      in their namespaces (port 18481+ on their own address), all with the hold fault on;
#   7. a topic (3 partitions, RF 3) gets MH_EVENTS LogGen lines with `mr ingest`; two objects go to
#      s3://mh-logs/logs/ (JSON lines, and text lines gzipped); both jobs are submitted at once;
#   8. faults, held so they land mid-job whatever the machine's speed (integration-tests/lib/holds.sh):
#      map task 0 of each job waits until, with at least one map task of each job committed, the
#      broker leading mapreduce.tasks.map-0 is killed (kill -9); every reduce attempt waits until, with
#      both jobs REDUCE_RUNNING, the Redis master holding the most keys is killed (kill -9). The
#      replica's promotion is timed;
#   9. checks: both jobs COMPLETED; every row equals the reference's (compare.py); recordsRead and
#      malformedRecords exact; the internal topics' replicas and in-sync replicas are printed.
# Everything it started is stopped, and the namespaces, bridge and database removed, however it ends
# (an EXIT trap). The logs of a failed run are shown, and kept with MH_KEEP=1.
#
# Exit status: 0 when both jobs gave exact rows under the faults; 1 on any difference or failure;
# 2 when it cannot run here (not root, a tool or a port missing).
#
# Environment (defaults in brackets):
#   MH_NET [10.184.0]: the bridge network's first three octets (/24)
#   MH_EVENTS [200000] lines in the topic; MH_S3_EVENTS ["150000 50000"] lines of the two objects
#   MH_MAP_WORKERS [2], MH_REDUCE_WORKERS [1]: workers, one namespace each (at most 9 of a kind)
#   MH_MAPPERS [6], MH_REDUCERS [3] of each job; MH_TASK_PARTITIONS [3]: partitions of each task topic
#   MH_TIMEOUT [240] seconds for each wait on the jobs; MH_START_TIMEOUT [300] for each service
#   MH_KEEP [0]: 1 keeps the run's folder (.local/multi-host/run: logs, configs, data)
#   MH_JAVA_OPTS [-Xmx384m -XX:+UseSerialGC]: JVM options of the services, brokers and S3Proxy
#   PGHOST [127.0.0.1] PGPORT [5432] PGUSER [postgres]: the PostgreSQL server the database is made on
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
HERE="$ROOT/integration-tests"

MH_NET="${MH_NET:-10.184.0}"
MH_EVENTS="${MH_EVENTS:-200000}"
MH_S3_EVENTS="${MH_S3_EVENTS:-150000 50000}"
MH_MAP_WORKERS="${MH_MAP_WORKERS:-2}"
MH_REDUCE_WORKERS="${MH_REDUCE_WORKERS:-1}"
MH_MAPPERS="${MH_MAPPERS:-6}"
MH_REDUCERS="${MH_REDUCERS:-3}"
MH_TASK_PARTITIONS="${MH_TASK_PARTITIONS:-3}"
MH_TIMEOUT="${MH_TIMEOUT:-240}"
MH_START_TIMEOUT="${MH_START_TIMEOUT:-300}"
MH_KEEP="${MH_KEEP:-0}"
MH_JAVA_OPTS="${MH_JAVA_OPTS:--Xmx384m -XX:+UseSerialGC}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGCONNECT_TIMEOUT=10 PGCLIENTENCODING=UTF8

HOST_IP="$MH_NET.1"
BRIDGE=mhbr0
KAFKA_PORTS=(18401 18402 18403)
CONTROLLER_PORTS=(18404 18405 18406)
REDIS_PORTS=(18411 18412 18413 18414 18415 18416)
S3_PORT=18430
PG_FORWARD_PORT=18432
COORDINATOR_PORT=18480
GATEWAY_PORT=18490
WORKER_PORT_BASE=18481
BOOTSTRAP="$HOST_IP:${KAFKA_PORTS[0]},$HOST_IP:${KAFKA_PORTS[1]},$HOST_IP:${KAFKA_PORTS[2]}"
REDIS_NODES="$HOST_IP:${REDIS_PORTS[0]},$HOST_IP:${REDIS_PORTS[1]},$HOST_IP:${REDIS_PORTS[2]}"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
BUCKET=mh-logs
TOPIC=mh-logs
LOGGEN="$ROOT/common/src/test/java/dev/mapreduce/testing/LogGen.java"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
read -ra JAVA_OPTS <<<"$MH_JAVA_OPTS"

START=$SECONDS
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
stamp() { date +%H:%M:%S.%3N; }
log() { printf '[%s] multi-host: %s\n' "$(stamp)" "$*"; }
die() { # message [status]
    printf 'multi-host: ERROR: %s\n' "$1" >&2
    exit "${2:-1}"
}
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

# --- 0. what it needs ---------------------------------------------------------------------------
((EUID == 0)) || die "run it as root: it creates network namespaces, veth pairs and a bridge" 2
[[ $MH_NET =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || die "MH_NET must be three octets, e.g. 10.184.0" 2
for v in MH_EVENTS MH_MAP_WORKERS MH_REDUCE_WORKERS MH_MAPPERS MH_REDUCERS MH_TASK_PARTITIONS MH_TIMEOUT \
    MH_START_TIMEOUT; do
    is_uint "${!v}" && ((${!v} > 0)) || die "$v must be a positive whole number, got '${!v}'" 2
done
((MH_MAP_WORKERS <= 9 && MH_REDUCE_WORKERS <= 9)) || die "at most 9 workers of a kind" 2
read -ra S3_EVENTS <<<"$MH_S3_EVENTS"
((${#S3_EVENTS[@]} == 2)) && is_uint "${S3_EVENTS[0]}" && is_uint "${S3_EVENTS[1]}" ||
    die "MH_S3_EVENTS must be two numbers (the plain and the gzipped object's lines)" 2
if ! command -v socat >/dev/null && [[ ${CI:-} == true ]]; then
    log "installing Debian's socat (the PostgreSQL forwarder)"
    apt-get update -qq && apt-get install -y -qq socat >/dev/null
fi
for tool in ip socat redis-server redis-cli psql "$JAVA" javac curl jq python3 gzip flock ss; do
    command -v "$tool" >/dev/null || die "$tool is needed but not installed" 2
done
for jar in coordinator/target/coordinator.jar api-gateway/target/api-gateway.jar map-worker/target/map-worker.jar \
    reduce-worker/target/reduce-worker.jar cli/target/mr.jar; do
    [[ -f $jar ]] || die "$jar is missing: build the jars first (./mvnw -B -q -DskipTests package)" 2
done
[[ -f $LOGGEN ]] || die "missing $LOGGEN" 2

CACHE="$ROOT/.local/multi-host/cache"
WORK="$ROOT/.local/multi-host/run"
mkdir -p "$CACHE"
# One run at a time on this machine: the ports, the bridge and the namespace names are fixed.
exec 7>"${TMPDIR:-/tmp}/mapreduce-multi-host.lock"
flock -n 7 || die "another multi-host.sh runs on this machine" 2

WORKERS=()
for ((i = 1; i <= MH_MAP_WORKERS; i++)); do WORKERS+=("map-$i"); done
for ((i = 1; i <= MH_REDUCE_WORKERS; i++)); do WORKERS+=("reduce-$i"); done
declare -A ADDRESS=() PORT=()
n=0
for w in "${WORKERS[@]}"; do
    kind=${w%-*} index=${w##*-}
    ADDRESS[$w]="$MH_NET.$([[ $kind == map ]] && echo 1 || echo 2)$index"
    PORT[$w]=$((WORKER_PORT_BASE + n))
    n=$((n + 1))
done

ports=("${KAFKA_PORTS[@]}" "${CONTROLLER_PORTS[@]}" "${REDIS_PORTS[@]}" "$S3_PORT" "$PG_FORWARD_PORT"
    "$COORDINATOR_PORT" "$GATEWAY_PORT")
for p in "${REDIS_PORTS[@]}"; do ports+=($((p + 10))); done
for p in "${ports[@]}"; do
    if [[ -n "$(ss -ltnH "sport = :$p" 2>/dev/null)" ]]; then
        die "port $p is in use ($(ss -ltnpH "sport = :$p" | grep -o 'users:.*' | head -n 1)); stop that process" 2
    fi
done

# --- cleanup, however the run ends -----------------------------------------------------------------
remove_network() {
    local ns
    for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^mh-(map|reduce)-[0-9]+$/ {print $1}'); do
        ip netns delete "$ns" 2>/dev/null || true
    done
    ip link show "$BRIDGE" >/dev/null 2>&1 && ip link delete "$BRIDGE" 2>/dev/null || true
}
declare -A PIDS=() # name -> PID of each process we started
DB=""
data_pid=""
FAILED=1
cleanup() {
    local status=$1 name pid deadline
    trap - EXIT INT TERM
    release_all 2>/dev/null || true
    if [[ -n $data_pid ]] && kill -0 "$data_pid" 2>/dev/null; then # LogGen or reference.py, then their shell
        for pid in $(ps -o pid= --ppid "$data_pid"); do kill "$pid" 2>/dev/null || true; done
        kill "$data_pid" 2>/dev/null || true
    fi
    if ((status != 0 || FAILED)) && [[ -d $WORK/logs ]]; then
        for f in "$WORK"/logs/*.log; do
            [[ -s $f ]] || continue
            echo "multi-host: ---- last lines of ${f#"$ROOT"/}"
            tail -n 25 "$f" || true
        done
    fi
    for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}" 2>/dev/null || true; done
    deadline=$((SECONDS + 15))
    for name in "${!PIDS[@]}"; do
        pid=${PIDS[$name]}
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    for name in "${!PIDS[@]}"; do wait "${PIDS[$name]}" 2>/dev/null || true; done
    remove_network
    if [[ -n $DB ]]; then
        psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 ||
            echo "multi-host: could not drop database $DB" >&2
    fi
    if [[ $MH_KEEP == 1 ]]; then
        echo "multi-host: kept ${WORK#"$ROOT"/}"
    else
        rm -rf "$WORK"
    fi
    echo "multi-host: cleaned up (processes, namespaces, bridge, database) in $((SECONDS - cleanup_start)) s"
    exit "$status"
}
on_exit() {
    local status=$?
    cleanup_start=$SECONDS
    cleanup "$status"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# What an earlier run that was killed outright left behind (we hold the lock: no run owns it now).
remove_network
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/holds" "$WORK/input"
HOLD_DIR="$WORK/holds"
# shellcheck source=lib/holds.sh
source "$HERE/lib/holds.sh"
hold MAP-0 REDUCE # before any job exists: the faults' phases cannot pass unseen

# start NAME COMMAND...: runs it in the background, its output in logs/NAME.log
start() {
    local name=$1
    shift
    nohup "$@" >"$WORK/logs/$name.log" 2>&1 </dev/null 7>&- &
    PIDS[$name]=$!
}

# wait_for WHAT SECONDS COMMAND...: polls COMMAND until it succeeds
wait_for() {
    local what=$1 limit=$2 deadline
    shift 2
    deadline=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "$what not ready within ${limit}s"
        sleep 0.3
    done
}

alive() { kill -0 "${PIDS[$1]}" 2>/dev/null; }

# --- 7a. data and expected rows, in the background while the cluster starts -----------------------
ref_sum="$(cat "$HERE/reference.py" "$LOGGEN" | sha256sum | cut -c1-12)"
DATA="$CACHE/data-$MH_EVENTS-${S3_EVENTS[0]}-${S3_EVENTS[1]}-$ref_sum"
prepare_data() {
    set -e
    mkdir -p "$DATA.tmp/s3"
    "$JAVA" "$LOGGEN" --lines "$MH_EVENTS" --format json --seed 42 --malformed 0.01 --out "$DATA.tmp/topic.jsonl"
    "$JAVA" "$LOGGEN" --lines "${S3_EVENTS[0]}" --format json --seed 43 --malformed 0.01 --out "$DATA.tmp/s3/app-a.jsonl"
    "$JAVA" "$LOGGEN" --lines "${S3_EVENTS[1]}" --format text --seed 44 --malformed 0.01 --out "$DATA.tmp/s3/app-b.log"
    gzip -n "$DATA.tmp/s3/app-b.log"
    "$HERE/reference.py" --map WORD_COUNT --reduce SUM --format jsonl --counters "$DATA.tmp/topic.counters.json" \
        -o "$DATA.tmp/topic.expected.jsonl" "$DATA.tmp/topic.jsonl"
    "$HERE/reference.py" --map WORD_COUNT --reduce SUM --format jsonl --counters "$DATA.tmp/s3.counters.json" \
        -o "$DATA.tmp/s3.expected.jsonl" "$DATA.tmp/s3/app-a.jsonl" "$DATA.tmp/s3/app-b.log.gz"
    rm -rf "$DATA"
    mv "$DATA.tmp" "$DATA"
}
if [[ ! -d $DATA ]]; then
    log "generating the data (LogGen) and the expected rows (reference.py) in the background"
    rm -rf "$DATA.tmp"
    prepare_data >"$WORK/logs/data.log" 2>&1 &
    data_pid=$!
fi

# --- 1. the network ----------------------------------------------------------------------------
log "creating bridge $BRIDGE ($HOST_IP/24) and a namespace per worker"
ip link add "$BRIDGE" type bridge
ip addr add "$HOST_IP/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
for w in "${WORKERS[@]}"; do
    ns="mh-$w"
    ip netns add "$ns"
    ip link add "mhv-$w" type veth peer name eth0 netns "$ns"
    ip link set "mhv-$w" master "$BRIDGE" up
    ip -n "$ns" addr add "${ADDRESS[$w]}/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
done
echo "multi-host: ip netns:"
ip netns list | grep '^mh-' | sed 's/^/    /'
for w in "${WORKERS[@]}"; do
    printf '    %-12s %s   routes: %s\n' "mh-$w" "$(ip -n "mh-$w" -4 -br addr show dev eth0 | awk '{print $3}')" \
        "$(ip -n "mh-$w" route | paste -sd ';')"
done

# --- 2. PostgreSQL -------------------------------------------------------------------------------
pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL does not answer on $PGHOST:$PGPORT" 2
DB="mh_$(date +%s)_$$"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" >/dev/null
log "database $DB; forwarding $HOST_IP:$PG_FORWARD_PORT to $PGHOST:$PGPORT (socat)"
start pg-forward socat "TCP-LISTEN:$PG_FORWARD_PORT,bind=$HOST_IP,fork,reuseaddr" "TCP:$PGHOST:$PGPORT"

# --- 3. Redis Cluster --------------------------------------------------------------------------
log "starting 6 redis-server in cluster mode on $HOST_IP:${REDIS_PORTS[0]}-${REDIS_PORTS[5]}"
for p in "${REDIS_PORTS[@]}"; do
    mkdir -p "$WORK/redis-$p"
    start "redis-$p" redis-server --bind "$HOST_IP" --port "$p" --cluster-port $((p + 10)) --protected-mode no \
        --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 --repl-diskless-sync-delay 0 \
        --dir "$WORK/redis-$p" --save "" --appendonly no
done
rcli() { # PORT ARGS...
    local p=$1
    shift
    redis-cli -h "$HOST_IP" -p "$p" "$@"
}
for p in "${REDIS_PORTS[@]}"; do
    wait_for "redis-server on $p" 20 bash -c "[[ \$(redis-cli -h $HOST_IP -p $p ping) == PONG ]]"
done
create=()
for p in "${REDIS_PORTS[@]}"; do create+=("$HOST_IP:$p"); done
redis-cli --cluster create "${create[@]}" --cluster-replicas 1 --cluster-yes >"$WORK/logs/redis-create.log" 2>&1 ||
    die "redis-cli --cluster create failed: $(tail -n 5 "$WORK/logs/redis-create.log")"
redis_cluster_ok() {
    local p info
    for p in "${REDIS_PORTS[@]}"; do
        info="$(rcli "$p" cluster info)"
        [[ $info == *cluster_state:ok* && $info == *cluster_slots_assigned:16384* && $info == *cluster_known_nodes:6* ]] ||
            return 1
    done
    # every replica has its master's data stream
    for p in "${REDIS_PORTS[@]}"; do
        info="$(rcli "$p" info replication)"
        [[ $info == *role:master* || $info == *master_link_status:up* ]] || return 1
    done
}
wait_for "the Redis Cluster" 60 redis_cluster_ok
REDIS_ASK=${REDIS_PORTS[0]} # a node that is up, to ask about the cluster
redis_masters() { rcli "$REDIS_ASK" cluster nodes | awk '$3 ~ /master/ && $3 !~ /fail/ {sub(/@.*/, "", $2); print $2}' | sort; }
log "Redis Cluster up: masters $(redis_masters | paste -sd ' '), each with a replica"

# --- 4. Kafka ----------------------------------------------------------------------------------
KAFKA_CP_FILE="$CACHE/kafka-classpath.txt"
if [[ ! -s $KAFKA_CP_FILE || local-stack/kafka/pom.xml -nt $KAFKA_CP_FILE ]]; then
    log "resolving the Kafka broker's classpath (local-stack/kafka/pom.xml)"
    ./mvnw -q -B -f local-stack/kafka/pom.xml dependency:build-classpath -Dmdep.includeScope=runtime \
        -Dmdep.outputFile="$KAFKA_CP_FILE.tmp" >"$WORK/logs/maven.log" 2>&1 ||
        die "could not resolve the Kafka broker: $(tail -n 5 "$WORK/logs/maven.log")"
    mv -f "$KAFKA_CP_FILE.tmp" "$KAFKA_CP_FILE"
fi
KAFKA_CP="$(<"$KAFKA_CP_FILE")"
PROBE="$CACHE/probe"
if [[ ! -f $PROBE/KafkaProbe.class || $HERE/lib/KafkaProbe.java -nt $PROBE/KafkaProbe.class ]]; then
    mkdir -p "$PROBE"
    javac -cp "$KAFKA_CP" -d "$PROBE" "$HERE/lib/KafkaProbe.java"
fi
BROKER_PASSWORD="$(secret)"
CLIENT_PASSWORD="$(secret)"
CLIENT_PROPERTIES="$WORK/kafka-client.properties"
(
    umask 077
    cat >"$CLIENT_PROPERTIES" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="mapreduce" password="$CLIENT_PASSWORD";
EOF
)
probe() { "$JAVA" -cp "$KAFKA_CP:$PROBE" -Dlog4j2.level=warn KafkaProbe "$1" "$BOOTSTRAP" "$CLIENT_PROPERTIES" "${@:2}" 2>>"$WORK/logs/probe.log"; }
kafka_java=("$JAVA" "-Dlog4j2.configurationFile=$ROOT/local-stack/kafka/log4j2.properties" -cp "$KAFKA_CP")
voters="1@$HOST_IP:${CONTROLLER_PORTS[0]},2@$HOST_IP:${CONTROLLER_PORTS[1]},3@$HOST_IP:${CONTROLLER_PORTS[2]}"
cluster_id="$("${kafka_java[@]}" kafka.tools.StorageTool random-uuid 2>"$WORK/logs/kafka-uuid.log")"
formats=() # the three nodes' storage is formatted at once
for node in 1 2 3; do
    config="$WORK/kafka-$node.properties"
    (
        umask 077
        cat >"$config" <<EOF
process.roles=broker,controller
node.id=$node
controller.quorum.voters=$voters
listeners=SASL_PLAINTEXT://$HOST_IP:${KAFKA_PORTS[node - 1]},CONTROLLER://$HOST_IP:${CONTROLLER_PORTS[node - 1]}
advertised.listeners=SASL_PLAINTEXT://$HOST_IP:${KAFKA_PORTS[node - 1]}
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=SASL_PLAINTEXT
controller.listener.names=CONTROLLER
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="$BROKER_PASSWORD";
log.dirs=$WORK/kafka-$node
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
share.coordinator.state.topic.num.partitions=3
# a dead broker is fenced, and its partitions led elsewhere, within 6 s (default 9 s); a heartbeat's
# request times out after one interval, so a shorter one fences live brokers on a busy machine
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=6000
group.initial.rebalance.delay.ms=0
group.share.min.heartbeat.interval.ms=1000
group.share.heartbeat.interval.ms=1000
group.share.min.record.lock.duration.ms=1000
message.max.bytes=68157440
EOF
    )
    "${kafka_java[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$config" \
        --add-scram "SCRAM-SHA-512=[name=broker,password=$BROKER_PASSWORD]" \
        --add-scram "SCRAM-SHA-512=[name=mapreduce,password=$CLIENT_PASSWORD]" >"$WORK/logs/kafka-format-$node.log" 2>&1 &
    formats+=($!)
done
for node in 1 2 3; do
    wait "${formats[node - 1]}" || die "formatting Kafka node $node failed: $(tail -n 5 "$WORK/logs/kafka-format-$node.log")"
done
log "starting 3 Kafka nodes (broker+controller, SASL/SCRAM) on $BOOTSTRAP"
for node in 1 2 3; do
    start "kafka-$node" "${kafka_java[0]}" "${JAVA_OPTS[@]}" "${kafka_java[@]:1}" kafka.Kafka "$WORK/kafka-$node.properties"
done

# --- 5. S3Proxy (while the Kafka nodes start) -----------------------------------------------------
S3_VERSION="$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' pom.xml)"
S3_JAR="$CACHE/s3proxy-$S3_VERSION.jar"
if [[ ! -f $S3_JAR ]]; then
    log "fetching org.gaul:s3proxy:$S3_VERSION (jar-with-dependencies) with Maven"
    ./mvnw -q -B -f local-stack/kafka/pom.xml dependency:copy \
        -Dartifact="org.gaul:s3proxy:$S3_VERSION:jar:jar-with-dependencies" -DoutputDirectory="$CACHE/s3proxy.tmp" \
        >"$WORK/logs/maven.log" 2>&1 || die "could not fetch s3proxy: $(tail -n 5 "$WORK/logs/maven.log")"
    mv -f "$CACHE/s3proxy.tmp/s3proxy-$S3_VERSION-jar-with-dependencies.jar" "$S3_JAR"
    rm -rf "$CACHE/s3proxy.tmp"
fi
S3_KEY=mh-access
S3_SECRET="$(secret)"
S3_URL="http://$HOST_IP:$S3_PORT"
mkdir -p "$WORK/s3"
(
    umask 077
    cat >"$WORK/s3proxy.conf" <<EOF
s3proxy.endpoint=$S3_URL
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_KEY
s3proxy.credential=$S3_SECRET
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3
jclouds.identity=$S3_KEY
jclouds.credential=$S3_SECRET
EOF
)
log "starting S3Proxy $S3_VERSION (filesystem backend) on $S3_URL"
start s3proxy "$JAVA" "${JAVA_OPTS[@]}" -jar "$S3_JAR" --properties "$WORK/s3proxy.conf"
s3() { # METHOD PATH [FILE]: a request signed by curl (SigV4), FILE its body; the answer on stdout
    local method=$1 path=$2 file=${3:-/dev/null} body=()
    [[ $method == PUT ]] && body=(--data-binary "@$file" -H 'Content-Type: application/octet-stream')
    curl -fsS -m 60 -X "$method" --aws-sigv4 "aws:amz:us-east-1:s3" -u "$S3_KEY:$S3_SECRET" \
        -H "x-amz-content-sha256: $(sha256sum <"$file" | cut -d' ' -f1)" "${body[@]}" "$S3_URL$path"
}
wait_for "S3Proxy" "$MH_START_TIMEOUT" bash -c "curl -s -o /dev/null -m 2 -w '%{http_code}' $S3_URL/ | grep -qv '^000$'"

# The Kafka cluster answers with 3 brokers, and refuses a wrong password.
kafka_up() {
    local node
    for node in 1 2 3; do
        alive "kafka-$node" || die "Kafka node $node exited: $(tail -n 5 "$WORK/logs/kafka-$node.log")"
    done
    [[ "$(probe brokers)" == "1 2 3" ]]
}
wait_for "the Kafka cluster (3 brokers)" "$MH_START_TIMEOUT" kafka_up
log "Kafka up: brokers $(probe brokers)"
if "$ROOT/mr" topics list -b "$BOOTSTRAP" --kafka-properties "$CLIENT_PROPERTIES" \
    -X 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="mapreduce" password="wrong";' \
    >"$WORK/logs/wrong-password.log" 2>&1; then
    die "a client with a wrong SCRAM password was let in"
fi
log "a client with a wrong password is refused: $(head -c 200 "$WORK/logs/wrong-password.log" | head -n 1)"

# --- 6. the services ---------------------------------------------------------------------------
INTERNAL_TOKEN="$(secret)$(secret)"
common_env=(
    "PATH=$PATH" "HOME=${HOME:-/root}" "LANG=C.UTF-8"
    "KAFKA_BOOTSTRAP_SERVERS=$BOOTSTRAP" "MAPREDUCE_KAFKA_PROPERTIES_FILE=$CLIENT_PROPERTIES"
    "KAFKA_TASK_TOPIC_PARTITIONS=$MH_TASK_PARTITIONS" "KAFKA_TOPIC_REPLICATION_FACTOR=3" "KAFKA_TOPIC_MIN_INSYNC_REPLICAS=2"
    "REDIS_CLUSTER_NODES=$REDIS_NODES"
    "MAPREDUCE_S3_ENDPOINT=$S3_URL" "MAPREDUCE_S3_REGION=us-east-1" "MAPREDUCE_S3_PATH_STYLE=true"
    "MAPREDUCE_S3_ACCESS_KEY_ID=$S3_KEY" "MAPREDUCE_S3_SECRET_ACCESS_KEY=$S3_SECRET"
    "MAPREDUCE_INPUT_ROOT=$WORK/input" "POSTGRES_USER=$PGUSER"
)
health() { [[ "$(curl -fsS -m 2 "$1/actuator/health" 2>/dev/null | jq -r .status 2>/dev/null)" == UP ]]; }
service_up() { # NAME URL
    alive "$1" || die "$1 exited before it was healthy: $(tail -n 15 "$WORK/logs/$1.log")"
    health "$2"
}
log "starting the coordinator on 127.0.0.1:$COORDINATOR_PORT"
start coordinator env -i "${common_env[@]}" "POSTGRES_URL=jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
    "BIND_ADDRESS=127.0.0.1" "COORDINATOR_PORT=$COORDINATOR_PORT" "COORDINATOR_ID=mh-coordinator" \
    "MAPREDUCE_INTERNAL_TOKEN=$INTERNAL_TOKEN" "MAPREDUCE_INPUT_SPLIT_SIZE=4MB" \
    "$JAVA" "${JAVA_OPTS[@]}" -jar coordinator/target/coordinator.jar
wait_for "the coordinator" "$MH_START_TIMEOUT" service_up coordinator "http://127.0.0.1:$COORDINATOR_PORT"
log "starting the gateway on 127.0.0.1:$GATEWAY_PORT and the workers in their namespaces"
start gateway env -i "${common_env[@]}" "POSTGRES_URL=jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
    "BIND_ADDRESS=127.0.0.1" "API_GATEWAY_PORT=$GATEWAY_PORT" "COORDINATOR_URL=http://127.0.0.1:$COORDINATOR_PORT" \
    "MAPREDUCE_INTERNAL_TOKEN=$INTERNAL_TOKEN" \
    "$JAVA" "${JAVA_OPTS[@]}" -jar api-gateway/target/api-gateway.jar
for w in "${WORKERS[@]}"; do
    kind=${w%-*}
    env=("BIND_ADDRESS=${ADDRESS[$w]}" "WORKER_ID=mh-$w"
        "MAPREDUCE_TESTFAULTS_ENABLED=true" "MAPREDUCE_TESTFAULTS_HOLDDIR=$HOLD_DIR")
    if [[ $kind == map ]]; then
        env+=("MAP_WORKER_PORT=${PORT[$w]}")
        jar=map-worker/target/map-worker.jar
    else
        env+=("REDUCE_WORKER_PORT=${PORT[$w]}" "POSTGRES_URL=jdbc:postgresql://$HOST_IP:$PG_FORWARD_PORT/$DB")
        jar=reduce-worker/target/reduce-worker.jar
    fi
    start "$w" ip netns exec "mh-$w" env -i "${common_env[@]}" "${env[@]}" "$JAVA" "${JAVA_OPTS[@]}" -jar "$jar"
done
wait_for "the gateway" "$MH_START_TIMEOUT" service_up gateway "$GATEWAY"
for w in "${WORKERS[@]}"; do
    wait_for "worker $w" "$MH_START_TIMEOUT" service_up "$w" "http://${ADDRESS[$w]}:${PORT[$w]}"
done
workers_alive() {
    [[ "$(curl -fsS -m 5 "$GATEWAY/api/workers" | jq '[.workers[] | select(.status == "ALIVE")] | length')" == \
        "${#WORKERS[@]}" ]]
}
wait_for "the workers' first heartbeats" 60 workers_alive
# The namespaces reach the bridge and nothing else: not this host's loopback (PostgreSQL, the coordinator).
for w in "${WORKERS[@]}"; do
    for p in "$PGPORT" "$COORDINATOR_PORT"; do
        ! ip netns exec "mh-$w" timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null ||
            die "mh-$w reaches 127.0.0.1:$p: it is not isolated"
    done
    ip netns exec "mh-$w" timeout 3 bash -c "exec 3<>/dev/tcp/$HOST_IP/$PG_FORWARD_PORT" 2>/dev/null ||
        die "mh-$w cannot reach PostgreSQL's forwarder at $HOST_IP:$PG_FORWARD_PORT"
done
log "from the namespaces, 127.0.0.1:$PGPORT and 127.0.0.1:$COORDINATOR_PORT are not reachable, $HOST_IP is"
for w in "${WORKERS[@]}"; do
    log "worker mh-$w: pid ${PIDS[$w]}, namespace mh-$w, address ${ADDRESS[$w]}, http://${ADDRESS[$w]}:${PORT[$w]} UP"
done
log "stack up in $((SECONDS - START)) s"

# --- 7b. the input -----------------------------------------------------------------------------
if [[ -n $data_pid ]]; then
    wait "$data_pid" || die "generating the data failed: $(tail -n 5 "$WORK/logs/data.log")"
    data_pid=""
fi
log "ingesting $MH_EVENTS lines into topic $TOPIC (3 partitions, replication factor 3)"
"$ROOT/mr" ingest -b "$BOOTSTRAP" --kafka-properties "$CLIENT_PROPERTIES" --topic "$TOPIC" --partitions 3 \
    --replication-factor 3 "$DATA/topic.jsonl" >"$WORK/logs/ingest.log" 2>&1 ||
    die "mr ingest failed: $(tail -n 5 "$WORK/logs/ingest.log")"
log "uploading s3://$BUCKET/logs/app-a.jsonl (${S3_EVENTS[0]} lines) and app-b.log.gz (${S3_EVENTS[1]} lines, gzipped)"
s3 PUT "/$BUCKET" >/dev/null || die "creating bucket $BUCKET failed"
for f in app-a.jsonl app-b.log.gz; do
    s3 PUT "/$BUCKET/logs/$f" "$DATA/s3/$f" >/dev/null || die "uploading $f failed"
done
s3 GET "/$BUCKET" | python3 -c '
import sys, xml.etree.ElementTree as ET
for c in ET.parse(sys.stdin).getroot().iter():
    if c.tag.endswith("Contents"):
        f = {e.tag.split("}")[-1]: e.text for e in c}
        print("    s3://%s/%s %s bytes" % (sys.argv[1], f["Key"], f["Size"]))' "$BUCKET" ||
    die "listing s3://$BUCKET failed"

# --- 8. the jobs, and the faults mid-job -----------------------------------------------------------
submit() { # NAME INPUT-JSON: prints the job id. A 503 (a store that did not answer in time) is tried again.
    local body code try
    body="$(jq -cn --arg name "$1" --argjson input "$2" --argjson m "$MH_MAPPERS" --argjson r "$MH_REDUCERS" \
        '{jobName: $name, numMappers: $m, numReducers: $r, mapFunction: "WORD_COUNT", reduceFunction: "SUM"} + $input')"
    for try in 1 2 3; do
        code="$(curl -sS -m 60 -o "$WORK/submit-$1.json" -w '%{http_code}' -X POST "$GATEWAY/api/jobs" \
            -H 'Content-Type: application/json' -d "$body")" || code=000
        [[ $code == 2?? ]] && break
        log "submitting $1 answered HTTP $code (try $try of 3): $(head -c 300 "$WORK/submit-$1.json" 2>/dev/null)" >&2
        [[ $code == 503 || $code == 000 ]] && ((try < 3)) || return 1
        sleep 5
    done
    jq -r .jobId "$WORK/submit-$1.json"
}
declare -A JOB=()
JOB[topic]="$(submit mh-topic "$(jq -cn --arg t "$TOPIC" '{inputTopic: $t}')")" || die "submitting the topic job failed"
JOB[s3]="$(submit mh-s3 "$(jq -cn --arg p "s3://$BUCKET/logs/" '{inputPath: $p}')")" || die "submitting the S3 job failed"
for j in topic s3; do
    [[ ${JOB[$j]} =~ ^[0-9a-fA-F-]{36}$ ]] || die "no job id in the answer to the $j job's submit"
done
SUBMITTED=$SECONDS
log "submitted job ${JOB[topic]} (topic $TOPIC) and job ${JOB[s3]} (s3://$BUCKET/logs/)"

declare -A STATUS=() MAPS=() TOTAL_MAPS=()
poll() {
    local j
    for j in topic s3; do
        curl -fsS -m 5 "$GATEWAY/api/jobs/${JOB[$j]}" >"$WORK/job-$j.json.tmp" 2>/dev/null || continue
        mv -f "$WORK/job-$j.json.tmp" "$WORK/job-$j.json"
        read -r "STATUS[$j]" "MAPS[$j]" "TOTAL_MAPS[$j]" < <(jq -r '"\(.status) \(.completedMapTasks // 0) \(.totalMapTasks // 0)"' \
            "$WORK/job-$j.json")
    done
}
ended() { [[ ${STATUS[$1]:-} == COMPLETED || ${STATUS[$1]:-} == FAILED || ${STATUS[$1]:-} == CANCELLED ]]; }
# wait_jobs WHAT CONDITION: polls both jobs until CONDITION (a function of the job key) holds for both
wait_jobs() {
    local what=$1 condition=$2 deadline=$((SECONDS + MH_TIMEOUT)) j ok last=""
    while true; do
        poll
        ok=1
        for j in topic s3; do
            if ended "$j" && [[ $condition != is_ended ]]; then
                die "job $j (${JOB[$j]}) ended ${STATUS[$j]} while waiting for $what: $(jq -c '.error // .' "$WORK/job-$j.json")"
            fi
            "$condition" "$j" || ok=0
        done
        local now="topic ${STATUS[topic]:-?} ${MAPS[topic]:-?}/${TOTAL_MAPS[topic]:-?} maps, s3 ${STATUS[s3]:-?} ${MAPS[s3]:-?}/${TOTAL_MAPS[s3]:-?} maps"
        [[ $now != "$last" ]] && log "  $now" && last=$now
        ((ok)) && return
        ((SECONDS < deadline)) || die "$what: not within ${MH_TIMEOUT}s (MH_TIMEOUT)"
        sleep 0.3
    done
}
a_map_committed() { [[ ${STATUS[$1]:-} == RUNNING ]] && ((${MAPS[$1]:-0} >= 1)); }
reducing() { [[ ${STATUS[$1]:-} == REDUCE_RUNNING ]]; }
is_ended() { ended "$1"; }

wait_jobs "a committed map task in each job (map task 0 held)" a_map_committed
victim="$(probe leader mapreduce.tasks.map 0)" || die "cannot find the leader of mapreduce.tasks.map-0"
probe describe mapreduce.tasks.map mapreduce.task-events >"$WORK/topics-before.txt" || true
kill -KILL "${PIDS[kafka-$victim]}"
wait "${PIDS[kafka-$victim]}" 2>/dev/null || true
BROKER_FAULT="$(stamp) kill -9 Kafka broker $victim (leader of mapreduce.tasks.map-0) with map tasks ${MAPS[topic]}/${TOTAL_MAPS[topic]} and ${MAPS[s3]}/${TOTAL_MAPS[s3]} committed"
log "FAULT $BROKER_FAULT"
release MAP-0
log "  map task 0 of each job released"

wait_jobs "both jobs REDUCE_RUNNING (reduce attempts held)" reducing
most=0 master=""
for node in $(redis_masters); do
    keys="$(redis-cli -h "${node%:*}" -p "${node##*:}" dbsize)"
    if ((keys > most)); then most=$keys master=$node; fi
done
[[ -n $master ]] || die "no Redis master holds a key of the jobs"
kill -KILL "${PIDS[redis-${master##*:}]}"
wait "${PIDS[redis-${master##*:}]}" 2>/dev/null || true
killed_at=$(now_ms)
REDIS_FAULT="$(stamp) kill -9 Redis master $master ($most keys) with both jobs REDUCE_RUNNING"
log "FAULT $REDIS_FAULT"
release REDUCE
log "  reduce attempts released"
for p in "${REDIS_PORTS[@]}"; do [[ $HOST_IP:$p != "$master" ]] && REDIS_ASK=$p && break; done
# promoted: the killed master is marked failed and a replica serves its slots
promoted() {
    local masters
    masters="$(redis_masters)"
    [[ "$(rcli "$REDIS_ASK" cluster info)" == *cluster_state:ok* ]] && ! grep -qx "$master" <<<"$masters" &&
        (($(wc -l <<<"$masters") == 3))
}
wait_for "the failover of Redis master $master" 60 promoted
FAILOVER="replica promoted $(( ($(now_ms) - killed_at) ))ms after the kill; masters now $(redis_masters | paste -sd ' ')"
log "  $FAILOVER"

wait_jobs "both jobs to end" is_ended
ELAPSED=$((SECONDS - SUBMITTED))

# --- 9. checks ---------------------------------------------------------------------------------
failures=()
summary=()
for j in topic s3; do
    id=${JOB[$j]}
    if [[ ${STATUS[$j]} != COMPLETED ]]; then
        failures+=("job $j ($id) ended ${STATUS[$j]}: $(jq -c '.error // "no error given"' "$WORK/job-$j.json")")
        continue
    fi
    psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" \
        -c "SELECT json_build_array(result_key, result_value::text) FROM results WHERE job_id = '$id'" \
        >"$WORK/actual-$j.jsonl"
    if "$HERE/compare.py" --label "$j job rows" --expected-format jsonl --actual-format jsonl \
        "$DATA/$j.expected.jsonl" "$WORK/actual-$j.jsonl"; then
        rows=equal
    else
        rows=DIFFERENT
        failures+=("the $j job's rows differ from the reference")
    fi
    for c in recordsRead malformedRecords; do
        got="$(jq -r ".counters.$c // \"missing\"" "$WORK/job-$j.json")"
        want="$(jq -r ".$c" "$DATA/$j.counters.json")"
        [[ $got == "$want" ]] || failures+=("the $j job's counters.$c is $got, expected $want")
    done
    attempts="$(psql -X -q -A -t -F= -d "$DB" -c "SELECT status, count(*) FROM task_attempts WHERE job_id = '$id'
        GROUP BY 1 ORDER BY 1" | paste -sd ' ')"
    lineage="$(psql -X -q -A -t -d "$DB" -c "SELECT lineage_recoveries FROM jobs WHERE job_id = '$id'" 2>/dev/null || echo '?')"
    summary+=("$(printf '%-5s job %s COMPLETED in %s ms: %s rows %s, %s records (%s malformed); attempts %s; map re-runs %s' \
        "$j" "$id" "$(jq -r '.durationMs // "?"' "$WORK/job-$j.json")" "$(wc -l <"$DATA/$j.expected.jsonl")" "$rows" \
        "$(jq -r .counters.recordsRead "$WORK/job-$j.json")" "$(jq -r .counters.malformedRecords "$WORK/job-$j.json")" \
        "$attempts" "$lineage")")
done

echo
echo "multi-host: internal topics after the faults (broker $victim down):"
probe describe mapreduce.tasks.map mapreduce.task-events "$TOPIC" | sed 's/^/    /' || failures+=("cannot describe the topics")
echo "multi-host: workers, each in its own namespace:"
for w in "${WORKERS[@]}"; do
    printf '    %-14s %s:%s\n' "mh-$w" "${ADDRESS[$w]}" "${PORT[$w]}"
done
echo "multi-host: faults:"
echo "    $BROKER_FAULT"
echo "    $REDIS_FAULT; $FAILOVER"
printf 'multi-host: %s\n' "${summary[@]}"
echo "multi-host: jobs ran ${ELAPSED} s from submit to both ended; whole run $((SECONDS - START)) s before cleanup"
if ((${#failures[@]} > 0)); then
    printf 'multi-host: FAILED: %s\n' "${failures[@]}"
    exit 1
fi
FAILED=0
echo "multi-host: PASSED: exact rows from a topic and from S3 with a broker and a Redis master killed mid-job"
