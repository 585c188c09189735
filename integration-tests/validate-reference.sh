#!/usr/bin/env bash
# Cross-checks integration-tests/reference.py against `mr local` (the project's in-process
# engine) on the given log files: for each map function and reduce function, the rows must be
# byte-identical (compare.py shows the first differences when they are not), and recordsRead/malformedRecords must match.
# This validates the independent reference itself; test-mapreduce.sh then uses the reference to
# check the cluster.
#
#   integration-tests/validate-reference.sh FILE...
#
# Environment: MR (default: ./mr of this checkout), MAPS (default: WORD_COUNT
# SERVICE_DISTRIBUTION LEVEL_COUNT ERROR_PATTERN LATENCY), REDUCES (default: SUM COUNT MIN MAX AVG),
# MR_LOCAL_ARGS (extra `mr local` options, e.g. "--mappers 7 --reducers 3").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MR="${MR:-$here/../mr}"
MAPS="${MAPS:-WORD_COUNT SERVICE_DISTRIBUTION LEVEL_COUNT ERROR_PATTERN LATENCY}"
REDUCES="${REDUCES:-SUM COUNT MIN MAX AVG}"
read -r -a local_args <<<"${MR_LOCAL_ARGS:-}"

if (($# == 0)); then
    echo "usage: $0 FILE..." >&2
    exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

failures=0
for file in "$@"; do
    read -r -a maps <<<"$MAPS"
    map_args=()
    for map in "${maps[@]}"; do map_args+=(--map "$map"); done
    for reduce in $REDUCES; do
        "$here/reference.py" --reduce "$reduce" --output-dir "$work/ref" --counters "$work/ref/counters.json" \
            "${map_args[@]}" "$file" 2>/dev/null
        ref_read=$(sed -E 's/.*"recordsRead": ([0-9]+).*/\1/' "$work/ref/counters.json")
        ref_bad=$(sed -E 's/.*"malformedRecords": ([0-9]+).*/\1/' "$work/ref/counters.json")
        for map in "${maps[@]}"; do
            label="$(basename "$file") $map/$reduce"
            "$MR" local -i "$file" -m "$map" -r "$reduce" ${local_args[@]+"${local_args[@]}"} \
                -o "$work/mr.tsv" 2>"$work/mr.err"
            mr_read=$(awk '$1 == "recordsRead" {print $2}' "$work/mr.err")
            mr_bad=$(awk '$1 == "malformedRecords" {print $2}' "$work/mr.err")
            ok=1
            if ! cmp -s "$work/ref/$map.tsv" "$work/mr.tsv"; then
                echo "$label: output bytes differ"
                "$here/compare.py" --label "$label" --exact-text "$work/ref/$map.tsv" "$work/mr.tsv" || true
                ok=0
            fi
            if [ "$ref_read/$ref_bad" != "$mr_read/$mr_bad" ]; then
                echo "$label: counters differ: reference read/malformed $ref_read/$ref_bad, mr local $mr_read/$mr_bad"
                ok=0
            fi
            if ((ok)); then
                echo "$label: OK ($(wc -l <"$work/mr.tsv") rows, read $mr_read, malformed $mr_bad)"
            else
                failures=$((failures + 1))
            fi
        done
    done
done
if ((failures)); then
    echo "FAILED: $failures comparisons differ"
    exit 1
fi
echo "all equal"
