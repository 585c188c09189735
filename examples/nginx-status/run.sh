#!/usr/bin/env bash
# nginx access log (the combined format): requests and bytes per status, and the paths that answer
# with 5xx errors most. Generates its own log, asks mr local, and checks the answer against Python.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mr="$here/../../mr"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lines="${EXAMPLE_LINES:-50000}"

# 1. Sample data: nginx's default log_format (combined), deterministic.
python3 "$here/gen.py" "$lines" "$work/access.log"

# 2. The questions, to mr local.
"$mr" local -i "$work/access.log" --format apache_combined -o "$work/per-status.tsv" --sql \
  "SELECT status, count(*) AS requests, sum(bytes) AS bytes FROM logs GROUP BY status ORDER BY status" \
  2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
"$mr" local -i "$work/access.log" --format apache_combined -o "$work/errors.tsv" --sql \
  "SELECT path, count(*) AS errors FROM logs WHERE status >= 500 GROUP BY path ORDER BY errors DESC, path LIMIT 5" \
  2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }

# 3. The same answers, computed independently.
python3 - "$work/access.log" "$work" <<'PY'
import re, sys
from collections import Counter
log, work = sys.argv[1], sys.argv[2]
line_re = re.compile(r'^\S+ \S+ \S+ \[[^\]]+\] "([^"]*)" (\d{3}) (\d+|-) "[^"]*" "[^"]*"$')
requests, size, errors = Counter(), Counter(), Counter()
sized = set()
for line in open(log):
    m = line_re.match(line.rstrip("\n"))
    request, status, nbytes = m.group(1), int(m.group(2)), m.group(3)
    requests[status] += 1
    if nbytes != "-":
        size[status] += int(nbytes)
        sized.add(status)
    parts = request.split(" ")
    if status >= 500 and len(parts) == 3:
        errors[parts[1]] += 1
with open(work + "/per-status.expected", "w") as f:
    f.write("status\trequests\tbytes\n")
    for s in sorted(requests):
        f.write("%d\t%d\t%s\n" % (s, requests[s], size[s] if s in sized else ""))
with open(work + "/errors.expected", "w") as f:
    f.write("path\terrors\n")
    for path, n in sorted(errors.items(), key=lambda e: (-e[1], e[0]))[:5]:
        f.write("%s\t%d\n" % (path, n))
PY

diff -u "$work/per-status.expected" "$work/per-status.tsv"
diff -u "$work/errors.expected" "$work/errors.tsv"
cat "$work/per-status.tsv"
echo
cat "$work/errors.tsv"
echo "nginx-status: OK ($lines lines; per-status and top-5xx paths match Python)"
