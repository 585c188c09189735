#!/usr/bin/env python3
"""Writes the logs of integration-tests/test-formats.sh and what a job over them must answer,
computed here from the values written (never by parsing the lines):

    integration-tests/make-format-logs.py --lines N --seed S OUT_DIR

OUT_DIR/access.log: Apache combined (nginx's default) lines, one in 50 replaced by a line that is
not one; OUT_DIR/app.log: log4j events, some with Java stack traces (several lines each); and
OUT_DIR/expected.json: {"access": {"lines", "malformed", "status": {status: count},
"bytes": {path: sum of bytes}}, "access_window": {"from", "to", "status": the statuses of the
lines whose event time is in [from, to)}, "app": {"events", "lines", "level": {level: count},
"exception": {class: count}}}.

Event times fall in the 24 hours before now: `mr ingest --format` makes them the records' Kafka
timestamps, and a broker deletes records older than its retention (7 days by default) within minutes.
"""

import argparse
import datetime
import json
import os
import random

p = argparse.ArgumentParser()
p.add_argument("--lines", type=int, default=30000)
p.add_argument("--seed", type=int, default=13)
p.add_argument("out")
args = p.parse_args()
r = random.Random(args.seed)
os.makedirs(args.out, exist_ok=True)
start = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(days=1)


def at(i, n):
    """The time of line i of n: spread over the day after start."""
    return start + datetime.timedelta(seconds=i * 86000 // n)


PATHS = ["/", "/cart", "/api/items", "/static/app.js", "/login", "/search?q=shoes&page=2"]
STATUSES = [200, 200, 200, 201, 301, 304, 404, 500]
AGENTS = ["curl/8.5.0", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)", "-"]
access = {"lines": args.lines, "malformed": 0, "status": {}, "bytes": {}}
# an event-time window over the middle third: the statuses of the lines whose time is in [from, to)
window_from, window_to = at(args.lines // 3, args.lines), at(2 * args.lines // 3, args.lines)
window = {"from": window_from.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": window_to.strftime("%Y-%m-%dT%H:%M:%SZ"),
          "status": {}}
with open(os.path.join(args.out, "access.log"), "w") as f:
    for i in range(args.lines):
        if i % 50 == 7:
            f.write("%d garbage, not an access log line\n" % i)
            access["malformed"] += 1
            continue
        ip = "%d.%d.%d.%d" % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))
        path, status = r.choice(PATHS), r.choice(STATUSES)
        size = "-" if status == 304 else str(r.randint(0, 250000))
        user = r.choice(["-", "-", "alice", "bob"])
        method = r.choice(["GET", "GET", "POST", "HEAD"])
        stamp = at(i, args.lines).astimezone(datetime.timezone(datetime.timedelta(hours=1)))
        f.write('%s - %s [%s] "%s %s HTTP/1.1" %d %s "%s" "%s"\n' % (
            ip, user, stamp.strftime("%d/%b/%Y:%H:%M:%S %z"), method, path, status, size,
            r.choice(["-", "https://shop.example/"]), r.choice(AGENTS)))
        access["status"][str(status)] = access["status"].get(str(status), 0) + 1
        if window_from <= at(i, args.lines) < window_to:
            window["status"][str(status)] = window["status"].get(str(status), 0) + 1
        if size != "-":
            access["bytes"][path] = access["bytes"].get(path, 0) + int(size)

LEVELS = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]
EXCEPTIONS = ["java.lang.IllegalStateException", "java.net.SocketTimeoutException"]
app = {"events": args.lines // 3, "lines": 0, "level": {}, "exception": {}}
with open(os.path.join(args.out, "app.log"), "w") as f:
    for i in range(app["events"]):
        level = r.choice(LEVELS)
        lines = ["%s,%03d %-5s [http-nio-8080-exec-%d] com.shop.Service%d - request %d done" % (
            at(i, app["events"]).strftime("%Y-%m-%d %H:%M:%S"), r.randint(0, 999), level,
            r.randint(1, 9), r.randint(1, 5), i)]
        if level == "ERROR":
            exception = r.choice(EXCEPTIONS)
            lines.append("%s: call %d failed" % (exception, i))
            lines += ["\tat com.shop.Frame%d.call(Frame%d.java:%d)" % (k, k, r.randint(1, 400)) for k in range(r.randint(1, 6))]
            if r.random() < 0.5:
                lines += ["Caused by: java.io.IOException: Connection reset", "\t... 12 more"]
            app["exception"][exception] = app["exception"].get(exception, 0) + 1
        app["level"][level] = app["level"].get(level, 0) + 1
        app["lines"] += len(lines)
        f.write("\n".join(lines) + "\n")

with open(os.path.join(args.out, "expected.json"), "w") as f:
    json.dump({"access": access, "access_window": window, "app": app}, f, sort_keys=True, indent=1)
