#!/usr/bin/env bash
# Coordinator microbenchmark: task state transitions (QUEUED -> RUNNING -> SUCCEEDED) per second that
# the leading coordinator applies, through its real event path, against the local PostgreSQL, in a
# throwaway database it creates, migrates with Flyway and drops. Not a test: it measures and prints.
# See coordinator/src/test/java/dev/mapreduce/coordinator/CoordinatorBench.java for the method.
#
#   bench/coordinator.sh                      # 4 jobs x (5000 maps + 8 reduces), 3 runs, median
#   BENCH_REPS=1 BENCH_MAPS=1000 bench/coordinator.sh
#   BENCH_SCENARIO=scale bench/coordinator.sh # one job of 100,000 maps, 1,000 workers heartbeating every second
#
# The scale scenario (CoordinatorBench#atScale, ScaleScenario) runs in real time and reports dispatch
# latency, events and heartbeats applied per second and the CPU of the event loop and PostgreSQL. Its
# variables: BENCH_MAPS (100000), BENCH_REDUCERS (20), BENCH_WORKERS map workers (1000),
# BENCH_REDUCE_WORKERS (20), BENCH_HEARTBEAT_MS (1000), BENCH_TASK_MS each task's run time (0),
# BENCH_SECONDS (0: until the job completes; else stop then and report what was done).
#
# Variables: BENCH_JOBS (4), BENCH_MAPS per job (5000), BENCH_REDUCERS per job (8), BENCH_JOB_LIMIT (64),
# BENCH_MAX_IN_FLIGHT (256), BENCH_POLL events per poll (2000, as the coordinator's consumer), BENCH_REPS (3); TEST_POSTGRES_HOST/PORT/
# USER/PASSWORD (127.0.0.1:5432, postgres) for the server, BENCH_REDIS (redis://127.0.0.1:6379).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log="$(mktemp)"
if [[ ${BENCH_SCENARIO:-transitions} == scale ]]; then
  test=CoordinatorBench#atScale
  settings=(-Dbench.maps="${BENCH_MAPS:-100000}" -Dbench.reducers="${BENCH_REDUCERS:-20}"
    -Dbench.workers="${BENCH_WORKERS:-1000}" -Dbench.reduceWorkers="${BENCH_REDUCE_WORKERS:-20}"
    -Dbench.heartbeatMs="${BENCH_HEARTBEAT_MS:-1000}" -Dbench.taskMs="${BENCH_TASK_MS:-0}"
    -Dbench.seconds="${BENCH_SECONDS:-0}" -Dbench.poll="${BENCH_POLL:-2000}")
else
  test=CoordinatorBench#transitionsPerSecond
  settings=(-Dbench.jobs="${BENCH_JOBS:-4}" -Dbench.maps="${BENCH_MAPS:-5000}" -Dbench.reducers="${BENCH_REDUCERS:-8}"
    -Dbench.jobLimit="${BENCH_JOB_LIMIT:-64}" -Dbench.maxInFlight="${BENCH_MAX_IN_FLIGHT:-256}"
    -Dbench.poll="${BENCH_POLL:-2000}" -Dbench.reps="${BENCH_REPS:-3}")
fi
trap 'rm -f "$log"' EXIT
if ! ./mvnw -B -q -pl coordinator -am test -Dspotless.check.skip=true \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false "${settings[@]}" \
    -Dbench.redis="${BENCH_REDIS:-redis://127.0.0.1:6379}" > "$log" 2>&1; then
  cat "$log" >&2
  echo "bench: the coordinator benchmark failed (output above)" >&2
  exit 1
fi
grep '^coordinator-bench' "$log"
