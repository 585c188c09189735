#!/usr/bin/env bash
# Engine benchmark: `mr local` (1 thread, and default parallelism) against the peers of
# ../shared/peers (single-thread baseline loop, Spark local[2]; Hadoop with BENCH_PEERS_SYSTEMS),
# on the same LogGen files, in the same session. Not a test: it measures and prints.
#
#   bench/engine-vs-peers.sh                    # 10M lines, 3 reps, WORD_COUNT and SERVICE_DISTRIBUTION
#   BENCH_TIER=1M BENCH_REPS=1 bench/engine-vs-peers.sh
#
# Variables: BENCH_TIER (1M|10M, default 10M), BENCH_REPS (3), BENCH_PEERS_SYSTEMS ("baseline spark"),
# BENCH_SKIP_PEERS=1 (engine only), PEERS_DIR (default ../shared/peers beside the project),
# PEERS_DATA (/tmp/peers-data), BENCH_OUT (/tmp/mr-bench).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tier="${BENCH_TIER:-10M}"
reps="${BENCH_REPS:-3}"
peers_src="${PEERS_DIR:-$root/../shared/peers}"
data="${PEERS_DATA:-/tmp/peers-data}"
out="${BENCH_OUT:-/tmp/mr-bench}"
jobs="WORD_COUNT SERVICE_DISTRIBUTION"
mkdir -p "$out" "$data"
case "$tier" in 1M) lines=1000000 ;; 10M) lines=10000000 ;; *) echo "BENCH_TIER must be 1M or 10M" >&2; exit 2 ;; esac
input="$data/logs-$tier.jsonl"

[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
[ -f "$root/cli/target/mr.jar" ] || (cd "$root" && ./mvnw -q -B -pl cli -am package -DskipTests)

if [ "${BENCH_SKIP_PEERS:-0}" != 1 ]; then
  # The peers folder may be read-only: run a copy of it.
  rm -rf "$out/peers" && cp -r "$peers_src" "$out/peers" && chmod -R u+w "$out/peers"
  # run.sh makes its data with ../datasets/LogGen.java beside itself
  ln -sfn "$(cd "$peers_src/../datasets" && pwd)" "$out/datasets"
  PEERS_DATA="$data" PEERS_TIERS="$tier" PEERS_REPS="$reps" PEERS_SYSTEMS="${BENCH_PEERS_SYSTEMS:-baseline spark}" \
    PEERS_GATE_S=0 PEERS_PYCHECK=0 PEERS_REFERENCE=0 PEERS_MALFORMED_CHECK=0 \
    "$out/peers/run.sh" || echo "bench: peers run reported a problem (see above)" >&2
  cat "$(ls -d "$out"/peers/results/*/ | tail -1)summary.md" 2>/dev/null || true
fi
[ -s "$input" ] || java "$peers_src/../datasets/LogGen.java" --lines "$lines" --format json --seed 42 --out "$input"
cat "$input" > /dev/null # page cache, as the peers do

results="$out/engine-$tier.tsv"
: > "$results"
for rep in $(seq 1 "$reps"); do
  for job in $jobs; do
    for mode in 1thread default; do
      args=(local -i "$input" -m "$job" -o "$out/out-$job-$mode.tsv")
      [ "$mode" = 1thread ] && args+=(--threads 1)
      /usr/bin/time -f "%e %M" -o "$out/time.txt" java -Xmx4g -XX:+UseParallelGC -jar "$root/cli/target/mr.jar" "${args[@]}" 2> "$out/err.txt"
      read -r wall rss < "$out/time.txt"
      sha=$(sha256sum < "$out/out-$job-$mode.tsv" | cut -c1-16)
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$job" "$mode" "$rep" "$wall" "$rss" "$sha" >> "$results"
      echo "bench: $job $mode rep $rep: ${wall}s wall, $((rss / 1024)) MB peak RSS, output $sha" >&2
    done
  done
done

python3 - "$results" "$lines" <<'PY'
import sys, statistics, collections
rows = [l.split('\t') for l in open(sys.argv[1]).read().split('\n') if l]
lines = int(sys.argv[2])
by = collections.defaultdict(list)
shas = collections.defaultdict(set)
for job, mode, rep, wall, rss, sha in rows:
    by[(job, mode)].append((float(wall), int(rss)))
    shas[job].add(sha)
print(f"\n| job | mr local | median wall s (min-max) | events/s (wall) | peak RSS MB |")
print("|---|---|---:|---:|---:|")
for (job, mode), v in sorted(by.items()):
    walls = [w for w, _ in v]
    med = statistics.median(walls)
    print(f"| {job} | {mode} | {med:.2f} ({min(walls):.2f}-{max(walls):.2f}) | {lines/med:,.0f} | {statistics.median([r for _, r in v])//1024} |")
for job, s in shas.items():
    print(f"{job}: {len(s)} distinct output hash(es): {', '.join(sorted(s))}")
PY
