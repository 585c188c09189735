package dev.mapreduce.engine.sql;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** String functions over UTF-8 slices; characters are code points, as in DuckDB. */
final class Strings {

    private Strings() {}

    /** A VARCHAR function of one argument that writes its result to a scratch buffer. */
    abstract static class Unary extends Ev {
        final Ev arg;
        final Slice out = new Slice();
        byte[] scratch = new byte[64];

        Unary(Ev arg) {
            super(SqlType.VARCHAR);
            this.arg = arg;
        }

        byte[] room(int n) {
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            return scratch;
        }

        Slice ofString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return out.set(b, 0, b.length);
        }
    }

    static final class Lower extends Unary {
        private final boolean upper;

        Lower(Ev arg, boolean upper) {
            super(arg);
            this.upper = upper;
        }

        @Override
        Slice str(Row r) {
            Slice s = arg.str(r);
            if (s == null) {
                return null;
            }
            if (!s.isAscii()) {
                // simple (one to one) case mapping per code point, as DuckDB's (utf8proc): ß becomes ẞ, not SS
                String v = s.toString();
                StringBuilder b = new StringBuilder(v.length());
                v.codePoints().forEach(cp -> b.appendCodePoint(upper ? upper(cp) : Character.toLowerCase(cp)));
                return ofString(b.toString());
            }
            byte[] b = room(s.len);
            for (int i = 0; i < s.len; i++) {
                byte c = s.a[s.off + i];
                if (upper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) {
                    c = (byte) (upper ? c - 32 : c + 32);
                }
                b[i] = c;
            }
            return out.set(b, 0, s.len);
        }
    }

    private static int upper(int cp) {
        return cp == 'ß' ? 'ẞ' : Character.toUpperCase(cp);
    }

    static final class Length extends Ev {
        private final Ev arg;

        Length(Ev arg) {
            super(SqlType.BIGINT);
            this.arg = arg;
        }

        @Override
        long lng(Row r) {
            Slice s = arg.str(r);
            if (s == null) {
                r.nul = true;
                return 0;
            }
            r.nul = false;
            return codePoints(s.a, s.off, s.off + s.len);
        }
    }

    static int codePoints(byte[] a, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if ((a[i] & 0xC0) != 0x80) {
                n++;
            }
        }
        return n;
    }

    /** The byte offset of code point {@code index} (0-based) in {@code s}, or its end. */
    static int byteOffset(Slice s, long index) {
        int i = s.off;
        int end = s.off + s.len;
        long seen = -1;
        for (; i < end; i++) {
            if ((s.a[i] & 0xC0) != 0x80 && ++seen == index) {
                return i;
            }
        }
        return end;
    }

    /** substr(s, start[, length]): 1-based; a start below 1 eats into the length, a negative start counts from the end. */
    static final class Substr extends Ev {
        private final Ev s;
        private final Ev start;
        private final Ev length;
        private final Slice out = new Slice();

        Substr(Ev s, Ev start, Ev length) {
            super(SqlType.VARCHAR);
            this.s = s;
            this.start = start;
            this.length = length;
        }

        @Override
        Slice str(Row r) {
            Slice v = s.str(r);
            if (v == null) {
                return null;
            }
            long from = start.lng(r);
            if (r.nul) {
                return null;
            }
            long n = codePoints(v.a, v.off, v.off + v.len);
            long count = Long.MAX_VALUE / 4;
            if (length != null) {
                count = length.lng(r);
                if (r.nul) {
                    return null;
                }
            }
            long begin = from > 0 ? from - 1 : from == 0 ? -1 : n + from;
            long end;
            if (count >= 0) {
                end = begin + count;
            } else {
                end = begin;
                begin = begin + count;
            }
            begin = Math.max(0, Math.min(n, begin));
            end = Math.max(begin, Math.min(n, end));
            int b = byteOffset(v, begin);
            int e = byteOffset(v, end);
            return out.set(v.a, b, e - b);
        }
    }

    /** split_part(s, separator, n): the n-th part (1-based, negative from the end), '' past the parts. */
    static final class SplitPart extends Ev {
        private final Ev s;
        private final Ev sep;
        private final Ev index;
        private final Slice out = new Slice();

        SplitPart(Ev s, Ev sep, Ev index) {
            super(SqlType.VARCHAR);
            this.s = s;
            this.sep = sep;
            this.index = index;
        }

        @Override
        Slice str(Row r) {
            Slice v = s.str(r);
            if (v == null) {
                return null;
            }
            Slice d = sep.str(r);
            if (d == null) {
                return null;
            }
            long n = index.lng(r);
            if (r.nul) {
                return null;
            }
            if (d.len == 0) {
                // DuckDB: an empty separator splits into characters
                long count = codePoints(v.a, v.off, v.off + v.len);
                long k = n > 0 ? n - 1 : n < 0 ? count + n : 0;
                if (k < 0 || k >= count) {
                    return out.set(v.a, v.off, 0);
                }
                int b = byteOffset(v, k);
                int e = byteOffset(v, k + 1);
                return out.set(v.a, b, e - b);
            }
            int parts = 1;
            for (int i = v.off; i <= v.off + v.len - d.len; ) {
                if (matchesAt(v.a, i, d)) {
                    parts++;
                    i += d.len;
                } else {
                    i++;
                }
            }
            long k = n > 0 ? n : n < 0 ? parts + n + 1 : 1;
            if (k < 1 || k > parts) {
                return out.set(v.a, v.off, 0);
            }
            int part = 1;
            int begin = v.off;
            int end = v.off + v.len;
            for (int i = v.off; i <= v.off + v.len - d.len; ) {
                if (matchesAt(v.a, i, d)) {
                    if (part == k) {
                        return out.set(v.a, begin, i - begin);
                    }
                    part++;
                    i += d.len;
                    begin = i;
                } else {
                    i++;
                }
            }
            return out.set(v.a, begin, end - begin);
        }
    }

    static boolean matchesAt(byte[] a, int at, Slice d) {
        for (int j = 0; j < d.len; j++) {
            if (a[at + j] != d.a[d.off + j]) {
                return false;
            }
        }
        return true;
    }

    /** concat(a, b, ...) skips NULLs; {@code a || b} (strict) is NULL when either is. */
    static final class Concat extends Ev {
        private final Ev[] args;
        private final boolean strict;
        private final Slice out = new Slice();
        private byte[] buf = new byte[128];

        Concat(List<Ev> args, boolean strict) {
            super(SqlType.VARCHAR);
            this.args = args.toArray(new Ev[0]);
            this.strict = strict;
        }

        @Override
        Slice str(Row r) {
            int n = 0;
            for (Ev a : args) {
                Slice s = a.str(r);
                if (s == null) {
                    if (strict) {
                        return null;
                    }
                    continue;
                }
                if (n + s.len > buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.max(n + s.len, buf.length * 2));
                }
                System.arraycopy(s.a, s.off, buf, n, s.len);
                n += s.len;
            }
            return out.set(buf, 0, n);
        }
    }

    /** trim, ltrim, rtrim: of the characters given (spaces by default). */
    static final class Trim extends Ev {
        private final Ev s;
        private final Ev chars;
        private final boolean leading;
        private final boolean trailing;
        private final Slice out = new Slice();

        Trim(Ev s, Ev chars, boolean leading, boolean trailing) {
            super(SqlType.VARCHAR);
            this.s = s;
            this.chars = chars;
            this.leading = leading;
            this.trailing = trailing;
        }

        @Override
        Slice str(Row r) {
            Slice v = s.str(r);
            if (v == null) {
                return null;
            }
            Slice c = chars == null ? null : chars.str(r);
            if (chars != null && c == null) {
                return null;
            }
            if (c != null && !c.isAscii()) {
                String set = c.toString();
                String x = v.toString();
                int b = 0;
                int e = x.length();
                while (leading && b < e && set.indexOf(x.codePointAt(b)) >= 0) {
                    b += Character.charCount(x.codePointAt(b));
                }
                while (trailing && e > b && set.indexOf(x.codePointBefore(e)) >= 0) {
                    e -= Character.charCount(x.codePointBefore(e));
                }
                byte[] bytes = x.substring(b, e).getBytes(StandardCharsets.UTF_8);
                return out.set(bytes, 0, bytes.length);
            }
            int b = v.off;
            int e = v.off + v.len;
            while (leading && b < e && trimmed(v.a[b], c)) {
                b++;
            }
            while (trailing && e > b && trimmed(v.a[e - 1], c)) {
                e--;
            }
            return out.set(v.a, b, e - b);
        }

        private static boolean trimmed(byte x, Slice c) {
            if (c == null) {
                return x == ' ';
            }
            for (int i = 0; i < c.len; i++) {
                if (c.a[c.off + i] == x) {
                    return true;
                }
            }
            return false;
        }
    }

    /** replace(s, from, to): every occurrence. */
    static final class Replace extends Ev {
        private final Ev s;
        private final Ev from;
        private final Ev to;
        private final Slice out = new Slice();
        private byte[] buf = new byte[128];

        Replace(Ev s, Ev from, Ev to) {
            super(SqlType.VARCHAR);
            this.s = s;
            this.from = from;
            this.to = to;
        }

        @Override
        Slice str(Row r) {
            Slice v = s.str(r);
            Slice f = v == null ? null : from.str(r);
            Slice t = f == null ? null : to.str(r);
            if (t == null) {
                return null;
            }
            if (f.len == 0) {
                return v;
            }
            int n = 0;
            int i = v.off;
            int end = v.off + v.len;
            while (i < end) {
                if (i <= end - f.len && matchesAt(v.a, i, f)) {
                    n = put(n, t.a, t.off, t.len);
                    i += f.len;
                } else {
                    n = put(n, v.a, i, 1);
                    i++;
                }
            }
            return out.set(buf, 0, n);
        }

        private int put(int n, byte[] a, int off, int len) {
            if (n + len > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(n + len, buf.length * 2));
            }
            System.arraycopy(a, off, buf, n, len);
            return n + len;
        }
    }

    /** starts_with, ends_with, contains. */
    static final class Contains extends Ev {
        private final Ev s;
        private final Ev part;
        private final int where; // -1 start, 0 anywhere, 1 end

        Contains(Ev s, Ev part, int where) {
            super(SqlType.BOOLEAN);
            this.s = s;
            this.part = part;
            this.where = where;
        }

        @Override
        int bool(Row r) {
            Slice v = s.str(r);
            Slice p = v == null ? null : part.str(r);
            if (p == null) {
                return UNKNOWN;
            }
            if (p.len > v.len) {
                return FALSE;
            }
            if (where < 0) {
                return matchesAt(v.a, v.off, p) ? TRUE : FALSE;
            }
            if (where > 0) {
                return matchesAt(v.a, v.off + v.len - p.len, p) ? TRUE : FALSE;
            }
            return indexOf(v.a, v.off, v.off + v.len, p) >= 0 ? TRUE : FALSE;
        }
    }

    static int indexOf(byte[] a, int from, int to, Slice p) {
        if (p.len == 0) {
            return from;
        }
        byte first = p.a[p.off];
        for (int i = from; i <= to - p.len; i++) {
            if (a[i] == first && matchesAt(a, i, p)) {
                return i;
            }
        }
        return -1;
    }
}
