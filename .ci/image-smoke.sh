#!/usr/bin/env bash
# Runs the images Jib built (-Pimages: <service>/target/jib-image.tar) without a container engine: each
# image's layers are unpacked into a root file system, and its java runs there in a chroot as the
# image's user, in a PID and mount namespace of its own with a /proc. Needs root (unshare, chroot).
#
#   - every image: the health probe the Compose health check runs starts from the image's classpath and
#     fails (exit 1) on a port nobody listens on;
#   - the gateway's image: started with its image's entrypoint on a scratch database (created here and
#     dropped at exit), it answers /actuator/health/liveness and /readiness with UP (Host: localhost,
#     as the Kubernetes probes send it), and the probe then passes inside the image.
#
# IMAGE_SMOKE_PORT (default 18590) is the gateway's port on 127.0.0.1; PG_HOST/PG_PORT the PostgreSQL.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${IMAGE_SMOKE_PORT:-18590}"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
work="$(mktemp -d)"
db="image_smoke_$$"
gateway_pid=""

die() {
    echo "image-smoke: $*" >&2
    exit 1
}

cleanup() {
    if [[ -n $gateway_pid ]]; then
        # the JVM, not unshare: a signal to unshare does not reach a child that changed its user
        local jvm
        jvm="$(ps -o pid= --ppid "$gateway_pid" | tr -d ' ')"
        [[ -n $jvm ]] && kill "$jvm" 2>/dev/null
        wait "$gateway_pid" 2>/dev/null || true
    fi
    # FORCE: the gateway's JVM may still be closing its connections
    psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

[[ $(id -u) == 0 ]] || die "needs root (unshare and chroot)"

# Unpacks an image tarball's layers, in order, into $work/<service>/rootfs; prints its config file.
unpack() {
    local service=$1 dir="$work/$1"
    mkdir -p "$dir/rootfs"
    tar -xf "$service/target/jib-image.tar" -C "$dir"
    local layer
    for layer in $(jq -r '.[0].Layers[]' "$dir/manifest.json"); do
        tar --warning=no-unknown-keyword -xzf "$dir/$layer" -C "$dir/rootfs"
    done
    mkdir -p "$dir/rootfs/proc" "$dir/rootfs/tmp"
    chmod 1777 "$dir/rootfs/tmp"
    echo "$dir/$(jq -r '.[0].Config' "$dir/manifest.json")"
}

# Runs a command in a service's root file system as its image's user, with its image's environment
# and the given extra variables (NAME=value ...) before the command. It ends in exec: call it in a
# subshell, whose PID is then unshare's; the command is unshare's only child (PID 1 of its namespace).
in_image() {
    local service=$1 config=$2
    shift 2
    local user env=()
    user="$(jq -r '.config.User' "$config")"
    mapfile -t env < <(jq -r '.config.Env[]' "$config")
    while [[ $1 == *=* ]]; do
        env+=("$1")
        shift
    done
    exec env -i "${env[@]}" PATH="$(jq -r '.config.Env[] | select(startswith("PATH=")) | .[5:]' "$config"):/usr/sbin:/sbin" \
        unshare --fork --pid --mount --mount-proc="$work/$service/rootfs/proc" \
        chroot --userspec="$user" "$work/$service/rootfs" "$@"
}

probe() {
    local service=$1 config=$2 port=$3
    (in_image "$service" "$config" java -Xmx32m -XX:-UsePerfData -cp @/app/jib-classpath-file \
        dev.mapreduce.health.HealthProbe NO_SUCH_VARIABLE "$port")
}

dead_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
declare -A CONFIG
for service in coordinator map-worker reduce-worker api-gateway; do
    [[ -f $service/target/jib-image.tar ]] || die "$service/target/jib-image.tar is missing (./mvnw -Pimages package)"
    CONFIG[$service]="$(unpack "$service")"
    if probe "$service" "${CONFIG[$service]}" "$dead_port" 2>/dev/null; then
        die "$service: the health probe passed on a port nobody listens on"
    fi
    echo "image-smoke: $service: java and the health probe run in the image as $(jq -r '.config.User' "${CONFIG[$service]}"); the probe fails on a dead port"
done

psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $db" >/dev/null
config="${CONFIG[api-gateway]}"
mapfile -t entrypoint < <(jq -r '.config.Entrypoint[]' "$config")
(in_image api-gateway "$config" BIND_ADDRESS=127.0.0.1 API_GATEWAY_PORT="$PORT" \
    POSTGRES_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$db" POSTGRES_USER=postgres \
    COORDINATOR_URL=http://127.0.0.1:1 MAPREDUCE_INTERNAL_TOKEN="image-smoke-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')" \
    MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED=true JAVA_TOOL_OPTIONS=-Xmx256m \
    "${entrypoint[@]}") >"$work/gateway.log" 2>&1 &
gateway_pid=$!

deadline=$((SECONDS + 120))
until [[ "$(curl -s -H 'Host: localhost' "http://127.0.0.1:$PORT/actuator/health/readiness" 2>/dev/null)" == *'"UP"'* ]]; do
    if ! kill -0 "$gateway_pid" 2>/dev/null || ((SECONDS >= deadline)); then
        tail -n 40 "$work/gateway.log" >&2
        die "the gateway's image did not become ready within 120 s"
    fi
    sleep 1
done
for group in liveness readiness; do
    answer="$(curl -s -H 'Host: localhost' "http://127.0.0.1:$PORT/actuator/health/$group")"
    [[ $answer == *'"UP"'* ]] || die "/actuator/health/$group answered $answer"
done
probe api-gateway "$config" "$PORT" || die "the health probe failed on the running gateway"
echo "image-smoke: api-gateway: its image's entrypoint serves /actuator/health/liveness and /readiness (UP), and the health probe passes"
