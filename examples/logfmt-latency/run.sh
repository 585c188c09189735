#!/usr/bin/env bash
# logfmt (as Go's log/slog and Heroku write it): requests, server errors, slowest and p95 latency per
# path, and the stack-trace lines that are not logfmt counted as malformed. Generates its own log,
# asks mr local, and checks the answer against Python (the p95 within the sketch's rank error).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mr="$here/../../mr"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lines="${EXAMPLE_LINES:-50000}"

# 1. Sample data, deterministic: request lines, and now and then a Go panic's stack (not logfmt).
python3 - "$work/app.log" "$lines" <<'PY'
import random, sys
from datetime import datetime, timedelta, timezone
out, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(5424)
paths = {"/api/orders": 40, "/api/search": 120, "/api/cart": 15, "/healthz": 1}
t = datetime(2026, 11, 20, 8, 0, 0, tzinfo=timezone.utc)
with open(out, "w") as f:
    for i in range(n):
        t += timedelta(milliseconds=rnd.randint(0, 50))
        if rnd.random() < 0.001:
            f.write("goroutine %d [running]:\n\tmain.handler(0xc000123456)\n" % rnd.randint(1, 99))
            continue
        path = rnd.choice(list(paths))
        dur = int(rnd.lognormvariate(0, 0.6) * paths[path])
        status = rnd.choice([200] * 30 + [404, 500, 503])
        level = "ERROR" if status >= 500 else "INFO"
        f.write('time=%s level=%s msg="%s %s" method=GET path=%s status=%d dur_ms=%d user=%s\n' % (
            t.isoformat(timespec="milliseconds").replace("+00:00", "Z"), level, "GET", path, path, status, dur,
            rnd.choice(["alice", "bob", "carol", '"dave o\'brien"'])))
PY

# 2. The question, to mr local.
"$mr" local -i "$work/app.log" --format logfmt -o "$work/latency.tsv" --sql "
  SELECT path,
         count(*) AS requests,
         sum(CASE WHEN CAST(status AS BIGINT) >= 500 THEN 1 ELSE 0 END) AS errors,
         max(CAST(dur_ms AS BIGINT)) AS max_ms,
         approx_quantile(CAST(dur_ms AS BIGINT), 0.95) AS p95_ms
  FROM logs GROUP BY path ORDER BY path" 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }

# 3. The same answer, computed independently; approx_quantile is a KLL sketch whose value's rank is
#    within 1.33 % of q (99 % confidence), so its check allows twice that, as the SQL tests do.
python3 - "$work/app.log" "$work/latency.tsv" "$work/stderr" <<'PY'
import re, sys
log, got_file, stderr = sys.argv[1:]
pair = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')
by_path, malformed = {}, 0
for line in open(log):
    fields = dict(pair.findall(line))
    if not fields:
        malformed += 1
        continue
    by_path.setdefault(fields["path"], []).append((int(fields["status"]), int(fields["dur_ms"])))
got = [l.split("\t") for l in open(got_file).read().splitlines()]
assert got[0] == ["path", "requests", "errors", "max_ms", "p95_ms"], got[0]
assert [r[0] for r in got[1:]] == sorted(by_path), [r[0] for r in got[1:]]
eps = 2 * 0.0133
for path, requests, errors, max_ms, p95 in got[1:]:
    rows = by_path[path]
    durations = sorted(d for _, d in rows)
    assert int(requests) == len(rows), (path, requests, len(rows))
    assert int(errors) == sum(1 for s, _ in rows if s >= 500), (path, errors)
    assert int(max_ms) == durations[-1], (path, max_ms, durations[-1])
    v = int(p95)
    below = sum(1 for d in durations if d < v) / len(durations)
    at_most = sum(1 for d in durations if d <= v) / len(durations)
    assert below <= 0.95 + eps and at_most >= 0.95 - eps, (path, v, below, at_most)
counted = int(re.search(r"malformedRecords\s+(\d+)", open(stderr).read()).group(1))
assert counted == malformed, ("malformed", counted, malformed)
print("malformed lines (stack traces): %d, as Python counts them" % malformed)
PY
cat "$work/latency.tsv"
echo "logfmt-latency: OK ($lines lines; requests, errors, max and p95 per path match Python)"
