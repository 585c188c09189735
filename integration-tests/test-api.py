#!/usr/bin/env python3
"""End-to-end test of the public API (docs/api.md) against the running local stack (./setup.sh).

Every endpoint is called through the gateway with its normal and its error cases, and every
answer is checked against PostgreSQL or an independent computation:

  1. catalogue, workers, OpenAPI and Swagger UI;
  2. submit → follow → list (filters, paging) → tasks → results (JSON and streamed CSV, both
     orders, paging) compared row for row with SQL;
  3. live events: the job stream of a running job and the list stream;
  4. cancel and delete, with their conflicts and what delete removes;
  5. file input (a plain file and a .gz in a folder under the input root) compared with
     integration-tests/reference.py, and a topic time range (from/to) against two ingested batches;
  6. hostile input: at least 300 bad requests (invalid JSON, wrong types, negative and huge
     numbers, unknown functions, 10 MB bodies, catastrophic and invalid regexes, path traversal,
     SQL-looking strings, bad headers and methods): every answer must be a 4xx problem detail,
     none a 5xx; the internal plane and the actuators through the gateway and straight to every
     service without the token, and framing and header attacks as raw bytes (forged owner and
     grants headers, request smuggling, oversized and malformed headers, foreign hosts): every
     one refused with a 4xx, nothing leaked; no job may be created and every service must still
     be healthy;
  7. API keys (the gateway restarted with keys and a low rate limit, then restored): no key or a
     wrong one → 401, another tenant's job → 404 on every job endpoint, an admin sees it, over the
     rate → 429 with Retry-After;
  8. the internal plane and headers: every coordinator refuses its internal API, leadership
     included, without the service token (401 problem, nothing created) and answers with it, exposes no actuator
     endpoint beyond health, info and prometheus; the gateway answers 400 to a foreign Host; a
     results CSV neutralises keys that start a spreadsheet formula;
  9. three tenants with input grants (the gateway restarted with keys and MAPREDUCE_INPUT_GRANTS):
     every job endpoint (JSON, CSV, events, cancel, delete) on another tenant's job answers as on an
     unknown job, every input kind of another tenant (topic, folder, file, s3 prefix) as a missing
     one, forged owner and grants headers included; the list stream shows a tenant its own jobs
     only; the CLI (status, results, cancel, delete, list, submit, inputs) likewise; no job of
     another tenant is read, cancelled or deleted and none is created; the admin reads everything.

Exit status: 0 when everything holds, 1 on any failure, 2 when the stack is not reachable.

    ./setup.sh && integration-tests/test-api.py

Environment: GATEWAY_URL [http://127.0.0.1:8090], PGHOST/PGPORT/PGUSER/PGDATABASE as psql
[127.0.0.1/5432/postgres/mapreduce], MAPREDUCE_INPUT_ROOT [data] (the stack's input root),
KAFKA_BOOTSTRAP_SERVERS [127.0.0.1:9092], SKIP_KEYS [0] (1 skips part 7, which restarts the gateway),
the service ports as setup.sh takes them (COORDINATOR_PORT [8080], COORDINATOR_2_PORT [8180],
MAP_WORKER_PORT [8081], MAP_WORKER_2_PORT [8181], REDUCE_WORKER_PORT [8082], REDUCE_WORKER_2_PORT
[8182], API_GATEWAY_PORT [8090]) and MAPREDUCE_INTERNAL_TOKEN [the one setup.sh keeps in
.local/internal-token].
"""
import csv
import datetime
import decimal
import gzip
import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GATEWAY = urllib.parse.urlsplit(os.environ.get(
    "GATEWAY_URL", "http://127.0.0.1:%s" % os.environ.get("API_GATEWAY_PORT", "8090")))
INPUT_ROOT = os.path.abspath(os.path.join(ROOT, os.environ.get("MAPREDUCE_INPUT_ROOT", "data")))
KAFKA = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
SERVICE_PORTS = {name: int(os.environ.get(variable, default)) for name, variable, default in (
    ("coordinator-1", "COORDINATOR_PORT", 8080), ("coordinator-2", "COORDINATOR_2_PORT", 8180),
    ("map-worker-1", "MAP_WORKER_PORT", 8081), ("map-worker-2", "MAP_WORKER_2_PORT", 8181),
    ("reduce-worker-1", "REDUCE_WORKER_PORT", 8082), ("reduce-worker-2", "REDUCE_WORKER_2_PORT", 8182),
    ("gateway", "API_GATEWAY_PORT", 8090))}
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED"}
RUN = uuid.uuid4().hex[:8]
for _name, _default in (("PGHOST", "127.0.0.1"), ("PGPORT", "5432"), ("PGUSER", "postgres"), ("PGDATABASE", "mapreduce")):
    os.environ.setdefault(_name, _default)

failures = []
checks = 0


def log(message):
    print(time.strftime("[%H:%M:%S] ") + message, flush=True)


def instant(text):
    """An ISO-8601 timestamp as a number, for ordering: its text drops trailing zero digits."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        failures.append(message)
        print("FAIL: " + message, flush=True)
    return condition


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def content_type(self):
        return self.headers.get("content-type", "")

    def __repr__(self):
        return "%d %s %s" % (self.status, self.content_type, self.body[:300])


def call(method, path, body=None, headers=None, key=None, raw=False, timeout=60):
    """One request to the gateway. A dict/list body is sent as JSON unless raw is set."""
    conn = http.client.HTTPConnection(GATEWAY.hostname, GATEWAY.port or 80, timeout=timeout)
    hdrs = dict(headers or {})
    if key is not None:
        hdrs["X-API-Key"] = key
    if body is not None and not raw and not isinstance(body, (bytes, str)):
        body = json.dumps(body)
        hdrs.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode("utf-8")
    if body is not None:
        hdrs.setdefault("Content-Type", "application/json")
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
    finally:
        conn.close()


def psql(sql):
    out = subprocess.run(["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         capture_output=True, text=True, env=dict(os.environ, PGCLIENTENCODING="UTF8"))
    if out.returncode != 0:
        raise RuntimeError("psql failed: " + out.stderr.strip())
    return out.stdout


def submit(body, key=None, expect=201):
    r = call("POST", "/api/jobs", body, key=key)
    check(r.status == expect, "submit %s: expected %d, got %r" % (body.get("jobName"), expect, r))
    return r.json() or {}


def wait_job(job_id, key=None, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = call("GET", "/api/jobs/" + job_id, key=key)
        if r.status == 200 and r.json()["status"] in TERMINAL:
            return r.json()
        time.sleep(0.2)
    raise RuntimeError("job %s did not end within %ds" % (job_id, timeout))


def is_problem(r):
    return r.content_type.startswith("application/problem+json") and isinstance(r.json(), dict)


def expect_problem(r, status, what):
    ok = check(r.status == status, "%s: expected %d, got %r" % (what, status, r))
    if ok:
        check(is_problem(r), "%s: expected a problem detail, got %r" % (what, r))


def dec(text):
    return decimal.Decimal(str(text))


def sql_rows(job_id, order):
    order_sql = "result_value DESC, result_key" if order == "value_desc" else "result_key"
    text = psql("COPY (SELECT result_key, result_value FROM results WHERE job_id = '%s' ORDER BY %s) "
                "TO STDOUT WITH (FORMAT csv)" % (job_id, order_sql))
    return [(k, dec(v)) for k, v in csv.reader(io.StringIO(text))]


# ---------------------------------------------------------------- 1. catalogue, workers, docs

def test_catalogue_and_cluster():
    log("1. functions, workers, OpenAPI")
    r = call("GET", "/api/functions")
    check(r.status == 200, "GET /api/functions: %r" % r)
    doc = r.json() or {}
    names = {f["name"] for f in doc.get("mapFunctions", [])}
    check({"WORD_COUNT", "SERVICE_DISTRIBUTION", "LEVEL_COUNT", "ERROR_PATTERN", "LATENCY"} <= names,
          "map functions listed: %s" % sorted(names))
    check({"SUM", "COUNT", "MIN", "MAX", "AVG"} <= {f["name"] for f in doc.get("reduceFunctions", [])},
          "reduce functions listed: %s" % doc.get("reduceFunctions"))
    check(all(f.get("description") for f in doc.get("mapFunctions", [])), "every map function has a description")
    check({"COUNT_BY", "VALUE_BY"} <= names, "COUNT_BY and VALUE_BY listed: %s" % sorted(names))
    r = call("GET", "/api/formats")
    check(r.status == 200, "GET /api/formats: %r" % r)
    formats = {f["name"]: f for f in (r.json() or {}).get("formats", [])}
    check({"default", "json", "logfmt", "regex", "grok", "csv", "tsv", "apache_common", "apache_combined",
           "apache_error", "syslog_rfc3164", "syslog_rfc5424", "log4j", "ecs_json"} <= set(formats),
          "formats and presets listed: %s" % sorted(formats))
    check(all(f.get("sampleLines") and f.get("description") for f in formats.values()),
          "every format has a description and sample lines")
    line = '203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET /cart HTTP/1.1" 200 2326 "-" "curl/8"'
    r = call("POST", "/api/formats/preview", {"format": "apache_combined", "lines": [line, "not one"]})
    doc = r.json() or {}
    check(r.status == 200 and doc.get("parsed") == 1 and doc.get("malformed") == 1
          and doc["records"][0]["fields"]["status"] == "200" and doc["records"][1].get("error"),
          "preview reads the access line and says why the other is malformed: %r" % r)
    r = call("POST", "/api/formats/preview",
             {"format": {"type": "grok", "pattern": "%{NOPE:x}", "timestamp": {"zone": "Mars/Olympus"}}, "lines": "x"})
    fields = {e.get("field") for e in ((r.json() or {}).get("errors") or [])}
    check(r.status == 400 and is_problem(r) and {"format.pattern", "format.timestamp.zone"} <= fields,
          "a bad format is a 400 naming every problem: %r" % r)
    r = call("POST", "/api/formats/preview", {"format": "nginx", "lines": "x"})
    expect_problem(r, 400, "an unknown format")
    r = call("POST", "/api/formats/preview", {"format": {"type": "regex", "pattern": "(a" * 40000}, "lines": "x"})
    expect_problem(r, 400, "a pattern too large to compile")
    r = call("GET", "/api/workers")
    check(r.status == 200, "GET /api/workers: %r" % r)
    workers = (r.json() or {}).get("workers", [])
    alive = [w for w in workers if w.get("status") == "ALIVE"]
    check(len([w for w in alive if w["type"] == "MAP"]) >= 2 and len([w for w in alive if w["type"] == "REDUCE"]) >= 2,
          "two map and two reduce workers alive: %s" % workers)
    check(all(isinstance(w.get("heartbeatAgeMs"), int) and w["heartbeatAgeMs"] < 10000 for w in alive),
          "alive workers heartbeat recently: %s" % alive)
    r = call("GET", "/v3/api-docs")
    check(r.status == 200 and "/api/jobs" in ((r.json() or {}).get("paths") or {}), "OpenAPI lists /api/jobs: %r" % r)
    r = call("GET", "/swagger-ui.html")
    if r.status in (301, 302):
        r = call("GET", r.headers["location"].replace("%s://%s" % (GATEWAY.scheme, GATEWAY.netloc), ""))
    check(r.status == 200, "Swagger UI answers: %r" % r)
    r = call("GET", "/")
    check(r.status == 200 and b"<html" in r.body.lower(), "the dashboard is served at /: %r" % r)


# ---------------------------------------------------------------- 2. a job's life

def test_job_lifecycle():
    log("2. submit, follow, list, tasks, results")
    name = "api-test-%s-word-count" % RUN
    sub = submit({"jobName": name, "inputTopic": "application-logs", "numMappers": 4, "numReducers": 2,
                  "mapFunction": "WORD_COUNT", "reduceFunction": "SUM"})
    job_id = sub.get("jobId")
    check(sub.get("status") in ("RUNNING", "PENDING") and sub.get("message") == "Job submitted successfully",
          "submit answer: %s" % sub)
    job = wait_job(job_id)
    check(job["status"] == "COMPLETED", "job completed: %s" % job.get("error"))
    for field in ("jobId", "jobName", "status", "owner", "inputTopic", "numMappers", "numReducers", "mapFunction",
                  "reduceFunction", "createdAt", "completedAt", "totalMapTasks", "completedMapTasks",
                  "totalReduceTasks", "completedReduceTasks", "progress", "counters", "resultsQuery", "resultsUrl"):
        check(field in job, "job view has %s" % field)
    check(job.get("progress") == 100 and job.get("completedMapTasks") == job.get("totalMapTasks"),
          "a completed job is at 100%%: %s" % job)
    check(job.get("resultsUrl") == "/api/jobs/%s/results" % job_id, "resultsUrl: %s" % job.get("resultsUrl"))
    rows_in_db = int(psql("SELECT count(*) FROM results WHERE job_id = '%s'" % job_id))
    check(rows_in_db == job["counters"]["outputRecords"] and rows_in_db > 0,
          "outputRecords %s = rows in PostgreSQL %d" % (job["counters"]["outputRecords"], rows_in_db))
    # the job record's SQL runs as written
    top_sql = psql(job["resultsQuery"]).splitlines()
    check(len(top_sql) == min(20, rows_in_db), "resultsQuery returns the top rows: %d lines" % len(top_sql))

    # list: filters and paging
    r = call("GET", "/api/jobs?status=COMPLETED&name=" + urllib.parse.quote(name.upper()) + "&limit=5")
    page = r.json() or {}
    check(r.status == 200 and [j["jobId"] for j in page.get("jobs", [])] == [job_id] and page.get("total") == 1,
          "list filtered by status and name (case-insensitive) finds exactly the job: %r" % r)
    r = call("GET", "/api/jobs?status=RUNNING,FAILED&name=" + urllib.parse.quote(name))
    check(r.status == 200 and (r.json() or {}).get("total") == 0, "the status filter excludes it: %r" % r)
    all_jobs = call("GET", "/api/jobs?limit=200").json() or {}
    # compared as instants: the text drops trailing zero digits (…39.123Z is later than …39.122999Z)
    created = [instant(j["createdAt"]) for j in all_jobs.get("jobs", [])]
    check(created == sorted(created, reverse=True), "the list is newest first: %s"
          % [j["createdAt"] for j in all_jobs.get("jobs", [])][:10])
    p1 = call("GET", "/api/jobs?limit=2&offset=0").json() or {}
    p2 = call("GET", "/api/jobs?limit=2&offset=2").json() or {}
    ids = [j["jobId"] for j in all_jobs.get("jobs", [])]
    check([j["jobId"] for j in p1.get("jobs", []) + p2.get("jobs", [])] == ids[:4], "pages follow each other")
    check(p1.get("total") == all_jobs.get("total") == int(psql("SELECT count(*) FROM jobs")),
          "total counts every job: %s" % p1.get("total"))

    # tasks
    r = call("GET", "/api/jobs/%s/tasks" % job_id)
    tasks = (r.json() or {}).get("tasks", [])
    check(r.status == 200 and len(tasks) == job["totalMapTasks"] + job["totalReduceTasks"],
          "tasks lists every task: %r" % r)
    order = [(t["type"], t["index"]) for t in tasks]
    check(order == sorted(order, key=lambda x: (x[0] != "MAP", x[1])), "tasks in order MAP 0..n, REDUCE 0..m")
    for t in tasks:
        check(t["status"] == "COMPLETED" and any(a["status"] == "SUCCEEDED" and a.get("workerId")
                                                 and a.get("startedAt") and a.get("finishedAt")
                                                 for a in t.get("attempts", [])),
              "task %s-%d has a succeeded attempt with worker and times: %s" % (t["type"], t["index"], t))
    check(sum(t["recordsRead"] for t in tasks if t["type"] == "MAP") == job["counters"]["recordsRead"],
          "map tasks' recordsRead add up to the job's")

    # results: JSON
    expected = sql_rows(job_id, "value_desc")
    r = call("GET", "/api/jobs/%s/results?limit=20" % job_id)
    doc = r.json() or {}
    got = [(x["key"], dec(x["value"])) for x in doc.get("results", [])]
    check(r.status == 200 and got == expected[:20], "JSON top 20 = SQL top 20: %s" % got[:3])
    check(all(isinstance(x["value"], (int, float)) for x in doc.get("results", [])), "values are JSON numbers")
    r = call("GET", "/api/jobs/%s/results?limit=7&offset=13&order=key" % job_id)
    by_key = sql_rows(job_id, "key")
    check([(x["key"], dec(x["value"])) for x in (r.json() or {}).get("results", [])] == by_key[13:20],
          "order=key with limit/offset = the SQL slice")
    # results: CSV, every row, streamed
    conn = http.client.HTTPConnection(GATEWAY.hostname, GATEWAY.port, timeout=60)
    conn.request("GET", "/api/jobs/%s/results" % job_id, headers={"Accept": "text/csv"})
    resp = conn.getresponse()
    check(resp.status == 200 and resp.getheader("content-type", "").startswith("text/csv"),
          "CSV answer: %d %s" % (resp.status, resp.getheader("content-type")))
    check(resp.getheader("content-length") is None, "CSV is streamed (no Content-Length)")
    text = resp.read().decode("utf-8")
    conn.close()
    reader = list(csv.reader(io.StringIO(text, newline="")))
    check(reader[:1] == [["key", "value"]], "CSV header: %s" % reader[:1])
    check([(k, dec(v)) for k, v in reader[1:]] == expected, "CSV holds every row, in order (%d rows)" % len(reader[1:]))
    return job_id


# ---------------------------------------------------------------- 3. live events

def read_events(path, until, key=None, timeout=120, on_comment=None):
    """Reads an SSE stream until until(events) or the stream ends; returns [(event, data)].
    on_comment(text) is called for each comment line (the list stream's ': connected')."""
    conn = http.client.HTTPConnection(GATEWAY.hostname, GATEWAY.port, timeout=timeout)
    hdrs = {"Accept": "text/event-stream"}
    if key:
        hdrs["X-API-Key"] = key
    conn.request("GET", path, headers=hdrs)
    resp = conn.getresponse()
    events = []
    if resp.status != 200:
        conn.close()
        return resp.status, events
    name, data = None, []
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            line = resp.readline()
            if not line:
                break
            line = line.decode("utf-8").rstrip("\r\n")
            if line == "":
                if data:
                    events.append((name or "message", json.loads("\n".join(data))))
                    if until(events):
                        break
                name, data = None, []
            elif line.startswith(":"):
                if on_comment:
                    on_comment(line[1:].strip())
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip(" ") if line.startswith("data: ") else line[5:])
    finally:
        conn.close()
    return resp.status, events


def test_live_events():
    log("3. live events")
    seen_in_list = []
    name = "api-test-%s-live" % RUN
    subscribed = threading.Event()

    def watch_list():
        status, events = read_events("/api/jobs/events", lambda ev: any(
            e == "job" and d.get("jobName") == name and d.get("status") in TERMINAL for e, d in ev), timeout=120,
            on_comment=lambda text: subscribed.set())
        seen_in_list.extend(events)
        subscribed.set()

    lister = threading.Thread(target=watch_list, daemon=True)
    lister.start()
    # the list stream has no history: the job is submitted once the stream says it is connected
    check(subscribed.wait(30), "the list stream says ': connected' within 30 s")
    # Map task 0 is held (the workers' test-only hold fault) until the job's stream has shown progress
    # while RUNNING, and reduce task 0 until the stream has pushed a second state, so the stream
    # has several states to push however fast the job would be (on a fast machine the other maps are
    # done before the stream's first state).
    hold("MAP-0")
    hold("REDUCE-0")
    sub = submit({"jobName": name, "numMappers": 8, "numReducers": 2})
    job_id = sub.get("jobId")
    progressed = threading.Event()
    updated = threading.Event()

    def until_progress_seen(ev):
        if any(e == "job" and d.get("status") == "RUNNING" and d.get("completedMapTasks", 0) >= 1 for e, d in ev):
            progressed.set()
        # RUNNING, then REDUCE_RUNNING once the maps are done
        if len([d for e, d in ev if e == "job" and d.get("status") not in TERMINAL]) >= 2:
            updated.set()
        return False

    answer = {}

    def watch_job():
        answer["status"], answer["events"] = read_events("/api/jobs/%s/events" % job_id, until_progress_seen,
                                                         timeout=180)
        progressed.set()
        updated.set()

    watcher = threading.Thread(target=watch_job, daemon=True)
    watcher.start()
    check(progressed.wait(120), "the job stream showed a map task done while RUNNING (map task 0 held)")
    release("MAP-0")
    check(updated.wait(120), "the job stream pushed an update while the job ran (reduce task 0 held)")
    release("REDUCE-0")
    watcher.join(timeout=180)
    status, events = answer.get("status"), answer.get("events", [])
    check(status == 200, "job event stream answers 200: %s" % status)
    kinds = [e for e, _ in events]
    check(kinds[:2] in (["job", "tasks"], ["tasks", "job"]), "the stream starts with the job and its tasks: %s" % kinds[:4])
    statuses = [d["status"] for e, d in events if e == "job"]
    check(statuses and statuses[-1] == "COMPLETED", "the stream ends with the completed job: %s" % statuses)
    check(len(statuses) >= 3, "the job stream pushed several updates while it ran: %s" % statuses)
    progress = [d["progress"] for e, d in events if e == "job"]
    check(progress == sorted(progress), "progress never goes back: %s" % progress)
    lister.join(timeout=60)
    check(any(e == "job" and d.get("jobId") == job_id for e, d in seen_in_list),
          "the list stream announced the job: %d events" % len(seen_in_list))
    status, events = read_events("/api/jobs/%s/events" % job_id, lambda ev: False, timeout=30)
    check(status == 200 and events and events[-1][0] in ("job", "tasks"),
          "an ended job's stream sends its final state and ends: %s" % [e for e, _ in events])
    status, _ = read_events("/api/jobs/%s/events" % uuid.uuid4(), lambda ev: True, timeout=10)
    check(status == 404, "events of an unknown job: 404, got %s" % status)


# ---------------------------------------------------------------- 4. cancel and delete

def test_cancel_and_delete(completed_job):
    log("4. cancel and delete")
    sub = submit({"jobName": "api-test-%s-cancel" % RUN, "numMappers": 8})
    job_id = sub.get("jobId")
    r = call("POST", "/api/jobs/%s/cancel" % job_id)
    check(r.status == 200 and (r.json() or {}).get("status") == "CANCELLED", "cancel a running job: %r" % r)
    r = call("POST", "/api/jobs/%s/cancel" % job_id)
    expect_problem(r, 409, "cancel a cancelled job")
    check((r.json() or {}).get("jobStatus") == "CANCELLED", "the conflict names the status: %r" % r)
    expect_problem(call("GET", "/api/jobs/%s/results" % job_id), 409, "results of a cancelled job")
    expect_problem(call("POST", "/api/jobs/%s/cancel" % uuid.uuid4()), 404, "cancel an unknown job")

    sub = submit({"jobName": "api-test-%s-delete-running" % RUN, "numMappers": 8})
    running = sub.get("jobId")
    r = call("DELETE", "/api/jobs/" + running)
    expect_problem(r, 409, "delete a running job")
    expect_problem(call("GET", "/api/jobs/%s/results" % running), 409, "results of a running job")
    call("POST", "/api/jobs/%s/cancel" % running)

    r = call("DELETE", "/api/jobs/" + completed_job)
    check(r.status == 204, "delete a completed job: %r" % r)
    expect_problem(call("GET", "/api/jobs/" + completed_job), 404, "a deleted job")
    expect_problem(call("GET", "/api/jobs/%s/tasks" % completed_job), 404, "tasks of a deleted job")
    expect_problem(call("GET", "/api/jobs/%s/results" % completed_job), 404, "results of a deleted job")
    left = psql("SELECT (SELECT count(*) FROM results WHERE job_id = '{0}') + (SELECT count(*) FROM tasks WHERE "
                "job_id = '{0}') + (SELECT count(*) FROM task_attempts WHERE job_id = '{0}') + (SELECT count(*) "
                "FROM reduce_commits WHERE job_id = '{0}')".format(completed_job))
    check(int(left) == 0, "delete removed results, tasks, attempts and commits: %s rows left" % left.strip())
    expect_problem(call("DELETE", "/api/jobs/" + completed_job), 404, "delete a deleted job")
    r = call("DELETE", "/api/jobs/" + job_id)
    check(r.status == 204, "delete a cancelled job: %r" % r)


# ---------------------------------------------------------------- 5. file input and time ranges

def loggen(lines, seed, path, fmt="json"):
    subprocess.run(["java", os.path.join(ROOT, "common/src/test/java/dev/mapreduce/testing/LogGen.java"),
                    "--lines", str(lines), "--seed", str(seed), "--malformed", "0.01", "--format", fmt,
                    "--out", path], check=True, capture_output=True)


def reference(map_function, files):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "integration-tests/reference.py"), "--map", map_function,
                          "--reduce", "SUM", "--format", "jsonl"] + files, capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in out.stdout.splitlines() if line]
    return {k: dec(v) for k, v in rows}


def test_file_input():
    log("5a. file input")
    folder = os.path.join(INPUT_ROOT, "api-test-" + RUN)
    os.makedirs(folder, exist_ok=True)
    try:
        plain = os.path.join(folder, "a.log")
        loggen(30000, 7, plain, "text")
        packed_src = os.path.join(folder, ".b.src")
        loggen(10000, 8, packed_src, "json")
        with open(packed_src, "rb") as src, gzip.open(os.path.join(folder, "b.log.gz"), "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.rename(packed_src, os.path.join(folder, ".hidden-source"))  # hidden files are not input
        files = [plain, os.path.join(folder, "b.log.gz")]
        expected = reference("SERVICE_DISTRIBUTION", files)
        sub = submit({"jobName": "api-test-%s-files" % RUN, "inputPath": "api-test-" + RUN, "numMappers": 4,
                      "mapFunction": "SERVICE_DISTRIBUTION"})
        job = wait_job(sub.get("jobId"))
        check(job["status"] == "COMPLETED", "file job completed: %s" % job.get("error"))
        check(job.get("inputPath") == "api-test-" + RUN and job["counters"]["recordsRead"] == 40000,
              "file job read 40,000 lines: %s" % job.get("counters"))
        got = {k: v for k, v in sql_rows(job["jobId"], "key")}
        check(got == expected, "file job rows = reference.py (%d rows)" % len(expected))
        r = call("POST", "/api/jobs", {"jobName": "x", "inputPath": "api-test-%s/missing.log" % RUN})
        expect_problem(r, 422, "a missing input path")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    log("5b. topic time range")
    topic = "api-test-range-" + RUN
    first = os.path.join(ROOT, ".local", "api-test-first-%s.log" % RUN)
    second = os.path.join(ROOT, ".local", "api-test-second-%s.log" % RUN)
    loggen(3000, 11, first)
    loggen(2000, 12, second)
    try:
        mr = os.path.join(ROOT, "mr")
        subprocess.run([mr, "ingest", "-b", KAFKA, "-t", topic, "-p", "2", first], check=True, capture_output=True)
        time.sleep(0.05)  # record timestamps are milliseconds: keep the boundary off both batches
        boundary = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".%03dZ" % (int(time.time() * 1000) % 1000)
        time.sleep(0.05)
        subprocess.run([mr, "ingest", "-b", KAFKA, "-t", topic, second], check=True, capture_output=True)
        after = wait_job(submit({"jobName": "after", "inputTopic": topic, "from": boundary,
                                 "mapFunction": "LEVEL_COUNT"}).get("jobId"))
        before = wait_job(submit({"jobName": "before", "inputTopic": topic, "to": boundary,
                                  "mapFunction": "LEVEL_COUNT"}).get("jobId"))
        check(after["counters"]["recordsRead"] == 2000, "from=boundary reads the second batch: %s" % after["counters"])
        check(before["counters"]["recordsRead"] == 3000, "to=boundary reads the first batch: %s" % before["counters"])
        check({k: v for k, v in sql_rows(after["jobId"], "key")} == reference("LEVEL_COUNT", [second]),
              "the time-range job's rows = reference.py over the second batch")
        r = call("POST", "/api/jobs", {"jobName": "x", "inputTopic": topic, "from": boundary, "to": boundary})
        expect_problem(r, 400, "from not before to")
    finally:
        for f in (first, second):
            os.path.exists(f) and os.remove(f)


# ---------------------------------------------------------------- 6. hostile input

def hostile_requests():
    """(method, path, body, headers) tuples, every one of them wrong."""
    base = {"jobName": "hostile", "inputTopic": "application-logs", "numMappers": 4, "numReducers": 2,
            "mapFunction": "WORD_COUNT", "reduceFunction": "SUM"}
    reqs = []

    def job(**changes):
        body = dict(base)
        for k, v in changes.items():
            if v is KeyError:
                body.pop(k, None)
            else:
                body[k] = v
        return body

    post = lambda body, headers=None: ("POST", "/api/jobs", body, headers)
    # not JSON, or not a JSON object
    for text in ["", " ", "{", "}", "{\"jobName\":", "{\"jobName\":\"x\",}", "{'jobName':'x'}", "{jobName:\"x\"}",
                 "[]", "[{}]", "null", "true", "42", "\"job\"", "{\"jobName\":\"x\"}{}", "{\"jobName\":NaN}",
                 "{\"jobName\":\"x\" /* c */}", "{\"numMappers\":Infinity,\"jobName\":\"x\"}", "\ufeff{\"jobName\":1}",
                 "{\"jobName\":\"\\ud800\"", "[" * 100000, "{\"a\":" * 50000, "{\"jobName\":\"x\",\"numMappers\":1e999}",
                 "{\"jobName\":\"x\",\"numMappers\":-}", "<job><name>x</name></job>", "jobName=x&numMappers=4"]:
        reqs.append(post(text.encode("utf-8", "surrogatepass")))
    reqs.append(post(b"{\"jobName\":\"\xff\xfe\"}"))
    reqs.append(post(b"{\"jobName\":\"x\"}\x00"))
    # wrong types
    wrong = {"jobName": [1, True, [], {}, None, ""], "inputTopic": [1, True, [], {}, "", "bad topic", "a" * 250, "../x"],
             "numMappers": ["4", True, [], {}, 1.5, "four"], "numReducers": ["2", False, [2], {"n": 2}, 2.5],
             "mapFunction": [1, True, [], {}, ""], "reduceFunction": [1, False, ["SUM"], {}],
             "parameters": ["x", 1, [], True, {"pattern.X": 1}, {"pattern.X": None}, {"pattern.X": ["a"]}],
             "combiner": ["yes", 1, [], {}, "true"], "inputPath": [1, True, [], {}], "from": [1, True, "yesterday",
                                                                                          "2026-13-01T00:00:00Z", []],
             "to": [0, "tomorrow", {}, "2026-11-20 25:00"]}
    for field, values in wrong.items():
        for v in values:
            reqs.append(post(job(**{field: v})))
    # negative and huge numbers
    for field in ("numMappers", "numReducers"):
        for v in (0, -1, -2147483648, 2147483648, 10 ** 10, 10 ** 30, 1025, 100000, 1e308, -1e308):
            reqs.append(post(job(**{field: v})))
    # unknown functions and fields
    for v in ("WORDCOUNT", "WORD_COUNT;DROP TABLE jobs", "../SUM", "COUNT(*)", "SUM' OR '1'='1", "\u0000SUM", "S\u0301UM",
              "x" * 10000):
        reqs.append(post(job(mapFunction=v)))
        reqs.append(post(job(reduceFunction=v)))
    for extra in ({"jobname": "x"}, {"numMapper": 4}, {"__proto__": {}}, {"owner": "admin"}, {"jobId": str(uuid.uuid4())},
                  {"status": "COMPLETED"}):
        body = dict(base)
        body.update(extra)
        reqs.append(post(body))
    reqs.append(post(job(jobName=KeyError)))
    reqs.append(post(job(jobName="x" * 201)))
    reqs.append(post(job(jobName="line\nbreak")))
    reqs.append(post(job(jobName="tab\tname\u0000")))
    # 10 MB bodies
    ten_mb = 10 * 1024 * 1024
    reqs.append(post(json.dumps(job(jobName="x" * ten_mb)).encode()))
    reqs.append(post(b"{" + b" " * ten_mb + b"}"))
    reqs.append(post(json.dumps(job(parameters={"pattern.P%d" % i: "a" * 1000 for i in range(10000)})).encode()))
    reqs.append(("POST", "/api/jobs/%s/cancel" % uuid.uuid4(), b"x" * ten_mb, None))
    # catastrophic and invalid regexes (RE2/J is linear-time: these are rejected for being invalid RE2 or too long)
    for regex in ("(a)\\1", "(?=a)b", "(?!a)b", "(?<=a)b", "a++", "(a{1000}){1000}", "((((a{100}){100}){100}){100})",
                  "x{100000}", "[", "(", "a" * 5000, "(?<n>a)\\k<n>", "\\", "*a", "a**", "(?P<>a)", "[z-a]", "\\p{Nope}"):
        reqs.append(post(job(mapFunction="ERROR_PATTERN", parameters={"pattern.EVIL": regex})))
    reqs.append(post(job(mapFunction="ERROR_PATTERN", parameters={"pattern.bad name!": "a"})))
    reqs.append(post(job(mapFunction="ERROR_PATTERN", parameters={"pattern.X": ""})))
    reqs.append(post(job(mapFunction="WORD_COUNT", parameters={"pattern.X": "a"})))
    reqs.append(post(job(mapFunction="ERROR_PATTERN", parameters={"unknown": "a"})))
    # path traversal in inputPath, and input conflicts
    for path in ("../etc/passwd", "/etc/passwd", "a/../../x", "..", "./..", "../", "x/../../..", "....//....//etc",
                 "a\\..\\..\\etc", "\u0000", "x\u0000y", "~root/.ssh", "file:///etc/passwd", "//etc/passwd",
                 "a/" * 600, "", " ", "api-test-link-%s/passwd" % RUN, "api-test-link-%s" % RUN,
                 "%2e%2e/%2e%2e/etc/passwd", "C:\\Windows\\win.ini", "/proc/self/environ"):
        reqs.append(post(job(inputTopic=KeyError, inputPath=path)))
    reqs.append(post(job(inputPath="x")))  # both inputs
    reqs.append(post(job(inputTopic=KeyError, inputPath="x", **{"from": "2026-11-20T00:00:00Z"})))
    reqs.append(post(job(**{"from": "2026-11-21T00:00:00Z", "to": "2026-11-20T00:00:00Z"})))
    # SQL-looking strings where they cannot be valid
    for s in ("x'; DROP TABLE jobs; --", "1 OR 1=1", "' UNION SELECT * FROM jobs --", "\"; DELETE FROM results; --"):
        reqs.append(post(job(inputTopic=s)))
        reqs.append(("GET", "/api/jobs/" + urllib.parse.quote(s), None, None))
        reqs.append(("GET", "/api/jobs?status=" + urllib.parse.quote(s), None, None))
        reqs.append(("GET", "/api/jobs/%s/results?order=%s" % (uuid.uuid4(), urllib.parse.quote(s)), None, None))
    # headers, methods, paths and query parameters
    for ctype in ("text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data"):
        reqs.append(post(json.dumps(base).encode(), {"Content-Type": ctype}))
    for method, path in (("PUT", "/api/jobs"), ("PATCH", "/api/jobs"), ("DELETE", "/api/jobs"),
                         ("PUT", "/api/jobs/%s" % uuid.uuid4()), ("POST", "/api/workers"), ("POST", "/api/functions"),
                         ("GET", "/api/jobs/%s/cancel" % uuid.uuid4()), ("POST", "/api/jobs/%s/results" % uuid.uuid4())):
        reqs.append((method, path, None, None))
    for path in ("/api/jobs/not-a-uuid", "/api/jobs/%s" % str(uuid.uuid4()).upper(), "/api/jobs/..%2f..%2fetc%2fpasswd",
                 "/api/jobs/%2e%2e/%2e%2e/actuator/env", "/api/jobs/%s/tasks" % uuid.uuid4(), "/api/nope",
                 "/api/jobs/%s/results" % uuid.uuid4(), "/api/jobs/%00", "/api/jobs/" + "a" * 5000,
                 "/api/jobs?limit=0", "/api/jobs?limit=-1", "/api/jobs?limit=201", "/api/jobs?limit=abc",
                 "/api/jobs?limit=99999999999999999999", "/api/jobs?offset=-1", "/api/jobs?offset=x",
                 "/api/jobs?status=DONE", "/api/jobs?status=RUNNING,,X"):
        reqs.append(("GET", path, None, None))
    reqs.append(("DELETE", "/api/jobs/%s" % uuid.uuid4(), None, None))
    reqs.append(("DELETE", "/api/jobs/not-a-uuid", None, None))
    return reqs


def results_param_requests(job_id):
    reqs = []
    for q in ("limit=0", "limit=-5", "limit=x", "limit=1e3", "limit=99999999999999999999", "offset=-1", "offset=x",
              "order=value", "order=VALUE_DESC;DROP", "offset=1.5"):
        reqs.append(("GET", "/api/jobs/%s/results?%s" % (job_id, q), None, None))
    reqs.append(("GET", "/api/jobs/%s/results" % job_id, None, {"Accept": "application/xml"}))
    return reqs


HOLD_DIR = os.environ.get("HOLD_DIR", os.path.join(ROOT, ".local", "holds"))


def hold(marker):
    """Holds the task attempts the marker names after STARTED (integration-tests/lib/holds.sh)."""
    os.makedirs(HOLD_DIR, exist_ok=True)
    open(os.path.join(HOLD_DIR, marker), "w").close()


def release(marker):
    try:
        os.remove(os.path.join(HOLD_DIR, marker))
    except FileNotFoundError:
        pass


def ensure_holds():
    """Restarts each worker that does not run with the hold fault on HOLD_DIR (GET /actuator/info)."""
    want = "hold-dir=" + HOLD_DIR
    for name in ("map-worker-1", "map-worker-2", "reduce-worker-1", "reduce-worker-2"):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", SERVICE_PORTS[name], timeout=5)
            conn.request("GET", "/actuator/info")
            info = json.loads(conn.getresponse().read() or b"{}")
        except (OSError, ValueError):
            info = {}
        if want in info.get("testFaults", []):
            continue
        log("restarting %s with the test-only hold fault (MAPREDUCE_TESTFAULTS_HOLDDIR=%s)" % (name, HOLD_DIR))
        env = dict(os.environ, MAPREDUCE_TESTFAULTS_ENABLED="true", MAPREDUCE_TESTFAULTS_HOLDDIR=HOLD_DIR)
        subprocess.run([os.path.join(ROOT, "setup.sh"), "restart", name], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        deadline = time.time() + 30  # its heartbeats reach the coordinator a moment after it is healthy
        while time.time() < deadline and not any(
                w.get("workerId") == name and w.get("status") == "ALIVE"
                for w in (call("GET", "/api/workers").json() or {}).get("workers", [])):
            time.sleep(0.2)


def healthy(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/actuator/health")
        return conn.getresponse().status == 200
    except OSError:
        return False


def plane_requests():
    """The internal plane and the actuator through the gateway: (method, path, body, headers), none of them served."""
    forged = json.dumps({"jobName": "forged", "inputTopic": "application-logs"}).encode()
    owner = {"Content-Type": "application/json", "X-MapReduce-Owner": "victim", "X-MapReduce-Inputs": "topic:*"}
    reqs = [("GET", path, None, None) for path in (
        "/internal/jobs", "/internal/workers", "/internal/leadership", "/internal/jobs/%s" % uuid.uuid4(),
        "/api/../internal/jobs", "/api/%2e%2e/internal/jobs", "//internal/jobs", "/api/internal/jobs",
        "/api/jobs/%s/../../../internal/leadership" % uuid.uuid4(), "/api/jobs/..%2f..%2finternal%2fjobs",
        "/actuator/env", "/actuator/env/MAPREDUCE_INTERNAL_TOKEN", "/actuator/heapdump", "/actuator/beans",
        "/actuator/configprops", "/actuator/threaddump", "/actuator/mappings", "/actuator/loggers")]
    reqs += [("POST", "/internal/jobs", forged, owner), ("DELETE", "/internal/jobs/%s" % uuid.uuid4(), None, None),
             ("POST", "/actuator/shutdown", None, None),
             ("POST", "/actuator/loggers/ROOT", b'{"configuredLevel":"TRACE"}', {"Content-Type": "application/json"})]
    # the gateway's own headers from a caller, on submits that are wrong anyway: refused for what they are
    for headers in ({"X-MapReduce-Owner": "victim"}, {"X-MapReduce-Inputs": "topic:*,path:*"},
                    {"Authorization": "Bearer " + "0" * 64}, {"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "::1"},
                    {"X-Forwarded-Host": "attacker.example"}, {"X-HTTP-Method-Override": "DELETE"}):
        reqs.append(("POST", "/api/jobs", b'{"jobName":""}', dict(headers, **{"Content-Type": "application/json"})))
    return reqs


def raw_requests(port):
    """Requests no client library would send (header and framing attacks), as bytes."""
    host = "Host: localhost:%d\r\n" % port
    body = b'{"jobName":"raw"}'
    return [
        b"POST /api/jobs HTTP/1.1\r\n" + host.encode() + b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/json\r\n\r\nZZ\r\n\r\n",
        b"POST /api/jobs HTTP/1.1\r\n" + host.encode() + b"Content-Length: 17\r\nContent-Length: 3\r\n"
        b"Content-Type: application/json\r\n\r\n" + body,
        b"GET /api/functions HTTP/1.1\r\n" + host.encode() + b"X Bad: 1\r\n\r\n",
        b"GET /api/functions HTTP/1.1\r\n" + host.encode() + b"X-Big: " + b"a" * 70000 + b"\r\n\r\n",
        b"GET /api/functions HTTP/1.1\r\n" + host.encode() + b"".join(b"X-H%d: 1\r\n" % i for i in range(300)) + b"\r\n",
        b"G@T /api/functions HTTP/1.1\r\n" + host.encode() + b"\r\n",
        b"GET http://attacker.example/api/functions HTTP/1.1\r\n" + host.encode() + b"\r\n",
        b"GET /api/functions HTTP/1.1\r\n" + host.encode() + host.replace("localhost", "attacker.example").encode() + b"\r\n",
        b"GET /api/functions HTTP/1.1\r\n\r\n",
        b"GET /api/functions HTTP/1.1\r\nHost: localhost\x00.attacker.example\r\n\r\n",
        b"GET /api/functions HTTP/1.1\r\n" + host.encode() + b"X-A: a\x00b\r\n\r\n",
        b"GET /api/jobs?" + b"a" * 70000 + b" HTTP/1.1\r\n" + host.encode() + b"\r\n",
        b"POST /api/jobs HTTP/1.1\r\n" + host.encode() + b"Transfer-Encoding: chunked\r\n"
        b"Content-Type: application/json\r\n\r\n5\r\n{\"job\r\n0\r\n\r\n",
        b"POST /api/jobs HTTP/1.1\r\n" + host.encode() + b"Content-Type: application/json\r\nContent-Length: -1\r\n\r\n",
        b"POST /api/jobs HTTP/1.1\r\n" + host.encode() + b"Content-Type: application/json\r\n"
        b"Content-Length: 99999999999999999999\r\n\r\n",
    ]


def raw_send(port, data):
    """The status of the answer to raw bytes, or 'closed' when the server closed without one."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        answer = b""
        try:
            while len(answer) < 65536:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
    first = answer.split(b"\r\n", 1)[0].split()
    return int(first[1]) if len(first) >= 2 and first[1].isdigit() else "closed", answer


def direct_requests():
    """The coordinators' internal API and the services' actuators, straight to their ports, without the token:
    (service, method, path, body, headers)."""
    forged = json.dumps({"jobName": "forged-" + RUN, "inputTopic": "application-logs"}).encode()
    json_owner = {"Content-Type": "application/json", "X-MapReduce-Owner": "victim", "X-MapReduce-Inputs": "topic:*"}
    token = internal_token()
    reqs = []
    for name in ("coordinator-1", "coordinator-2"):
        for method, path in (("GET", "/internal/leadership"), ("GET", "//internal/leadership"),
                             ("GET", "/./internal/leadership"), ("GET", "/x/../internal/leadership"),
                             ("GET", "/internal;x=1/leadership"), ("GET", "/internal/%6ceadership"),
                             ("GET", "/internal"), ("GET", "/internal/"), ("GET", "//internal/jobs"),
                             ("GET", "/internal/jobs?owner=victim"), ("DELETE", "//internal/jobs/%s" % uuid.uuid4())):
            reqs.append((name, method, path, None, None))
        for headers in ({}, {"Authorization": "Bearer " + token + "x"}, {"Authorization": "bearer " + token[:-1]},
                        {"Authorization": "Token " + token}, {"X-API-Key": token},
                        {"Authorization": "Bearer  "}, {"Cookie": "token=" + token}):
            reqs.append((name, "POST", "/internal/jobs", forged, dict(json_owner, **headers)))
        reqs.append((name, "POST", "/internal/jobs?access_token=" + token[:8], forged, json_owner))
    for name in ("coordinator-1", "map-worker-1", "map-worker-2", "reduce-worker-1", "reduce-worker-2"):
        for method, path in (("GET", "/actuator/env"), ("POST", "/actuator/shutdown"), ("GET", "/actuator/heapdump"),
                             ("POST", "/actuator/loggers/ROOT")):
            reqs.append((name, method, path, b'{"configuredLevel":"TRACE"}' if method == "POST" else None,
                         {"Content-Type": "application/json"} if method == "POST" else None))
    return reqs


def test_hostile_input(job_id):
    log("6. hostile input")
    link = os.path.join(INPUT_ROOT, "api-test-link-" + RUN)
    os.makedirs(INPUT_ROOT, exist_ok=True)
    os.symlink("/etc", link)
    try:
        reqs = hostile_requests() + results_param_requests(job_id)
        jobs_before = psql("SELECT count(*) FROM jobs").strip()
        statuses = {}
        bad = []
        pace = 1.0 / 60  # under the gateway's default rate limit (100/s), so each request meets its own check
        for method, path, body, headers in reqs:
            time.sleep(pace)
            try:
                r = call(method, path, body, headers=headers, raw=isinstance(body, bytes), timeout=60)
            except (OSError, http.client.HTTPException) as e:
                # a server may close the connection on a body it refuses before reading it all
                bad.append("%s %s: %s" % (method, path[:80], e)) if not (body and len(body) > 1000000) else None
                statuses["closed"] = statuses.get("closed", 0) + 1
                continue
            statuses[r.status] = statuses.get(r.status, 0) + 1
            if not (400 <= r.status < 500) or not is_problem(r):
                bad.append("%s %s %s -> %r" % (method, path[:80], repr(body)[:80], r))
        log("   %d bad requests: %s" % (len(reqs), dict(sorted(statuses.items(), key=str))))
        check(not any(isinstance(s, int) and s >= 500 for s in statuses), "no 5xx among hostile answers")
        check(not bad, "every hostile request got a 4xx problem detail: %d did not, e.g. %s" % (len(bad), bad[:5]))
        # the internal plane and the actuators, through the gateway and straight to each service; framing and
        # header attacks as raw bytes: never served, never a 5xx, nothing leaked
        token = internal_token()
        plane = {}
        for method, path, body, headers in plane_requests():
            time.sleep(pace)
            r = call(method, path, body, headers=headers, raw=isinstance(body, bytes))
            plane[r.status] = plane.get(r.status, 0) + 1
            check(400 <= r.status < 500 and b'"leader":' not in r.body and token.encode() not in r.body,
                  "the gateway does not serve %s %s: %r" % (method, path[:80], r))
        for data in raw_requests(GATEWAY.port):
            time.sleep(pace)
            status, answer = raw_send(GATEWAY.port, data)
            plane[status] = plane.get(status, 0) + 1
            check(status == "closed" or 400 <= status < 500,
                  "a framing or header attack is refused: %r -> %r" % (data[:60], answer[:200]))
        direct = direct_requests()
        for name, method, path, body, headers in direct:
            r = raw_call(SERVICE_PORTS[name], method, path, headers, body)
            plane[r.status] = plane.get(r.status, 0) + 1
            check(400 <= r.status < 500 and b'"leader":' not in r.body and token.encode() not in r.body,
                  "%s refuses %s %s without the token: %r" % (name, method, path, r))
        more = len(plane_requests()) + len(raw_requests(GATEWAY.port)) + len(direct)
        log("   %d internal-plane, actuator and header attacks: %s" % (more, dict(sorted(plane.items(), key=str))))
        check(len(reqs) + more >= 300, "at least 300 hostile requests: %d" % (len(reqs) + more))
        check(not any(isinstance(s, int) and s >= 500 for s in plane), "no 5xx among the plane and header attacks")
        check(psql("SELECT count(*) FROM jobs").strip() == jobs_before, "no job was created by hostile requests")
        for name, port in SERVICE_PORTS.items():
            check(healthy(port), "%s still healthy after the hostile requests" % name)
        # SQL-looking text where it is valid is stored as text, not run
        r = call("GET", "/api/jobs?name=" + urllib.parse.quote("' OR 1=1 --"))
        check(r.status == 200 and (r.json() or {}).get("total") == 0, "an SQL-looking name filter matches nothing: %r" % r)
        sub = submit({"jobName": "x'); DROP TABLE jobs; --", "numMappers": 1, "numReducers": 1})
        job = wait_job(sub.get("jobId"))
        check(job["jobName"] == "x'); DROP TABLE jobs; --" and job["status"] == "COMPLETED",
              "an SQL-looking job name is just a name")
        # a regex that backtracks exponentially elsewhere is linear in RE2/J
        sub = submit({"jobName": "api-test-%s-re2" % RUN, "mapFunction": "ERROR_PATTERN",
                      "parameters": {"pattern.EVIL": "(a+)+$", "pattern.EVIL2": "(x+x+)+y"}})
        start = time.time()
        job = wait_job(sub.get("jobId"), timeout=120)
        check(job["status"] == "COMPLETED", "a job with (a+)+$ completes: %s in %.1fs" % (job["status"], time.time() - start))
    finally:
        os.remove(link)


# ---------------------------------------------------------------- 7. API keys

KEYS = "alice:alice-key-%s,bob:bob-key-%s,ops:ops-key-%s:admin" % (RUN, RUN, RUN)
ALICE, BOB, OPS = "alice-key-" + RUN, "bob-key-" + RUN, "ops-key-" + RUN


def restart_gateway(extra_env):
    env = dict(os.environ)
    env.pop("MAPREDUCE_API_KEYS", None)
    env.pop("MAPREDUCE_RATE_LIMIT", None)
    env.pop("MAPREDUCE_INPUT_GRANTS", None)
    env.update(extra_env)
    subprocess.run([os.path.join(ROOT, "setup.sh"), "restart", "gateway"], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def test_api_keys():
    log("7. API keys, tenants and the rate limit (gateway restarted with keys)")
    restart_gateway({"MAPREDUCE_API_KEYS": KEYS, "MAPREDUCE_RATE_LIMIT": "30",
                     "MAPREDUCE_INPUT_GRANTS": "alice:topic:application-logs,bob:topic:application-logs"})
    try:
        for path in ("/api/jobs", "/api/workers", "/api/functions", "/api/jobs/%s" % uuid.uuid4()):
            r = call("GET", path)
            expect_problem(r, 401, "GET %s without a key" % path)
            check("apikey" in r.headers.get("www-authenticate", "").lower(), "401 names the scheme: %r" % r.headers)
            expect_problem(call("GET", path, key="wrong"), 401, "GET %s with a wrong key" % path)
        expect_problem(call("POST", "/api/jobs", {"jobName": "x"}), 401, "submit without a key")
        check(call("GET", "/actuator/health").status == 200 and call("GET", "/").status == 200,
              "health and the dashboard page need no key")
        sub = submit({"jobName": "api-test-%s-alice" % RUN, "numMappers": 2}, key=ALICE)
        job_id = sub.get("jobId")
        job = wait_job(job_id, key=ALICE)
        check(job.get("owner") == "alice" and job["status"] == "COMPLETED", "alice's job is hers: %s" % job.get("owner"))
        for method, path in (("GET", "/api/jobs/" + job_id), ("GET", "/api/jobs/%s/tasks" % job_id),
                             ("GET", "/api/jobs/%s/results" % job_id), ("POST", "/api/jobs/%s/cancel" % job_id),
                             ("DELETE", "/api/jobs/" + job_id)):
            expect_problem(call(method, path, key=BOB), 404, "bob: %s %s" % (method, path))
        status, _ = read_events("/api/jobs/%s/events" % job_id, lambda ev: True, key=BOB, timeout=10)
        check(status == 404, "bob: events of alice's job: %s" % status)
        bob_list = call("GET", "/api/jobs?limit=200", key=BOB).json() or {}
        check(all(j.get("owner") == "bob" for j in bob_list.get("jobs", [])) and job_id not in
              [j["jobId"] for j in bob_list.get("jobs", [])], "bob's list holds only bob's jobs")
        alice_list = call("GET", "/api/jobs?limit=200", key=ALICE).json() or {}
        check(job_id in [j["jobId"] for j in alice_list.get("jobs", [])], "alice's list holds her job")
        check(call("GET", "/api/jobs/" + job_id, key=OPS).status == 200, "the admin key sees alice's job")
        check(call("GET", "/api/jobs/%s/results?limit=5" % job_id, key=ALICE).status == 200, "alice reads her results")
        # the rate limit: 30 per second for bob; a burst of 60 must meet 429s with Retry-After
        answers = [call("GET", "/api/functions", key=BOB) for _ in range(60)]
        limited = [r for r in answers if r.status == 429]
        check(limited, "a burst of 60 over a limit of 30/s meets 429: %s" % sorted({r.status for r in answers}))
        check(all(is_problem(r) and int(r.headers.get("retry-after", "0")) >= 1 for r in limited),
              "every 429 is a problem with Retry-After")
        check(call("GET", "/api/functions", key=ALICE).status == 200, "another tenant is not limited by bob's burst")
        deadline = time.time() + 5
        while call("GET", "/api/functions", key=BOB).status == 429 and time.time() < deadline:
            time.sleep(0.2)
        check(call("GET", "/api/functions", key=BOB).status == 200, "bob may call again after the period")
    finally:
        restart_gateway({})
    check(call("GET", "/api/jobs").status == 200, "the gateway is open again without keys")


# ---------------------------------------------------------------- 8. internal plane and headers


def internal_token():
    token = os.environ.get("MAPREDUCE_INTERNAL_TOKEN")
    if token:
        return token
    with open(os.path.join(ROOT, ".local", "internal-token")) as f:
        return f.read().strip()


def raw_call(port, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        resp = conn.getresponse()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


def test_internal_plane_and_headers():
    log("8. internal plane and headers")
    token = internal_token()
    jobs_before = psql("SELECT count(*) FROM jobs").strip()
    forged = json.dumps({"jobName": "api-test-%s-forged" % RUN}).encode()
    for name in ("coordinator-1", "coordinator-2"):
        port = SERVICE_PORTS[name]
        for what, headers in (("no token", {}), ("a wrong token", {"Authorization": "Bearer not-the-token-0123456789"}),
                              ("another scheme", {"Authorization": "Basic " + token})):
            for method, path in (("GET", "/internal/jobs"), ("GET", "/internal/workers"),
                                 ("DELETE", "/internal/jobs/" + str(uuid.uuid4()))):
                r = raw_call(port, method, path, headers)
                check(r.status == 401 and is_problem(r) and r.headers.get("www-authenticate", "").startswith("Bearer"),
                      "%s %s %s with %s: 401 problem, got %r" % (name, method, path, what, r))
            r = raw_call(port, "POST", "/internal/jobs", dict(headers, **{
                "Content-Type": "application/json", "X-MapReduce-Owner": "victim"}), forged)
            check(r.status == 401, "%s: a forged submit with %s is refused: %r" % (name, what, r))
        r = raw_call(port, "GET", "/internal/workers", {"Authorization": "Bearer " + token})
        check(r.status == 200, "%s answers the gateway's token: %r" % (name, r))
        r = raw_call(port, "GET", "/internal/leadership")
        check(r.status == 401 and b"leader" not in r.body, "%s: /internal/leadership needs the token: %r" % (name, r))
        r = raw_call(port, "GET", "/internal/leadership", {"Authorization": "Bearer " + token})
        check(r.status == 200 and "leader" in (r.json() or {}), "%s: leadership with the token: %r" % (name, r))
    for name, port in SERVICE_PORTS.items():
        for path in ("/actuator/env", "/actuator/beans", "/actuator/heapdump", "/actuator/loggers"):
            r = raw_call(port, "GET", path)
            check(r.status in (400, 404), "%s does not expose %s: %r" % (name, path, r))
    check(psql("SELECT count(*) FROM jobs").strip() == jobs_before, "no job was created through the internal API")

    for host in ("attacker.example", "attacker.example:%d" % GATEWAY.port, "127.0.0.1.nip.io"):
        r = raw_call(GATEWAY.port, "GET", "/api/functions", {"Host": host})
        check(r.status == 400 and is_problem(r), "the gateway refuses Host %s: %r" % (host, r))
    r = raw_call(GATEWAY.port, "GET", "/api/functions", {"Host": "localhost:%d" % GATEWAY.port})
    check(r.status == 200, "the gateway answers Host localhost: %r" % r)

    folder = os.path.join(INPUT_ROOT, "api-test-%s-csv" % RUN)
    os.makedirs(folder, exist_ok=True)
    services = {"=1+2": 3, "+cmd": 2, "-5": 1, "@SUM(A1)": 2, "plain-service": 4}
    with open(os.path.join(folder, "logs.jsonl"), "w") as f:
        for service, count in services.items():
            for i in range(count):
                f.write(json.dumps({"timestamp": "2026-11-20T00:00:0%dZ" % i, "level": "INFO",
                                    "service": service, "message": "m"}) + "\n")
    try:
        sub = submit({"jobName": "api-test-%s-csv" % RUN, "inputPath": os.path.basename(folder),
                      "mapFunction": "SERVICE_DISTRIBUTION", "numMappers": 1, "numReducers": 1})
        job = wait_job(sub.get("jobId"))
        check(job["status"] == "COMPLETED", "the CSV job completed: %s" % job["status"])
        r = call("GET", "/api/jobs/%s/results?order=key" % sub.get("jobId"), headers={"Accept": "text/csv"})
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"))))
        expected = [["key", "value"]] + sorted(
            [("'" + k if k[0] in "=+-@" else k), str(v)] for k, v in services.items())
        check(sorted(rows[1:]) == expected[1:] and rows[0] == expected[0],
              "CSV keys that start a formula get a leading ' and values stay numbers: %r" % rows)
        r = call("GET", "/api/jobs/%s/results?order=key" % sub.get("jobId"))
        check({row["key"] for row in (r.json() or {}).get("results", [])} == set(services),
              "JSON keys are unchanged: %r" % r)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

# ---------------------------------------------------------------- 9. three tenants

XT_TENANTS = ("alice", "bob", "carol")
XT_KEYS = {t: "%s-xt-key-%s" % (t, RUN) for t in XT_TENANTS}
XT_ADMIN = "ops-xt-key-" + RUN
XT_BUCKET = "xt-lake-" + RUN


def xt_topic(tenant):
    return "xt-%s-%s" % (tenant, RUN)


def xt_folder(tenant):
    return "xt-%s-%s" % (tenant, RUN)


def xt_settings():
    """Three tenants, each granted its own topic, folder and s3 prefix (carol's topic by a pattern), and an admin."""
    keys = ",".join("%s:%s" % (t, k) for t, k in XT_KEYS.items()) + ",ops:%s:admin" % XT_ADMIN
    grants = []
    for t in XT_TENANTS:
        grants.append("%s:topic:%s" % (t, "xt-carol-*" if t == "carol" else xt_topic(t)))
        grants.append("%s:path:%s" % (t, xt_folder(t)))
        grants.append("%s:s3:s3://%s/%s" % (t, XT_BUCKET, t))
    return {"MAPREDUCE_API_KEYS": keys, "MAPREDUCE_INPUT_GRANTS": ",".join(grants), "MAPREDUCE_RATE_LIMIT": "1000"}


def answer_shape(r, *names):
    """An answer with the names it may hold taken out: status, content type, and the body as JSON."""
    text = r.body.decode("utf-8", "replace")
    for i, name in enumerate(names):
        text = text.replace(name, "<name%d>" % i)
    try:
        body = json.loads(text)
    except ValueError:
        body = text
    return r.status, r.content_type.split(";")[0], body


def mr_cli(key, *args):
    """./mr with MR_API_KEY: (exit code, stdout, stderr)."""
    env = dict(os.environ, MR_GATEWAY=GATEWAY.geturl(), MR_API_KEY=key)
    out = subprocess.run([os.path.join(ROOT, "mr")] + list(args), capture_output=True, text=True, env=env, timeout=120)
    return out.returncode, out.stdout, out.stderr


def cli_shape(answer, *names):
    code, out, err = answer
    for i, name in enumerate(names):
        out, err = out.replace(name, "<name%d>" % i), err.replace(name, "<name%d>" % i)
    return code, out, err


def xt_inputs():
    """Each tenant's topic (2,000 LogGen lines) and folder (a 1,000-line file)."""
    for i, t in enumerate(XT_TENANTS):
        lines = os.path.join(ROOT, ".local", "xt-%s-%s.log" % (t, RUN))
        loggen(2000, 100 + i, lines)
        try:
            subprocess.run([os.path.join(ROOT, "mr"), "ingest", "-b", KAFKA, "-t", xt_topic(t), lines], check=True,
                           capture_output=True)
        finally:
            os.remove(lines)
        folder = os.path.join(INPUT_ROOT, xt_folder(t))
        os.makedirs(folder, exist_ok=True)
        loggen(1000, 200 + i, os.path.join(folder, "app.log"))


def xt_submit(key, **fields):
    body = {"jobName": "xt-%s" % RUN, "numMappers": 2, "numReducers": 1}
    body.update(fields)
    return call("POST", "/api/jobs", body, key=key)


def test_three_tenants():
    """Every endpoint, every input kind, the event streams, CSV and the CLI across three tenants: no tenant reads,
    cancels or deletes another's job or input, and "not granted" answers exactly as "does not exist"."""
    log("9. three tenants: jobs, inputs, streams, CSV and the CLI across tenants (gateway restarted with keys)")
    xt_inputs()
    restart_gateway(xt_settings())
    attempts = 0
    answers = {}
    try:
        # the inputs each may read, by API and CLI
        for t in XT_TENANTS:
            r = call("GET", "/api/inputs", key=XT_KEYS[t])
            got = r.json() or {}
            check(r.status == 200 and got.get("tenant") == t and got.get("all") is False
                  and got.get("paths") == [xt_folder(t)] and got.get("objects") == ["s3://%s/%s" % (XT_BUCKET, t)],
                  "%s: GET /api/inputs lists its own grants only: %r" % (t, r))
            code, out, _ = mr_cli(XT_KEYS[t], "inputs")
            others = [xt_folder(o) for o in XT_TENANTS if o != t]
            check(code == 0 and xt_folder(t) in out and not any(o in out for o in others),
                  "%s: mr inputs prints its grants and no other tenant's: %r" % (t, out))
        admin = call("GET", "/api/inputs", key=XT_ADMIN).json() or {}
        check(admin.get("all") is True, "the admin reads every input: %r" % admin)

        # each tenant's job over its own topic and its own folder
        jobs = {}
        for t in XT_TENANTS:
            r = xt_submit(XT_KEYS[t], inputTopic=xt_topic(t), mapFunction="LEVEL_COUNT")
            check(r.status == 201, "%s submits over its own topic: %r" % (t, r))
            f = xt_submit(XT_KEYS[t], inputPath=xt_folder(t), mapFunction="LEVEL_COUNT")
            check(f.status == 201, "%s submits over its own folder: %r" % (t, f))
            jobs[t] = [(r.json() or {}).get("jobId"), (f.json() or {}).get("jobId")]
        for t in XT_TENANTS:
            for job_id in jobs[t]:
                job = wait_job(job_id, key=XT_KEYS[t])
                check(job["status"] == "COMPLETED" and job.get("owner") == t, "%s's job completed: %s" % (t, job))
        # a running job of bob's, held, for the cancel attempts to meet while it runs
        hold("MAP-0")
        r = xt_submit(XT_KEYS["bob"], inputTopic=xt_topic("bob"), numMappers=4)
        running = (r.json() or {}).get("jobId")
        jobs_before = psql("SELECT owner, count(*) FROM jobs GROUP BY owner ORDER BY owner")

        # every job endpoint, every other tenant's job: the answer to an unknown job, id aside
        endpoints = (("GET", "/api/jobs/%s", {}), ("GET", "/api/jobs/%s/tasks", {}),
                     ("GET", "/api/jobs/%s/results", {}), ("GET", "/api/jobs/%s/results?order=key&limit=5", {}),
                     ("GET", "/api/jobs/%s/results", {"Accept": "text/csv"}),
                     ("GET", "/api/jobs/%s/events", {"Accept": "text/event-stream"}),
                     ("POST", "/api/jobs/%s/cancel", {}), ("DELETE", "/api/jobs/%s", {}))
        for caller in XT_TENANTS:
            for owner in XT_TENANTS:
                if owner == caller:
                    continue
                for job_id in jobs[owner] + ([running] if owner == "bob" else []):
                    for method, path, headers in endpoints:
                        unknown = str(uuid.uuid4())
                        theirs = call(method, path % job_id, headers=headers, key=XT_KEYS[caller], timeout=30)
                        missing = call(method, path % unknown, headers=headers, key=XT_KEYS[caller], timeout=30)
                        attempts += 2
                        answers[theirs.status] = answers.get(theirs.status, 0) + 1
                        check(theirs.status == 404 and answer_shape(theirs, job_id) == answer_shape(missing, unknown),
                              "%s: %s %s of %s's job = an unknown job's answer: %r vs %r"
                              % (caller, method, path, owner, theirs, missing))
            page = call("GET", "/api/jobs?limit=200", key=XT_KEYS[caller]).json() or {}
            listed = {j["jobId"] for j in page.get("jobs", [])}
            check(set(jobs[caller]) <= listed and all(j.get("owner") == caller for j in page.get("jobs", [])),
                  "%s's list holds its own jobs and no other tenant's" % caller)
            other = [o for o in XT_TENANTS if o != caller][0]
            page = call("GET", "/api/jobs?limit=200&owner=" + other, key=XT_KEYS[caller]).json() or {}
            check(all(j.get("owner") == caller for j in page.get("jobs", [])),
                  "%s: ?owner=%s still lists only its own jobs" % (caller, other))
            attempts += 2
        check((call("GET", "/api/jobs/" + running, key=XT_KEYS["bob"]).json() or {}).get("status") == "RUNNING",
              "bob's held job still runs after the others' cancel and delete attempts")
        release("MAP-0")

        # every input kind, every other tenant's input: the answer to a missing input, name aside
        for caller in XT_TENANTS:
            for owner in XT_TENANTS:
                if owner == caller:
                    continue
                kinds = (("inputTopic", xt_topic(owner), "xt-nobody-%s" % uuid.uuid4().hex[:8]),
                         ("inputPath", xt_folder(owner), "xt-nobody-%s" % uuid.uuid4().hex[:8]),
                         ("inputPath", xt_folder(owner) + "/app.log", "xt-nobody-%s/app.log" % uuid.uuid4().hex[:8]),
                         ("inputPath", "./" + xt_folder(owner), "./xt-nobody-%s" % uuid.uuid4().hex[:8]),
                         ("inputPath", "s3://%s/%s/" % (XT_BUCKET, owner), "s3://xt-nobody-%s/x/" % RUN))
                for field, theirs_name, missing_name in kinds:
                    for extra in ({}, {"X-MapReduce-Owner": owner, "X-MapReduce-Inputs": "topic:*,path:*"}):
                        theirs = call("POST", "/api/jobs", {"jobName": "xt", field: theirs_name}, headers=extra,
                                      key=XT_KEYS[caller])
                        missing = call("POST", "/api/jobs", {"jobName": "xt", field: missing_name}, headers=extra,
                                       key=XT_KEYS[caller])
                        attempts += 2
                        answers[theirs.status] = answers.get(theirs.status, 0) + 1
                        check(theirs.status == 422 and answer_shape(theirs, theirs_name)
                              == answer_shape(missing, missing_name),
                              "%s: %s %s of %s%s = a missing one's answer: %r vs %r" % (
                                  caller, field, theirs_name, owner, " (forged headers)" if extra else "", theirs,
                                  missing))
        # carol's pattern grants her topics only
        r = xt_submit(XT_KEYS["carol"], inputTopic=xt_topic("alice"))
        check(r.status == 422, "carol's pattern xt-carol-* does not grant alice's topic: %r" % r)

        # the list stream shows a tenant its own jobs only: bob watches while alice's and carol's jobs run
        seen, subscribed = [], threading.Event()
        sentinel = "xt-sentinel-" + RUN

        def watch():
            _, events = read_events("/api/jobs/events", lambda ev: any(
                e == "job" and d.get("jobName") == sentinel and d.get("status") in TERMINAL for e, d in ev),
                key=XT_KEYS["bob"], timeout=120, on_comment=lambda text: subscribed.set())
            seen.extend(events)
            subscribed.set()

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        check(subscribed.wait(30), "bob's list stream is connected")
        others = [(xt_submit(XT_KEYS[t], inputTopic=xt_topic(t)).json() or {}).get("jobId") for t in ("alice", "carol")]
        for t, job_id in zip(("alice", "carol"), others):
            wait_job(job_id, key=XT_KEYS[t])
        wait_job(running, key=XT_KEYS["bob"])
        xt_submit(XT_KEYS["bob"], jobName=sentinel, inputTopic=xt_topic("bob"))
        watcher.join(timeout=120)
        ids = {d.get("jobId") for e, d in seen if isinstance(d, dict)}
        check(any(d.get("jobName") == sentinel for e, d in seen if isinstance(d, dict)),
              "bob's list stream showed his own job (%d events)" % len(seen))
        check(not ids & set(others + jobs["alice"] + jobs["carol"]),
              "bob's list stream showed none of alice's or carol's jobs")

        # the CLI: another tenant's job and input answer as unknown ones, exit code included
        for caller, owner in (("bob", "alice"), ("carol", "bob"), ("alice", "carol")):
            job_id, unknown = jobs[owner][0], str(uuid.uuid4())
            for command in (["status"], ["results"], ["results", "--csv"], ["cancel"], ["delete"]):
                theirs = mr_cli(XT_KEYS[caller], *(command[:1] + [job_id] + command[1:]))
                missing = mr_cli(XT_KEYS[caller], *(command[:1] + [unknown] + command[1:]))
                attempts += 2
                check(theirs[0] != 0 and cli_shape(theirs, job_id) == cli_shape(missing, unknown),
                      "%s: mr %s on %s's job = on an unknown job: %r vs %r" % (caller, command[0], owner, theirs,
                                                                                missing))
            code, out, _ = mr_cli(XT_KEYS[caller], "list", "--json", "--limit", "200")
            check(code == 0 and job_id not in out, "%s: mr list does not show %s's job" % (caller, owner))
            nobody = "xt-nobody-" + uuid.uuid4().hex[:8]
            theirs = mr_cli(XT_KEYS[caller], "submit", "--name", "xt", "--topic", xt_topic(owner))
            missing = mr_cli(XT_KEYS[caller], "submit", "--name", "xt", "--topic", nobody)
            check(theirs[0] != 0 and cli_shape(theirs, xt_topic(owner)) == cli_shape(missing, nobody),
                  "%s: mr submit over %s's topic = over a missing one: %r vs %r" % (caller, owner, theirs, missing))
            attempts += 4

        # nothing was created, cancelled or deleted by another tenant; the admin sees and reads everything
        for t in XT_TENANTS:
            for job_id in jobs[t]:
                check((call("GET", "/api/jobs/" + job_id, key=XT_KEYS[t]).json() or {}).get("status") == "COMPLETED",
                      "%s's job %s is still there, COMPLETED" % (t, job_id))
                check(call("GET", "/api/jobs/%s/results?limit=5" % job_id, key=XT_ADMIN).status == 200,
                      "the admin reads %s's results" % t)
        check((call("GET", "/api/jobs/" + running, key=XT_KEYS["bob"]).json() or {}).get("status") == "COMPLETED",
              "bob's job that others tried to cancel ran to COMPLETED")
        created = psql("SELECT owner, count(*) FROM jobs GROUP BY owner ORDER BY owner")
        expected = {}
        for line in jobs_before.splitlines():
            o, n = line.split("|")
            expected[o] = int(n)
        for t, n in (("alice", 1), ("bob", 1), ("carol", 1)):  # the stream test's jobs and bob's sentinel
            expected[t] = expected.get(t, 0) + n
        got = {line.split("|")[0]: int(line.split("|")[1]) for line in created.splitlines()}
        check(got == expected, "no job was created by another tenant's attempts: %s, expected %s" % (got, expected))
        r = xt_submit(XT_ADMIN, inputTopic=xt_topic("alice"))
        check(r.status == 201, "the admin may read any tenant's topic: %r" % r)
        wait_job((r.json() or {}).get("jobId"), key=XT_ADMIN)
        log("   %d cross-tenant requests, answers %s" % (attempts, dict(sorted(answers.items()))))
        check(not any(s >= 500 for s in answers), "no 5xx among the cross-tenant attempts")
    finally:
        release("MAP-0")
        restart_gateway({})
        for t in XT_TENANTS:
            shutil.rmtree(os.path.join(INPUT_ROOT, xt_folder(t)), ignore_errors=True)
    check(call("GET", "/api/jobs").status == 200, "the gateway is open again without keys")


def main():
    if not healthy(GATEWAY.port):
        print("ERROR: no gateway at %s (start the stack with ./setup.sh)" % GATEWAY.geturl(), file=sys.stderr)
        return 2
    try:
        ensure_holds()
        test_catalogue_and_cluster()
        job_id = test_job_lifecycle()
        test_hostile_input(job_id)
        test_live_events()
        test_file_input()
        test_cancel_and_delete(job_id)
        test_internal_plane_and_headers()
        if os.environ.get("SKIP_KEYS", "0") != "1":
            test_api_keys()
            test_three_tenants()
    finally:
        release("MAP-0")  # never leave the stack holding work, whatever failed
        release("REDUCE-0")
    print()
    if failures:
        print("test-api: %d of %d checks FAILED" % (len(failures), checks))
        for f in failures:
            print("  - " + f)
        return 1
    print("test-api: all %d checks passed" % checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
