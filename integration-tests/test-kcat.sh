#!/usr/bin/env bash
# The kcat recipe of docs/ingest.md, against a running local stack (./setup.sh): a topic made with
# `mr topics create`, log lines sent with kcat (as a user's shipper would send them), then a WORD_COUNT
# job over the topic whose every row must equal integration-tests/reference.py over the same lines.
# kcat skips empty lines, so the dataset has none (LogGen's malformed lines are otherwise kept).
#
# Needs kcat (Debian: apt-get install kcat). Environment: GATEWAY_URL (http://127.0.0.1:8090),
# KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:9092), PGHOST/PGPORT/PGUSER/PGDATABASE as the other scripts,
# LINES (20000), TIMEOUT (180 s).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8090}"
KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGDATABASE="${PGDATABASE:-mapreduce}"
LINES="${LINES:-20000}"
TIMEOUT="${TIMEOUT:-180}"
LOGGEN="$ROOT/common/src/test/java/dev/mapreduce/testing/LogGen.java"

log() { printf '[%s] test-kcat: %s\n' "$(date +%H:%M:%S)" "$*"; }
die() {
    printf 'test-kcat: ERROR: %s\n' "$*" >&2
    exit 1
}
command -v kcat >/dev/null || die "kcat is needed (Debian: apt-get install kcat)"
curl -fsS -m 10 -o /dev/null "$GATEWAY_URL/actuator/health" ||
    die "the gateway does not answer at $GATEWAY_URL; start the stack with ./setup.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/test-kcat.XXXXXX")"
trap 'rm -rf "$work"' EXIT
topic="kcat-$(date +%H%M%S)-$RANDOM"

java "$LOGGEN" --lines "$LINES" --format json --seed 5 --malformed 0.02 --out "$work/raw.log" >/dev/null
grep -av '^$' "$work/raw.log" >"$work/logs.log" || true
"$HERE/reference.py" --map WORD_COUNT --reduce SUM --format jsonl -o "$work/expected.jsonl" "$work/logs.log"

# --- the recipe -----------------------------------------------------------------------------------
"$ROOT/mr" topics create "$topic" --partitions 3 --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS"
kcat -P -b "$KAFKA_BOOTSTRAP_SERVERS" -t "$topic" -l "$work/logs.log"
log "sent $(wc -l <"$work/logs.log") lines to $topic with kcat"

id="$("$ROOT/mr" submit --gateway "$GATEWAY_URL" --name kcat-recipe --topic "$topic" --mappers 3 --reducers 2)" ||
    die "mr submit failed"
deadline=$((SECONDS + TIMEOUT))
while true; do
    status="$(curl -fsS -m 10 "$GATEWAY_URL/api/jobs/$id" | jq -r .status)" || status=""
    case $status in COMPLETED) break ;; FAILED | CANCELLED) die "job $id ended $status" ;; esac
    ((SECONDS < deadline)) || die "job $id did not complete within ${TIMEOUT}s"
    sleep 0.2
done
read_records="$(curl -fsS -m 10 "$GATEWAY_URL/api/jobs/$id" | jq -r .counters.recordsRead)"
[[ $read_records == "$(wc -l <"$work/logs.log")" ]] ||
    die "the job read $read_records records, kcat sent $(wc -l <"$work/logs.log") lines"
psql -X -q -A -t -v ON_ERROR_STOP=1 \
    -c "SELECT json_build_array(result_key, result_value::text) FROM results WHERE job_id = '$id'" \
    >"$work/actual.jsonl"
"$HERE/compare.py" --label "kcat recipe" --expected-format jsonl --actual-format jsonl \
    "$work/expected.jsonl" "$work/actual.jsonl" || die "the rows differ from the reference"
log "PASSED: job $id over kcat's records equals the reference, every row"
