"""Checks that DuckDB's rows (query.py's TSV, no header) and ours (TSV with a header) are the same:
exactly, except query (c)'s approximate p95, within 5 %. Usage: sql-same-rows.py QUERY DUCK.tsv OURS.tsv"""
import sys

k, duck, ours = sys.argv[1:]
rows = lambda f, skip: sorted(tuple(l.rstrip("\n").split("\t")) for l in open(f, encoding="utf-8").readlines()[skip:])
a, b = rows(duck, 0), rows(ours, 1)
if k == "c":
    a = {r[0]: float(r[1]) for r in a}
    b = {r[0]: float(r[1]) for r in b}
    bad = [s for s in a if s not in b or abs(a[s] - b[s]) > 0.05 * a[s]] + [s for s in b if s not in a]
else:
    bad = [] if a == b else [f"{len(a)} rows against {len(b)}", next((x, y) for x, y in zip(a + [None], b + [None]) if x != y)]
if bad:
    sys.exit(f"query {k}: DuckDB and ours disagree: {bad[:3]}")
