#!/usr/bin/env bash
# Load test of a running cluster (./setup.sh first): many jobs submitted at once through the
# gateway, each on its own fresh topic, every result row checked.
#
#   ./load-test.sh                        the seed profile, then the heavy one
#   PROFILE=seed ./load-test.sh           10 jobs x 4,000 events, WORD_COUNT (the seed README's test)
#   PROFILE=heavy JOBS=40 EVENTS=100000 FUNCTIONS="WORD_COUNT LEVEL_COUNT" ./load-test.sh
#   LOAD_TEST_REPORT=load.json ./load-test.sh   also writes the figures as JSON
#
# Profiles:
#   seed   10 jobs of 4,000 events each, WORD_COUNT/SUM, 4 mappers, 2 reducers, all submitted at once
#   heavy  JOBS [20] jobs of EVENTS [50000] events, map functions FUNCTIONS ["WORD_COUNT
#          SERVICE_DISTRIBUTION LEVEL_COUNT ERROR_PATTERN"] taken in turn, MAPPERS [4] mappers,
#          REDUCERS [2] reducers, all submitted at once
#   all    (default) seed, then heavy
#
# Method, per profile: before the clock starts, LogGen generates a different slice of data per job
# (half JSON, half text lines, MALFORMED of them broken), `mr ingest` fills one fresh topic per job
# with it (PARTITIONS partitions), and integration-tests/reference.py (an independent Python
# implementation of the functions) computes each job's expected rows from the same file. Then the
# test opens the gateway's event stream (GET /api/jobs/events), submits every job at once and
# follows each to its end (the stream, plus a GET /api/jobs/{id} of each unfinished job every POLL
# seconds, so nothing waits on a fixed sleep). It prints:
#   - total events (input records, malformed ones included), and the wall time from the first
#     submit to the last COMPLETED the client saw (also from the jobs' first createdAt to their
#     last completedAt),
#   - events/s (total events over that wall time),
#   - job completion time p50/p95/max (nearest rank), as the job's own createdAt -> completedAt and
#     as submit -> COMPLETED seen by the client,
#   - the task failure rate: FAILED attempts over all attempts (GET /api/jobs/{id}/tasks), with the
#     attempts by status (KILLED ones are attempts of lost workers or losing backups, not failures),
#   - the result check: EVERY row of EVERY job (GET /api/jobs/{id}/results) compared as exact
#     decimals with the reference (integration-tests/compare.py), and each job's recordsRead and
#     malformedRecords counters with the reference's counts.
# It exits 0 if every job COMPLETED with exactly the expected rows, 1 if any job failed, timed out
# or has a wrong row or counter, 2 if it cannot run (stack not reachable, a tool missing).
#
# Environment (defaults in brackets):
#   GATEWAY_URL [http://127.0.0.1:8090]   KAFKA_BOOTSTRAP_SERVERS [127.0.0.1:9092]
#   MR_API_KEY or MAPREDUCE_API_KEY: sent as X-API-Key when set (a key of the gateway's
#     MAPREDUCE_API_KEYS; an admin key is not needed, but a tenant key needs a grant on the load
#     test's topics in MAPREDUCE_INPUT_GRANTS, e.g. tenant:topic:load-*)
#   PROFILE [all]; JOBS, EVENTS, FUNCTIONS, MAPPERS, REDUCERS: the heavy profile (see above)
#   REDUCE_FUNCTION [SUM]; SEED [42]; MALFORMED [0.01]; PARTITIONS [3] of each fresh topic
#   TIMEOUT [900] seconds per profile, from the first submit; POLL [2] seconds between polls
#   PREPARE_THREADS [2]: ingests and reference computations run at once while preparing
#   LOAD_TEST_REPORT: a file to write the figures to as JSON; KEEP_FILES [0]: 1 keeps the data
#   MR [./mr]: the command line used for `mr ingest`
# The topics (load-<profile>-<time>-NN) and the jobs are left on the cluster for inspection.
#
# The gateway's rate limit (MAPREDUCE_RATE_LIMIT, 100 requests/s per tenant by default) is
# respected: a 429 is retried after its Retry-After. The figures depend on the machine: run it on an
# otherwise idle one for numbers worth quoting.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

case "${1:-}" in
    -h | --help)
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    "") ;;
    *)
        echo "load-test: no arguments; settings are environment variables (./load-test.sh --help)" >&2
        exit 2
        ;;
esac

for tool in python3 "${JAVA_HOME:+$JAVA_HOME/bin/}java"; do
    command -v "$tool" >/dev/null || {
        echo "load-test: $tool is needed but not installed" >&2
        exit 2
    }
done

exec python3 integration-tests/load-test.py
