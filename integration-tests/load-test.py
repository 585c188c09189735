#!/usr/bin/env python3
"""The load test's driver: run it through ./load-test.sh, whose header documents the settings.

For each profile it
  1. prepares, before any clock starts: LogGen data, a different slice per job (half JSON, half
     text lines, MALFORMED of them broken), one fresh topic per job filled with `mr ingest`, and
     each job's expected rows from integration-tests/reference.py (an independent Python
     implementation of the functions) over the very file that job's topic holds;
  2. opens the gateway's job event stream (GET /api/jobs/events), then submits every job at once
     (one thread per job, released together) and follows them to the end: a job's end is seen on
     the stream, and every POLL seconds each unfinished job is also read with GET /api/jobs/{id},
     so a lost event delays the figure by at most POLL seconds and never hangs the test;
  3. measures, over the jobs that COMPLETED: events/s (their input records over the time from the
     first submit to the last COMPLETED the client saw), job completion time (the job's own
     createdAt -> completedAt, and submit -> COMPLETED as the client saw it); and the task failure
     rate (FAILED attempts over all attempts, from GET /api/jobs/{id}/tasks);
  4. compares EVERY result row of EVERY job (GET /api/jobs/{id}/results) with the reference, as
     exact decimals (integration-tests/compare.py), and the job's recordsRead / malformedRecords
     counters with the reference's counts.
It exits 0 when every job COMPLETED with exactly the expected rows, 1 otherwise, 2 when it cannot
run (no stack, a tool missing, preparing the data failed).
"""

import concurrent.futures
import datetime
import importlib.util
import json
import os
import queue
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LOGGEN = os.path.join(ROOT, "common/src/test/java/dev/mapreduce/testing/LogGen.java")
TERMINAL = ("COMPLETED", "FAILED", "CANCELLED")

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree by the import below
_spec = importlib.util.spec_from_file_location("compare", os.path.join(HERE, "compare.py"))
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)


class SetupError(Exception):
    """The test cannot run at all (exit 2)."""


def env(name, default):
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_int(name, default, minimum=1):
    text = env(name, str(default))
    try:
        value = int(text)
    except ValueError:
        raise SetupError("%s must be a whole number, got %r" % (name, text))
    if value < minimum:
        raise SetupError("%s must be at least %d, got %d" % (name, minimum, value))
    return value


def log(message):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), message), flush=True)


# ---------------------------------------------------------------------------------------------
# settings


def profiles():
    """The profiles to run, in order, each a dict of settings."""
    seed = {"name": "seed", "jobs": 10, "events": 4000, "functions": ["WORD_COUNT"], "mappers": 4, "reducers": 2}
    heavy = {
        "name": "heavy",
        "jobs": env_int("JOBS", 20),
        "events": env_int("EVENTS", 50000),
        "functions": env("FUNCTIONS", "WORD_COUNT SERVICE_DISTRIBUTION LEVEL_COUNT ERROR_PATTERN").split(),
        "mappers": env_int("MAPPERS", 4),
        "reducers": env_int("REDUCERS", 2),
    }
    chosen = env("PROFILE", "all")
    table = {"seed": [seed], "heavy": [heavy], "all": [seed, heavy]}
    if chosen not in table:
        raise SetupError("PROFILE must be seed, heavy or all, got %r" % chosen)
    for p in table[chosen]:
        p["reduce"] = env("REDUCE_FUNCTION", "SUM")
        if not p["functions"]:
            raise SetupError("FUNCTIONS names no map function")
    return table[chosen]


class Settings:
    def __init__(self):
        self.gateway = env("GATEWAY_URL", "http://127.0.0.1:8090").rstrip("/")
        self.api_key = env("MR_API_KEY", env("MAPREDUCE_API_KEY", ""))
        self.kafka = env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
        self.seed = env_int("SEED", 42, minimum=0)
        self.malformed = env("MALFORMED", "0.01")
        self.partitions = env_int("PARTITIONS", 3)
        self.timeout = env_int("TIMEOUT", 900)
        self.poll = float(env("POLL", "2"))
        self.prepare_threads = env_int("PREPARE_THREADS", 2)
        self.mr = env("MR", os.path.join(ROOT, "mr"))
        self.java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
        self.report = env("LOAD_TEST_REPORT", "")
        self.keep = env("KEEP_FILES", "0") == "1"


# ---------------------------------------------------------------------------------------------
# the gateway


class Gateway:
    def __init__(self, base, api_key):
        self.base = base
        self.headers = {"X-API-Key": api_key} if api_key else {}

    def call(self, method, path, body=None, timeout=30, parse=True):
        """(status, JSON or None). 429 and 503 answers are retried after their Retry-After."""
        data = json.dumps(body).encode() if body is not None else None
        headers = dict(self.headers, Accept="application/json")
        if data is not None:
            headers["Content-Type"] = "application/json"
        unreachable = 0
        for _ in range(30):
            request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    text = response.read()
                    # numbers as their text, so that values compare exactly (no float rounding)
                    return response.status, (json.loads(text, parse_float=str, parse_int=str) if parse else text)
            except urllib.error.HTTPError as e:
                text = e.read()
                if e.code in (429, 503) and e.headers.get("Retry-After"):
                    time.sleep(min(float(e.headers["Retry-After"]), 10))
                    continue
                try:
                    return e.code, json.loads(text)
                except ValueError:
                    return e.code, {"detail": text[:300].decode("utf-8", "replace")}
            except (urllib.error.URLError, OSError) as e:  # no answer: a few more tries, a second apart
                unreachable += 1
                if unreachable >= 3:
                    return 0, {"detail": "no answer from %s: %s" % (self.base, e)}
                time.sleep(1)
        return 429, {"detail": "still rate limited or unavailable after 30 tries"}

    def stream(self, path):
        request = urllib.request.Request(
            self.base + path, headers=dict(self.headers, Accept="text/event-stream"))
        # the stream sends a keep-alive comment every 15 s: a minute of silence means it is gone
        return urllib.request.urlopen(request, timeout=60)


class JobEvents(threading.Thread):
    """Reads GET /api/jobs/events, putting (arrival time, list entry) on a queue; reconnects."""

    def __init__(self, gateway):
        super().__init__(daemon=True, name="job-events")
        self.gateway = gateway
        self.events = queue.Queue()
        self.connected = threading.Event()
        self.stopping = False

    def run(self):
        while not self.stopping:
            try:
                with self.gateway.stream("/api/jobs/events") as response:
                    self.connected.set()
                    event, data = None, []
                    for raw in response:
                        line = raw.decode("utf-8").rstrip("\r\n")
                        if line.startswith("event:"):
                            event = line[6:].strip()
                        elif line.startswith("data:"):
                            data.append(line[5:].lstrip(" "))
                        elif line == "":
                            if event == "job" and data:
                                self.events.put((time.time(), json.loads("\n".join(data))))
                            event, data = None, []
                        if self.stopping:
                            return
            except Exception as e:  # the polling carries on; retry the stream
                self.connected.clear()
                if not self.stopping:
                    log("job event stream: %s; reconnecting (polling goes on meanwhile)" % e)
                    time.sleep(1)


# ---------------------------------------------------------------------------------------------
# preparation (before the clock)


def run_checked(args, what):
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise SetupError("%s failed (exit %d):\n%s" % (what, result.returncode,
                                                       result.stdout.decode("utf-8", "replace")[-2000:]))
    return result.stdout.decode("utf-8", "replace")


def split_lines(path, parts, per_part):
    """The first parts * per_part lines of the file, as `parts` lists of lines (bytes, with \\n)."""
    out = [[] for _ in range(parts)]
    with open(path, "rb") as f:
        for n, line in enumerate(f):
            if n >= parts * per_part:
                break
            out[n // per_part].append(line if line.endswith(b"\n") else line + b"\n")
    return out


def prepare(settings, profile, work, stamp):
    jobs, events = profile["jobs"], profile["events"]
    n_json, n_text = events - events // 2, events // 2
    folder = os.path.join(work, profile["name"])
    os.makedirs(folder)
    log("%s: generating %d x %d LogGen lines (half JSON, half text; seed %d, malformed %s)"
        % (profile["name"], jobs, events, settings.seed, settings.malformed))
    pools = {}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        futures = {}
        for fmt, count, seed in (("json", n_json, settings.seed), ("text", n_text, settings.seed + 1)):
            if count == 0:
                continue
            path = os.path.join(folder, "pool." + fmt)
            pools[fmt] = path
            futures[fmt] = pool.submit(run_checked, [
                settings.java, LOGGEN, "--lines", str(jobs * count), "--format", fmt, "--seed", str(seed),
                "--malformed", settings.malformed, "--out", path], "LogGen (%s)" % fmt)
        for f in futures.values():
            f.result()
    json_parts = split_lines(pools["json"], jobs, n_json) if n_json else [[] for _ in range(jobs)]
    text_parts = split_lines(pools["text"], jobs, n_text) if n_text else [[] for _ in range(jobs)]
    specs = []
    for i in range(jobs):
        data = os.path.join(folder, "job-%02d.log" % i)
        with open(data, "wb") as f:
            f.writelines(json_parts[i])
            f.writelines(text_parts[i])
        specs.append({
            "index": i,
            "file": data,
            "events": len(json_parts[i]) + len(text_parts[i]),
            "topic": "load-%s-%s-%02d" % (profile["name"], stamp, i),
            "mapFunction": profile["functions"][i % len(profile["functions"])],
            "expected": os.path.join(folder, "expected-%02d.jsonl" % i),
            "counters": os.path.join(folder, "counters-%02d.json" % i),
        })
    for path in pools.values():
        os.remove(path)

    log("%s: ingesting into %d fresh topics (%d partitions each) and computing the expected rows"
        % (profile["name"], jobs, settings.partitions))
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(settings.prepare_threads) as pool:
        work_items = []
        for s in specs:
            work_items.append(pool.submit(run_checked, [
                settings.mr, "ingest", "--bootstrap-servers", settings.kafka, "--topic", s["topic"],
                "--partitions", str(settings.partitions), s["file"]], "mr ingest %s" % s["topic"]))
            work_items.append(pool.submit(run_checked, [
                sys.executable, os.path.join(HERE, "reference.py"), "--map", s["mapFunction"],
                "--reduce", profile["reduce"], "--format", "jsonl", "--output", s["expected"],
                "--counters", s["counters"], s["file"]], "reference.py for job %d" % s["index"]))
        for f in work_items:
            f.result()
    for s in specs:
        with open(s["counters"]) as f:
            s["reference"] = json.load(f)
    log("%s: prepared in %.1f s" % (profile["name"], time.time() - started))
    return specs


# ---------------------------------------------------------------------------------------------
# the measured part


def submit_all(gateway, profile, specs):
    """Submits every job at once; sets each spec's jobId (or submitError) and submit times."""
    release = threading.Event()

    def submit(s):
        body = {"jobName": "load-%s-%02d" % (profile["name"], s["index"]), "inputTopic": s["topic"],
                "numMappers": profile["mappers"], "numReducers": profile["reducers"],
                "mapFunction": s["mapFunction"], "reduceFunction": profile["reduce"]}
        release.wait()
        s["submitAt"] = time.time()
        status, answer = gateway.call("POST", "/api/jobs", body)
        s["submittedAt"] = time.time()
        if status // 100 == 2 and isinstance(answer, dict) and answer.get("jobId"):
            s["jobId"] = answer["jobId"]
        else:
            s["submitError"] = "HTTP %d: %s" % (status, json.dumps(answer)[:300])

    with concurrent.futures.ThreadPoolExecutor(len(specs)) as pool:
        futures = [pool.submit(submit, s) for s in specs]
        time.sleep(0.2)  # every thread is waiting on the event; not a wait for the system under test
        release.set()
        for f in futures:
            f.result()


def follow(gateway, events, specs, settings, deadline):
    """Waits until every submitted job ended (from the stream, or a poll); sets endSeenAt and status."""
    pending = {s["jobId"]: s for s in specs if "jobId" in s}
    next_poll = time.time() + settings.poll
    while pending:
        now = time.time()
        if now > deadline:
            raise TimeoutError("%d job(s) not ended after TIMEOUT=%ds: %s" % (
                len(pending), settings.timeout, ", ".join(sorted(pending))))
        try:
            arrived, entry = events.events.get(timeout=max(0.05, min(next_poll, deadline) - now))
            job_id = entry.get("jobId")
            if job_id in pending and entry.get("status") in TERMINAL:
                ended(pending.pop(job_id), entry["status"], arrived, "stream")
        except queue.Empty:
            pass
        if time.time() >= next_poll:
            for job_id in list(pending):
                status, view = gateway.call("GET", "/api/jobs/" + job_id)
                if status == 200 and view.get("status") in TERMINAL:
                    ended(pending.pop(job_id), view["status"], time.time(), "poll")
            next_poll = time.time() + settings.poll


def ended(spec, status, at, seen_by):
    spec["status"] = status
    spec["endSeenAt"] = at
    spec["endSeenBy"] = seen_by
    log("job %02d %s %s (%s, seen by %s after %.1f s)" % (
        spec["index"], spec["jobId"], status, spec["mapFunction"], seen_by, at - spec["submitAt"]))


# ---------------------------------------------------------------------------------------------
# checks and figures


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() if text else None


def check_job(gateway, profile, spec, folder):
    """Reads the job, its tasks and its rows; returns the problems found (empty: exact)."""
    problems = []
    job_id = spec["jobId"]
    status, view = gateway.call("GET", "/api/jobs/" + job_id)
    if status != 200:
        return ["GET /api/jobs/%s answered HTTP %d" % (job_id, status)]
    spec["view"] = view
    created, completed = instant(view.get("createdAt")), instant(view.get("completedAt"))
    spec["serverSeconds"] = completed - created if created and completed else None

    status, tasks = gateway.call("GET", "/api/jobs/%s/tasks" % job_id)
    if status != 200:
        problems.append("GET /api/jobs/%s/tasks answered HTTP %d" % (job_id, status))
        tasks = {"tasks": []}
    attempts = [a for t in tasks.get("tasks", []) for a in t.get("attempts", [])]
    spec["attempts"] = len(attempts)
    spec["attemptStatuses"] = {}
    for a in attempts:
        spec["attemptStatuses"][a.get("status")] = spec["attemptStatuses"].get(a.get("status"), 0) + 1
    spec["failedAttempts"] = spec["attemptStatuses"].get("FAILED", 0)

    if view.get("status") != "COMPLETED":
        return problems + ["ended %s: %s" % (view.get("status"), view.get("error") or "no error given")]

    status, results = gateway.call("GET", "/api/jobs/%s/results?order=key" % job_id, timeout=300)
    if status != 200:
        return problems + ["GET /api/jobs/%s/results answered HTTP %d: %s" % (job_id, status, results)]
    actual_path = os.path.join(folder, "actual-%02d.jsonl" % spec["index"])
    with open(actual_path, "w", encoding="utf-8") as f:
        for row in results.get("results", []):
            f.write(json.dumps([row["key"], str(row["value"])], ensure_ascii=False) + "\n")
    found = []
    expected = compare.read_rows(spec["expected"], "jsonl", found, "expected")
    actual = compare.read_rows(actual_path, "jsonl", found, "actual")
    diffs = found + compare.compare(expected, actual, False)
    spec["rows"] = len(actual)
    spec["expectedRows"] = len(expected)
    if diffs:
        kinds = {}
        for d in diffs:
            kinds[d[0]] = kinds.get(d[0], 0) + 1
        problems.append("rows differ from the reference: %s; first: %s" % (
            ", ".join("%d %s" % (v, k) for k, v in sorted(kinds.items())),
            "; ".join("%s %r expected %s got %s" % d for d in diffs[:3])))
    counters = view.get("counters") or {}
    for name in ("recordsRead", "malformedRecords"):
        if str(counters.get(name)) != str(spec["reference"][name]):
            problems.append("counters.%s is %s, the reference says %s" % (name, counters.get(name),
                                                                         spec["reference"][name]))
    return problems


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def spread(values):
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "max": max(values) if values else None}


def run_profile(settings, gateway, profile, work, stamp):
    specs = prepare(settings, profile, work, stamp)
    folder = os.path.join(work, profile["name"])
    events = JobEvents(gateway)
    events.start()
    if not events.connected.wait(15):
        log("the job event stream did not open within 15 s; following the jobs by polling only")
    log("%s: submitting %d jobs at once (%s; %d mappers, %d reducers, reduce %s)" % (
        profile["name"], len(specs), " ".join(profile["functions"]), profile["mappers"], profile["reducers"],
        profile["reduce"]))
    submit_all(gateway, profile, specs)
    failures = ["job %02d: submit %s" % (s["index"], s["submitError"]) for s in specs if "submitError" in s]
    first_submit = min(s["submitAt"] for s in specs)
    try:
        follow(gateway, events, specs, settings, first_submit + settings.timeout)
    except TimeoutError as e:
        failures.append(str(e))
    finally:
        events.stopping = True
    # the figures are those of the jobs that COMPLETED (any other end fails the test anyway)
    done = [s for s in specs if s.get("status") == "COMPLETED"]
    wall = max(s["endSeenAt"] for s in done) - first_submit if done else None

    log("%s: checking every row of every job against the reference" % profile["name"])
    for s in specs:
        if "jobId" not in s:
            continue
        for problem in check_job(gateway, profile, s, folder):
            failures.append("job %02d %s (%s): %s" % (s["index"], s["jobId"], s["mapFunction"], problem))

    total_events = sum(int(s["reference"]["recordsRead"]) for s in done)
    server = [s["serverSeconds"] for s in done if s.get("serverSeconds") is not None]
    client = [s["endSeenAt"] - s["submitAt"] for s in done]
    created = [instant(s["view"]["createdAt"]) for s in done if s.get("view", {}).get("createdAt")]
    completed = [instant(s["view"]["completedAt"]) for s in done if s.get("view", {}).get("completedAt")]
    attempts = sum(s.get("attempts", 0) for s in specs)
    failed_attempts = sum(s.get("failedAttempts", 0) for s in specs)
    by_status = {}
    for s in specs:
        for k, v in s.get("attemptStatuses", {}).items():
            by_status[k] = by_status.get(k, 0) + v
    summary = {
        "profile": profile["name"],
        "jobs": len(specs),
        "eventsPerJob": profile["events"],
        "mapFunctions": profile["functions"],
        "reduceFunction": profile["reduce"],
        "numMappers": profile["mappers"],
        "numReducers": profile["reducers"],
        "events": total_events,
        "wallSeconds": wall,
        "eventsPerSecond": total_events / wall if wall else None,
        "completedJobs": len(done),
        "serverWallSeconds": (max(completed) - min(created)) if created and completed else None,
        "jobSeconds": {"server": spread(server), "client": spread(client)},
        "attempts": {"total": attempts, "failed": failed_attempts,
                     "failureRate": failed_attempts / attempts if attempts else None, "byStatus": by_status},
        "check": "every row of every job against integration-tests/reference.py, plus recordsRead and malformedRecords",
        "rowsCompared": sum(s.get("rows", 0) for s in specs),
        "passed": not failures,
        "failures": failures,
        "jobList": [{k: s.get(k) for k in ("index", "jobId", "topic", "mapFunction", "events", "status", "serverSeconds",
                                           "rows", "attempts", "failedAttempts", "endSeenBy")}
                    | {"clientSeconds": s["endSeenAt"] - s["submitAt"] if "endSeenAt" in s else None}
                    for s in specs],
    }
    print_summary(summary)
    return summary


def fmt_s(value):
    return "-" if value is None else "%.2f s" % value


def print_summary(r):
    print()
    print("== profile %s: %d jobs x %d events (%s; reduce %s; %d mappers, %d reducers)" % (
        r["profile"], r["jobs"], r["eventsPerJob"], " ".join(r["mapFunctions"]), r["reduceFunction"],
        r["numMappers"], r["numReducers"]))
    if r["completedJobs"] < r["jobs"]:
        print("(figures of the %d jobs that COMPLETED)" % r["completedJobs"])
    print("total events          %d" % r["events"])
    print("wall time             %s  (first submit -> last COMPLETED seen by the client)" % fmt_s(r["wallSeconds"]))
    print("                      %s  (first createdAt -> last completedAt, the jobs' own times)" % fmt_s(r["serverWallSeconds"]))
    print("throughput            %s events/s" % ("-" if r["eventsPerSecond"] is None else "{:,.0f}".format(r["eventsPerSecond"])))
    for side, label in (("server", "createdAt -> completedAt"), ("client", "submit -> COMPLETED seen")):
        j = r["jobSeconds"][side]
        print("job completion time   p50 %s  p95 %s  max %s  (%s)" % (fmt_s(j["p50"]), fmt_s(j["p95"]), fmt_s(j["max"]), label))
    a = r["attempts"]
    rate = "-" if a["failureRate"] is None else "%.2f%%" % (100 * a["failureRate"])
    print("task failure rate     %s  (%d failed of %d attempts; by status: %s)" % (
        rate, a["failed"], a["total"], ", ".join("%s %d" % kv for kv in sorted(a["byStatus"].items()))))
    print("results               %d rows compared, every row of every job, with the reference: %s" % (
        r["rowsCompared"], "exact" if r["passed"] else "SEE FAILURES"))
    if r["failures"]:
        print("FAILURES (%d):" % len(r["failures"]))
        for f in r["failures"]:
            print("  - " + f)
    print()


def main():
    try:
        settings = Settings()
        chosen = profiles()
    except SetupError as e:
        print("load-test: %s" % e, file=sys.stderr)
        return 2
    gateway = Gateway(settings.gateway, settings.api_key)
    status, _ = gateway.call("GET", "/api/functions", timeout=10)
    if status != 200:
        print("load-test: GET %s/api/functions answered HTTP %s; is the stack up (./setup.sh) and the API key"
              " (MR_API_KEY) right?" % (settings.gateway, status), file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="load-test.")
    stamp = time.strftime("%Y%m%d-%H%M%S") + "-%04d" % random.randrange(10000)
    report = {"startedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "gateway": settings.gateway, "seed": settings.seed, "malformed": settings.malformed,
              "partitions": settings.partitions, "profiles": []}
    try:
        for profile in chosen:
            report["profiles"].append(run_profile(settings, gateway, profile, work, stamp))
    except SetupError as e:
        print("load-test: %s" % e, file=sys.stderr)
        return 2
    finally:
        if settings.keep:
            log("kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    report["passed"] = all(p["passed"] for p in report["profiles"])
    if settings.report:
        with open(settings.report, "w") as f:
            json.dump(report, f, indent=2)
        log("report written to %s" % settings.report)
    print("PASSED" if report["passed"] else "FAILED")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
