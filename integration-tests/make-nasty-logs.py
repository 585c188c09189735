#!/usr/bin/env python3
"""Writes a small log file full of edge cases of the input rules, to cross-check reference.py
against `mr local` (integration-tests/validate-reference.sh):

    integration-tests/make-nasty-logs.py [--no-nul-key] OUT_FILE

--no-nul-key leaves out the one valid record whose service contains U+0000, a key PostgreSQL
text cannot store.

Byte order marks, CR/CRLF/LF terminators, invalid UTF-8, NaN/Infinity, nesting at the depth
limit, non-string and repeated fields, escapes (\\uXXXX, surrogate pairs, lone surrogates),
keys with tabs and newlines, non-ASCII letters, text-form variants, and a message for every
ERROR_PATTERN and LATENCY rule (case folding included).
"""

import json
import sys

TS = "2026-11-20T00:00:00.001Z"


def obj(level="ERROR", service="svc", message="m", **extra):
    d = {"timestamp": TS, "level": level, "service": service, "message": message}
    d.update(extra)
    return json.dumps(d, ensure_ascii=False).encode("utf-8")


def text(level="ERROR", service="svc", message="m", middle=" host-1 abc"):
    return ("%s %s [%s]%s - %s" % (TS, level, service, middle, message)).encode("utf-8")


lines = []
add = lines.append
T = b"\n"  # default terminator

# --- plain valid records, both forms
add(obj("INFO", "order-service", "GET /api/v1/orders status 200 in 12 ms"))
add(text("INFO", "order-service", "GET /api/v1/orders status 200 in 12 ms"))

# --- BOM: not blank, so a BOM before "{" makes a text line (malformed); before a text line it
#     is part of the timestamp (valid)
add(b"\xef\xbb\xbf" + obj("INFO", "bom-json", "bom"))
add(b"\xef\xbb\xbf" + text("INFO", "bom-text", "bom"))

# --- invalid UTF-8, in JSON strings, outside strings and in text lines
add(b'{"timestamp":"t","level":"INFO","service":"s","message":"bad \xff"}')
add(b'{"timestamp":"t","level":"INFO","service":"s","message":"overlong \xc0\xaf"}')
add(b'{"timestamp":"t","level":"INFO","service":"s","message":"surrogate \xed\xa0\x80"}')
add(b'{"timestamp":"t","level":"INFO","service":"s","message":"too big \xf4\x90\x80\x80"}')
add(b'{"timestamp":"t","level":"INFO","service":"s","message":"truncated \xe2\x82"}')
add(b'{"timestamp":"t","level":"INFO","service":"s","message":"ok","x":"\xe2\x82"}')
add(b'{"timestamp":"t","level":"INFO","service":"s","message":"ok"} \xff')
add(text("INFO", "s", "m").replace(b" - m", b" - bad \xc3\x28"))
add(text("INFO", "s", "4-byte ok \U0001F600 and 3-byte \u20ac"))
add(b'{"timestamp":"t","level":"INFO","service":"s","message":"max \xf4\x8f\xbf\xbf ok"}')

# --- NaN / Infinity / numbers
add(b'{"timestamp":"t","level":"INFO","service":"nan","message":"m","v":NaN}')
add(b'{"timestamp":"t","level":"INFO","service":"inf","message":"m","v":Infinity}')
add(b'{"timestamp":"t","level":"INFO","service":"inf","message":"m","v":-Infinity}')
add(b'{"timestamp":"t","level":"INFO","service":"num-ok","message":"m","v":-0.0E+00,"w":1e5,"x":0,"y":[1,2.5,-3e-2]}')
add(b'{"timestamp":"t","level":"INFO","service":"num-huge","message":"m","v":' + b"9" * 5000 + b"}")
add(b'{"timestamp":"t","level":"INFO","service":"num-bad","message":"m","v":01}')
add(b'{"timestamp":"t","level":"INFO","service":"num-bad","message":"m","v":1.}')
add(b'{"timestamp":"t","level":"INFO","service":"num-bad","message":"m","v":.5}')
add(b'{"timestamp":"t","level":"INFO","service":"num-bad","message":"m","v":-}')
add(b'{"timestamp":"t","level":"INFO","service":"num-bad","message":"m","v":+1}')
add(b'{"timestamp":"t","level":"INFO","service":"num-bad","message":"m","v":0x10}')
add('{"timestamp":"t","level":"INFO","service":"num-bad","message":"m","v":1\u0663}'.encode("utf-8"))
add(b'{"timestamp":"t","level":"INFO","service":"lit-ok","message":"m","a":true,"b":false,"c":null}')
add(b'{"timestamp":"t","level":"INFO","service":"lit-bad","message":"m","a":True}')
add(b'{"timestamp":"t","level":"INFO","service":"lit-bad","message":"m","a":nul}')

# --- nesting: the record object counts as depth 1; 1000 is allowed, 1001 is not
for depth, name in ((999, "depth-999"), (1000, "depth-1000"), (1001, "depth-1001"), (1500, "depth-1500")):
    inner = depth - 1
    add(b'{"timestamp":"t","level":"INFO","service":"' + name.encode() + b'","message":"m","n":'
        + b"[" * inner + b"]" * inner + b"}")
add(b'{"timestamp":"t","level":"INFO","service":"depth-obj-1000","message":"m","n":'
    + b'{"a":' * 999 + b"1" + b"}" * 999 + b"}")
add(b'{"timestamp":"t","level":"INFO","service":"depth-obj-1001","message":"m","n":'
    + b'{"a":' * 1000 + b"1" + b"}" * 1000 + b"}")
add(b'{"timestamp":"t","level":"INFO","service":"brackets-in-strings","message":"' + b"[{" * 1200 + b'"}')
add(b'{"timestamp":"t","level":"INFO","service":"nested-ok","message":"m","o":{"level":5,"a":[{"b":{}},[]]}}')

# --- fields missing, not strings, repeated
add(b"{}")
add(b"{ }")
add(b'{"timestamp":"t"}')
add(b'{"timestamp":"t","level":"INFO","service":"s"}')
add(b'{"timestamp":"t","level":5,"service":"s","message":"m"}')
add(b'{"timestamp":"t","level":"INFO","service":true,"message":"m"}')
add(b'{"timestamp":"t","level":"INFO","service":"s","message":null}')
add(b'{"timestamp":{},"level":"INFO","service":"s","message":"m"}')
add(b'{"timestamp":"t","level":"INFO","service":["s"],"message":"m"}')
add(b'{"timestamp":"t","level":"INFO","service":"dup-first","message":"m","service":"dup-last"}')
add(b'{"timestamp":"t","level":"INFO","service":"dup-then-num","message":"m","service":1}')
add(b'{"timestamp":"t","level":7,"service":"num-then-str","message":"m","level":"WARN"}')
add(b'{"Timestamp":"t","level":"INFO","service":"case-key","message":"m"}')
add(b'{"timestamp":"t","level":"INFO","service":"extra","message":"m","Message":5,"messages":[]}')

# --- escapes
add(b'{"timestamp":"t","level":"INFO","service":"esc","message":"\\u0041BC \\u00e9t\\u00C9 \\ud83d\\ude00 x\\ty\\nz \\"q\\" a\\\\b c\\/d"}')
add(b'{"\\u0074imestamp":"t","\\u006cevel":"INFO","servic\\u0065":"esc-key","m\\u0065ssage":"escaped names"}')
add(b'{"timestamp":"t","level":"INFO","service":"lone-high","message":"x \\ud800 y"}')
add(b'{"timestamp":"t","level":"INFO","service":"lone-low","message":"x \\udc00 y"}')
add(b'{"timestamp":"t","level":"INFO","service":"high-high","message":"x \\ud800\\ud800\\udc00 y"}')
add(b'{"timestamp":"t","level":"INFO","service":"lone-in-other-value","message":"m","x":"\\ud800"}')
add(b'{"timestamp":"t","level":"INFO","service":"lone-in-other-name","message":"m","\\ud800":1}')
add(b'{"timestamp":"t","level":"INFO","service":"lone-in-nested-name","message":"m","o":{"\\ud800":1}}')
add(b'{"timestamp":"t","level":"INFO","service":"lone-then-ok","message":"\\udc00","message":"ok"}')
add(b'{"timestamp":"t","level":"INFO","service":"ok-then-lone","message":"ok","message":"\\ud800"}')
add(b'{"timestamp":"t","level":"INFO","service":"num-then-lone","message":1,"message":"\\ud800x"}')
add(b'{"timestamp":"t","level":"INFO","service":"pair-split","message":"\\ud83d x \\ude00"}')
add(b'{"timestamp":"t","level":"INFO","service":"pair-upper","message":"\\uD83D\\uDE00 ok"}')
add(b'{"timestamp":"t","level":"INFO","service":"bad-escape","message":"\\x"}')
add(b'{"timestamp":"t","level":"INFO","service":"bad-escape","message":"\\u12G4"}')
add(b'{"timestamp":"t","level":"INFO","service":"bad-escape","message":"\\u12"}')
add(b'{"timestamp":"t","level":"INFO","service":"bad-escape","message":"\\U0041"}')
add(b'{"timestamp":"t","level":"INFO","service":"bad-escape","message":"\\\'"}')
add(b'{"timestamp":"t","level":"INFO","service":"raw-control","message":"a\x01b"}')
add(b'{"timestamp":"t","level":"INFO","service":"raw-tab","message":"a\tb"}')
add(b'{"timestamp":"t","level":"INFO","service":"raw-del","message":"a\x7fb"}')
add('{"timestamp":"t","level":"INFO","service":"raw-u2028","message":"a\u2028b\u00a0c"}'.encode("utf-8"))
add(b'{"timestamp":"t","level":"INFO","service":"tab\\there","message":"m"}')
add(b'{"timestamp":"t","level":"INFO","service":"new\\nline","message":"m"}')
add(b'{"timestamp":"t","level":"INFO","service":"cr\\rhere","message":"m"}')
add(b'{"timestamp":"t","level":"INFO","service":"back\\\\slash","message":"m"}')
add(b'{"timestamp":"t","level":"INFO","service":"","message":"empty service"}')
add(b'{"timestamp":"t","level":"","service":"empty-level","message":""}')
if "--no-nul-key" not in sys.argv:
    add(b'{"timestamp":"t","level":"INFO","service":"nul\\u0000byte","message":"m"}')

# --- whitespace and trailing content
add(b'  \t{"timestamp":"t","level":"INFO","service":"lead-ws","message":"m"}')
add(b'{ "timestamp" : "t" ,\t"level":"INFO" , "service" : "inner-ws" , "message" : "m" }  \t ')
add(b'\x0c{"timestamp":"t","level":"INFO","service":"formfeed","message":"m"}')
add(b'\x0b{"timestamp":"t","level":"INFO","service":"vtab","message":"m"}')
add('\u00a0{"timestamp":"t","level":"INFO","service":"nbsp","message":"m"}'.encode("utf-8"))
add(b'{"timestamp":"t","level":"INFO","service":"trailing","message":"m"} x')
add(b'{"timestamp":"t","level":"INFO","service":"trailing","message":"m"}{}')
add(b'{"timestamp":"t","level":"INFO","service":"trailing","message":"m"},')
add(b'{"timestamp":"t","level":"INFO","service":"trailing-comma","message":"m",}')
add(b"{'timestamp':'t','level':'INFO','service':'single','message':'m'}")
add(b'{"timestamp":"t","level":"INFO","service":"unterminated","message":"m"')
add(b"{")
add(b'["t","INFO","s","m"]')
add(b'"just a string"')
add(b"   ")
add(b"\t")
add(b"")

# --- text form variants
add(text("INFO", "text-no-host", "m", middle=""))                 # "] - m"
add(text("INFO", "text-host-only", "m", middle=" h"))
add(text("INFO", "", "empty service"))
add(text("INFO", "a [b", "bracket in service"))
add(text("INFO", "text-dash-in-msg", "a - b - c"))
add(text("INFO", "text-empty-msg", ""))
add(text("INFO", "text-trailing", "m  \t"))
add(text("INFO", "text-tab", "a\tb"))
add(("%s  INFO [two-spaces] h - m" % TS).encode())
add(("%s INFO  [two-spaces-2] h - m" % TS).encode())
add(("%s INFO[no-space] h - m" % TS).encode())
add((" %s INFO [leading-space] h - m" % TS).encode())
add(("\t%s INFO [leading-tab] h - m" % TS).encode())
add(("%s\tINFO [tab-sep] h - m" % TS).encode())
add(("%s INFO [no-dash] h -m" % TS).encode())
add(("%s INFO [no-close h - m" % TS).encode())
add(("%s INFO - [dash-before] h - m" % TS).encode())
add(("%s INFO [dash-in-svc - x] h - m" % TS).encode())
add(("%s INFO [s]x - m]" % TS).encode())
add(("%s INFO" % TS).encode())
add(("%s INFO " % TS).encode())
add(("%s INFO [" % TS).encode())
add(("%s INFO [s]" % TS).encode())
add(("%s INFO [s] - " % TS).encode())
add(("%s INFO [s]  - two spaces before dash" % TS).encode())
add(("%s INFO [s] -  - double dash" % TS).encode())
add(("%s ÜNICODE [sérvice] h - ünïcode" % TS).encode())
add(("x y [z] - w").encode())
add(("[] a [b] - c").encode())

# --- WORD_COUNT tokens
add(obj("INFO", "words", "café naïve Straße 東京 ÀB_c9 ÉCOLE __init__ A_B x1Y2 _ 9 Kelvin\u212aK ſs ǅx"))
add(obj("INFO", "words", "MiXeD CASE mixed case, punctuation!!! (parens) [brackets] {braces} a.b.c a-b-c a/b"))
add(obj("INFO", "words", "\u0130stanbul d\u0131\u015fk \u00dfharp \ufb01ne"))

# --- ERROR_PATTERN: each pattern, in several cases and forms, at several levels
messages = [
    "request timeout", "Timed Out waiting", "time-out", "TIME OUT", "TIMEOUT", "timeouts pile up",
    "pretimeout", "time_out", "timed  out",
    "java.net.SocketTimeoutException: read", "caused by IOException then SQLException",
    "java.lang.OutOfMemoryError: Java heap space", "$Proxy12Error in proxy", "a$BadError here",
    "Exception alone", "MyException2 no", "_Error", "ERROR upper", "error lower", "xException_y",
    "HTTP 503", "status=502", "code: 599", "returned 500x", "status 5000", "Status:::504",
    "http500", "STATUS 501 and status 502", "returned  = 500",
    "connection refused", "Connection Reset by peer", "can't connect", "CANNOT CONNECT",
    "unable to connect", "failed to connect", "could not connect", "ECONNREFUSED", "econnreset",
    "broken pipe", "host unreachable", "connection timed out", "connection lost", "connectionrefused",
    "OOM killed", "oom", "out of memory", "OutOfMemoryErrorX", "xOutOfMemoryError", "outofmemoryerror",
    "slow query", "Slow Response", "slow  query", "slow operation", "slowquery",
    "retry", "retries", "RETRIED", "Retrying", "retrys", "retr",
    "unauthorised", "Unauthorized", "forbidden", "access denied", "authentication failed",
    "invalid token", "token expired", "tokenexpired",
    "payment declined", "Payment Failed", "payment rejected", "payment refused",
    "No space left on device", "disk is full", "disk full", "diskfull", "disk  full",
    # Unicode case folding (RE2: only long s and the Kelvin sign fold to ASCII letters)
    "connection refu\u017fed", "bro\u212aen pipe", "t\u0131me out", "T\u0130MEOUT", "\u017flow query",
    "to\u212aen expired", "retr\u0131ed", "di\u017f\u212a full",
    # several patterns in one line, and a pattern twice
    "timeout timeout retry retry status 503 then status 502",
    "IOException: connection reset, retrying after timeout; HTTP 500; OOM; slow call; forbidden",
    "DiskFullError: no space left on device; payment failed; invalid token",
    "payment declined: SocketTimeoutException status 504 retried",
]
for level in ("ERROR", "WARN", "warn", "Warning", "FATAL", "error", "INFO", "ERR", "CRITICAL",
              "WARN ", "WARN\u0131NG", "W\u0391RN", "debug"):
    for i, m in enumerate(messages):
        if level in ("ERROR", "WARN") or i % 7 == 0:
            add(obj(level, "patterns", m))
for m in messages[::5]:
    add(text("WARN", "patterns-text", m))
add(text("Warning", "patterns-text", "timeout"))

# --- LATENCY
for m in ("took 12ms", "took 12 ms", "took 12  ms", "a12 ms", "x 007 ms", "1234567890123456789 ms",
          "123456789012345678 ms", "12 msec", "12ms.", "12 ms_", "5 ms and 7 ms", "ms 5", "9ms",
          "-3 ms", "1.5 ms", "x_4 ms", "é4 ms", "0 ms", "4 MS"):
    add(obj("INFO", "latency", m))

# --- terminators: CRLF, CR, LF CR, a line with only CR around it, and no final terminator
body = T.join(lines) + T
body += obj("INFO", "crlf", "crlf line") + b"\r\n"
body += obj("INFO", "cr", "cr line") + b"\r"
body += obj("INFO", "lfcr", "lf cr") + b"\n\r"
body += b"\r\n\r\n"
body += text("INFO", "cr-text", "cr text") + b"\r\r\n"
body += obj("INFO", "last", "no terminator")

out = [a for a in sys.argv[1:] if a != "--no-nul-key"]
if len(out) != 1:
    sys.exit("usage: make-nasty-logs.py [--no-nul-key] OUT_FILE")
with open(out[0], "wb") as f:
    f.write(body)
print("%s: %d bytes" % (out[0], len(body)), file=sys.stderr)
