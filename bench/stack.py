#!/usr/bin/env python3
"""The stack benchmark's driver: run it through bench/stack.sh, whose header documents the settings.

It drives the running local stack (./setup.sh) through the gateway, like a user would: each job is
a POST /api/jobs, and it is done when the client sees it COMPLETED. Per job it records the wall
time as the client saw it (from the start of the POST to the first sighting of COMPLETED, by the
gateway's job event stream or by polling GET /api/jobs), the server's own createdAt -> completedAt,
the job's counters (shuffle bytes), the workers' Prometheus counters before and after (time in
Redis and PostgreSQL, task time), each process's peak memory and CPU time, and it checks every
result row against a reference computed by `mr local` on the same file. Everything is written to
.local/bench/<stamp>/ (runs.jsonl: one record per job; summary.md: the tables).
"""

import concurrent.futures
import datetime
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LOGGEN = os.path.join(ROOT, "common/src/test/java/dev/mapreduce/testing/LogGen.java")
TERMINAL = ("COMPLETED", "FAILED", "CANCELLED")
TIERS = {"40k": 40_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
CLK_TCK = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """The benchmark cannot go on (exit 2)."""


def log(message):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), message), file=sys.stderr, flush=True)


def env(name, default):
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_int(name, default, minimum=0):
    text = env(name, str(default))
    try:
        value = int(text)
    except ValueError:
        raise BenchError("%s must be a whole number, got %r" % (name, text))
    if value < minimum:
        raise BenchError("%s must be at least %d, got %d" % (name, minimum, value))
    return value


def env_words(name, default, allowed=None):
    words = env(name, default).replace(",", " ").split()
    if allowed is not None:
        for w in words:
            if w not in allowed:
                raise BenchError("%s: unknown value %r (allowed: %s)" % (name, w, ", ".join(allowed)))
    return words


class Config:
    def __init__(self):
        self.gateway = env("GATEWAY_URL", "http://127.0.0.1:%s" % env("API_GATEWAY_PORT", "8090")).rstrip("/")
        self.api_key = env("MR_API_KEY", env("MAPREDUCE_API_KEY", ""))
        self.kafka = env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:%s" % env("KAFKA_PORT", "9092"))
        self.pg = {"host": env("PG_HOST", "127.0.0.1"), "port": env("PG_PORT", "5432"),
                   "db": env("PG_DATABASE", "mapreduce"), "user": env("POSTGRES_USER", "postgres")}
        self.redis = (env("REDIS_HOST", "127.0.0.1"), env_int("REDIS_PORT", 6379, 1))
        self.ports = {
            "coordinator-1": env("COORDINATOR_PORT", "8080"), "coordinator-2": env("COORDINATOR_2_PORT", "8180"),
            "map-worker-1": env("MAP_WORKER_PORT", "8081"), "map-worker-2": env("MAP_WORKER_2_PORT", "8181"),
            "reduce-worker-1": env("REDUCE_WORKER_PORT", "8082"),
            "reduce-worker-2": env("REDUCE_WORKER_2_PORT", "8182"),
            "api-gateway": env("API_GATEWAY_PORT", "8090"),
        }
        self.profiles = env_words("BENCH_PROFILES", "latency concurrent throughput",
                                  ["latency", "concurrent", "throughput", "peers"])
        self.runs = env_int("BENCH_RUNS", 3, 1)
        self.latency_runs = env_int("BENCH_LATENCY_RUNS", 20, 1)
        self.latency_tier = env("BENCH_LATENCY_TIER", "40k")
        self.warmup = env_int("BENCH_WARMUP", 2)
        self.tiers = env_words("BENCH_TIERS", "1M 10M", list(TIERS))
        self.jobs = env_words("BENCH_JOBS", "WORD_COUNT SERVICE_DISTRIBUTION")
        self.inputs = env_words("BENCH_INPUT", "topic", ["topic", "file"])
        self.mappers = env_int("BENCH_MAPPERS", 4, 1)
        self.reducers = env_int("BENCH_REDUCERS", 2, 1)
        self.partitions = env_int("BENCH_PARTITIONS", 4, 1)
        self.concurrent_jobs = env_int("BENCH_CONCURRENT_JOBS", 10, 1)
        self.concurrent_events = env_int("BENCH_CONCURRENT_EVENTS", 4000, 1)
        self.poll = env_int("BENCH_POLL_MS", 20) / 1000.0
        self.sample = env_int("BENCH_SAMPLE_MS", 100, 10) / 1000.0
        self.reset_hwm = env("BENCH_RESET_HWM", "1") == "1"
        self.timeout = env_int("BENCH_TIMEOUT", 1800, 1)
        self.keep_jobs = env("BENCH_KEEP_JOBS", "0") == "1"
        self.prepare_only = env("BENCH_PREPARE_ONLY", "0") == "1"
        self.topic_prefix = env("BENCH_TOPIC_PREFIX", "bench")
        self.data = os.path.abspath(env("BENCH_DATA", os.path.join(ROOT, ".local/bench-data")))
        self.out_root = os.path.abspath(env("BENCH_OUT", os.path.join(ROOT, ".local/bench")))
        self.input_root = os.path.abspath(env("MAPREDUCE_INPUT_ROOT", os.path.join(ROOT, "data")))
        self.pid_dir = os.path.join(ROOT, ".local/pids")
        self.peers_dir = os.path.abspath(env("PEERS_DIR", os.path.join(ROOT, "../shared/peers")))
        self.peers_tiers = env_words("BENCH_PEERS_TIERS", " ".join(t for t in self.tiers if t in ("1M", "10M"))
                                     or "10M", ["1M", "10M"])
        self.peers_systems = env("PEERS_SYSTEMS", "spark")
        self.mr_local_threads = env_words("BENCH_MR_LOCAL_THREADS", "1")
        self.java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
        self.mr = os.path.join(ROOT, "mr")
        self.mr_jar = os.path.join(ROOT, "cli/target/mr.jar")
        if self.latency_tier not in TIERS:
            raise BenchError("BENCH_LATENCY_TIER must be one of %s" % ", ".join(TIERS))


# ---------------------------------------------------------------------------------------------
# statistics


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() if text else None


# ---------------------------------------------------------------------------------------------
# the machine and the processes of the stack


def machine_info(cfg):
    def first(path, prefix):
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith(prefix):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "?"

    java = subprocess.run([cfg.java, "-version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    git = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    mem_kb = int(first("/proc/meminfo", "MemTotal").split()[0]) if first("/proc/meminfo", "MemTotal") != "?" else 0
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "host": " ".join(platform.uname()[i] for i in (0, 2, 4)),
        "nproc": os.cpu_count(),
        "cpu": first("/proc/cpuinfo", "model name"),
        "ram": "%.1f GiB" % (mem_kb / 1024 / 1024),
        "java": " / ".join(l.strip() for l in java.stdout.splitlines()[:2]),
        "commit": git.stdout.strip() or "?",
        "load": " ".join(open("/proc/loadavg").read().split()[:3]),
    }


class Processes:
    """The stack's processes from .local/pids/<name>.pid: memory (VmRSS, VmHWM) and CPU time."""

    def __init__(self, pid_dir):
        self.pids = {}
        if os.path.isdir(pid_dir):
            for entry in sorted(os.listdir(pid_dir)):
                if not entry.endswith(".pid"):
                    continue
                try:
                    pid = int(open(os.path.join(pid_dir, entry)).read().strip())
                except (OSError, ValueError):
                    continue
                if os.path.exists("/proc/%d/status" % pid):
                    self.pids[entry[:-4]] = pid
        self.can_reset = False

    @staticmethod
    def status(pid):
        out = {}
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith(("VmRSS:", "VmHWM:")):
                        out[line[:5]] = int(line.split()[1])
        except OSError:
            pass
        return out

    @staticmethod
    def cpu_seconds(pid):
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime
        except (OSError, IndexError, ValueError):
            return None

    def hwm(self):
        return {name: self.status(pid).get("VmHWM") for name, pid in self.pids.items()}

    def rss(self):
        return {name: self.status(pid).get("VmRSS") for name, pid in self.pids.items()}

    def cpu(self):
        return {name: self.cpu_seconds(pid) for name, pid in self.pids.items()}

    def reset_hwm(self):
        """Resets each process's VmHWM to its current RSS (clear_refs 5, Linux 4.0+); False if not allowed."""
        ok = True
        for pid in self.pids.values():
            try:
                with open("/proc/%d/clear_refs" % pid, "w") as f:
                    f.write("5")
            except OSError:
                ok = False
        return ok


def machine_busy_seconds():
    """CPU seconds the whole machine spent busy (all CPUs; /proc/stat), to tell how much else ran."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


def redis_used_memory(host, port):
    try:
        with socket.create_connection((host, port), timeout=1) as s:
            s.sendall(b"INFO memory\r\n")
            data = b""
            while b"used_memory:" not in data or not data.endswith(b"\r\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                if len(data) > 1 << 20:
                    break
        m = re.search(rb"used_memory:(\d+)", data)
        return int(m.group(1)) if m else None
    except OSError:
        return None


class Sampler(threading.Thread):
    """Samples every process's VmRSS (and Redis' used_memory) while a window is open; keeps the maxima."""

    def __init__(self, processes, cfg):
        super().__init__(daemon=True, name="rss-sampler")
        self.processes = processes
        self.cfg = cfg
        self.lock = threading.Lock()
        self.window = None

    def open(self):
        with self.lock:
            self.window = {"rss": {}, "redis": None, "redisStart": redis_used_memory(*self.cfg.redis), "samples": 0}

    def close(self):
        with self.lock:
            w, self.window = self.window, None
        return w

    def run(self):
        while True:
            time.sleep(self.cfg.sample)
            with self.lock:
                w = self.window
            if w is None:
                continue
            rss = self.processes.rss()
            used = redis_used_memory(*self.cfg.redis)
            with self.lock:
                if self.window is not w:
                    continue
                for name, kb in rss.items():
                    if kb is not None and kb > w["rss"].get(name, 0):
                        w["rss"][name] = kb
                if used is not None and (w["redis"] is None or used > w["redis"]):
                    w["redis"] = used
                w["samples"] += 1


# ---------------------------------------------------------------------------------------------
# Prometheus metrics of the services

METRIC_LINE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)")
TYPE_LABEL = re.compile(r'\btype="([^"]*)"')


def scrape(port):
    """The mapreduce_* and GC pause series of one service, summed over all labels but `type`."""
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=5)
    try:
        conn.request("GET", "/actuator/prometheus", headers={"Accept": "text/plain"})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        if response.status != 200:
            return None
    except OSError:
        return None
    finally:
        conn.close()
    values = {}
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        m = METRIC_LINE.match(line)
        if not m:
            continue
        name = m.group(1)
        if not (name.startswith("mapreduce_") or name.startswith("jvm_gc_pause_seconds")):
            continue
        if name.endswith("_bucket") or name.endswith("_max"):
            continue
        t = TYPE_LABEL.search(m.group(2) or "")
        key = name + ("{%s}" % t.group(1) if t else "")
        try:
            values[key] = values.get(key, 0.0) + float(m.group(3))
        except ValueError:
            pass
    return values


class Metrics:
    def __init__(self, cfg, processes):
        self.services = {n: p for n, p in cfg.ports.items() if n in processes.pids}

    def snapshot(self):
        with concurrent.futures.ThreadPoolExecutor(len(self.services) or 1) as pool:
            futures = {n: pool.submit(scrape, p) for n, p in self.services.items()}
            return {n: f.result() for n, f in futures.items()}

    @staticmethod
    def delta(before, after):
        """{service: {series: after - before}} for the services that answered both times."""
        out = {}
        for name, a in after.items():
            b = before.get(name)
            if a is None or b is None:
                continue
            out[name] = {k: v - b.get(k, 0.0) for k, v in a.items() if v - b.get(k, 0.0) != 0}
        return out

    @staticmethod
    def total(delta, series):
        return sum(d.get(series, 0.0) for d in delta.values())


def summarize_metrics(delta):
    t = Metrics.total
    gc = {name: round(d.get("jvm_gc_pause_seconds_sum", 0.0), 3) for name, d in delta.items()}
    return {
        "redisWriteSeconds": t(delta, "mapreduce_shuffle_write_seconds_sum"),
        "redisWrites": int(t(delta, "mapreduce_shuffle_write_seconds_count")),
        "redisReadSeconds": t(delta, "mapreduce_shuffle_read_seconds_sum"),
        "redisReads": int(t(delta, "mapreduce_shuffle_read_seconds_count")),
        "pgCommitSeconds": t(delta, "mapreduce_reduce_commit_seconds_sum"),
        "pgCommits": int(t(delta, "mapreduce_reduce_commit_seconds_count")),
        "mapTaskSeconds": t(delta, "mapreduce_task_duration_seconds_sum{map}"),
        "reduceTaskSeconds": t(delta, "mapreduce_task_duration_seconds_sum{reduce}"),
        "mapTasksCompleted": int(t(delta, "mapreduce_tasks_completed_total{map}")),
        "reduceTasksCompleted": int(t(delta, "mapreduce_tasks_completed_total{reduce}")),
        "shuffleBytesMetric": int(t(delta, "mapreduce_shuffle_bytes_total{map}")),
        "rowsWritten": int(t(delta, "mapreduce_results_rows_written_total")),
        "gcPauseSeconds": gc,
    }


# ---------------------------------------------------------------------------------------------
# the gateway


class Gateway:
    """Calls to the public API; one keep-alive connection per thread."""

    def __init__(self, base, api_key):
        parsed = urllib.parse.urlsplit(base)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise BenchError("GATEWAY_URL must be an http(s) URL, got %r" % base)
        self.parsed = parsed
        self.prefix = parsed.path.rstrip("/")
        self.headers = {"X-API-Key": api_key} if api_key else {}
        self.local = threading.local()

    def connect(self, timeout=60):
        cls = http.client.HTTPSConnection if self.parsed.scheme == "https" else http.client.HTTPConnection
        return cls(self.parsed.hostname, self.parsed.port, timeout=timeout)

    def call(self, method, path, body=None, timeout=60):
        """(status, parsed JSON or None); a 429/503 is retried after its Retry-After."""
        data = json.dumps(body).encode() if body is not None else None
        headers = dict(self.headers, Accept="application/json")
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(20):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = self.connect(timeout)
            try:
                conn.request(method, self.prefix + path, body=data, headers=headers)
                response = conn.getresponse()
                text = response.read()
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                self.local.conn = None
                if attempt >= 2:
                    return 0, {"detail": "no answer from the gateway: %s" % e}
                time.sleep(0.2)
                continue
            if response.status in (429, 503) and response.getheader("Retry-After"):
                time.sleep(min(float(response.getheader("Retry-After")), 5))
                continue
            try:
                return response.status, json.loads(text) if text else None
            except ValueError:
                return response.status, {"detail": text[:300].decode("utf-8", "replace")}
        return 429, {"detail": "still rate limited after 20 tries"}


class Watcher:
    """Notes the first moment the client sees each job in a terminal state, by two independent means:
    the gateway's job list event stream (GET /api/jobs/events, pushed) and polling GET /api/jobs with
    the batch's name filter every BENCH_POLL_MS (one request per poll, whatever the number of jobs)."""

    def __init__(self, gateway, poll_seconds):
        self.gateway = gateway
        self.poll_seconds = poll_seconds
        self.lock = threading.Condition()
        self.seen = {}  # jobId -> {"status", "stream", "poll"}
        self.name_filter = None
        self.stream_up = threading.Event()
        self.stopping = False
        threading.Thread(target=self.stream, daemon=True, name="sse").start()
        if poll_seconds > 0:
            threading.Thread(target=self.poll, daemon=True, name="poll").start()

    def note(self, job_id, status, how, at):
        if status not in TERMINAL:
            return
        with self.lock:
            entry = self.seen.setdefault(job_id, {"status": status})
            if how not in entry:
                entry[how] = at
            self.lock.notify_all()

    def stream(self):
        while not self.stopping:
            conn = self.gateway.connect(timeout=60)
            try:
                conn.request("GET", self.gateway.prefix + "/api/jobs/events",
                             headers=dict(self.gateway.headers, Accept="text/event-stream"))
                response = conn.getresponse()
                if response.status != 200:
                    raise OSError("HTTP %d" % response.status)
                self.stream_up.set()
                event, data = None, []
                while not self.stopping:
                    raw = response.fp.readline()
                    if not raw:
                        break
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip(" "))
                    elif line == "":
                        if event == "job" and data:
                            at = time.time()
                            try:
                                entry = json.loads("\n".join(data))
                                self.note(entry.get("jobId"), entry.get("status"), "stream", at)
                            except ValueError:
                                pass
                        event, data = None, []
            except (OSError, http.client.HTTPException):
                pass
            finally:
                self.stream_up.clear()
                conn.close()
            if not self.stopping:
                time.sleep(0.5)

    def poll(self):
        while not self.stopping:
            name = self.name_filter
            if name is None:
                time.sleep(self.poll_seconds)
                continue
            started = time.time()
            status, answer = self.gateway.call("GET", "/api/jobs?limit=200&name=" + urllib.parse.quote(name))
            at = time.time()
            if status == 200 and isinstance(answer, dict):
                for entry in answer.get("jobs", []):
                    self.note(entry.get("jobId"), entry.get("status"), "poll", at)
            time.sleep(max(0.0, self.poll_seconds - (time.time() - started)))

    def wait(self, job_ids, deadline, both=False):
        """Waits until every job was seen ended (by both means if `both`); returns the sightings."""
        ways = ["stream"] + (["poll"] if self.poll_seconds > 0 else [])
        with self.lock:
            while True:
                missing = [j for j in job_ids if j not in self.seen
                           or (both and any(w not in self.seen[j] for w in ways))]
                if not missing:
                    return {j: dict(self.seen[j]) for j in job_ids}
                left = deadline - time.time()
                if left <= 0:
                    raise TimeoutError("%d job(s) not ended in time: %s" % (len(missing), ", ".join(missing)))
                self.lock.wait(min(left, 1.0))


# ---------------------------------------------------------------------------------------------
# data: files, references, topics


def run(args, what, **kwargs):
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
    if result.returncode != 0:
        raise BenchError("%s failed (exit %d):\n%s" % (what, result.returncode, result.stdout[-2000:]))
    return result.stdout


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Data:
    """The cache folder: LogGen files (generated once), their references and their topics."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.cross_checks = set()
        os.makedirs(cfg.data, exist_ok=True)

    def generate(self, name, lines, seed=42, fmt="json", malformed="0"):
        path = os.path.join(self.cfg.data, name)
        if not os.path.exists(path):
            log("generating %s (LogGen --lines %d --format %s --seed %d --malformed %s)" % (
                path, lines, fmt, seed, malformed))
            started = time.time()
            run([self.cfg.java, LOGGEN, "--lines", str(lines), "--format", fmt, "--seed", str(seed),
                 "--malformed", malformed, "--out", path + ".tmp"], "LogGen for %s" % name)
            os.replace(path + ".tmp", path)
            log("generated %s in %.1f s" % (name, time.time() - started))
        return path

    def tier(self, tier):
        # the peers' file names and arguments: PEERS_DATA can point here and reuse the same files
        return self.generate("logs-%s.jsonl" % tier, TIERS[tier])

    def concurrent(self):
        """One distinct file per concurrent job: JSON and text lines by turns, 1% malformed."""
        paths = []
        for i in range(self.cfg.concurrent_jobs):
            fmt = "json" if i % 2 == 0 else "text"
            paths.append(self.generate("logs-c%d-%02d.%s" % (self.cfg.concurrent_events, i, "jsonl" if fmt == "json"
                                                             else "log"),
                                       self.cfg.concurrent_events, seed=1000 + i, fmt=fmt, malformed="0.01"))
        return paths

    def reference(self, path, function):
        """Expected rows of `function`/SUM on the file, from `mr local` (cached beside the file)."""
        base = "%s.%s.ref" % (path, function)
        meta_path = base + ".json"
        if os.path.exists(meta_path) and os.path.getmtime(meta_path) >= os.path.getmtime(path):
            with open(meta_path) as f:
                meta = json.load(f)
            if meta.get("crossCheck"):
                self.cross_checks.add("%s on %s %s" % (function, os.path.basename(path), meta["crossCheck"]))
            return meta
        log("reference: mr local %s on %s" % (function, os.path.basename(path)))
        output = run([self.cfg.mr, "local", "-i", path, "-m", function, "-r", "SUM", "-o", base + ".tsv"],
                     "mr local %s %s" % (function, path))
        counters = {}
        for line in output.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].lstrip("-").isdigit():
                counters[parts[0]] = int(parts[1])
        keys, total = 0, 0
        md5 = hashlib.md5()
        sha = hashlib.sha256()
        with open(base + ".tsv", "rb") as f:
            for line in f:
                md5.update(line)
                sha.update(line)
                keys += 1
                total += int(line.rsplit(b"\t", 1)[1])
        meta = {"function": function, "keys": keys, "total": total, "md5": md5.hexdigest(),
                "sha256": sha.hexdigest(), "recordsRead": counters.get("recordsRead"),
                "malformedRecords": counters.get("malformedRecords")}
        meta["crossCheck"] = self.peers_cross_check(path, function, meta["sha256"])
        if meta["crossCheck"]:
            self.cross_checks.add("%s on %s %s" % (function, os.path.basename(path), meta["crossCheck"]))
        with open(meta_path, "w") as f:
            json.dump(meta, f)
        return meta

    def peers_cross_check(self, path, function, sha):
        """The peers' verified 1M outputs (../shared/peers/reference/SHA256SUMS) must equal our reference."""
        sums = os.path.join(self.cfg.peers_dir, "reference/SHA256SUMS")
        if os.path.basename(path) != "logs-1M.jsonl" or not os.path.exists(sums):
            return None
        wanted = "%s-1M.tsv" % function.lower()
        for line in open(sums):
            parts = line.split()
            if len(parts) >= 2 and parts[1] == wanted:
                if parts[0] != sha:
                    raise BenchError("the reference of %s on %s (sha256 %s) differs from the peers' verified %s (%s)"
                                     % (function, path, sha[:16], wanted, parts[0][:16]))
                return "equals the peers' verified %s" % wanted
        return None

    def topic(self, name, path, lines):
        """A topic holding exactly the file's lines: reused when it holds `lines` records, else ingested."""
        empty = os.path.join(self.cfg.data, "empty.txt")
        open(empty, "a").close()
        base = [self.cfg.mr, "ingest", "--bootstrap-servers", self.cfg.kafka, "--topic", name,
                "--partitions", str(self.cfg.partitions), "--if-empty"]
        # --if-empty on a topic with records prints their number and ingests nothing; on a missing or
        # empty topic it creates it and ingests the empty file
        out = run(base + [empty], "mr ingest (count of %s)" % name)
        m = re.search(r"already holds (\d+) records", out)
        held = int(m.group(1)) if m else 0
        if held == lines:
            return name
        if held != 0:
            raise BenchError("topic %s holds %d records, not %d; BENCH_TOPIC_PREFIX=... names fresh topics"
                             % (name, held, lines))
        log("ingesting %s into topic %s (%d partitions)" % (os.path.basename(path), name, self.cfg.partitions))
        log(run(base + [path], "mr ingest %s" % name).strip().splitlines()[-1])
        m = re.search(r"already holds (\d+) records", run(base + [empty], "mr ingest (count of %s)" % name))
        if not m or int(m.group(1)) != lines:
            raise BenchError("topic %s does not hold %d records after the ingest" % (name, lines))
        return name

    def input_path(self, path):
        """The file under the stack's input root (a hard link, else a copy), as an inputPath."""
        folder = os.path.join(self.cfg.input_root, "bench")
        os.makedirs(folder, exist_ok=True)
        target = os.path.join(folder, os.path.basename(path))
        if not (os.path.exists(target) and os.path.samefile(target, path)):
            if os.path.exists(target) and os.path.getsize(target) == os.path.getsize(path) \
                    and os.path.getmtime(target) >= os.path.getmtime(path):
                return "bench/" + os.path.basename(path)
            if os.path.exists(target):
                os.remove(target)
            try:
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target + ".tmp")
                os.replace(target + ".tmp", target)
        return "bench/" + os.path.basename(path)


# ---------------------------------------------------------------------------------------------
# PostgreSQL: the check of a job's rows


def psql(cfg, sql):
    return run(["psql", "-h", cfg.pg["host"], "-p", cfg.pg["port"], "-U", cfg.pg["user"], "-d", cfg.pg["db"],
                "-X", "-q", "-t", "-A", "-F", "|", "-c", sql], "psql").strip()


def check_rows(cfg, job_id, view, ref):
    """Problems with the job's committed rows and counters against the reference (empty: exact)."""
    problems = []
    if not re.fullmatch(r"[0-9a-fA-F-]{36}", job_id):
        return ["not a job id: %r" % job_id]
    line = psql(cfg, (
        "SELECT count(*), coalesce(sum(result_value), 0), "
        "md5(coalesce(string_agg(result_key || E'\\t' || result_value::text || E'\\n', '' "
        "ORDER BY result_key COLLATE \"C\"), '')) FROM results WHERE job_id = '%s'") % job_id)
    rows, total, md5 = line.split("|")
    if int(rows) != ref["keys"]:
        problems.append("%s rows, expected %d" % (rows, ref["keys"]))
    if int(float(total)) != ref["total"]:
        problems.append("sum of values %s, expected %d" % (total, ref["total"]))
    if md5 != ref["md5"] and not problems:
        problems.append("same count and sum but different rows (md5 %s, expected %s)" % (md5, ref["md5"]))
    counters = view.get("counters") or {}
    for name in ("recordsRead", "malformedRecords"):
        if ref.get(name) is not None and counters.get(name) != ref[name]:
            problems.append("counters.%s is %s, expected %s" % (name, counters.get(name), ref[name]))
    return problems


# ---------------------------------------------------------------------------------------------
# running jobs


class Bench:
    def __init__(self, cfg):
        self.cfg = cfg
        self.stamp = time.strftime("%Y%m%dT%H%M%S")
        self.out = os.path.join(cfg.out_root, self.stamp)
        self.gateway = Gateway(cfg.gateway, cfg.api_key)
        self.processes = Processes(cfg.pid_dir)
        self.metrics = Metrics(cfg, self.processes)
        self.data = Data(cfg)
        self.batches = 0
        self.results = {"latency": [], "concurrent": [], "throughput": [], "warmup": [], "peers": None}

    def start(self):
        status, answer = self.gateway.call("GET", "/api/functions", timeout=10)
        if status != 200:
            raise BenchError("GET %s/api/functions answered HTTP %s (%s); is the stack up (./setup.sh, or "
                             "bench/stack.sh --start) and GATEWAY_URL right?" % (
                                 self.cfg.gateway, status, (answer or {}).get("detail", "")))
        os.makedirs(self.out, exist_ok=True)
        self.records = open(os.path.join(self.out, "runs.jsonl"), "w")
        if not self.processes.pids:
            log("no running process found in %s: memory and CPU are not measured" % self.cfg.pid_dir)
        missing = [n for n in self.cfg.ports if n not in self.processes.pids]
        if missing:
            log("not running (per .local/pids): %s" % ", ".join(missing))
        self.lifetime_hwm = self.processes.hwm()  # before any reset: the peak since each process started
        self.processes.can_reset = self.cfg.reset_hwm and self.processes.reset_hwm()
        if self.cfg.reset_hwm and not self.processes.can_reset:
            log("cannot write /proc/<pid>/clear_refs: per-job peak memory is the sampled RSS only")
        self.sampler = Sampler(self.processes, self.cfg)
        self.sampler.start()
        self.watcher = Watcher(self.gateway, self.cfg.poll)
        if not self.watcher.stream_up.wait(10):
            log("the job event stream did not open within 10 s; relying on polling")
        log("results -> %s" % self.out)

    def run_batch(self, profile, specs, label):
        """Submits every spec at once, waits for all to end, and measures and checks them."""
        self.batches += 1
        tag = "bench-%s-b%04d-" % (self.stamp, self.batches)
        for i, s in enumerate(specs):
            s["jobName"] = "%s%02d" % (tag, i)
        self.watcher.name_filter = tag
        before = self.metrics.snapshot()
        if self.processes.can_reset:
            self.processes.reset_hwm()
        cpu_before = self.processes.cpu()
        busy_before = machine_busy_seconds()
        self.sampler.open()
        release = threading.Barrier(len(specs))

        def submit(s):
            body = {"jobName": s["jobName"], "numMappers": s["mappers"], "numReducers": s["reducers"],
                    "mapFunction": s["function"], "reduceFunction": "SUM", s["inputKind"]: s["input"]}
            release.wait()
            s["postAt"] = time.time()
            status, answer = self.gateway.call("POST", "/api/jobs", body)
            s["answerAt"] = time.time()
            if status // 100 == 2 and isinstance(answer, dict) and answer.get("jobId"):
                s["jobId"] = answer["jobId"]
            else:
                s["error"] = "submit: HTTP %d: %s" % (status, json.dumps(answer)[:300])

        with concurrent.futures.ThreadPoolExecutor(len(specs)) as pool:
            for f in [pool.submit(submit, s) for s in specs]:
                f.result()
        first_post = min(s["postAt"] for s in specs)
        ids = [s["jobId"] for s in specs if "jobId" in s]
        try:
            seen = self.watcher.wait(ids, first_post + self.cfg.timeout)
        except TimeoutError as e:
            seen = {j: dict(self.watcher.seen.get(j, {})) for j in ids}
            for s in specs:
                if "jobId" in s and s["jobId"] not in self.watcher.seen:
                    s["error"] = str(e)
        window = self.sampler.close()
        cpu_after = self.processes.cpu()
        busy = machine_busy_seconds() - busy_before
        hwm = self.processes.hwm() if self.processes.can_reset else {}
        try:  # the other means' sighting too, for the report (not timed: the job has ended)
            seen = self.watcher.wait(ids, time.time() + 2, both=True)
        except TimeoutError:
            seen = {j: dict(self.watcher.seen.get(j, {})) for j in ids}
        self.watcher.name_filter = None

        for s in specs:
            if "jobId" not in s:
                continue
            sighting = seen.get(s["jobId"], {})
            times = [t for t in (sighting.get("stream"), sighting.get("poll")) if t]
            s["status"] = sighting.get("status")
            s["seenAt"] = min(times) if times else None
            s["clientSeconds"] = s["seenAt"] - s["postAt"] if s["seenAt"] else None
            s["streamSeconds"] = sighting["stream"] - s["postAt"] if sighting.get("stream") else None
            s["pollSeconds"] = sighting["poll"] - s["postAt"] if sighting.get("poll") else None
            status, view = self.gateway.call("GET", "/api/jobs/" + s["jobId"])
            s["view"] = view if status == 200 else {}
        after, expect_maps, expect_reduces = self.wait_for_metrics(before, specs)
        delta = Metrics.delta(before, after)
        for s in specs:
            self.finish_job(s)
        done = [s for s in specs if s.get("status") == "COMPLETED"]
        batch = {
            "profile": profile, "label": label, "tag": tag, "jobs": len(specs),
            "events": sum(s["events"] for s in specs),
            "completed": len(done),
            "exact": all(s.get("check") == [] for s in specs),
            "problems": ["%s: %s" % (s.get("jobId", s["jobName"]), "; ".join(s.get("check") or [s.get("error", "")]))
                         for s in specs if s.get("check") != []],
            "wallSeconds": (max(s["seenAt"] for s in done) - first_post) if len(done) == len(specs) else None,
            "serverWallSeconds": self.server_wall(done) if len(done) == len(specs) else None,
            "metrics": summarize_metrics(delta),
            "metricsComplete": expect_maps and expect_reduces,
            "peakRssKb": hwm,
            "sampledRssKb": window["rss"] if window else {},
            "rssSamples": window["samples"] if window else 0,
            "redisUsedMemoryGrowth": (window["redis"] - window["redisStart"])
            if window and window["redis"] is not None and window["redisStart"] is not None else None,
            "cpuSeconds": {n: round(cpu_after[n] - cpu_before[n], 2) for n in cpu_after
                           if cpu_after.get(n) is not None and cpu_before.get(n) is not None},
            "machineBusySeconds": round(busy, 2),
            "jobList": [{k: s.get(k) for k in ("jobId", "jobName", "function", "inputKind", "input", "events",
                                              "status", "clientSeconds", "streamSeconds", "pollSeconds",
                                              "serverSeconds", "queueSeconds", "mapSeconds", "reduceSeconds",
                                              "shuffleBytes", "mapTaskSeconds", "reduceTaskSeconds", "dispatchSeconds",
                                              "check", "error")} for s in specs],
        }
        self.records.write(json.dumps(batch) + "\n")
        self.records.flush()
        walls = ", ".join("%.3f s" % s["clientSeconds"] if s.get("clientSeconds") is not None else "-"
                          for s in specs[:3]) + (", ..." if len(specs) > 3 else "")
        log("%s %s: %s; wall %s; %s" % (
            profile, label, "exact" if batch["exact"] else "PROBLEMS: " + " | ".join(batch["problems"])[:500],
            "%.3f s" % batch["wallSeconds"] if batch["wallSeconds"] is not None else "-", walls))
        return batch

    def wait_for_metrics(self, before, specs):
        """Scrapes until the workers' completed-task counters account for every task of the batch (they are
        updated just before the task reports), at most 10 s."""
        maps = sum(int(s["view"].get("totalMapTasks") or 0) for s in specs if s.get("view"))
        reduces = sum(int(s["view"].get("totalReduceTasks") or 0) for s in specs if s.get("view"))
        deadline = time.time() + 10
        while True:
            after = self.metrics.snapshot()
            d = Metrics.delta(before, after)
            got_maps = Metrics.total(d, "mapreduce_tasks_completed_total{map}") >= maps
            got_reduces = Metrics.total(d, "mapreduce_tasks_completed_total{reduce}") >= reduces
            if (got_maps and got_reduces) or time.time() > deadline:
                return after, got_maps, got_reduces
            time.sleep(0.05)

    @staticmethod
    def server_wall(done):
        created = [instant(s["view"].get("createdAt")) for s in done]
        completed = [instant(s["view"].get("completedAt")) for s in done]
        if None in created or None in completed:
            return None
        return max(completed) - min(created)

    def finish_job(self, s):
        view = s.get("view") or {}
        created, started = instant(view.get("createdAt")), instant(view.get("startedAt"))
        map_done, completed = instant(view.get("mapCompletedAt")), instant(view.get("completedAt"))
        s["serverSeconds"] = completed - created if created and completed else None
        s["queueSeconds"] = started - created if created and started else None
        s["mapSeconds"] = map_done - (started or created) if map_done and (started or created) else None
        s["reduceSeconds"] = completed - map_done if completed and map_done else None
        s["shuffleBytes"] = (view.get("counters") or {}).get("shuffleBytes")
        if "jobId" not in s:
            return
        self.task_times(s)
        if s.get("status") != "COMPLETED" or view.get("status") != "COMPLETED":
            s["check"] = ["ended %s: %s" % (view.get("status") or s.get("status"), view.get("error")
                                             or s.get("error") or "no error given")]
        else:
            try:
                s["check"] = check_rows(self.cfg, s["jobId"], view, s["reference"])
            except BenchError as e:
                s["check"] = ["could not check the rows: %s" % e]
        if not self.cfg.keep_jobs and view.get("status") in TERMINAL:
            status, answer = self.gateway.call("DELETE", "/api/jobs/" + s["jobId"])
            if status != 204:
                log("could not delete job %s: HTTP %d %s" % (s["jobId"], status, answer))

    def task_times(self, s):
        """Medians over the job's successful attempts: run time of map and reduce attempts, and the dispatch
        delay (queuedAt -> startedAt: from the task message to a worker starting it)."""
        status, doc = self.gateway.call("GET", "/api/jobs/%s/tasks" % s["jobId"])
        if status != 200 or not isinstance(doc, dict):
            return
        runs = {"MAP": [], "REDUCE": []}
        dispatch = []
        for task in doc.get("tasks", []):
            for a in task.get("attempts", []):
                if a.get("status") != "SUCCEEDED":
                    continue
                if a.get("durationMs") is not None:
                    runs.setdefault(task.get("type"), []).append(a["durationMs"] / 1000)
                queued, started = instant(a.get("queuedAt")), instant(a.get("startedAt"))
                if queued and started:
                    dispatch.append(started - queued)
        s["mapTaskSeconds"] = median(runs["MAP"])
        s["reduceTaskSeconds"] = median(runs["REDUCE"])
        s["dispatchSeconds"] = median(dispatch)

    # -----------------------------------------------------------------------------------------
    # profiles

    def spec(self, function, kind, source, events, reference):
        return {"function": function, "inputKind": "inputTopic" if kind == "topic" else "inputPath",
                "input": source, "events": events, "reference": reference,
                "mappers": self.cfg.mappers, "reducers": self.cfg.reducers}

    def sources(self, tier_name, path, lines):
        """(kind, topic or inputPath) for each input kind asked for."""
        out = []
        for kind in self.cfg.inputs:
            if kind == "topic":
                out.append((kind, self.data.topic("%s-%s" % (self.cfg.topic_prefix, tier_name), path, lines)))
            else:
                out.append((kind, self.data.input_path(path)))
        return out

    def latency(self, warmup_only=False):
        tier = self.cfg.latency_tier
        path = self.data.tier(tier)
        ref = self.data.reference(path, "WORD_COUNT")
        sources = self.sources(tier, path, TIERS[tier])
        if self.cfg.prepare_only:
            return
        if warmup_only:
            for i in range(self.cfg.warmup):
                kind, source = sources[i % len(sources)]
                b = self.run_batch("warmup", [self.spec("WORD_COUNT", kind, source, TIERS[tier], ref)],
                                   "%s WORD_COUNT %s #%d" % (tier, kind, i + 1))
                self.results["warmup"].append(b)
            return
        for i in range(self.cfg.latency_runs):
            for kind, source in sources:
                b = self.run_batch("latency", [self.spec("WORD_COUNT", kind, source, TIERS[tier], ref)],
                                   "%s WORD_COUNT %s #%d" % (tier, kind, i + 1))
                b["input"] = kind
                self.results["latency"].append(b)

    def concurrent(self):
        paths = self.data.concurrent()
        refs = [self.data.reference(p, "WORD_COUNT") for p in paths]
        per_kind = {}
        for kind in self.cfg.inputs:
            per_kind[kind] = [
                self.data.topic("%s-c%d-%02d" % (self.cfg.topic_prefix, self.cfg.concurrent_events, i), p,
                                self.cfg.concurrent_events) if kind == "topic" else self.data.input_path(p)
                for i, p in enumerate(paths)]
        if self.cfg.prepare_only:
            return
        for run_no in range(self.cfg.runs):
            for kind, sources in per_kind.items():
                specs = [self.spec("WORD_COUNT", kind, src, self.cfg.concurrent_events, ref)
                         for src, ref in zip(sources, refs)]
                b = self.run_batch("concurrent", specs, "%d x %d WORD_COUNT %s #%d" % (
                    len(specs), self.cfg.concurrent_events, kind, run_no + 1))
                b["input"] = kind
                self.results["concurrent"].append(b)

    def throughput(self):
        plan = []
        for tier in self.cfg.tiers:
            path = self.data.tier(tier)
            refs = {job: self.data.reference(path, job) for job in self.cfg.jobs}
            plan.append((tier, path, refs, self.sources(tier, path, TIERS[tier])))
        if self.cfg.prepare_only:
            return
        # repetitions outermost within a tier, so slow drift of the machine hits every job alike
        for tier, path, refs, sources in plan:
            subprocess.run(["cat", path], stdout=subprocess.DEVNULL)  # page cache, as the peers do
            for run_no in range(self.cfg.runs):
                for job in self.cfg.jobs:
                    for kind, source in sources:
                        b = self.run_batch("throughput", [self.spec(job, kind, source, TIERS[tier], refs[job])],
                                           "%s %s %s #%d" % (tier, job, kind, run_no + 1))
                        b.update({"tier": tier, "function": job, "input": kind})
                        self.results["throughput"].append(b)

    def peers(self):
        self.results["peers"] = Peers(self.cfg, self.data, self.out).run()


# ---------------------------------------------------------------------------------------------
# the peers: ../shared/peers/run.sh (Spark local[2], ...) and `mr local --threads N`, same files


def time_child(args, stdout=None, stderr=None):
    """Runs a command; returns (exit status, wall seconds, peak RSS kB, CPU seconds) of that child."""
    started = time.time()
    proc = subprocess.Popen(args, stdout=stdout, stderr=stderr)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, time.time() - started, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


class Peers:
    def __init__(self, cfg, data, out):
        self.cfg = cfg
        self.data = data
        self.out = os.path.join(out, "peers")

    def run(self):
        cfg = self.cfg
        files = {t: self.data.tier(t) for t in cfg.peers_tiers}
        refs = {(t, j): self.data.reference(files[t], j) for t in cfg.peers_tiers for j in cfg.jobs}
        if cfg.prepare_only:
            return []
        rows = []
        systems = cfg.peers_systems.split()
        if systems:
            rows += self.run_peers(refs)
        rows += self.run_mr_local(files, refs)
        return rows

    def run_peers(self, refs):
        cfg = self.cfg
        if not os.path.exists(os.path.join(cfg.peers_dir, "run.sh")):
            raise BenchError("no peers at %s (PEERS_DIR)" % cfg.peers_dir)
        # The peers folder may be read-only: run a copy, kept from session to session (with its build)
        copy = os.path.join(cfg.out_root, "peers")
        os.makedirs(self.out, exist_ok=True)
        shutil.copytree(cfg.peers_dir, copy, ignore=shutil.ignore_patterns("results", "target"), dirs_exist_ok=True,
                        copy_function=shutil.copy)
        subprocess.run(["chmod", "-R", "u+w", copy], check=True)
        results_dir = os.path.join(copy, "results")
        earlier = set(os.listdir(results_dir)) if os.path.isdir(results_dir) else set()
        penv = dict(os.environ)
        penv.update({"PEERS_DATA": cfg.data, "PEERS_TIERS": " ".join(cfg.peers_tiers),
                     "PEERS_SYSTEMS": cfg.peers_systems, "PEERS_JOBS": " ".join(cfg.jobs)})
        for name, default in (("PEERS_REPS", str(cfg.runs)), ("PEERS_GATE_S", "0"), ("PEERS_PYCHECK", "0"),
                              ("PEERS_REFERENCE", "0"), ("PEERS_MALFORMED_CHECK", "0"),
                              ("PEERS_OUT", os.path.join(self.out, "scratch"))):
            penv[name] = env(name, default)
        log("peers: %s/run.sh with PEERS_SYSTEMS=%r PEERS_TIERS=%r PEERS_REPS=%s (output in %s)" % (
            copy, penv["PEERS_SYSTEMS"], penv["PEERS_TIERS"], penv["PEERS_REPS"], self.out))
        with open(os.path.join(self.out, "run.log"), "w") as logf:
            rc = subprocess.run([os.path.join(copy, "run.sh")], env=penv, stdout=logf, stderr=subprocess.STDOUT).returncode
        if rc != 0:
            log("peers: run.sh exited %d (see %s/run.log)" % (rc, self.out))
        results = sorted(set(os.listdir(results_dir)) - earlier) if os.path.isdir(results_dir) else []
        if not results:
            raise BenchError("peers: run.sh left no results (see %s/run.log)" % self.out)
        runs_dir = os.path.join(results_dir, results[-1], "runs")
        summary = os.path.join(results_dir, results[-1], "summary.md")
        if os.path.exists(summary):
            shutil.copy(summary, os.path.join(self.out, "peers-summary.md"))
        rows = []
        for name in sorted(os.listdir(runs_dir)):
            if not name.endswith(".time"):
                continue
            tier, job, system, rep = name[:-5].split(".")
            base = os.path.join(runs_dir, name[:-5])
            t = parse_time_v(base + ".time")
            result = {}
            if os.path.exists(base + ".out"):
                for line in open(base + ".out"):
                    if line.startswith("RESULT "):
                        result = dict(kv.split("=", 1) for kv in line.split()[1:])
            sha = open(base + ".sha").read().split() if os.path.exists(base + ".sha") else []
            ref = refs.get((tier, job))
            rows.append({"system": system, "tier": tier, "function": job, "rep": int(rep), "wall": t.get("wall"),
                         "jobSeconds": float(result["job_s"]) if "job_s" in result else None,
                         "rssKb": t.get("rss_kb"), "cpuSeconds": (t.get("user", 0) + t.get("sys", 0)),
                         "exact": bool(sha) and ref is not None and sha[0] == ref["sha256"],
                         "outputSha": sha[0][:16] if sha else None})
        return rows

    def run_mr_local(self, files, refs):
        cfg = self.cfg
        if not os.path.exists(cfg.mr_jar):
            run([cfg.mr, "--help"], "building the mr jar")
        rows = []
        scratch = os.path.join(self.out, "mr-local")
        os.makedirs(scratch, exist_ok=True)
        for tier, path in files.items():
            subprocess.run(["cat", path], stdout=subprocess.DEVNULL)
            for rep in range(1, cfg.runs + 1):
                for job in cfg.jobs:
                    for threads in cfg.mr_local_threads:
                        output = os.path.join(scratch, "out.tsv")
                        args = [cfg.java, "-Xmx4g", "-XX:+UseParallelGC", "-jar", cfg.mr_jar, "local", "-i", path,
                                "-m", job, "-o", output]
                        if threads != "default":
                            args += ["--threads", threads]
                        with open(os.path.join(scratch, "%s.%s.t%s.%d.err" % (tier, job, threads, rep)), "w") as err:
                            rc, wall, rss, cpu = time_child(args, stdout=subprocess.DEVNULL, stderr=err)
                        exact = rc == 0 and sha256_of(output) == refs[(tier, job)]["sha256"]
                        rows.append({"system": "mr local --threads %s" % threads, "tier": tier, "function": job,
                                     "rep": rep, "wall": wall, "jobSeconds": None, "rssKb": rss, "cpuSeconds": cpu,
                                     "exact": exact, "exitStatus": rc})
                        log("peers: mr local --threads %s %s %s rep %d: %.2f s wall, %d MB peak RSS, %s" % (
                            threads, tier, job, rep, wall, rss // 1024, "exact" if exact else "WRONG OUTPUT"))
                        if os.path.exists(output):
                            os.remove(output)
        return rows


def parse_time_v(path):
    d = {}
    if not os.path.exists(path):
        return d
    for line in open(path):
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            secs = 0.0
            for p in line.rsplit(": ", 1)[1].split(":"):
                secs = secs * 60 + float(p)
            d["wall"] = secs
        elif line.startswith("Maximum resident set size"):
            d["rss_kb"] = int(line.rsplit(": ", 1)[1])
        elif line.startswith("User time"):
            d["user"] = float(line.rsplit(": ", 1)[1])
        elif line.startswith("System time"):
            d["sys"] = float(line.rsplit(": ", 1)[1])
    return d


# ---------------------------------------------------------------------------------------------
# the report

PROC_ORDER = ["kafka", "coordinator-1", "coordinator-2", "map-worker-1", "map-worker-2", "reduce-worker-1",
              "reduce-worker-2", "api-gateway"]


def s3(v):
    return "-" if v is None else "%.3f" % v


def s2(v):
    return "-" if v is None else "%.2f" % v


def num(v):
    return "-" if v is None else "{:,.0f}".format(v)


def mb(kb):
    return "-" if kb is None else "{:,.0f}".format(kb / 1024)


def task_cell(jobs):
    """Medians of the jobs' median map attempt, reduce attempt and dispatch delay."""
    return "%s / %s, %s" % (s3(median([j.get("mapTaskSeconds") for j in jobs])),
                            s3(median([j.get("reduceTaskSeconds") for j in jobs])),
                            s3(median([j.get("dispatchSeconds") for j in jobs])))


def cpu_cell(batches):
    """Median CPU seconds of the stack's processes / of the whole machine over the job."""
    stack = median([sum(b["cpuSeconds"].values()) for b in batches])
    machine = median([b.get("machineBusySeconds") for b in batches])
    return "%s / %s" % (s2(stack), s2(machine))


def med_metric(batches, key):
    return median([b["metrics"][key] for b in batches])


def report(bench, machine):
    cfg = bench.cfg
    r = bench.results
    lines = []
    w = lines.append
    w("# Stack benchmark %s" % bench.stamp)
    w("")
    w("Machine: %s; %s CPUs (%s); %s RAM; %s. Load average at start %s, at the end %s. Commit %s." % (
        machine["host"], machine["nproc"], machine["cpu"], machine["ram"], machine["java"], machine["load"],
        " ".join(open("/proc/loadavg").read().split()[:3]), machine["commit"]))
    w("CPU s stack / machine: user+system seconds of the stack's processes / of the whole machine (all CPUs, "
      "/proc/stat) over the job; the difference is everything else that ran, the benchmark's client included.")
    w("Stack: gateway %s, Kafka %s, PostgreSQL %s:%s/%s, Redis %s:%d; processes measured: %s." % (
        cfg.gateway, cfg.kafka, cfg.pg["host"], cfg.pg["port"], cfg.pg["db"], cfg.redis[0], cfg.redis[1],
        ", ".join("%s (pid %d)" % kv for kv in bench.processes.pids.items()) or "none"))
    w("Jobs: %d mappers, %d reducers, reduce SUM, combiner on; topics of %d partitions; client poll every %d ms "
      "plus the event stream; %d warm-up job(s) before the measured ones." % (
          cfg.mappers, cfg.reducers, cfg.partitions, cfg.poll * 1000, cfg.warmup))
    w("")
    all_batches = r["warmup"] + r["latency"] + r["concurrent"] + r["throughput"]
    bad = [p for b in all_batches for p in b["problems"]]
    w("**Correctness:** %d jobs, every one's rows in PostgreSQL compared with `mr local` on the same file "
      "(row count, sum, md5 of all rows in key order; recordsRead and malformedRecords): %s." % (
          sum(b["jobs"] for b in all_batches), "all exact" if not bad else "%d PROBLEM(S), see below" % len(bad)))
    if bench.data.cross_checks:
        w("The reference itself: %s." % "; ".join(sorted(bench.data.cross_checks)))
    w("")

    if r["warmup"]:
        w("Warm-up (not counted): %s s client wall." % ", ".join(s3(b["jobList"][0]["clientSeconds"])
                                                               for b in r["warmup"]))
        w("")

    if r["latency"]:
        w("## Latency: %s-event WORD_COUNT, one job at a time" % cfg.latency_tier)
        w("")
        w("| input | runs | client p50 s | p95 | min | max | by poll p50 | by stream p50 | server p50 s | p95 |"
          " queue p50 | map p50 | reduce p50 | map / reduce task, dispatch p50 | shuffle bytes | Redis s | PG commit s |"
          " CPU s stack / machine |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for kind in cfg.inputs:
            bs = [b for b in r["latency"] if b["input"] == kind]
            if not bs:
                continue
            js = [b["jobList"][0] for b in bs]
            c = [j["clientSeconds"] for j in js]
            sv = [j["serverSeconds"] for j in js]
            w("| %s | %d | **%s** | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                kind, len(bs), s3(percentile(c, 50)), s3(percentile(c, 95)), s3(min(filter(None, c), default=None)),
                s3(max(filter(None, c), default=None)), s3(percentile([j["pollSeconds"] for j in js], 50)),
                s3(percentile([j["streamSeconds"] for j in js], 50)), s3(percentile(sv, 50)), s3(percentile(sv, 95)),
                s3(median([j["queueSeconds"] for j in js])), s3(median([j["mapSeconds"] for j in js])),
                s3(median([j["reduceSeconds"] for j in js])), task_cell(js), num(median([j["shuffleBytes"] for j in js])),
                s3(median([b["metrics"]["redisWriteSeconds"] + b["metrics"]["redisReadSeconds"] for b in bs])),
                s3(med_metric(bs, "pgCommitSeconds")), cpu_cell(bs)))
        w("")

    if r["concurrent"]:
        w("## Concurrent: %d x %d-event WORD_COUNT jobs submitted at once" % (cfg.concurrent_jobs,
                                                                            cfg.concurrent_events))
        w("")
        w("| input | run | first submit -> last COMPLETED (client) s | first createdAt -> last completedAt s |"
          " job client p50 / max s | Redis s | PG commit s | CPU s stack / machine | all exact |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for kind in cfg.inputs:
            bs = [b for b in r["concurrent"] if b["input"] == kind]
            for i, b in enumerate(bs):
                c = [j["clientSeconds"] for j in b["jobList"]]
                w("| %s | %d | %s | %s | %s / %s | %s | %s | %s | %s |" % (
                    kind, i + 1, s3(b["wallSeconds"]), s3(b["serverWallSeconds"]), s3(percentile(c, 50)),
                    s3(max(filter(None, c), default=None)),
                    s3(b["metrics"]["redisWriteSeconds"] + b["metrics"]["redisReadSeconds"]),
                    s3(b["metrics"]["pgCommitSeconds"]), cpu_cell([b]), "yes" if b["exact"] else "NO"))
            if bs:
                w("| %s | **median** | **%s** | %s | | | | | |" % (
                    kind, s3(median([b["wallSeconds"] for b in bs])), s3(median([b["serverWallSeconds"] for b in bs]))))
        w("")

    if r["throughput"]:
        w("## Throughput (median of %d runs; events/s = input events / client wall)" % cfg.runs)
        w("")
        w("| tier | job | input | runs | wall s (min-max) | **events/s** | server s | map s | reduce s |"
          " shuffle bytes | Redis write s | Redis read s | PG commit s | map / reduce task s (sum) |"
          " map / reduce task, dispatch p50 | CPU s stack / machine | exact |")
        w("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for tier, job, kind, bs in throughput_groups(bench):
            js = [b["jobList"][0] for b in bs]
            walls = [j["clientSeconds"] for j in js if j["clientSeconds"] is not None]
            wall = median(walls)
            w("| %s | %s | %s | %d | %s (%s-%s) | **%s** | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                tier, job, kind, len(bs), s2(wall), s2(min(walls, default=None)), s2(max(walls, default=None)),
                num(TIERS[tier] / wall if wall else None), s2(median([j["serverSeconds"] for j in js])),
                s2(median([j["mapSeconds"] for j in js])), s2(median([j["reduceSeconds"] for j in js])),
                num(median([j["shuffleBytes"] for j in js])),
                s2(med_metric(bs, "redisWriteSeconds")), s2(med_metric(bs, "redisReadSeconds")),
                s2(med_metric(bs, "pgCommitSeconds")),
                "%s / %s" % (s2(med_metric(bs, "mapTaskSeconds")), s2(med_metric(bs, "reduceTaskSeconds"))),
                task_cell(js), cpu_cell(bs), "yes" if all(b["exact"] for b in bs) else "NO"))
        w("")

    groups = memory_groups(bench)
    if groups:
        procs = [p for p in PROC_ORDER if p in bench.processes.pids] + \
                [p for p in bench.processes.pids if p not in PROC_ORDER]
        exact_peak = bench.processes.can_reset
        w("## Memory and CPU per process")
        w("")
        peak_method = (
            "the kernel's VmHWM, reset (/proc/<pid>/clear_refs) just before each job and read right after it, so an"
            " exact peak of that job; in brackets the highest VmRSS sampled every %d ms" % (cfg.sample * 1000)
            if exact_peak else "the highest VmRSS sampled every %d ms (VmHWM could not be reset here)" % (
                cfg.sample * 1000))
        w("Jobs over %s input. Peak RSS MB during the jobs of each group (max over its runs): %s. CPU s: median per"
          " run of the process's user+system time over the job (for concurrent: the whole batch). VmHWM at start is"
          " each process's peak since it started, read before the benchmark reset it." % (cfg.inputs[0], peak_method))
        w("")
        w("| process | VmHWM at start MB | " + " | ".join("%s peak MB | CPU s" % g for g, _ in groups) + " |")
        w("|---|---:|" + "---:|---:|" * len(groups))
        for p in procs:
            cells = []
            for _, bs in groups:
                peak = max((b["peakRssKb"].get(p) or 0 for b in bs), default=0) if exact_peak else None
                sampled = max((b["sampledRssKb"].get(p) or 0 for b in bs), default=0)
                cells.append("%s (%s)" % (mb(peak), mb(sampled)) if exact_peak else mb(sampled))
                cells.append(s2(median([b["cpuSeconds"].get(p) for b in bs])))
            w("| %s | %s | %s |" % (p, mb(bench.lifetime_hwm.get(p)), " | ".join(cells)))
        redis = ["%s: %.1f" % (g, max((b["redisUsedMemoryGrowth"] or 0 for b in bs), default=0) / 1e6)
                 for g, bs in groups]
        w("")
        w("Redis used_memory growth during the jobs, MB (max of sampled used_memory minus its value at submit; "
          "a shared instance, so other clients' keys count too): %s." % "; ".join(redis))
        w("")

    if r["peers"]:
        peer_report(bench, w)

    targets(bench, w)

    if bad:
        w("## Problems")
        w("")
        for p in bad:
            w("- %s" % p)
        w("")
    w("Raw records: runs.jsonl (one line per batch of jobs; every job's times, counters, metric deltas, "
      "memory, CPU).")
    return "\n".join(lines) + "\n"


def throughput_groups(bench):
    out = []
    cfg = bench.cfg
    for tier in cfg.tiers:
        for job in cfg.jobs:
            for kind in cfg.inputs:
                bs = [b for b in bench.results["throughput"]
                      if b["tier"] == tier and b["function"] == job and b["input"] == kind]
                if bs:
                    out.append((tier, job, kind, bs))
    return out


def memory_groups(bench):
    """(name, batches) of the first input kind only, so that the table stays readable."""
    r = bench.results
    kind0 = bench.cfg.inputs[0]
    groups = []
    if r["latency"]:
        groups.append(("latency", [b for b in r["latency"] if b["input"] == kind0]))
    if r["concurrent"]:
        groups.append(("concurrent", [b for b in r["concurrent"] if b["input"] == kind0]))
    for tier, job, kind, bs in throughput_groups(bench):
        if kind == kind0:
            groups.append(("%s %s" % (tier, "WC" if job == "WORD_COUNT" else "SD" if job == "SERVICE_DISTRIBUTION"
                                      else job), bs))
    return groups


def peer_rows(bench, tier, job):
    by = {}
    for row in bench.results["peers"] or []:
        if row["tier"] == tier and row["function"] == job:
            by.setdefault(row["system"], []).append(row)
    return by


def stack_rate(bench, tier, job, kind):
    for t, j, k, bs in throughput_groups(bench):
        if (t, j, k) == (tier, job, kind):
            wall = median([b["jobList"][0]["clientSeconds"] for b in bs])
            return TIERS[tier] / wall if wall else None
    return None


def peer_report(bench, w):
    cfg = bench.cfg
    w("## Side by side: the stack, the peers and `mr local` on the same file, same session")
    w("")
    w("events/s (wall): input lines / whole-process wall time (JVM start included) for the peers and `mr local`; "
      "input events / submit -> COMPLETED for the stack (whose JVMs run already). events/s (job): the peer's own "
      "job timer.")
    w("")
    w("| tier | job | system | runs | median wall s (min-max) | events/s (wall) | events/s (job) | peak RSS MB | "
      "CPU s | exact |")
    w("|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    for tier in cfg.peers_tiers:
        for job in cfg.jobs:
            for system, rows in sorted(peer_rows(bench, tier, job).items()):
                walls = [x["wall"] for x in rows if x["wall"]]
                wall = median(walls)
                jobs = median([x["jobSeconds"] for x in rows])
                w("| %s | %s | %s | %d | %s (%s-%s) | %s | %s | %s | %s | %s |" % (
                    tier, job, system, len(rows), s2(wall), s2(min(walls, default=None)),
                    s2(max(walls, default=None)), num(TIERS[tier] / wall if wall else None),
                    num(TIERS[tier] / jobs if jobs else None), mb(median([x["rssKb"] for x in rows])),
                    s2(median([x["cpuSeconds"] for x in rows])), "yes" if all(x["exact"] for x in rows) else "NO"))
            for kind in cfg.inputs:
                rate = stack_rate(bench, tier, job, kind)
                if rate:
                    w("| %s | %s | **stack (%s input)** | | | **%s** | | | | |" % (tier, job, kind, num(rate)))
    w("")


def targets(bench, w):
    """The issue's targets, checked on this run's figures (medians over the runs), for each input kind."""
    r = bench.results
    checks = []
    for kind in bench.cfg.inputs:
        lat = [b["jobList"][0]["clientSeconds"] for b in r["latency"] if b.get("input") == kind]
        if lat and bench.cfg.latency_tier == "40k":
            p50 = percentile(lat, 50)
            checks.append(("40k WORD_COUNT submit -> COMPLETED p50 <= 0.300 s (client; %s input)" % kind,
                           "%.3f s" % p50, p50 <= 0.300))
    for kind in bench.cfg.inputs:
        conc = [b["wallSeconds"] if b["wallSeconds"] is not None else float("inf")
                for b in r["concurrent"] if b.get("input") == kind]
        if conc and (bench.cfg.concurrent_jobs, bench.cfg.concurrent_events) == (10, 4000):
            checks.append(("10 x 4k WORD_COUNT jobs all COMPLETED within 2 s of the first submit (median of runs;"
                           " %s input)" % kind, "median %s s, worst %s s" % (s3(median(conc)), s3(max(conc))),
                           median(conc) <= 2.0))
    by = peer_rows(bench, "10M", "WORD_COUNT") if r["peers"] else {}
    for kind in bench.cfg.inputs:
        rate = stack_rate(bench, "10M", "WORD_COUNT", kind)
        if not rate:
            continue
        if by.get("spark"):
            spark_rate = 10_000_000 / median([x["wall"] for x in by["spark"]])
            checks.append(("10M WORD_COUNT events/s >= 2 x Spark local[2] (wall; %s input)" % kind,
                           "%s vs %s = %.2fx" % (num(rate), num(spark_rate), rate / spark_rate),
                           rate >= 2 * spark_rate))
        if by.get("mr local --threads 1"):
            one_rate = 10_000_000 / median([x["wall"] for x in by["mr local --threads 1"]])
            checks.append(("10M WORD_COUNT events/s >= 50%% of `mr local --threads 1` (wall; %s input)" % kind,
                           "%s vs %s = %.0f%%" % (num(rate), num(one_rate), 100 * rate / one_rate),
                           rate >= 0.5 * one_rate))
    if not checks:
        return
    w("## Targets (issue 7)")
    w("")
    w("| target | measured | met |")
    w("|---|---|---|")
    for name, value, ok in checks:
        w("| %s | %s | %s |" % (name, value, "yes" if ok else "**no**"))
    w("")


# ---------------------------------------------------------------------------------------------


def main():
    try:
        cfg = Config()
        bench = Bench(cfg)
        machine = machine_info(cfg)
        bench.start()
        with open(os.path.join(bench.out, "machine.json"), "w") as f:
            json.dump(machine, f, indent=2)
        stack_profiles = [p for p in cfg.profiles if p != "peers"]
        if stack_profiles and cfg.warmup:
            bench.latency(warmup_only=True)
        for profile in cfg.profiles:
            log("== profile %s" % profile)
            getattr(bench, profile)()
    except BenchError as e:
        print("bench: %s" % e, file=sys.stderr)
        return 2
    text = report(bench, machine)
    with open(os.path.join(bench.out, "summary.md"), "w") as f:
        f.write(text)
    print(text)
    log("written to %s/summary.md" % bench.out)
    all_batches = bench.results["warmup"] + bench.results["latency"] + bench.results["concurrent"] + \
        bench.results["throughput"]
    peers_ok = all(x["exact"] for x in bench.results["peers"] or [])
    return 0 if all(b["exact"] for b in all_batches) and peers_ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
