#!/usr/bin/env bash
# CSV with a header (RFC 4180 quoting): orders, items, revenue and distinct products per region, and
# orders per hour. Generates its own file, asks mr local, and checks the answer against Python's csv.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mr="$here/../../mr"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lines="${EXAMPLE_LINES:-50000}"

# 1. Sample data, deterministic: quoted fields with commas, quotes and an empty region now and then.
python3 - "$work/orders.csv" "$lines" <<'PY'
import csv, random, sys
from datetime import datetime, timedelta
out, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(4180)
products = ["Widget, large", "Widget, small", 'The "Deluxe" gadget', "Cable 2m", "Adapter", "Café crème mug"]
t = datetime(2026, 11, 20, 0, 0, 0)
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["time", "region", "product", "qty", "price_cents"])
    for i in range(n):
        t += timedelta(seconds=rnd.randint(0, 6))
        region = rnd.choice(["eu-west", "eu-west", "us-east", "ap-south", ""])
        w.writerow([t.strftime("%Y-%m-%dT%H:%M:%SZ"), region, rnd.choice(products), rnd.randint(1, 5),
                    rnd.choice([499, 1250, 2999, 8900])])
PY

# 2. The questions, to mr local.
ask() { "$mr" local -i "$work/orders.csv" --format csv "$@" 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }; }
ask -o "$work/regions.tsv" --sql "
  SELECT coalesce(nullif(region, ''), '(none)') AS region,
         count(*) AS orders,
         sum(CAST(qty AS BIGINT)) AS items,
         sum(CAST(qty AS BIGINT) * CAST(price_cents AS BIGINT)) AS revenue_cents,
         count(DISTINCT product) AS products
  FROM logs GROUP BY 1 ORDER BY revenue_cents DESC, region"
ask -o "$work/hours.csv" --csv --sql "
  SELECT date_trunc('hour', CAST(time AS TIMESTAMP)) AS hour, count(*) AS orders
  FROM logs GROUP BY hour ORDER BY hour"

# 3. The same answers with Python's csv module.
python3 - "$work/orders.csv" "$work" <<'PY'
import csv, sys
from collections import defaultdict
src, work = sys.argv[1], sys.argv[2]
regions = defaultdict(lambda: [0, 0, 0, set()])
hours = defaultdict(int)
with open(src, newline="") as f:
    for row in csv.DictReader(f):
        r = regions[row["region"] or "(none)"]
        qty = int(row["qty"])
        r[0] += 1; r[1] += qty; r[2] += qty * int(row["price_cents"]); r[3].add(row["product"])
        hours[row["time"][:13].replace("T", " ") + ":00:00"] += 1
with open(work + "/regions.expected", "w") as out:
    out.write("region\torders\titems\trevenue_cents\tproducts\n")
    for name, r in sorted(regions.items(), key=lambda e: (-e[1][2], e[0].encode())):
        out.write("%s\t%d\t%d\t%d\t%d\n" % (name, r[0], r[1], r[2], len(r[3])))
with open(work + "/hours.expected", "w") as out:
    out.write("hour,orders\n")
    for hour in sorted(hours):
        out.write("%s,%d\n" % (hour, hours[hour]))
PY
# RFC 4180 CSV ends its lines with CRLF; compare the rows.
tr -d '\r' < "$work/hours.csv" > "$work/hours.got"
diff -u "$work/regions.expected" "$work/regions.tsv"
diff -u "$work/hours.expected" "$work/hours.got"
cat "$work/regions.tsv"
echo "csv-orders: OK ($lines rows; per region and per hour match Python's csv module)"
