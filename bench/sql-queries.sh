# The four SQL queries of issue 14's benchmark, sourced by sql-vs-duckdb.sh and sql-cluster.sh:
# (a) count per service, (b) errors per minute per service, (c) p95 latency per service (the
# "in N ms" of the message), (d) count(DISTINCT user) per service.
declare -A Q
Q[a]="SELECT service, count(*) AS n FROM logs GROUP BY service"
Q[b]="SELECT date_trunc('minute', CAST(timestamp AS TIMESTAMP)) AS minute, service, count(*) AS errors FROM logs WHERE level = 'ERROR' GROUP BY 1, 2"
Q[c]="SELECT service, approx_quantile(CAST(regexp_extract(message, 'in (\\d+) ms', 1) AS BIGINT), 0.95) AS p95 FROM logs WHERE regexp_matches(message, 'in \\d+ ms') GROUP BY service"
Q[d]="SELECT service, count(DISTINCT regexp_extract(message, '[Uu]ser (\\d+)', 1)) AS users FROM logs WHERE regexp_matches(message, '[Uu]ser \\d+') GROUP BY service"
# duck_runs FILE FIELD: DuckDB's runs in a times file (wall seconds in field 1, minor page faults in
# field FIELD) as "5.92 s (308k faults), ...". On the 10M-event file the peer's runs (a 200 MB read
# buffer) fall in groups of ~110k, ~210k and ~310k faults, one to three buffers touched, the more
# the slower (up to 2x), so a median of five depends on the mix; with 16 MB, ~32k every run.
duck_runs() { awk -v f="$2" '{ printf "%s%s s (%dk faults)", (NR > 1 ? ", " : ""), $1, $f / 1000 } END { print "" }' "$1"; }
# median: the median of the numbers on stdin, one a line. ratio A B: the median of the first field
# of times file A over that of B, to 2 decimals.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { python3 -c "print(round($(cut -d' ' -f1 "$1" | median) / $(cut -d' ' -f1 "$2" | median), 2))"; }
