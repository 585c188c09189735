package dev.mapreduce.engine.format.json;

import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.record.Utf8;

/**
 * A strict, allocation-free scanner of one JSON object per line (RFC 8259 grammar, UTF-8). It
 * validates the whole line and keeps the values of the members its {@link PathTree} names: a
 * string as its decoded text, a number or {@code true}/{@code false} as written, an object or
 * array as its JSON text, {@code null} as absent. A member the tree marks string-only is absent
 * unless it is a string. When a field is given more than once (a member repeats, or a path is
 * spelled both nested and with dots, as ecs-logging-python writes {@code "log.level"} beside
 * {@code "log": {"logger": ...}}), the last value wins; an object member never erases what
 * another spelling gave.
 */
final class JsonScanner {

    /**
     * Nesting deeper than this (the record's own object counts as 1) is malformed, so a line of a
     * million brackets cannot exhaust the stack; Jackson's {@code maxNestingDepth(1000)} agrees.
     */
    static final int MAX_DEPTH = 1000;

    /** Bytes that can appear in a JSON string as themselves: printable ASCII except quote and backslash. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    private final PathTree root;

    private byte[] b;
    private int end;
    /** Set by {@link #scanString}: whether the string just scanned had escapes. */
    private boolean escaped;

    private Record record;
    private String reason;

    JsonScanner(PathTree root) {
        this.root = root;
    }

    /** Why the last scan failed. */
    String reason() {
        return reason;
    }

    /**
     * Scans {@code line[off, off + len)} into {@code out} (which the caller has reset); true if the
     * line is one valid JSON object.
     */
    boolean scan(byte[] line, int off, int len, Record out) {
        this.b = line;
        this.end = off + len;
        this.record = out;
        int i = skipSpace(off);
        if (i >= end || b[i] != '{') {
            return fail("not a JSON object");
        }
        i = scanObject(i + 1, root, 1);
        if (i < 0) {
            return false;
        }
        if (skipSpace(i) != end) {
            return fail("content after the JSON object");
        }
        return true;
    }

    /** Scans the members of an object whose '{' was just before {@code i}; returns the index after its '}', or -1. */
    private int scanObject(int i, PathTree node, int depth) {
        i = skipSpace(i);
        if (i < end && b[i] == '}') {
            return i + 1;
        }
        while (true) {
            if (i >= end || b[i] != '"') {
                return failed("expected a member name in quotes");
            }
            int keyStart = i + 1;
            int keyEnd = scanString(keyStart);
            if (keyEnd < 0) {
                return -1;
            }
            int entry = escaped ? findEscaped(node, keyStart, keyEnd) : node.find(b, keyStart, keyEnd);
            if (entry == -2) {
                return -1;
            }
            i = skipSpace(keyEnd + 1);
            if (i >= end || b[i] != ':') {
                return failed("expected ':' after a member name");
            }
            i = skipSpace(i + 1);
            if (i >= end) {
                return failed("the line ends inside an object");
            }
            i = entry < 0 ? skipValue(i, depth) : member(i, node, entry, depth);
            if (i < 0) {
                return -1;
            }
            i = skipSpace(i);
            if (i >= end) {
                return failed("the line ends inside an object");
            }
            byte c = b[i];
            if (c == ',') {
                i = skipSpace(i + 1);
            } else if (c == '}') {
                return i + 1;
            } else {
                return failed("expected ',' or '}' in an object");
            }
        }
    }

    /** The value of a member the tree names; returns the index after it, or -1. */
    private int member(int i, PathTree node, int entry, int depth) {
        int slot = node.slot(entry);
        PathTree child = node.child(entry);
        byte c = b[i];
        if (c == '"') {
            int valueStart = i + 1;
            int valueEnd = scanString(valueStart);
            if (valueEnd < 0) {
                return -1;
            }
            if (slot >= 0) {
                if (escaped) {
                    if (!decodeInto(slot, valueStart, valueEnd)) {
                        return -1;
                    }
                } else {
                    record.set(slot, b, valueStart, valueEnd - valueStart);
                }
            }
            return valueEnd + 1;
        }
        int after;
        if (c == '{' && child != null) {
            if (depth >= MAX_DEPTH) {
                return failed("nested deeper than " + MAX_DEPTH + " levels");
            }
            after = scanObject(i + 1, child, depth + 1);
        } else {
            after = skipValue(i, depth);
        }
        if (after < 0) {
            return -1;
        }
        if (slot >= 0) {
            if (node.stringOnly(entry) || c == 'n') {
                record.clear(slot); // last member wins, and it is not a string (or it is null)
            } else {
                record.set(slot, b, i, after - i);
            }
        }
        return after;
    }

    private int skipSpace(int i) {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * Scans a string whose content starts at {@code i}; returns the index of its closing quote, or
     * -1 if it is invalid (unescaped control character, bad escape, invalid UTF-8, unterminated).
     */
    private int scanString(int i) {
        escaped = false;
        byte[] b = this.b;
        int end = this.end;
        boolean[] plain = PLAIN;
        while (i < end) {
            while (plain[b[i] & 0xFF] && ++i < end) {
                // most bytes of a log line's strings are plain ASCII
            }
            if (i >= end) {
                break;
            }
            byte c = b[i]; // not plain
            if (c == '"') {
                return i;
            } else if (c == '\\') {
                escaped = true;
                if (i + 1 >= end) {
                    return failed("the line ends inside a string");
                }
                byte e = b[i + 1];
                if (e == 'u') {
                    if (i + 5 >= end
                            || hex(b[i + 2]) < 0
                            || hex(b[i + 3]) < 0
                            || hex(b[i + 4]) < 0
                            || hex(b[i + 5]) < 0) {
                        return failed("a bad \\u escape in a string");
                    }
                    i += 6;
                } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
                        || e == 't') {
                    i += 2;
                } else {
                    return failed("a bad escape in a string");
                }
            } else if (c < 0) {
                int n = Utf8.sequenceLength(b, i, end);
                if (n < 0) {
                    return failed("not valid UTF-8");
                }
                i += n;
            } else {
                return failed("a control character in a string");
            }
        }
        return failed("the line ends inside a string");
    }

    /** Skips any JSON value starting at {@code i}; returns the index after it, or -1. */
    private int skipValue(int i, int depth) {
        if (i >= end) {
            return failed("the line ends where a value should be");
        }
        byte c = b[i];
        switch (c) {
            case '"': {
                int close = scanString(i + 1);
                return close < 0 ? -1 : close + 1;
            }
            case '{':
                return depth >= MAX_DEPTH
                        ? failed("nested deeper than " + MAX_DEPTH + " levels")
                        : skipObject(i + 1, depth + 1);
            case '[':
                return depth >= MAX_DEPTH
                        ? failed("nested deeper than " + MAX_DEPTH + " levels")
                        : skipArray(i + 1, depth + 1);
            case 't':
                return literal(i, "true");
            case 'f':
                return literal(i, "false");
            case 'n':
                return literal(i, "null");
            default:
                return skipNumber(i);
        }
    }

    private int skipObject(int i, int depth) {
        i = skipSpace(i);
        if (i < end && b[i] == '}') {
            return i + 1;
        }
        while (true) {
            if (i >= end || b[i] != '"') {
                return failed("expected a member name in quotes");
            }
            int close = scanString(i + 1);
            if (close < 0) {
                return -1;
            }
            i = skipSpace(close + 1);
            if (i >= end || b[i] != ':') {
                return failed("expected ':' after a member name");
            }
            i = skipValue(skipSpace(i + 1), depth);
            if (i < 0) {
                return -1;
            }
            i = skipSpace(i);
            if (i >= end) {
                return failed("the line ends inside an object");
            }
            if (b[i] == '}') {
                return i + 1;
            }
            if (b[i] != ',') {
                return failed("expected ',' or '}' in an object");
            }
            i = skipSpace(i + 1);
        }
    }

    private int skipArray(int i, int depth) {
        i = skipSpace(i);
        if (i < end && b[i] == ']') {
            return i + 1;
        }
        while (true) {
            i = skipValue(i, depth);
            if (i < 0) {
                return -1;
            }
            i = skipSpace(i);
            if (i >= end) {
                return failed("the line ends inside an array");
            }
            if (b[i] == ']') {
                return i + 1;
            }
            if (b[i] != ',') {
                return failed("expected ',' or ']' in an array");
            }
            i = skipSpace(i + 1);
        }
    }

    private int literal(int i, String word) {
        int n = word.length();
        if (i + n > end) {
            return failed("not a JSON value");
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                return failed("not a JSON value");
            }
        }
        return i + n;
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
    private int skipNumber(int i) {
        if (i < end && b[i] == '-') {
            i++;
        }
        if (i >= end) {
            return failed("not a JSON value");
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            i = digits(i);
        } else {
            return failed("not a JSON value");
        }
        if (i < end && b[i] == '.') {
            int after = digits(i + 1);
            if (after == i + 1) {
                return failed("not a JSON number");
            }
            i = after;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int after = digits(i);
            if (after == i) {
                return failed("not a JSON number");
            }
            i = after;
        }
        return i;
    }

    private int digits(int i) {
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    /** As {@link PathTree#find} for a member name with escapes; -2 if the escapes are invalid. */
    private int findEscaped(PathTree node, int start, int stop) {
        int mark = record.scratchUsed();
        if (!decode(start, stop)) {
            return -2;
        }
        byte[] s = record.scratchFor(0);
        int found = node.find(s, mark, record.scratchUsed());
        record.scratchAdvance(mark - record.scratchUsed()); // the name is not kept
        return found;
    }

    private boolean decodeInto(int slot, int start, int stop) {
        int mark = record.scratchUsed();
        if (!decode(start, stop)) {
            return false;
        }
        record.set(slot, record.scratchFor(0), mark, record.scratchUsed() - mark);
        return true;
    }

    /**
     * Decodes the escaped string {@code b[start, stop)} to UTF-8 at the end of the record's
     * scratch space; false for an unpaired surrogate, which has no UTF-8 form.
     */
    private boolean decode(int start, int stop) {
        byte[] out = record.scratchFor(stop - start); // decoding never lengthens
        int o = record.scratchUsed();
        int i = start;
        while (i < stop) {
            byte c = b[i];
            if (c != '\\') {
                out[o++] = c;
                i++;
                continue;
            }
            byte e = b[i + 1];
            i += 2;
            switch (e) {
                case 'b' -> out[o++] = '\b';
                case 'f' -> out[o++] = '\f';
                case 'n' -> out[o++] = '\n';
                case 'r' -> out[o++] = '\r';
                case 't' -> out[o++] = '\t';
                case 'u' -> {
                    int cp = hex4(i);
                    i += 4;
                    if (Character.isHighSurrogate((char) cp)) {
                        if (i + 6 > stop || b[i] != '\\' || b[i + 1] != 'u') {
                            return fail("an unpaired surrogate escape in a string");
                        }
                        int low = hex4(i + 2);
                        if (!Character.isLowSurrogate((char) low)) {
                            return fail("an unpaired surrogate escape in a string");
                        }
                        cp = Character.toCodePoint((char) cp, (char) low);
                        i += 6;
                    } else if (Character.isLowSurrogate((char) cp)) {
                        return fail("an unpaired surrogate escape in a string");
                    }
                    o = putCodePoint(out, o, cp);
                }
                default -> out[o++] = e; // " \ /
            }
        }
        record.scratchAdvance(o - record.scratchUsed());
        return true;
    }

    private static int putCodePoint(byte[] out, int o, int cp) {
        if (cp < 0x80) {
            out[o++] = (byte) cp;
        } else if (cp < 0x800) {
            out[o++] = (byte) (0xC0 | cp >> 6);
            out[o++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            out[o++] = (byte) (0xE0 | cp >> 12);
            out[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[o++] = (byte) (0x80 | cp & 0x3F);
        } else {
            out[o++] = (byte) (0xF0 | cp >> 18);
            out[o++] = (byte) (0x80 | cp >> 12 & 0x3F);
            out[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[o++] = (byte) (0x80 | cp & 0x3F);
        }
        return o;
    }

    private int hex4(int i) {
        return hex(b[i]) << 12 | hex(b[i + 1]) << 8 | hex(b[i + 2]) << 4 | hex(b[i + 3]);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private boolean fail(String why) {
        reason = why;
        return false;
    }

    private int failed(String why) {
        reason = why;
        return -1;
    }
}
