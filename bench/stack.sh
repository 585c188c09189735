#!/usr/bin/env bash
# Stack benchmark: LogGen data through the whole local stack (submit -> rows committed in PostgreSQL),
# on one machine. Not a test: it measures, checks every job's rows and prints a Markdown report.
#
#   bench/stack.sh                           latency, concurrent, throughput (1M and 10M) on the running stack
#   bench/stack.sh --start                   first start the stack with ./setup.sh --no-demo (same environment)
#   BENCH_PROFILES=latency BENCH_LATENCY_RUNS=5 bench/stack.sh
#   BENCH_PROFILES="throughput peers" BENCH_TIERS=10M BENCH_JOBS=WORD_COUNT bench/stack.sh
#   BENCH_INPUT="topic file" BENCH_PROFILES=throughput BENCH_TIERS=1M bench/stack.sh
#
# Profiles (BENCH_PROFILES, default "latency concurrent throughput"):
#   latency     a 40k-event WORD_COUNT job, one at a time, BENCH_LATENCY_RUNS [20] times: client wall
#               p50/p95/min/max and the server's createdAt -> completedAt
#   concurrent  BENCH_CONCURRENT_JOBS [10] jobs of BENCH_CONCURRENT_EVENTS [4000] events (the seed's load
#               test), each over its own data, submitted at once, BENCH_RUNS times: first submit -> last
#               COMPLETED
#   throughput  each tier of BENCH_TIERS [1M 10M] x each job of BENCH_JOBS [WORD_COUNT SERVICE_DISTRIBUTION],
#               BENCH_RUNS [3] times; events/s = input events / (submit -> COMPLETED as the client saw it)
#   peers       ../shared/peers/run.sh (PEERS_SYSTEMS [spark]) and `mr local --threads 1`
#               (BENCH_MR_LOCAL_THREADS ["1"]; "default" = all cores) on the same files (tiers
#               BENCH_PEERS_TIERS, default the 1M/10M tiers of BENCH_TIERS), BENCH_RUNS times, in the same
#               session; the report puts the stack's events/s beside theirs
# Before the first profile, BENCH_WARMUP [2] latency jobs warm the JVMs up; they are reported, not counted.
#
# Method, per job (or per batch of concurrent jobs):
#   - wall (client): from the start of POST /api/jobs to the first moment the client sees COMPLETED, by
#     the gateway's event stream (GET /api/jobs/events, pushed, coalesced to 200 ms per job) or by
#     polling GET /api/jobs?name=<batch> every BENCH_POLL_MS [20] ms, whichever comes first (both are kept);
#     server: the job's createdAt -> completedAt, split into queue (-> startedAt), map (-> mapCompletedAt),
#     reduce (-> completedAt)
#   - shuffle bytes: the job's counters.shuffleBytes
#   - Redis and PostgreSQL time: deltas of the workers' /actuator/prometheus counters over the job, summed
#     over the workers: mapreduce_shuffle_write_seconds_sum (map: one pipelined write of a task's runs),
#     mapreduce_shuffle_read_seconds_sum (reduce: the MGET of a partition's runs),
#     mapreduce_reduce_commit_seconds_sum (reduce: COPY into PostgreSQL and commit; the merge streams
#     into the COPY, so this includes merging); plus task seconds and GC pauses. Times summed over tasks
#     that run in parallel can exceed the wall time.
#   - memory: for each process of .local/pids (kafka, coordinators, workers, gateway) the kernel's VmHWM,
#     reset with `echo 5 > /proc/<pid>/clear_refs` just before the job and read right after it, so the
#     exact peak RSS of the job (BENCH_RESET_HWM=0 leaves VmHWM alone); also VmRSS sampled every
#     BENCH_SAMPLE_MS [100] ms, and each process's VmHWM since its start, read before any reset.
#     PostgreSQL and Redis are shared, so only Redis' used_memory growth is shown.
#   - CPU: user+system seconds of each process over the job (/proc/<pid>/stat)
#   - correctness: every job's rows in PostgreSQL against `mr local` on the same file (row count, sum,
#     md5 of all rows in key order) and its recordsRead / malformedRecords counters; the 1M references
#     are also checked against the peers' verified outputs (../shared/peers/reference/SHA256SUMS)
#
# Data (generated once, kept in BENCH_DATA [.local/bench-data]): logs-40k/1M/10M.jsonl from LogGen
# --format json --seed 42 (the peers' files: 10M is 1.9 GB), and for the concurrent profile one 4k-line
# file per job (seeds 1000+i, JSON and text lines by turns, 1% malformed). Each is ingested once into a
# topic BENCH_TOPIC_PREFIX-<tier> [bench-40k, bench-1M, bench-10M, bench-c4000-NN] of BENCH_PARTITIONS [4]
# partitions, reused while it holds exactly the file's lines. BENCH_INPUT ["topic"; "file"; "topic file"]
# chooses the input: "file" runs the same jobs with inputPath, over a hard link of the file under the
# stack's input root (MAPREDUCE_INPUT_ROOT, default data/).
#
# Output: .local/bench/<stamp>/ (BENCH_OUT): summary.md (printed at the end too), runs.jsonl, machine.json,
# peers/. Exit status 0 when every job completed with exact rows, 1 otherwise, 2 when it cannot run.
#
# Environment (defaults in brackets), besides the above:
#   GATEWAY_URL [http://127.0.0.1:$API_GATEWAY_PORT, 8090]   MR_API_KEY (sent as X-API-Key when set)
#   KAFKA_BOOTSTRAP_SERVERS [127.0.0.1:$KAFKA_PORT, 9092]; PG_HOST, PG_PORT, PG_DATABASE [mapreduce],
#   POSTGRES_USER; REDIS_HOST, REDIS_PORT; COORDINATOR_PORT, MAP_WORKER_PORT, ... as for ./setup.sh
#   (the same variables as the stack was started with: the services' metrics are read on those ports)
#   BENCH_MAPPERS [4], BENCH_REDUCERS [2] of every job; BENCH_LATENCY_TIER [40k]
#   BENCH_TIMEOUT [1800] seconds per batch; BENCH_KEEP_JOBS [0]: 1 keeps the jobs and their rows (by
#   default each job is deleted once checked, so the results table does not grow from run to run)
#   PEERS_DIR [../shared/peers]; PEERS_* are passed to its run.sh (PEERS_REPS defaults to BENCH_RUNS)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

start=0
for arg in "$@"; do
    case $arg in
        --start) start=1 ;;
        -h | --help) usage && exit 0 ;;
        *)
            echo "bench: unknown argument '$arg' (settings are environment variables; bench/stack.sh --help)" >&2
            exit 2
            ;;
    esac
done

for tool in python3 psql "${JAVA_HOME:+$JAVA_HOME/bin/}java"; do
    command -v "$tool" >/dev/null || {
        echo "bench: $tool is needed but not installed" >&2
        exit 2
    }
done

if ((start)); then
    SETUP_MODE="${SETUP_MODE:-local}" ./setup.sh --no-demo >&2 # stdout is the report only
fi

exec python3 "$root/bench/stack.py"
