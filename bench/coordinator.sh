#!/usr/bin/env bash
# Coordinator microbenchmark: task state transitions (QUEUED -> RUNNING -> SUCCEEDED) per second that
# the leading coordinator applies, through its real event path, against the local PostgreSQL, in a
# throwaway database it creates, migrates with Flyway and drops. Not a test: it measures and prints.
# See coordinator/src/test/java/dev/mapreduce/coordinator/CoordinatorBench.java for the method.
#
#   bench/coordinator.sh                      # 4 jobs x (5000 maps + 8 reduces), 3 runs, median
#   BENCH_REPS=1 BENCH_MAPS=1000 bench/coordinator.sh
#
# Variables: BENCH_JOBS (4), BENCH_MAPS per job (5000), BENCH_REDUCERS per job (8), BENCH_JOB_LIMIT (64),
# BENCH_MAX_IN_FLIGHT (256), BENCH_POLL events per poll (2000, as the coordinator's consumer), BENCH_REPS (3); TEST_POSTGRES_HOST/PORT/
# USER/PASSWORD (127.0.0.1:5432, postgres) for the server, BENCH_REDIS (redis://127.0.0.1:6379).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! ./mvnw -B -q -pl coordinator -am test -Dspotless.check.skip=true \
    -Dtest=CoordinatorBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.jobs="${BENCH_JOBS:-4}" -Dbench.maps="${BENCH_MAPS:-5000}" -Dbench.reducers="${BENCH_REDUCERS:-8}" \
    -Dbench.jobLimit="${BENCH_JOB_LIMIT:-64}" -Dbench.maxInFlight="${BENCH_MAX_IN_FLIGHT:-256}" \
    -Dbench.poll="${BENCH_POLL:-2000}" -Dbench.reps="${BENCH_REPS:-3}" \
    -Dbench.redis="${BENCH_REDIS:-redis://127.0.0.1:6379}" > "$log" 2>&1; then
  cat "$log" >&2
  echo "bench: the coordinator benchmark failed (output above)" >&2
  exit 1
fi
grep '^coordinator-bench' "$log"
