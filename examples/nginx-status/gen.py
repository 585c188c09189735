#!/usr/bin/env python3
"""An nginx access log in the default combined format, the same lines on a given day: gen.py [LINES [FILE]]
(standard output without FILE)."""
import random, sys
from datetime import datetime, timedelta, timezone
n = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
out = sys.argv[2] if len(sys.argv) > 2 else "/dev/stdout"
rnd = random.Random(18)
paths = ["/", "/cart", "/checkout", "/api/orders", "/api/search", "/login", "/static/app.js", "/healthz"]
statuses = [200] * 80 + [301, 304, 304, 404, 404, 404, 429, 500, 502, 503, 503, 504]
agents = ["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "kube-probe/1.31", "Go-http-client/2.0"]
# Yesterday 08:00 UTC: recent enough that a Kafka topic's retention (7 days by default, applied to each
# record's timestamp, which `mr ingest --format` sets to the event time) keeps the lines.
today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
t = today - timedelta(days=1) + timedelta(hours=8)
with open(out, "w") as f:
    for i in range(n):
        t += timedelta(milliseconds=rnd.randint(1, 400))
        status = rnd.choice(statuses)
        size = "-" if status in (304, 502, 504) else str(rnd.randint(0, 40000))
        if rnd.random() < 0.002:  # a TLS handshake on the plain port: no method or path
            request = "\\x16\\x03\\x01\\x02\\x00\\x01"
            status, size = 400, "157"
        else:
            request = "%s %s HTTP/1.1" % (rnd.choice(["GET", "GET", "GET", "POST"]), rnd.choice(paths))
        f.write('%d.%d.%d.%d - %s [%s] "%s" %d %s "%s" "%s"\n' % (
            rnd.randint(1, 223), rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(1, 254),
            rnd.choice(["-", "-", "alice", "bob"]), t.strftime("%d/%b/%Y:%H:%M:%S +0000"), request,
            status, size, rnd.choice(["-", "https://shop.example/"]), rnd.choice(agents)))
