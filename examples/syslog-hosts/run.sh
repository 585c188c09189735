#!/usr/bin/env bash
# BSD syslog (RFC 3164, as rsyslog writes /var/log/syslog): messages per host and program, failed SSH
# logins per host, and lines per host with the built-in COUNT_BY function. Generates its own log,
# asks mr local, and checks every answer against awk.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mr="$here/../../mr"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lines="${EXAMPLE_LINES:-50000}"

# 1. Sample data, deterministic: some lines with a <PRI>, some with a tag without a pid, some with no tag.
python3 - "$work/syslog" "$lines" <<'PY'
import random, sys
from datetime import datetime, timedelta
out, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(3164)
hosts = ["web-1", "web-2", "web-3", "db-1", "cache-1"]
t = datetime(2026, 11, 20, 6, 0, 0)
with open(out, "w") as f:
    for i in range(n):
        t += timedelta(seconds=rnd.randint(0, 3))
        stamp = "%s %2d %s" % (t.strftime("%b"), t.day, t.strftime("%H:%M:%S"))
        host = rnd.choice(hosts)
        kind = rnd.random()
        if kind < 0.30:
            user = rnd.choice(["root", "admin", "deploy", "oracle"])
            if rnd.random() < 0.4:
                tag, msg = "sshd[%d]" % rnd.randint(1000, 9999), "Failed password for %s from 198.51.100.%d port %d ssh2" % (user, rnd.randint(1, 254), rnd.randint(1024, 65535))
            else:
                tag, msg = "sshd[%d]" % rnd.randint(1000, 9999), "Accepted publickey for %s from 192.0.2.%d port %d ssh2" % (user, rnd.randint(1, 254), rnd.randint(1024, 65535))
        elif kind < 0.55:
            tag, msg = "CRON[%d]" % rnd.randint(100, 999), "(root) CMD (run-parts /etc/cron.hourly)"
        elif kind < 0.75:
            tag, msg = "kernel", "eth0: link %s" % rnd.choice(["up", "down"])
        elif kind < 0.95:
            tag, msg = "systemd[1]", "Started session %d of user deploy." % rnd.randint(1, 5000)
        else:
            tag, msg = None, "last message repeated %d times" % rnd.randint(2, 9)
        pri = "<%d>" % rnd.choice([13, 30, 38, 86]) if rnd.random() < 0.2 else ""
        f.write("%s%s %s %s\n" % (pri, stamp, host, msg if tag is None else tag + ": " + msg))
PY

# 2. The questions, to mr local: two queries and a built-in function.
ask() { "$mr" local -i "$work/syslog" --format syslog_rfc3164 "$@" 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }; }
ask -o "$work/per-program.tsv" --sql \
  "SELECT host, program, count(*) AS messages FROM logs GROUP BY host, program ORDER BY host, program"
ask -o "$work/failed-ssh.tsv" --sql \
  "SELECT host, count(*) AS failed FROM logs WHERE program = 'sshd' AND message LIKE 'Failed password%' GROUP BY host ORDER BY failed DESC, host"
ask -o "$work/per-host.tsv" --map COUNT_BY -p field=host

# 3. The same answers with awk (a line with no tag has no program: an empty cell, sorted last).
awk '{
       sub(/^<[0-9]+>/, "");                       # the PRI, when there is one
       host = $4; tag = $5; program = "";
       if (tag ~ /:$/) { program = tag; sub(/\[[0-9]+\]/, "", program); sub(/:$/, "", program) }
       n[host SUBSEP program]++
     }
     END { for (k in n) { split(k, p, SUBSEP); printf "%s\t%s\t%d\n", p[1], (p[2] == "" ? "~" : p[2]), n[k] } }' \
  "$work/syslog" | LC_ALL=C sort -t $'\t' -k1,1 -k2,2 | sed 's/\t~\t/\t\t/' \
  | { printf 'host\tprogram\tmessages\n'; cat; } > "$work/per-program.expected"
awk '{ sub(/^<[0-9]+>/, "") } $5 ~ /^sshd\[/ && $6 == "Failed" && $7 == "password" { n[$4]++ }
     END { for (h in n) printf "%s\t%d\n", h, n[h] }' "$work/syslog" \
  | LC_ALL=C sort -t $'\t' -k2,2nr -k1,1 | { printf 'host\tfailed\n'; cat; } > "$work/failed-ssh.expected"
awk '{ sub(/^<[0-9]+>/, ""); n[$4]++ } END { for (h in n) printf "%s\t%d\n", h, n[h] }' "$work/syslog" \
  | LC_ALL=C sort > "$work/per-host.expected"

diff -u "$work/per-program.expected" "$work/per-program.tsv"
diff -u "$work/failed-ssh.expected" "$work/failed-ssh.tsv"
diff -u "$work/per-host.expected" "$work/per-host.tsv"
cat "$work/failed-ssh.tsv"
echo "syslog-hosts: OK ($lines lines; per host and program, failed SSH logins per host and COUNT_BY host match awk)"
