package dev.mapreduce.engine.record;

/**
 * A strict, allocation-free JSON object scanner for one log line (RFC 8259 grammar, UTF-8). It
 * validates the whole line and keeps only the string values of the four {@link LogField}s; when
 * a member repeats, the last one wins, as in Jackson's tree model.
 */
final class JsonLineParser {

    /**
     * Nesting deeper than this (the record's own object counts as 1) is malformed, so a line of a
     * million brackets cannot exhaust the stack; Jackson's {@code maxNestingDepth(1000)} agrees.
     */
    static final int MAX_DEPTH = 1000;

    private static final byte[][] FIELD_NAMES = new byte[LogField.values().length][];

    /** Bytes that can appear in a JSON string as themselves: printable ASCII except quote and backslash. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (LogField f : LogField.values()) {
            FIELD_NAMES[f.ordinal()] = f.jsonName().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    private byte[] b;
    private int end;
    /** Set by {@link #scanString}: whether the string just scanned had escapes. */
    private boolean escaped;

    private LogRecord record;

    /** Parses {@code line[off, off + len)}; true if it is a valid record, now in {@code out}. */
    boolean parse(byte[] line, int off, int len, LogRecord out) {
        this.b = line;
        this.end = off + len;
        this.record = out;
        out.reset();
        int i = skipSpace(off);
        if (i >= end || b[i] != '{') {
            return false;
        }
        i = skipSpace(i + 1);
        if (i < end && b[i] == '}') {
            return false; // an empty object has none of the fields
        }
        while (true) {
            if (i >= end || b[i] != '"') {
                return false;
            }
            int keyStart = i + 1;
            int keyEnd = scanString(keyStart);
            if (keyEnd < 0) {
                return false;
            }
            int field = escaped ? fieldOfEscaped(keyStart, keyEnd) : fieldOf(keyStart, keyEnd);
            if (field == -2) {
                return false;
            }
            i = skipSpace(keyEnd + 1);
            if (i >= end || b[i] != ':') {
                return false;
            }
            i = skipSpace(i + 1);
            if (i >= end) {
                return false;
            }
            if (b[i] == '"') {
                int valueStart = i + 1;
                int valueEnd = scanString(valueStart);
                if (valueEnd < 0) {
                    return false;
                }
                if (field >= 0) {
                    if (escaped) {
                        if (!decodeInto(field, valueStart, valueEnd)) {
                            return false;
                        }
                    } else {
                        out.set(field, b, valueStart, valueEnd - valueStart);
                    }
                }
                i = valueEnd + 1;
            } else {
                if (field >= 0) {
                    out.clear(field); // last member wins, and it is not a string
                }
                i = skipValue(i, 1);
                if (i < 0) {
                    return false;
                }
            }
            i = skipSpace(i);
            if (i >= end) {
                return false;
            }
            byte c = b[i];
            if (c == ',') {
                i = skipSpace(i + 1);
            } else if (c == '}') {
                break;
            } else {
                return false;
            }
        }
        return skipSpace(i + 1) == end && out.complete();
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
        while (i < end) {
            byte c = b[i];
            if (PLAIN[c & 0xFF]) {
                i++;
            } else if (c == '"') {
                return i;
            } else if (c == '\\') {
                escaped = true;
                if (i + 1 >= end) {
                    return -1;
                }
                byte e = b[i + 1];
                if (e == 'u') {
                    if (i + 5 >= end
                            || hex(b[i + 2]) < 0
                            || hex(b[i + 3]) < 0
                            || hex(b[i + 4]) < 0
                            || hex(b[i + 5]) < 0) {
                        return -1;
                    }
                    i += 6;
                } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
                        || e == 't') {
                    i += 2;
                } else {
                    return -1;
                }
            } else if (c < 0) {
                int n = Utf8.sequenceLength(b, i, end);
                if (n < 0) {
                    return -1;
                }
                i += n;
            } else {
                return -1; // control character
            }
        }
        return -1;
    }

    /** Skips any JSON value starting at {@code i}; returns the index after it, or -1. */
    private int skipValue(int i, int depth) {
        if (i >= end) {
            return -1;
        }
        byte c = b[i];
        switch (c) {
            case '"': {
                int close = scanString(i + 1);
                return close < 0 ? -1 : close + 1;
            }
            case '{':
                return depth >= MAX_DEPTH ? -1 : skipObject(i + 1, depth + 1);
            case '[':
                return depth >= MAX_DEPTH ? -1 : skipArray(i + 1, depth + 1);
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
                return -1;
            }
            int close = scanString(i + 1);
            if (close < 0) {
                return -1;
            }
            i = skipSpace(close + 1);
            if (i >= end || b[i] != ':') {
                return -1;
            }
            i = skipValue(skipSpace(i + 1), depth);
            if (i < 0) {
                return -1;
            }
            i = skipSpace(i);
            if (i >= end) {
                return -1;
            }
            if (b[i] == '}') {
                return i + 1;
            }
            if (b[i] != ',') {
                return -1;
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
                return -1;
            }
            if (b[i] == ']') {
                return i + 1;
            }
            if (b[i] != ',') {
                return -1;
            }
            i = skipSpace(i + 1);
        }
    }

    private int literal(int i, String word) {
        int n = word.length();
        if (i + n > end) {
            return -1;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                return -1;
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
            return -1;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            i = digits(i);
        } else {
            return -1;
        }
        if (i < end && b[i] == '.') {
            int after = digits(i + 1);
            if (after == i + 1) {
                return -1;
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
                return -1;
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

    /** The field a plain (unescaped) member name names, or -1. */
    private int fieldOf(int start, int stop) {
        int len = stop - start;
        for (int f = 0; f < FIELD_NAMES.length; f++) {
            byte[] name = FIELD_NAMES[f];
            if (name.length == len && java.util.Arrays.equals(name, 0, len, b, start, stop)) {
                return f;
            }
        }
        return -1;
    }

    /** As {@link #fieldOf} for a member name with escapes; -2 if the escapes are invalid. */
    private int fieldOfEscaped(int start, int stop) {
        int mark = record.scratchUsed();
        if (!decode(start, stop)) {
            return -2;
        }
        byte[] s = record.scratchFor(0);
        int len = record.scratchUsed() - mark;
        int found = -1;
        for (int f = 0; f < FIELD_NAMES.length; f++) {
            byte[] name = FIELD_NAMES[f];
            if (name.length == len && java.util.Arrays.equals(name, 0, len, s, mark, mark + len)) {
                found = f;
            }
        }
        record.scratchAdvance(mark - record.scratchUsed()); // the name is not kept
        return found;
    }

    private boolean decodeInto(int field, int start, int stop) {
        int mark = record.scratchUsed();
        if (!decode(start, stop)) {
            return false;
        }
        record.set(field, record.scratchFor(0), mark, record.scratchUsed() - mark);
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
                            return false;
                        }
                        int low = hex4(i + 2);
                        if (!Character.isLowSurrogate((char) low)) {
                            return false;
                        }
                        cp = Character.toCodePoint((char) cp, (char) low);
                        i += 6;
                    } else if (Character.isLowSurrogate((char) cp)) {
                        return false;
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
}
