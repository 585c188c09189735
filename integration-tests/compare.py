#!/usr/bin/env python3
"""Compares two sets of job result rows, every row, and exits non-zero on any difference.

    integration-tests/compare.py [--label NAME] [--expected-format tsv|jsonl]
                                 [--actual-format tsv|jsonl] [--exact-text] [--show N]
                                 EXPECTED ACTUAL

Formats:
  tsv    key<TAB>value lines (`mr local`'s output, reference.py --format tsv); the value is
         what follows the last tab, so a key may hold tabs but not newlines.
  jsonl  one JSON array ["key", value] per line, value a string or a number
         (reference.py --format jsonl; psql -A -t with json_build_array(result_key,
         result_value::text)); unambiguous for any key.

Values are compared as exact decimals (PostgreSQL numeric text: "42" equals "42.000"), or as
text with --exact-text. Differences: a key only in EXPECTED (missing), only in ACTUAL (extra),
a key twice in either file (duplicate), a different value, an unparseable line or value.

Exit status: 0 equal, 1 different, 2 bad usage or unreadable file. The last line printed is a
one-line summary; the first N (default 10) differing keys are listed before it.
"""

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation


class BadInput(Exception):
    pass


def read_rows(path, fmt, problems, side):
    """Reads (key, value-text) rows; appends duplicates and bad lines to problems."""
    rows = {}
    with open(path, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        data += b"\n"
    for n, raw in enumerate(data.split(b"\n")[:-1], 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(("bad-line", "%s line %d" % (side, n), repr(raw[:80]), ""))
            continue
        if fmt == "tsv":
            if "\t" not in line:
                problems.append(("bad-line", "%s line %d" % (side, n), repr(line[:80]), ""))
                continue
            key, value = line.rsplit("\t", 1)
        else:
            try:
                row = json.loads(line)
            except ValueError:
                row = None
            if not (isinstance(row, list) and len(row) == 2 and isinstance(row[0], str)):
                problems.append(("bad-line", "%s line %d" % (side, n), repr(line[:80]), ""))
                continue
            key, value = row
            if value is None:
                value = "NULL"
            elif not isinstance(value, str):
                value = json.dumps(value)
        if key in rows:
            problems.append(("duplicate", key, "%s has the key twice: %s and %s" % (side, rows[key], value), ""))
            continue
        rows[key] = value
    return rows


def as_decimal(text):
    try:
        d = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def compare(expected, actual, exact_text):
    """The differences, as (kind, key, expected, actual), sorted by key."""
    diffs = []
    for key in sorted(expected.keys() | actual.keys()):
        if key not in actual:
            diffs.append(("missing", key, expected[key], ""))
        elif key not in expected:
            diffs.append(("extra", key, "", actual[key]))
        else:
            e, a = expected[key], actual[key]
            if exact_text:
                same = e == a
            else:
                de, da = as_decimal(e), as_decimal(a)
                if de is None or da is None:
                    same = False
                else:
                    same = de == da
            if not same:
                diffs.append(("different", key, e, a))
    return diffs


def main(argv=None):
    p = argparse.ArgumentParser(description="Compare job result rows exactly (see the module docstring).")
    p.add_argument("expected")
    p.add_argument("actual")
    p.add_argument("--label", default="", help="name printed in the summary (e.g. the job)")
    p.add_argument("--expected-format", choices=("tsv", "jsonl"), default="tsv")
    p.add_argument("--actual-format", choices=("tsv", "jsonl"), default="tsv")
    p.add_argument("--exact-text", action="store_true", help="compare values as text, not as decimals")
    p.add_argument("--show", type=int, default=10, help="differences to list (default 10)")
    a = p.parse_args(argv)
    label = (a.label + ": ") if a.label else ""
    problems = []
    try:
        expected = read_rows(a.expected, a.expected_format, problems, "expected")
        actual = read_rows(a.actual, a.actual_format, problems, "actual")
    except OSError as e:
        print("%scannot read: %s" % (label, e), file=sys.stderr)
        return 2
    diffs = problems + compare(expected, actual, a.exact_text)
    if diffs:
        for kind, key, e, g in diffs[: a.show]:
            print("  %-9s key %s: expected %s, got %s" % (kind, json.dumps(key, ensure_ascii=False)[:200],
                                                          e or "-", g or "-"))
        if len(diffs) > a.show:
            print("  ... and %d more" % (len(diffs) - a.show))
    counts = {}
    for d in diffs:
        counts[d[0]] = counts.get(d[0], 0) + 1
    detail = ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items()))
    print("%s%s: %d expected rows, %d actual rows, %d compared equal%s" % (
        label, "DIFFERENT" if diffs else "OK", len(expected), len(actual),
        len(expected.keys() & actual.keys()) - counts.get("different", 0),
        (" (" + detail + ")") if diffs else ""))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
