#!/usr/bin/env python3
"""Independent reference computation of a MapReduce log-analysis job, for the integration tests.

It reads log files and prints the result rows a job must produce, computed from the
specification (README "Input" and "Functions", ../shared/design.md "Log input formats" and
"Built-in functions") with the Python standard library only. It never calls the project's
code, so a bug in the engine cannot hide itself in the expected values.

    integration-tests/reference.py --map WORD_COUNT --reduce SUM logs.jsonl > expected.tsv
    integration-tests/reference.py --map WORD_COUNT --map LEVEL_COUNT --format jsonl \
        --output-dir DIR --counters DIR/counters.json logs.jsonl

Output: one row per key, sorted by the key's UTF-8 bytes (the order of `LC_ALL=C sort` and of
`mr local`), as `key<TAB>value` lines (--format tsv, byte-identical to `mr local`'s output) or
as `["key","value"]` JSON lines (--format jsonl, unambiguous even for keys with tabs or
newlines). With several --map options (or --output-dir), each function goes to
DIR/<MAP>.<format>. The counters (lines read, malformed lines) go to stderr and, with
--counters FILE, to FILE as {"recordsRead": N, "malformedRecords": M}.

The rules implemented here, from the specification:

Lines. A file is split into lines at "\\n", "\\r" and "\\r\\n"; a terminator at the very end does
not start another line; every line, even an empty one, is read (recordsRead counts them all).

Records. A line whose first character other than space and tab is "{" is JSON, any other line
is the text form. A record is valid when the line is valid UTF-8 (strict: no overlong forms,
no surrogates, nothing above U+10FFFF) and its timestamp, level, service and message are strings.
  JSON: exactly one RFC 8259 object, optionally surrounded by JSON whitespace; no NaN/Infinity,
        no trailing content; other members are ignored; when a member repeats the last one
        wins (also when the last one is not a string). Unspecified corners, decided as the
        engine's documentation decides them: nesting deeper than 1000 levels (the record object
        counts as 1) is malformed, and a member name of the record object, or a value of one of
        the four fields, that contains an unpaired UTF-16 surrogate escape (\\ud800 alone) is
        malformed (it has no UTF-8 form).
  Text: "<timestamp> <level> [<service>]<anything> - <message>": timestamp and level are
        non-empty runs of characters other than " ", each followed by exactly one " "; the
        level is followed by " ["; the service is everything up to the first "]" (it may be
        empty); the message is everything after the first " - " that follows that "]".
Anything else (empty or blank line, invalid UTF-8, unparseable, a field missing or not a
string) is malformed: counted and skipped.

Map functions.
  WORD_COUNT            each maximal run of [A-Za-z0-9_] bytes of the message, ASCII-lowercased
  SERVICE_DISTRIBUTION  the service, as it is
  LEVEL_COUNT           the level, as written
  ERROR_PATTERN         only for records whose level is WARN, WARNING, ERROR or FATAL (ASCII
                        case-insensitive): each built-in pattern the message matches, once per
                        line; a pattern with a capture group emits NAME:captured (first match)
  LATENCY               the service, with value N, for the first "<N> ms" / "<N>ms" in the
                        message: N a whole run of at most 18 digits not preceded by a word
                        byte, at most one space, then "ms" not followed by a word byte
Reduce functions: SUM, COUNT, MIN, MAX, AVG (mean rounded half-even to 6 places, trailing zeros
dropped). SUM fails on a result outside a signed 64-bit long, as the engine does.
"""

import argparse
import collections
import gzip
import json
import os
import re
import sys
from decimal import ROUND_HALF_EVEN, Decimal

MAP_FUNCTIONS = ("WORD_COUNT", "SERVICE_DISTRIBUTION", "LEVEL_COUNT", "ERROR_PATTERN", "LATENCY")
REDUCE_FUNCTIONS = ("SUM", "COUNT", "MIN", "MAX", "AVG")
FIELDS = ("timestamp", "level", "service", "message")
MAX_DEPTH = 1000
LONG_MAX = (1 << 63) - 1
LONG_MIN = -(1 << 63)
CHUNK = 16 << 20

# --------------------------------------------------------------------------------------------
# ERROR_PATTERN's built-in catalogue (README). Each entry: name, regular expression (RE2
# syntax as documented, (?i) meaning case-insensitive), whether the match is case-insensitive.
# The expressions are written for RE2 semantics: \b is an ASCII word boundary, and (?i) folds
# case with Unicode simple case folding, so besides ASCII letters only U+017F (long s, folds
# with s) and U+212A (Kelvin sign, folds with k) match an ASCII letter. Python's re.IGNORECASE
# folds more (dotless i, capital I with dot), so case-insensitivity is expanded here into
# explicit character classes instead.
# --------------------------------------------------------------------------------------------
CATALOGUE = (
    ("TIMEOUT", r"\b(?:time[ -]?out|timed out)\b", True),
    ("EXCEPTION", r"\b([A-Za-z_$][A-Za-z0-9_$]*(?:Exception|Error))\b", False),
    ("HTTP_5XX", r"\b(?:status|http|code|returned)[ =:]*(5[0-9][0-9])\b", True),
    (
        "CONNECTION_FAILURE",
        r"\bconnection (?:refused|reset|timeout|timed out|failed|closed|lost|error)\b"
        r"|\b(?:could not|cannot|can't|unable to|failed to) connect\b"
        r"|\bECONNREFUSED\b|\bECONNRESET\b|\bbroken pipe\b|\bhost unreachable\b",
        True,
    ),
    ("OUT_OF_MEMORY", r"OutOfMemoryError|\bout of memory\b|\bOOM\b", True),
    ("SLOW_OPERATION", r"\bslow (?:query|request|call|response|operation)\b", True),
    ("RETRY", r"\bretr(?:y|ying|ied|ies)\b", True),
    (
        "AUTH_FAILURE",
        r"\b(?:unauthori[sz]ed|forbidden|access denied|authentication failed|invalid token|token expired)\b",
        True,
    ),
    ("PAYMENT_DECLINED", r"\bpayment (?:declined|failed|rejected)\b", True),
    ("DISK_FULL", r"\bno space left on device\b|\bdisk (?:is )?full\b", True),
)

_EXTRA_FOLDS = {"s": "\u017f", "k": "\u212a"}


def _fold_class(c):
    if not c.isascii() or not c.isalpha():
        return c
    return c.lower() + c.upper() + _EXTRA_FOLDS.get(c.lower(), "")


def _case_insensitive(pattern):
    """Rewrites a pattern so that every ASCII letter outside escapes matches its RE2 case orbit."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif pattern.startswith("(?:", i):
            out.append("(?:")
            i += 3
        elif c == "[":
            j = pattern.index("]", i + 1)
            body = pattern[i + 1 : j]
            if re.search(r"[A-Za-z]-|-[A-Za-z]", body) or body.startswith("^"):
                raise ValueError("letter ranges and negated classes are not supported: " + pattern)
            out.append("[" + "".join(_fold_class(x) for x in body) + "]")
            i = j + 1
        elif c.isascii() and c.isalpha():
            out.append("[" + _fold_class(c) + "]")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def compile_catalogue():
    compiled = []
    for name, regex, insensitive in CATALOGUE:
        rx = re.compile(_case_insensitive(regex) if insensitive else regex, re.ASCII)
        compiled.append((name, rx, rx.groups >= 1))
    return compiled


WARN_OR_ERROR = frozenset((b"WARN", b"WARNING", b"ERROR", b"FATAL"))
TOKEN = re.compile(rb"[A-Za-z0-9_]+")
LATENCY = re.compile(rb"(?<![A-Za-z0-9_])([0-9]{1,18}) ?ms(?![A-Za-z0-9_])")
SURROGATE = re.compile("[\ud800-\udfff]")
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(r"[\[\]{}]")


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------
class _Members(list):
    """The (name, value) pairs of a JSON object, in order (so repeats are visible)."""


def _reject_constant(name):
    raise ValueError("not JSON: " + name)


def _ignore_number(text):
    return None  # numbers are never fields we keep; this also avoids int(huge) limits


_DECODER = json.JSONDecoder(
    object_pairs_hook=_Members,
    parse_constant=_reject_constant,
    parse_int=_ignore_number,
    parse_float=_ignore_number,
    strict=True,
)


def _depth(s):
    """Maximum nesting depth of a (probably valid) JSON text, the outermost container being 1."""
    depth = best = 0
    for b in BRACKETS.findall(JSON_STRING.sub("", s)):
        if b in "[{":
            depth += 1
            best = max(best, depth)
        else:
            depth -= 1
    return best


def parse_json(s):
    if s.count("{") + s.count("[") > MAX_DEPTH and _depth(s) > MAX_DEPTH:
        return None
    try:
        obj = _DECODER.decode(s)
    except (ValueError, RecursionError):
        return None
    if not isinstance(obj, _Members):
        return None
    escapes = "\\u" in s  # without \u escapes no string can hold a surrogate
    values = {}
    for name, value in obj:
        if escapes and SURROGATE.search(name):
            return None
        if name in ("timestamp", "level", "service", "message"):
            if isinstance(value, str):
                if escapes and SURROGATE.search(value):
                    return None
                values[name] = value
            else:
                values[name] = None
    try:
        rec = (values["timestamp"], values["level"], values["service"], values["message"])
    except KeyError:
        return None
    return None if None in rec else rec


def parse_text(s):
    ts_end = s.find(" ")
    if ts_end <= 0:
        return None
    level_end = s.find(" ", ts_end + 1)
    if level_end <= ts_end + 1:
        return None
    if not s.startswith("[", level_end + 1):
        return None
    service_end = s.find("]", level_end + 2)
    if service_end < 0:
        return None
    dash = s.find(" - ", service_end + 1)
    if dash < 0:
        return None
    return (s[:ts_end], s[ts_end + 1 : level_end], s[level_end + 2 : service_end], s[dash + 3 :])


def parse_line(line):
    """The record (timestamp, level, service, message) of one line (bytes), or None if malformed."""
    first = line.lstrip(b" \t")
    if not first:
        return None
    try:
        s = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return parse_json(s) if first[0] == 0x7B else parse_text(s)


def read_lines(path):
    """Yields lists of the lines (bytes, without terminators) of a file, a chunk at a time."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        carry = b""
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                if carry:
                    yield carry.splitlines()
                return
            data = carry + chunk
            cut = data.rfind(b"\n")  # a \n always ends a terminator (\n or \r\n)
            if cut < 0:
                carry = data
                continue
            carry = data[cut + 1 :]
            yield data[: cut + 1].splitlines()


# --------------------------------------------------------------------------------------------
# Map and reduce
# --------------------------------------------------------------------------------------------
class Job:
    def __init__(self, maps):
        self.maps = maps
        self.counts = {m: collections.Counter() for m in maps}  # key -> number of values 1
        self.latency = {}  # service -> [sum, count, min, max]
        self.patterns = compile_catalogue()
        self.records_read = 0
        self.malformed = 0
        # the json module recurses once per nesting level; lines deeper than MAX_DEPTH never get there
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * MAX_DEPTH + 1000))

    def feed(self, lines):
        self.records_read += len(lines)
        records = []
        for line in lines:
            rec = parse_line(line)
            if rec is None:
                self.malformed += 1
            else:
                records.append(rec)
        if "WORD_COUNT" in self.counts:
            text = "\n".join(r[3] for r in records).encode("utf-8", "surrogatepass").lower()
            self.counts["WORD_COUNT"].update(TOKEN.findall(text))
        if "SERVICE_DISTRIBUTION" in self.counts:
            self.counts["SERVICE_DISTRIBUTION"].update(r[2] for r in records)
        if "LEVEL_COUNT" in self.counts:
            self.counts["LEVEL_COUNT"].update(r[1] for r in records)
        if "ERROR_PATTERN" in self.counts:
            counter = self.counts["ERROR_PATTERN"]
            for _, level, _, message in records:
                if len(level) > 7 or level.encode("utf-8", "surrogatepass").upper() not in WARN_OR_ERROR:
                    continue
                for name, rx, grouped in self.patterns:
                    m = rx.search(message)
                    if m:
                        g = m.group(1) if grouped else None
                        counter[name if g is None else name + ":" + g] += 1
        if "LATENCY" in self.maps:
            acc = self.latency
            for _, _, service, message in records:
                m = LATENCY.search(message.encode("utf-8", "surrogatepass"))
                if m:
                    v = int(m.group(1))
                    a = acc.get(service)
                    if a is None:
                        acc[service] = [v, 1, v, v]
                    else:
                        a[0] += v
                        a[1] += 1
                        a[2] = min(a[2], v)
                        a[3] = max(a[3], v)

    def rows(self, map_name, reduce_name):
        """The result rows (key as str, value as decimal text), sorted by the key's UTF-8 bytes."""
        if map_name == "LATENCY":
            partials = self.latency
        else:
            partials = {k: [c, c, 1, 1] for k, c in self.counts[map_name].items()}
        rows = []
        for key, (total, count, lo, hi) in partials.items():
            if isinstance(key, bytes):
                key = key.decode("ascii")
            if reduce_name == "SUM":
                if not LONG_MIN <= total <= LONG_MAX:
                    raise OverflowError("SUM of key %r overflows a long" % key)
                value = str(total)
            elif reduce_name == "COUNT":
                value = str(count)
            elif reduce_name == "MIN":
                value = str(lo)
            elif reduce_name == "MAX":
                value = str(hi)
            else:
                if not LONG_MIN <= total <= LONG_MAX:
                    raise OverflowError("AVG sum of key %r overflows a long" % key)
                mean = (Decimal(total) / Decimal(count)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)
                value = _plain(mean)
            rows.append((key, value))
        # str order is code point order, which for valid Unicode is UTF-8 byte order
        rows.sort(key=lambda kv: kv[0])
        return rows


def _plain(d):
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_rows(rows, out, fmt):
    # PostgreSQL text cannot hold U+0000: the cluster and mr local store it as U+2400 (docs/results.md)
    rows = [(key.replace("\x00", "\u2400"), value) for key, value in rows]
    if fmt == "tsv":
        for key, value in rows:
            out.write(key.encode("utf-8") + b"\t" + value.encode("ascii") + b"\n")
    else:
        for key, value in rows:
            out.write(json.dumps([key, value], ensure_ascii=False).encode("utf-8") + b"\n")


def main(argv=None):
    p = argparse.ArgumentParser(
        description="Independent expected results of a log-analysis MapReduce job (see the module docstring).")
    p.add_argument("inputs", nargs="+", metavar="FILE", help="log file (plain, or .gz)")
    p.add_argument("-m", "--map", action="append", dest="maps", metavar="FUNCTION",
                   help="map function (repeatable; default WORD_COUNT): " + ", ".join(MAP_FUNCTIONS))
    p.add_argument("-r", "--reduce", default="SUM", metavar="FUNCTION",
                   help="reduce function (default SUM): " + ", ".join(REDUCE_FUNCTIONS))
    p.add_argument("--format", choices=("tsv", "jsonl"), default="tsv", help="row format (default tsv)")
    p.add_argument("-o", "--output", metavar="FILE", help="output file for a single map function (default stdout)")
    p.add_argument("--output-dir", metavar="DIR", help="write DIR/<MAP>.<format> for each map function")
    p.add_argument("--counters", metavar="FILE", help="also write the counters as JSON to FILE")
    a = p.parse_args(argv)
    maps = [m.strip().upper() for m in (a.maps or ["WORD_COUNT"])]
    reduce_name = a.reduce.strip().upper()
    for m in maps:
        if m not in MAP_FUNCTIONS:
            p.error("unknown map function %r; valid: %s" % (m, ", ".join(MAP_FUNCTIONS)))
    if reduce_name not in REDUCE_FUNCTIONS:
        p.error("unknown reduce function %r; valid: %s" % (a.reduce, ", ".join(REDUCE_FUNCTIONS)))
    if len(maps) > 1 and not a.output_dir:
        p.error("several map functions need --output-dir")

    job = Job(maps)
    for path in a.inputs:
        for lines in read_lines(path):
            job.feed(lines)
    try:
        results = {m: job.rows(m, reduce_name) for m in maps}
    except OverflowError as e:
        print("reference: " + str(e), file=sys.stderr)
        return 1
    if a.output_dir:
        os.makedirs(a.output_dir, exist_ok=True)
        for m, rows in results.items():
            with open(os.path.join(a.output_dir, "%s.%s" % (m, a.format)), "wb") as f:
                write_rows(rows, f, a.format)
    elif a.output:
        with open(a.output, "wb") as f:
            write_rows(results[maps[0]], f, a.format)
    else:
        write_rows(results[maps[0]], sys.stdout.buffer, a.format)
        sys.stdout.buffer.flush()
    counters = {"recordsRead": job.records_read, "malformedRecords": job.malformed}
    if a.counters:
        with open(a.counters, "w") as f:
            json.dump(counters, f)
            f.write("\n")
    print("reference: records read %d, malformed %d" % (job.records_read, job.malformed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
