#!/usr/bin/env bash
# The metrics docs/operations.md and the dashboards use are really exported: with the local stack running
# (./setup.sh) and a job done since it started, scrapes /actuator/prometheus on every service and
# checks
#   - every service answers, and tags its series application="<its kind>";
#   - every metric name in docs/operations.md's ```promql blocks, in monitoring/queries.promql and in the
#     Grafana dashboards appears in some service's output, except the names
#     monitoring/exporter-metrics.txt gives to another exporter (Redis, PostgreSQL, Kafka JMX);
#   - the job moved the meters: jobs completed, map and reduce tasks completed, records read,
#     shuffle bytes and result rows written are above zero.
# Exits non-zero on any failure, naming each missing metric and where it is used.
#
# Environment, as for setup.sh: COORDINATOR_PORT (8080), COORDINATOR_2_PORT (8180),
# MAP_WORKER_PORT (8081), MAP_WORKER_2_PORT (8181), REDUCE_WORKER_PORT (8082),
# REDUCE_WORKER_2_PORT (8182), API_GATEWAY_PORT (8090); METRICS_HOST (127.0.0.1).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
HOST="${METRICS_HOST:-127.0.0.1}"

# name kind port
SERVICES=(
    "coordinator-1 coordinator ${COORDINATOR_PORT:-8080}"
    "coordinator-2 coordinator ${COORDINATOR_2_PORT:-8180}"
    "map-worker-1 map-worker ${MAP_WORKER_PORT:-8081}"
    "map-worker-2 map-worker ${MAP_WORKER_2_PORT:-8181}"
    "reduce-worker-1 reduce-worker ${REDUCE_WORKER_PORT:-8082}"
    "reduce-worker-2 reduce-worker ${REDUCE_WORKER_2_PORT:-8182}"
    "api-gateway api-gateway ${API_GATEWAY_PORT:-8090}"
)

work="$(mktemp -d "${TMPDIR:-/tmp}/check-metrics.XXXXXX")"
trap 'rm -rf "$work"' EXIT

failed=0
for entry in "${SERVICES[@]}"; do
    read -r name kind port <<<"$entry"
    url="http://$HOST:$port/actuator/prometheus"
    if ! curl -fsS --max-time 10 "$url" -o "$work/$name.prom"; then
        echo "FAIL: $name does not answer on $url"
        failed=1
        continue
    fi
    echo "scraped $name ($url): $(grep -vc '^#' "$work/$name.prom") series"
    printf '%s\n' "$kind" >"$work/$name.kind"
done
((failed == 0)) || exit 1

python3 - "$ROOT" "$work" <<'PY'
import glob, json, os, re, sys

root, work = sys.argv[1], sys.argv[2]

KEYWORDS = {"and", "or", "unless", "atan2", "bool", "offset", "inf", "nan", "sum", "min", "max", "avg",
            "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk",
            "limit_ratio"}
LABEL_LISTS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
IDENT_START = re.compile(r"[A-Za-z_:]")
IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def skip_string(text, i):
    quote = text[i]
    i += 1
    while i < len(text):
        c = text[i]
        i += 1
        if c == "\\" and quote != "`":
            i += 1
        elif c == quote:
            return i
    raise ValueError("unclosed string in: " + text)


def skip_block(text, i, open_, close):
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "\"'`":
            i = skip_string(text, i)
            continue
        i += 1
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unclosed %r in: %s" % (open_, text))


def metric_names(text):
    """The metric names a PromQL expression selects (the same rules as the Java PromQl of DashboardsTest)."""
    names, i = [], 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#":
            while i < len(text) and text[i] != "\n":
                i += 1
        elif c in "\"'`":
            i = skip_string(text, i)
        elif c == "{":
            i = skip_block(text, i, "{", "}")
        elif c == "[":
            i = skip_block(text, i, "[", "]")
        elif c == "$":
            i += 1
            if i < len(text) and text[i] == "{":
                i = skip_block(text, i, "{", "}")
            else:
                while i < len(text) and (text[i].isalnum() or text[i] in "_:"):
                    i += 1
        elif c.isdigit() or (c == "." and i + 1 < len(text) and text[i + 1].isdigit()):
            start = i
            while i < len(text):
                d = text[i]
                if d.isalnum() or d in "._":
                    i += 1
                elif d in "+-" and text[i - 1] in "eE" and not text[start:].lower().startswith("0x"):
                    i += 1
                else:
                    break
        elif IDENT_START.match(c):
            word = IDENT.match(text, i).group(0)
            i += len(word)
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            if word.lower() in LABEL_LISTS:
                if j < len(text) and text[j] == "(":
                    i = skip_block(text, j, "(", ")")
            elif word.lower() not in KEYWORDS and not (j < len(text) and text[j] == "("):
                if word not in names:
                    names.append(word)
        else:
            i += 1
    return names


def queries(text):
    return [l.strip() for l in text.splitlines() if l.strip() and not l.strip().startswith("#")]


# where each name is used
used = {}
def use(source, expr):
    for name in metric_names(expr):
        used.setdefault(name, set()).add(source)

with open(os.path.join(root, "monitoring", "queries.promql")) as f:
    for q in queries(f.read()):
        use("monitoring/queries.promql", q)
with open(os.path.join(root, "docs", "operations.md")) as f:
    for block in re.findall(r"(?ms)^```promql\n(.*?)^```", f.read()):
        for q in queries(block):
            use("docs/operations.md", q)
for path in sorted(glob.glob(os.path.join(root, "monitoring", "grafana", "dashboards", "*.json"))):
    with open(path) as f:
        board = json.load(f)
    for panel in board.get("panels", []):
        for target in panel.get("targets", []):
            use(os.path.relpath(path, root) + ": " + panel.get("title", "?"), target.get("expr", ""))

exporter_only = set()
with open(os.path.join(root, "monitoring", "exporter-metrics.txt")) as f:
    for line in f:
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("["):
            exporter_only.add(line)

sample = re.compile(r"^([A-Za-z_:][A-Za-z0-9_:]*)(\{([^}]*)\})? (\S+)")
series = {}   # name -> [(service, labels, value)]
failures = []
for path in sorted(glob.glob(os.path.join(work, "*.prom"))):
    service = os.path.basename(path)[:-5]
    with open(os.path.join(work, service + ".kind")) as f:
        kind = f.read().strip()
    tagged = untagged = 0
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            m = sample.match(line)
            if not m:
                continue
            labels = m.group(3) or ""
            if 'application="%s"' % kind in labels:
                tagged += 1
            else:
                untagged += 1
            series.setdefault(m.group(1), []).append((service, labels, float(m.group(4))))
    if untagged or not tagged:
        failures.append('%s: %d series without application="%s"' % (service, untagged, kind))

def base(name):
    return re.sub(r"_(bucket|sum|count)$", "", name)

checked = 0
for name in sorted(used):
    if name in exporter_only or base(name) in exporter_only:
        continue
    checked += 1
    if name not in series:
        failures.append("%s is not exported by any service; used in %s" % (name, "; ".join(sorted(used[name]))))

def total(name, label=None):
    return sum(v for _, labels, v in series.get(name, []) if label is None or label in labels)

for name, label in [("mapreduce_jobs_completed_total", None),
                    ("mapreduce_tasks_completed_total", 'type="map"'),
                    ("mapreduce_tasks_completed_total", 'type="reduce"'),
                    ("mapreduce_records_read_total", 'type="map"'),
                    ("mapreduce_shuffle_bytes_total", None),
                    ("mapreduce_results_rows_written_total", None),
                    ("mapreduce_job_duration_seconds_count", None)]:
    if total(name, label) <= 0:
        failures.append("%s%s is 0: run a job after the stack starts" % (name, "{%s}" % label if label else ""))

if not series.get("mapreduce_worker_heartbeat_lag_seconds"):
    failures.append("no worker's heartbeat lag is exported")

for f in failures:
    print("FAIL: " + f)
print("%d metric names used in docs/operations.md, queries.promql and the dashboards; %d checked against the services"
      " (the rest come from exporters)" % (len(used), checked))
sys.exit(1 if failures else 0)
PY
echo "check-metrics: every metric docs/operations.md and the dashboards use is exported"
