#!/usr/bin/env bash
# Jobs on the cluster in a format of their own (issue 13), against a running local stack
# (./setup.sh). The logs come from integration-tests/make-format-logs.py, which also writes what the
# jobs must answer, computed from the values it wrote (not by parsing the lines):
#   - an nginx/Apache combined access log ingested into a 3-partition topic (mr ingest --format) and
#     read as a file under the input root: COUNT_BY status and VALUE_BY path/bytes with SUM, every row
#     equal to the generator's, malformed counts exact, samples in the job view; mr local agrees; a
#     job over an event-time range of the topic (--from/--to) counts exactly the lines in that range;
#   - log4j events with stack traces, as a file cut into splits and as a topic of whole events: the
#     events by level and by exception class;
#   - every format and preset (integration-tests/FormatSamples.java: FormatGen's lines with a line in no
#     format every 997): the cluster's rows and record and malformed counts equal mr local's;
#   - the same topic read in a wrong format: the job ends FAILED naming the format, with a sample and
#     why it did not parse, and mr submit --wait exits 1; a format that cannot be compiled is a 400
#     (exit 2) and creates no job.
#
# Environment: GATEWAY_URL (http://127.0.0.1:8090), KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:9092),
# MAPREDUCE_INPUT_ROOT (the stack's input root, default data/ under the repository), LINES (30000),
# TIMEOUT (180 s per job).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8090}"
KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
INPUT_ROOT="${MAPREDUCE_INPUT_ROOT:-$ROOT/data}"
LINES="${LINES:-30000}"
TIMEOUT="${TIMEOUT:-180}"
MR="$ROOT/mr"

log() { printf '[%s] test-formats: %s\n' "$(date +%H:%M:%S)" "$*"; }
failures=()
fail() {
    printf 'FAIL: %s\n' "$*"
    failures+=("$*")
}
die() {
    printf 'test-formats: ERROR: %s\n' "$*" >&2
    exit 1
}
curl -fsS -m 10 -o /dev/null "$GATEWAY_URL/actuator/health" ||
    die "the gateway does not answer at $GATEWAY_URL; start the stack with ./setup.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/test-formats.XXXXXX")"
suffix="$(date +%H%M%S)-$RANDOM"
folder="test-formats-$suffix"
trap 'rm -rf "$work" "${INPUT_ROOT:?}/$folder"' EXIT
"$HERE/make-format-logs.py" --lines "$LINES" "$work"
mkdir -p "$INPUT_ROOT/$folder/access" "$INPUT_ROOT/$folder/app"
cp "$work/access.log" "$INPUT_ROOT/$folder/access/"
cp "$work/app.log" "$INPUT_ROOT/$folder/app/"

web="formats-web-$suffix"
app="formats-app-$suffix"
"$MR" ingest -b "$KAFKA_BOOTSTRAP_SERVERS" --topic "$web" --partitions 3 --format apache_combined "$work/access.log"
"$MR" ingest -b "$KAFKA_BOOTSTRAP_SERVERS" --topic "$app" --partitions 3 --format log4j "$work/app.log"

# run LABEL ARGS...: submits the job, waits for it, prints its id; a job that does not complete fails
run() {
    local label=$1 id
    shift
    id="$("$MR" submit --gateway "$GATEWAY_URL" --name "$label" --wait --top 0 --progress lines "$@" 2>"$work/submit.err")" || {
        fail "$label: $(tail -1 "$work/submit.err")"
        return 1
    }
    echo "$id"
}

# check LABEL ID SECTION KEY: the job's rows equal expected.json's SECTION.KEY, every one
check() {
    local label=$1 id=$2
    "$MR" results --gateway "$GATEWAY_URL" --csv "$id" >"$work/$id.csv"
    python3 - "$work/$id.csv" "$work/expected.json" "$3" "$4" <<'PY' || fail "$label (job $id): rows differ from the generator's"
import csv, json, sys
rows, expected, section, key = sys.argv[1:]
want = {k: str(v) for k, v in json.load(open(expected))[section][key].items()}
got = {r["key"]: r["value"] for r in csv.DictReader(open(rows))}
for k in sorted(set(want) | set(got)):
    if want.get(k) != got.get(k):
        print("  %s: got %s, expected %s" % (k, got.get(k), want.get(k)))
sys.exit(0 if want == got else 1)
PY
    log "$label (job $id): $(($(wc -l <"$work/$id.csv") - 1)) rows, each equal to the generator's"
}

# counters ID READ MALFORMED: the job's counters
counters() {
    local view
    view="$(curl -fsS -m 10 "$GATEWAY_URL/api/jobs/$1")"
    [[ "$(jq -r .counters.recordsRead <<<"$view")" == "$2" ]] ||
        fail "job $1: recordsRead $(jq -r .counters.recordsRead <<<"$view"), expected $2"
    [[ "$(jq -r .counters.malformedRecords <<<"$view")" == "$3" ]] ||
        fail "job $1: malformedRecords $(jq -r .counters.malformedRecords <<<"$view"), expected $3"
}

access_lines="$(jq -r .access.lines "$work/expected.json")"
access_malformed="$(jq -r .access.malformed "$work/expected.json")"
events="$(jq -r .app.events "$work/expected.json")"

# --- access log: topic and files --------------------------------------------------------------------
for input in "--topic $web" "--path $folder/access"; do
    # shellcheck disable=SC2086 # two words on purpose
    if id="$(run "status $input" $input --mappers 4 --format apache_combined -m COUNT_BY -p field=status)"; then
        check "COUNT_BY status, $input" "$id" access status
        status_job="$id"
        counters "$id" "$access_lines" "$access_malformed"
        sample="$(curl -fsS -m 10 "$GATEWAY_URL/api/jobs/$id" | jq -r '.malformedSamples[0] | "\(.where): \(.reason): \(.line)"')"
        [[ "$sample" == *"garbage, not an access log line" ]] || fail "COUNT_BY status, $input: first sample is '$sample'"
        log "  first malformed sample: $sample"
    fi
    # shellcheck disable=SC2086
    if id="$(run "bytes $input" $input --mappers 3 --format apache_combined -m VALUE_BY -p key=path -p value=bytes -r SUM)"; then
        check "VALUE_BY path/bytes SUM, $input" "$id" access bytes
    fi
done
# an event-time range of the topic: exactly the lines whose time is in [from, to), by the records' timestamps
window_from="$(jq -r .access_window.from "$work/expected.json")"
window_to="$(jq -r .access_window.to "$work/expected.json")"
if id="$(run "status --from $window_from --to $window_to" --topic "$web" --from "$window_from" --to "$window_to" \
    --format apache_combined -m COUNT_BY -p field=status)"; then
    check "COUNT_BY status of the events in [$window_from, $window_to)" "$id" access_window status
fi
"$MR" local -i "$work/access.log" --format apache_combined -m COUNT_BY -p field=status 2>/dev/null |
    awk -F'\t' 'BEGIN { print "key,value" } { print $1 "," $2 }' >"$work/local.csv"
"$MR" results --gateway "$GATEWAY_URL" --csv --order key "${status_job:?no COUNT_BY status job over files}" \
    >"$work/cluster.csv"
if diff <(sort "$work/local.csv") <(tr -d '\r' <"$work/cluster.csv" | sort); then # RFC 4180 ends lines with CRLF
    log "mr local over access.log gives the rows of the cluster's job $status_job"
else
    fail "mr local and the cluster's job $status_job differ over access.log"
fi

# --- log4j events with stack traces: files cut into splits, and a topic of whole events -------------
for input in "--path $folder/app" "--topic $app"; do
    # shellcheck disable=SC2086
    if id="$(run "levels $input" $input --mappers 5 --format log4j -m LEVEL_COUNT)"; then
        check "LEVEL_COUNT of log4j events, $input" "$id" app level
        counters "$id" "$events" 0
    fi
    # shellcheck disable=SC2086
    if id="$(run "exceptions $input" $input --mappers 5 --format log4j -m COUNT_BY -p field=exception)"; then
        check "COUNT_BY exception of log4j events, $input" "$id" app exception
    fi
done

# --- every format and preset: the cluster and mr local give the same rows and malformed counts -------
# FormatGen's realistic lines (common's test classes), a line in no format every 997 lines
classes="$ROOT/common/target/test-classes"
[[ -f "$classes/dev/mapreduce/testing/FormatGen.class" ]] ||
    die "common's test classes are missing: ./mvnw -pl common test-compile"
java -cp "$classes" "$HERE/FormatSamples.java" "$INPUT_ROOT/$folder/all" "$((LINES / 3))"
# SAMPLE|FORMAT|FUNCTION: each preset over its own lines, and the general formats over lines they can read
cases=(
    "apache_common|apache_common|-m VALUE_BY -p key=path -p value=bytes -r SUM"
    "apache_combined|apache_combined|-m COUNT_BY -p field=user_agent"
    "apache_error|apache_error|-m COUNT_BY -p field=module"
    "syslog_rfc3164|syslog_rfc3164|-m COUNT_BY -p field=program"
    "syslog_rfc5424|syslog_rfc5424|-m COUNT_BY -p field=app"
    "log4j|log4j|-m COUNT_BY -p field=logger"
    "logfmt|logfmt|-m LEVEL_COUNT"
    "ecs_json|ecs_json|-m SERVICE_DISTRIBUTION"
    "csv|csv|-m VALUE_BY -p key=action -p value=amount -r SUM"
    "tsv|tsv|-m COUNT_BY -p field=action"
    "ecs_json|json|-m COUNT_BY -p field=log.level"
    'apache_combined|{"type":"regex","pattern":"^\\S+ \\S+ \\S+ \\[[^\\]]*\\] \"(?P<method>[A-Z]+) (?P<path>\\S+)[^\"]*\" (?P<status>[0-9]+) "}|-m COUNT_BY -p field=method'
    'apache_common|{"type":"grok","pattern":"%{COMMONAPACHELOG}"}|-m COUNT_BY -p field=response'
)
for c in "${cases[@]}"; do
    IFS='|' read -r sample format fn <<<"$c"
    name="$format"
    [[ "$format" == "{"* ]] && name="$(jq -r .type <<<"$format") over $sample"
    file="$INPUT_ROOT/$folder/all/$sample/$sample.log"
    # shellcheck disable=SC2086 # the function's words
    "$MR" local -i "$file" --format "$format" $fn >"$work/local.tsv" 2>"$work/local.err" || {
        fail "$name: mr local failed: $(tail -1 "$work/local.err")"
        continue
    }
    read_local="$(awk '$1 == "recordsRead" { print $2 }' "$work/local.err")"
    malformed_local="$(awk '$1 == "malformedRecords" { print $2 }' "$work/local.err")"
    # shellcheck disable=SC2086
    id="$(run "$name $fn" --path "$folder/all/$sample" --mappers 3 --reducers 2 --format "$format" $fn)" || continue
    "$MR" results --gateway "$GATEWAY_URL" --csv "$id" >"$work/cluster.csv"
    python3 - "$work/local.tsv" "$work/cluster.csv" <<'PY' || fail "$name (job $id): rows differ from mr local's"
import csv, sys
local = dict(line.rstrip("\n").rsplit("\t", 1) for line in open(sys.argv[1], encoding="utf-8"))
cluster = {r["key"]: r["value"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8", newline=""))}
for k in sorted(set(local) | set(cluster)):
    if local.get(k) != cluster.get(k):
        print("  %r: cluster %s, mr local %s" % (k, cluster.get(k), local.get(k)))
sys.exit(0 if local == cluster and local else 1)
PY
    counters "$id" "$read_local" "$malformed_local"
    log "$name ($fn, job $id): $(wc -l <"$work/local.tsv") rows equal to mr local's; $read_local records, $malformed_local malformed on both"
done

# --- a wrong format fails loudly; a format that does not compile is refused ---------------------------
set +e
"$MR" submit --gateway "$GATEWAY_URL" --name "wrong format" --topic "$web" --format syslog_rfc5424 \
    -m COUNT_BY -p field=host --wait --top 0 --progress lines >/dev/null 2>"$work/wrong.err"
code=$?
set -e
[[ $code == 1 ]] || fail "a job in the wrong format: mr submit --wait exited $code, expected 1"
grep -q "are not in format syslog_rfc5424, more than maxMalformedRatio 0.5 allows; first: topic $web partition" \
    "$work/wrong.err" || fail "a job in the wrong format: no failure naming the format and a sample: $(cat "$work/wrong.err")"
log "a job in the wrong format: $(tail -1 "$work/wrong.err" | cut -c1-160)…"
before="$(curl -fsS -m 10 "$GATEWAY_URL/api/jobs?limit=1" | jq -r .total)"
set +e
"$MR" submit --gateway "$GATEWAY_URL" --name "bad format" --topic "$web" \
    --format '{"type":"grok","pattern":"%{NO_SUCH_PATTERN:x}"}' -m COUNT_BY -p field=x >/dev/null 2>"$work/bad.err"
code=$?
set -e
[[ $code == 2 ]] || fail "a format that does not compile: mr submit exited $code, expected 2"
grep -q "format.pattern: unknown grok pattern 'NO_SUCH_PATTERN'" "$work/bad.err" ||
    fail "a format that does not compile: $(cat "$work/bad.err")"
[[ "$(curl -fsS -m 10 "$GATEWAY_URL/api/jobs?limit=1" | jq -r .total)" == "$before" ]] ||
    fail "a format that does not compile created a job"

if ((${#failures[@]})); then
    printf '\n%d check(s) failed:\n' "${#failures[@]}"
    printf '  - %s\n' "${failures[@]}"
    exit 1
fi
log "PASSED: access logs and log4j events on the cluster, over topics, files and an event-time range, equal the generator's counts; every format and preset gives mr local's rows and malformed counts"
