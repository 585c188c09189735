package dev.mapreduce.engine.sql;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.mapreduce.engine.function.RegexSize;

/**
 * regexp_matches, regexp_extract, LIKE and ILIKE, on RE2/J (linear-time matching, no
 * backtracking): a pattern is measured before it is compiled (see {@link RegexSize}), so no
 * pattern can hang or exhaust a worker. ASCII text is matched in place; other text is decoded.
 */
final class Regex {

    static final int MAX_PATTERN_LENGTH = 2000;
    static final long MAX_PROGRAM_SIZE = 10_000;

    private Regex() {}

    /** The pattern compiled, or a QueryException at {@code line}/{@code column}. */
    static Pattern compile(String regex, int flags, int line, int column) {
        if (regex.length() > MAX_PATTERN_LENGTH) {
            throw new QueryException(
                    "regular expression is longer than " + MAX_PATTERN_LENGTH + " characters", line, column);
        }
        if (RegexSize.of(regex, MAX_PROGRAM_SIZE) > MAX_PROGRAM_SIZE) {
            throw new QueryException(
                    "regular expression '" + abbreviate(regex) + "' would compile to more than " + MAX_PROGRAM_SIZE
                            + " steps (nested counts such as (a{100}){100} multiply)",
                    line,
                    column);
        }
        try {
            return Pattern.compile(regex, flags);
        } catch (PatternSyntaxException e) {
            throw new QueryException(
                    "invalid regular expression '" + abbreviate(regex) + "': " + e.getDescription(), line, column);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** A CharSequence over ASCII bytes, so RE2/J can match them without a copy. */
    static final class Ascii implements CharSequence {
        byte[] a;
        int off;
        int len;

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int index) {
            return (char) a[off + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(a, off + start, end - start, java.nio.charset.StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return subSequence(0, len).toString();
        }
    }

    /** The literal every match contains (see {@link RequiredLiteral}), or null. */
    static Slice required(Pattern pattern) {
        String literal =
                (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0 ? null : RequiredLiteral.of(pattern.pattern());
        return literal == null ? null : Slice.of(literal);
    }

    /**
     * Finds the first match in one input at a time; says where groups are, in bytes of the input.
     * ASCII input is matched in place. When every match holds a literal at a fixed distance from
     * its start, the matcher runs anchored at each place the literal occurs (an anchored RE2/J
     * match is far cheaper than an unanchored search), and inputs without the literal are not
     * matched at all.
     */
    static final class Input {
        private final Matcher matcher;
        private final Ascii ascii = new Ascii();
        private final Slice required;
        private final Slice anchor;
        private final int anchorWidth;
        /** The one-pass matcher when the pattern has the simple shape (see {@link SimpleRegex}), else null. */
        private final SimpleRegex simple;

        private boolean simpleMatched;
        private String decoded;
        /** The input last matched, and for which row; what that match found. */
        private byte[] a;

        private int off;
        private int len;
        private Row lastRow;
        private long lastSeq;
        private boolean found;

        Input(Pattern pattern) {
            this.matcher = pattern.matcher("");
            this.simple = pattern.flags() == 0 ? SimpleRegex.compile(pattern.pattern()) : null;
            this.required = required(pattern);
            RequiredLiteral.Anchor a = (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0
                    ? null
                    : RequiredLiteral.anchor(pattern.pattern());
            this.anchor = a == null ? null : Slice.of(a.literal());
            this.anchorWidth = a == null ? 0 : a.width();
        }

        /**
         * Whether {@code s}, the value of an expression on row {@code r}, has a match. Asked again
         * for the same value of the same row (a regexp_matches and a regexp_extract sharing this
         * input, see {@link Shared}), it answers from the last match.
         */
        boolean find(Slice s, Row r) {
            if (r == lastRow && r.seq == lastSeq && s.a == a && s.off == off && s.len == len) {
                return found;
            }
            found = find(s);
            lastRow = r;
            lastSeq = r.seq;
            return found;
        }

        /** Whether {@code s} has a match. */
        boolean find(Slice s) {
            lastRow = null;
            a = s.a;
            off = s.off;
            len = s.len;
            int end = s.off + s.len;
            if (required != null && Strings.indexOf(s.a, s.off, end, required) < 0) {
                return false;
            }
            if (!s.isAscii()) {
                simpleMatched = false;
                decoded = s.toString();
                matcher.reset(decoded);
                return matcher.find();
            }
            decoded = null;
            simpleMatched = simple != null;
            if (anchor == null) {
                if (simple != null) {
                    return simple.find(s.a, s.off, end);
                }
                view(s.off, end);
                return matcher.find();
            }
            for (int p = Strings.indexOf(s.a, s.off, end, anchor);
                    p >= 0;
                    p = Strings.indexOf(s.a, p + 1, end, anchor)) {
                int start = p - anchorWidth;
                if (start < s.off) {
                    continue;
                }
                if (simple != null) {
                    if (simple.matchAt(s.a, start, end)) {
                        return true;
                    }
                    continue;
                }
                view(start, end);
                if (matcher.lookingAt()) {
                    return true;
                }
            }
            return false;
        }

        private void view(int from, int end) {
            ascii.a = a;
            ascii.off = from;
            ascii.len = end - from;
            matcher.reset(ascii);
        }

        /** Group {@code g} of the last match as a slice into the input (or a decoded copy). */
        Slice group(int g, Slice out) {
            if (simpleMatched) {
                return out.set(a, simple.start(g), simple.end(g) - simple.start(g));
            }
            int start = matcher.start(g);
            int end = matcher.end(g);
            if (start < 0) {
                return out.set(a, off, 0);
            }
            if (decoded == null) {
                return out.set(a, ascii.off + start, end - start);
            }
            byte[] b = decoded.substring(start, end).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return out.set(b, 0, b.length);
        }
    }

    /**
     * The {@link Input} that a query's regexp_matches and regexp_extract share when they search the
     * same expression for the same matches, so that {@code WHERE regexp_matches(message, 'in \\d+ ms')}
     * and {@code regexp_extract(message, 'in (\\d+) ms', 1)} match each record once. Two patterns
     * find the same matches when they are equal, or when both have {@link SimpleRegex}'s shape with
     * the same atoms: groups do not change what such a pattern matches.
     */
    static final class Shared {
        /** What the pattern matches, as {@link #key} gives it. */
        final String key;

        private Pattern pattern;
        Input input;
        /** Whether an extract relies on the numbering of the pattern's groups. */
        private boolean groupsUsed;

        Shared(Pattern pattern) {
            this.key = key(pattern);
            this.pattern = pattern;
            this.input = new Input(pattern);
        }

        /** Equal for patterns that find the same matches. */
        static String key(Pattern pattern) {
            SimpleRegex simple = pattern.flags() == 0 ? SimpleRegex.compile(pattern.pattern()) : null;
            return simple != null ? "atoms " + simple.atoms() : "re2 " + pattern.flags() + " " + pattern.pattern();
        }

        /**
         * Whether an extract of a group of {@code p} (which has this {@link #key}) can use this
         * input: when its pattern is {@code p}, or no extract relied on its groups yet (it then
         * takes {@code p}, whose groups the matches need not).
         */
        boolean takeGroups(Pattern p) {
            if (!p.pattern().equals(pattern.pattern()) || p.flags() != pattern.flags()) {
                if (groupsUsed) {
                    return false;
                }
                pattern = p;
                input = new Input(p);
            }
            groupsUsed = true;
            return true;
        }
    }

    static final class Matches extends Ev {
        private final Ev s;
        private final Shared search;

        Matches(Ev s, Shared search) {
            super(SqlType.BOOLEAN);
            this.s = s;
            this.search = search;
        }

        @Override
        int bool(Row r) {
            Slice v = s.str(r);
            if (v == null) {
                return UNKNOWN;
            }
            return search.input.find(v, r) ? TRUE : FALSE;
        }
    }

    /** regexp_extract(s, pattern[, group]): the group of the first match, '' when nothing matches. */
    static final class Extract extends Ev {
        private final Ev s;
        private final Shared search;
        private final int group;
        private final Slice out = new Slice();

        Extract(Ev s, Shared search, int group) {
            super(SqlType.VARCHAR);
            this.s = s;
            this.search = search;
            this.group = group;
        }

        @Override
        Slice str(Row r) {
            Slice v = s.str(r);
            if (v == null) {
                return null;
            }
            Input input = search.input;
            if (!input.find(v, r)) {
                return out.set(v.a, v.off, 0);
            }
            return input.group(group, out);
        }
    }

    /** LIKE / ILIKE with a constant pattern: {@code %} any run, {@code _} one character. */
    static final class Like extends Ev {
        private final Ev s;
        private final Slice literal; // when the pattern has no wildcard (LIKE only)
        private final Slice prefix;
        private final Slice suffix;
        private final Slice infix;
        private final Input regex;

        Like(Ev s, String pattern, boolean caseInsensitive, int line, int column) {
            super(SqlType.BOOLEAN);
            this.s = s;
            Slice lit = null;
            Slice pre = null;
            Slice suf = null;
            Slice inf = null;
            Input re = null;
            boolean simple = !caseInsensitive && pattern.indexOf('_') < 0;
            String core = pattern;
            if (simple && core.indexOf('%') < 0) {
                lit = Slice.of(core);
            } else if (simple
                    && core.length() >= 2
                    && core.startsWith("%")
                    && core.endsWith("%")
                    && core.substring(1, core.length() - 1).indexOf('%') < 0) {
                inf = Slice.of(core.substring(1, core.length() - 1));
            } else if (simple && core.endsWith("%") && core.indexOf('%') == core.length() - 1) {
                pre = Slice.of(core.substring(0, core.length() - 1));
            } else if (simple && core.startsWith("%") && core.lastIndexOf('%') == 0) {
                suf = Slice.of(core.substring(1));
            } else {
                StringBuilder rx = new StringBuilder(caseInsensitive ? "(?is)^" : "(?s)^");
                for (int i = 0; i < pattern.length(); ) {
                    int cp = pattern.codePointAt(i);
                    if (cp == '%') {
                        rx.append(".*");
                    } else if (cp == '_') {
                        rx.append('.');
                    } else {
                        rx.append(Pattern.quote(new String(Character.toChars(cp))));
                    }
                    i += Character.charCount(cp);
                }
                rx.append('$');
                re = new Input(Pattern.compile(rx.toString()));
            }
            this.literal = lit;
            this.prefix = pre;
            this.suffix = suf;
            this.infix = inf;
            this.regex = re;
        }

        @Override
        int bool(Row r) {
            Slice v = s.str(r);
            if (v == null) {
                return UNKNOWN;
            }
            boolean m;
            if (literal != null) {
                m = Slice.equal(v, literal);
            } else if (prefix != null) {
                m = v.len >= prefix.len && Strings.matchesAt(v.a, v.off, prefix);
            } else if (suffix != null) {
                m = v.len >= suffix.len && Strings.matchesAt(v.a, v.off + v.len - suffix.len, suffix);
            } else if (infix != null) {
                m = Strings.indexOf(v.a, v.off, v.off + v.len, infix) >= 0;
            } else {
                m = regex.find(v);
            }
            return m ? TRUE : FALSE;
        }
    }
}
