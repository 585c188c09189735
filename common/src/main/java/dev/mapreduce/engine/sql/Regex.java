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
        private Slice slice;

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

        boolean find(Slice s) {
            slice = s;
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
            ascii.a = slice.a;
            ascii.off = from;
            ascii.len = end - from;
            matcher.reset(ascii);
        }

        /** Group {@code g} of the last match as a slice into the input (or a decoded copy). */
        Slice group(int g, Slice out) {
            if (simpleMatched) {
                return out.set(slice.a, simple.start(g), simple.end(g) - simple.start(g));
            }
            int start = matcher.start(g);
            int end = matcher.end(g);
            if (start < 0) {
                return out.set(slice.a, slice.off, 0);
            }
            if (decoded == null) {
                return out.set(slice.a, ascii.off + start, end - start);
            }
            byte[] b = decoded.substring(start, end).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return out.set(b, 0, b.length);
        }
    }

    static final class Matches extends Ev {
        private final Ev s;
        private final Input input;

        Matches(Ev s, Pattern pattern) {
            super(SqlType.BOOLEAN);
            this.s = s;
            this.input = new Input(pattern);
        }

        @Override
        int bool(Row r) {
            Slice v = s.str(r);
            if (v == null) {
                return UNKNOWN;
            }
            return input.find(v) ? TRUE : FALSE;
        }
    }

    /** regexp_extract(s, pattern[, group]): the group of the first match, '' when nothing matches. */
    static final class Extract extends Ev {
        private final Ev s;
        private final Input input;
        private final int group;
        private final Slice out = new Slice();

        Extract(Ev s, Pattern pattern, int group) {
            super(SqlType.VARCHAR);
            this.s = s;
            this.input = new Input(pattern);
            this.group = group;
        }

        @Override
        Slice str(Row r) {
            Slice v = s.str(r);
            if (v == null) {
                return null;
            }
            if (!input.find(v)) {
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
