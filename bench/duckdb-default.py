#!/usr/bin/env python3
"""DuckDB on a JSON-lines log file as ../shared/peers/duckdb/query.py runs it, but with read_json's
own maximum_object_size (16 MB) instead of the peer's 200 MB.

  python3 bench/duckdb-default.py FILE --sql "SELECT service, count(*) FROM logs GROUP BY 1" OUT.tsv [--threads 2]

The `logs` view is the peer's (the four classic fields as VARCHAR, lines that are not such JSON
objects skipped); only the read buffer differs. With the peer's 200 MB, DuckDB 1.5.6 page-faults in
one to three 200 MB buffers per query on the 10M-event file (about 110k, 210k or 310k minor faults)
and takes up to 2.5x as long; with 16 MB it takes about 32k faults and the same time every run.
A line longer than 16 MB would be an error here (the benchmark file's longest is under 300 bytes).
"""
import argparse, sys, time
import duckdb

p = argparse.ArgumentParser()
p.add_argument("file"); p.add_argument("out")
p.add_argument("--sql", required=True); p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
con = duckdb.connect()
con.execute(f"SET threads={a.threads}")
con.execute(f"""CREATE VIEW logs AS SELECT * FROM read_json('{a.file}', format='newline_delimited',
    ignore_errors=true,
    columns={{timestamp:'VARCHAR', level:'VARCHAR', service:'VARCHAR', message:'VARCHAR'}})
    WHERE timestamp IS NOT NULL AND level IS NOT NULL AND service IS NOT NULL AND message IS NOT NULL""")
t0 = time.time()
con.execute(f"COPY ({a.sql}) TO '{a.out}' (FORMAT csv, DELIMITER '\t', HEADER false)")
print(f"duckdb threads={a.threads} {time.time() - t0:.2f} s", file=sys.stderr)
