#!/usr/bin/env bash
# Memory benchmark: map and reduce workers with a 256 MB heap on the local stack (./setup.sh).
#   (a) map:    one map task over BENCH_MAP_RECORDS (5M) records of a Kafka topic whose WORD_COUNT
#               keys are nearly all distinct (each line "request u<16 hex digits> done")
#   (b) reduce: one reduce partition of BENCH_REDUCE_KEYS (10M) distinct keys: a file of such lines
#               read by 4 map tasks, numReducers 1
#   (c) query:  SQL count(DISTINCT message) over the same file: one group holding BENCH_REDUCE_KEYS
#               distinct values, which the reduce counts off the sorted run without holding them
# Each scenario restarts the four workers first (so peak RSS is the scenario's), checks the results
# in PostgreSQL (row count, sum, keys counted once, the two common words) and the job's counters,
# and prints wall times, the workers' peak RSS (VmHWM) and their heap before and after GC (GC log).
# Not a test: it measures, checks and prints; it exits non-zero when a check fails.
#
#   bench/memory.sh                              # both scenarios on the default ports
#   BENCH_SCENARIOS=a BENCH_MAP_RECORDS=1000000 bench/memory.sh
#   PG_DATABASE=mapreduce_bench API_GATEWAY_PORT=2090 KAFKA_PORT=12092 ... bench/memory.sh  # shifted stack
#
# Variables: BENCH_SCENARIOS ("a b c"), BENCH_MAP_RECORDS (5000000), BENCH_REDUCE_KEYS (10000000),
# BENCH_WORKER_JAVA_OPTS (-Xmx256m -XX:+UseParallelGC), BENCH_TASK_SLOTS (1), BENCH_JOB_TIMEOUT (3600 s), BENCH_BUILD=1
# (rebuild the jars and restart the whole stack first), BENCH_KEEP=1 (keep the jobs, their rows and
# a stack this script started), and setup.sh's variables (ports, PG_DATABASE, MAPREDUCE_INPUT_ROOT).
# Inputs are generated once under $MAPREDUCE_INPUT_ROOT/bench-memory (default data/), logs and GC
# logs go to .local/bench-memory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scenarios="${BENCH_SCENARIOS:-a b c}"
map_records="${BENCH_MAP_RECORDS:-5000000}"
reduce_keys="${BENCH_REDUCE_KEYS:-10000000}"
worker_opts="${BENCH_WORKER_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC}"
job_timeout="${BENCH_JOB_TIMEOUT:-3600}"
out="$root/.local/bench-memory"
export MAPREDUCE_INPUT_ROOT="${MAPREDUCE_INPUT_ROOT:-$root/data}"
inputs="$MAPREDUCE_INPUT_ROOT/bench-memory"
gateway="http://127.0.0.1:${API_GATEWAY_PORT:-8090}"
export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
export POSTGRES_USER="${POSTGRES_USER:-postgres}"
pg=(psql -h "${PG_HOST:-127.0.0.1}" -p "${PG_PORT:-5432}" -U "$POSTGRES_USER" -d "${PG_DATABASE:-mapreduce}" -tAq)
workers=(map-worker-1 map-worker-2 reduce-worker-1 reduce-worker-2)
mkdir -p "$out" "$inputs"
rm -f "$out"/gc-*.log
# Every worker logs its GCs to gc-<pid>.log; heap sizes are read from there.
export MAP_WORKER_JAVA_OPTS="$worker_opts -Xlog:gc:file=$out/gc-%p.log"
export REDUCE_WORKER_JAVA_OPTS="$MAP_WORKER_JAVA_OPTS"
# The bound is per task: one slot per worker (BENCH_TASK_SLOTS), so the heap holds one task's buffers;
# a worker with N slots needs N sort buffers (MAPREDUCE_SORTBUFFER) and N fetch buffers.
export TASK_SLOTS="${BENCH_TASK_SLOTS:-1}"

say() { echo "bench: $*" >&2; }
die() {
    say "FAILED: $*"
    exit 1
}

# generate FILE N: N JSON log lines "request u<hex> done", the hex distinct per line (i times an odd
# constant, mod 2^64, is a bijection)
generate() {
    local file=$1 n=$2
    [[ -s $file ]] && return
    say "generating $n lines into $file"
    python3 - "$file.tmp" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w", buffering=1 << 22) as f:
    batch = []
    for i in range(n):
        t = (i * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        batch.append('{"timestamp":"2026-11-20T00:%02d:%02d.%03dZ","level":"INFO","service":"bench",'
                     '"message":"request u%016x done"}\n' % (i // 60000 % 60, i // 1000 % 60, i % 1000, t))
        if len(batch) == 10000:
            f.writelines(batch)
            batch = []
    f.writelines(batch)
PY
    mv -f "$file.tmp" "$file"
}

pid_of() { cat "$root/.local/pids/$1.pid"; }

peak_rss_mb() { awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }

# heap PID: the largest heap before a GC and after one, from the worker's GC log. After a young GC
# the heap still holds the old generation's garbage, so "after" is an upper bound of live data; a
# full GC for lack of room (not the metaspace ones at start) would mean the heap was full.
heap() {
    local log="$out/gc-$1.log"
    [[ -f $log ]] || { echo "no GC log"; return; }
    local full
    full="$(grep 'Pause Full' "$log" | grep -vc 'Metadata GC Threshold' || true)"
    grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$log" | sed -E 's/([0-9]+)M->([0-9]+)M\(([0-9]+)M\)/\1 \2 \3/' \
        | awk -v full="$full" '{ if ($1 > b) b = $1; if ($2 > a) a = $2; if ($3 > c) c = $3; n++ }
               END { printf "heap peak %d MB before GC, %d MB after GC (of %d MB committed), %d GCs, %d full GCs for room", b, a, c, n, full }'
}

restart_workers() {
    local name
    for name in "${workers[@]}"; do
        ./setup.sh restart "$name" >/dev/null
    done
    say "workers restarted with: $worker_opts"
}

# submit BODY: prints the job id
submit() {
    curl -fsS -X POST "$gateway/api/jobs" -H 'Content-Type: application/json' -d "$1" | jq -r .jobId
}

# await JOB: waits until the job completes; dies if it fails
await_job() {
    local job=$1 deadline=$((SECONDS + job_timeout)) status
    while true; do
        status="$(curl -fsS "$gateway/api/jobs/$job" | jq -r .status)"
        case $status in
            COMPLETED) return ;;
            FAILED | CANCELLED) die "job $job $status: $(curl -fsS "$gateway/api/jobs/$job" | jq -r .error)" ;;
        esac
        ((SECONDS < deadline)) || die "job $job not done within ${job_timeout}s (status $status)"
        sleep 2
    done
}

# check JOB RECORDS: the results and counters of a job over RECORDS lines "request u<hex> done"
check() {
    local job=$1 n=$2 rows
    rows="$("${pg[@]}" -F' ' -c "SELECT count(*), sum(result_value),
              count(*) FILTER (WHERE result_value = 1),
              max(result_value) FILTER (WHERE result_key = 'request'),
              max(result_value) FILTER (WHERE result_key = 'done')
            FROM results WHERE job_id = '$job'")"
    local want="$((n + 2)) $((3 * n)) $n $n $n"
    [[ $rows == "$want" ]] || die "job $job: results (rows, sum, keys seen once, request, done) are '$rows', want '$want'"
    local counters
    counters="$(curl -fsS "$gateway/api/jobs/$job" | jq -r '"\(.counters.recordsRead) \(.counters.malformedRecords)"')"
    [[ $counters == "$n 0" ]] || die "job $job: records read and malformed are '$counters', want '$n 0'"
    say "verified: $((n + 2)) rows, sum $((3 * n)), $n keys counted once, request = done = $n, $n records read, 0 malformed"
}

# check_distinct JOB RECORDS: the one row of the count(DISTINCT) query over RECORDS distinct lines
check_distinct() {
    local job=$1 n=$2 rows
    rows="$(curl -fsS "$gateway/api/jobs/$job/results" | jq -c .results)"
    [[ $rows == "[{\"service\":\"bench\",\"users\":$n,\"n\":$n}]" ]] \
        || die "job $job: results are '$rows', want one row: service bench, users $n, n $n"
    say "verified: one group, $n distinct values counted once, $n records"
}

# report JOB NAME: timings of the job and its tasks, and each worker's memory
report() {
    local job=$1 name=$2 took=$3 tasks worker
    tasks="$(curl -fsS "$gateway/api/jobs/$job/tasks")"
    echo "== $name: job $job took ${took}s"
    jq -r '.tasks[] | .type as $t | .index as $i | .attempts[]
        | "   \($t) \($i) attempt \(.attempt) on \(.workerId): \(.durationMs / 1000) s, \(.recordsRead) records in, \(.outputRecords) out"' <<<"$tasks"
    for worker in "${workers[@]}"; do
        local pid
        pid="$(pid_of "$worker")"
        echo "   $worker (pid $pid): peak RSS $(peak_rss_mb "$pid") MB, $(heap "$pid")"
    done
}

run() {
    local name=$1 body=$2 n=$3 verify=${4:-check} job start took
    restart_workers
    start=$(date +%s.%N)
    job="$(submit "$body")"
    say "$name: job $job submitted"
    await_job "$job"
    took="$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
    "$verify" "$job" "$n"
    report "$job" "$name" "$took" | tee -a "$out/report.txt"
    local spills spill_dir="${MAPREDUCE_SPILLDIRECTORY:-/tmp}"
    spills="$(find "$spill_dir"/mapreduce-map-worker-* -type f 2>/dev/null | wc -l)"
    echo "   spill files left in $spill_dir/mapreduce-map-worker-*: $spills" | tee -a "$out/report.txt"
    [[ $spills == 0 ]] || die "spill files were left behind"
    if [[ ${BENCH_KEEP:-0} != 1 ]]; then
        curl -fsS -X DELETE "$gateway/api/jobs/$job" >/dev/null || say "could not delete job $job"
    fi
}

started=0
if [[ ${BENCH_BUILD:-0} == 1 ]]; then
    ./setup.sh stop >/dev/null
    ./setup.sh --build --no-demo >"$out/setup.log" 2>&1 || die "setup.sh failed, see $out/setup.log"
    started=1
elif ! curl -fsS --max-time 2 "$gateway/actuator/health" >/dev/null 2>&1; then
    ./setup.sh --no-demo >"$out/setup.log" 2>&1 || die "setup.sh failed, see $out/setup.log"
    started=1
fi
: >"$out/report.txt"

for scenario in $scenarios; do
    case $scenario in
        a)
            topic="bench-memory-map-$map_records"
            generate "$inputs/map-$map_records.jsonl" "$map_records"
            ./mr ingest --topic "$topic" --if-empty "$inputs/map-$map_records.jsonl" >&2
            run "map task of $map_records records with distinct keys (topic $topic, 1 mapper, 2 reducers)" \
                "{\"jobName\":\"bench-memory-map\",\"inputTopic\":\"$topic\",\"numMappers\":1,\"numReducers\":2}" \
                "$map_records"
            ;;
        b)
            generate "$inputs/reduce-$reduce_keys.jsonl" "$reduce_keys"
            run "reduce partition of $((reduce_keys + 2)) distinct keys (file, 4 mappers, 1 reducer)" \
                "{\"jobName\":\"bench-memory-reduce\",\"inputPath\":\"bench-memory/reduce-$reduce_keys.jsonl\",\"numMappers\":4,\"numReducers\":1}" \
                "$reduce_keys"
            ;;
        c)
            generate "$inputs/reduce-$reduce_keys.jsonl" "$reduce_keys"
            query="SELECT service, count(DISTINCT message) AS users, count(*) AS n FROM logs GROUP BY service"
            run "query: count(DISTINCT) of $reduce_keys distinct values in one group (file, 4 mappers, 1 reducer)" \
                "$(jq -cn --arg q "$query" --arg p "bench-memory/reduce-$reduce_keys.jsonl" \
                    '{jobName: "bench-memory-distinct", query: $q, inputPath: $p, format: "json", numMappers: 4, numReducers: 1}')" \
                "$reduce_keys" check_distinct
            ;;
        *) die "unknown scenario '$scenario' (a, b or c)" ;;
    esac
done

if ((started)) && [[ ${BENCH_KEEP:-0} != 1 ]]; then
    ./setup.sh stop >/dev/null
fi
say "report: $out/report.txt"
