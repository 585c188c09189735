package dev.mapreduce.engine.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A matcher for the regular expressions log queries mostly use, {@code in (\d+) ms} or
 * {@code [Uu]ser (\d+)}: a sequence of single-character atoms (ASCII literals, {@code .},
 * {@code \d \w \s} and their negations, classes), each once, optional ({@code ?}) or repeated
 * ({@code + *}), with capture groups around runs of them. It only accepts patterns in which a
 * repeated or optional atom shares no character with what may follow it, so the greedy choice is
 * the only one that can succeed: a match from a given start is found in one pass without
 * backtracking, and the leftmost match is the first start where one exists. That is exactly what
 * RE2 finds (leftmost-first, greedy), in time linear in the text per start. Anything else
 * (alternation, flags, anchors, counted repetition, lazy quantifiers, Unicode) is left to RE2/J,
 * and so is non-ASCII text.
 */
final class SimpleRegex {

    private static final int MAX_ATOMS = 64;

    private final boolean[][] sets;
    private final boolean[] optional;
    private final boolean[] repeated;
    /** Per atom: groups starting before it / ending after it. */
    private final int[][] opens;

    private final int[][] closes;
    private final int groups;
    private final int[] start;
    private final int[] end;

    private SimpleRegex(
            List<boolean[]> sets,
            List<Boolean> optional,
            List<Boolean> repeated,
            List<List<Integer>> opens,
            List<List<Integer>> closes,
            int groups) {
        int n = sets.size();
        this.sets = sets.toArray(new boolean[0][]);
        this.optional = new boolean[n];
        this.repeated = new boolean[n];
        this.opens = new int[n + 1][];
        this.closes = new int[n + 1][];
        for (int i = 0; i < n; i++) {
            this.optional[i] = optional.get(i);
            this.repeated[i] = repeated.get(i);
        }
        for (int i = 0; i <= n; i++) {
            this.opens[i] = opens.get(i).stream().mapToInt(Integer::intValue).toArray();
            this.closes[i] = closes.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        this.groups = groups;
        this.start = new int[groups + 1];
        this.end = new int[groups + 1];
    }

    /** The matcher of {@code regex}, or null when it is not of the simple shape. */
    static SimpleRegex compile(String regex) {
        List<boolean[]> sets = new ArrayList<>();
        List<Boolean> optional = new ArrayList<>();
        List<Boolean> repeated = new ArrayList<>();
        List<List<Integer>> opens = new ArrayList<>();
        List<List<Integer>> closes = new ArrayList<>();
        opens.add(new ArrayList<>());
        closes.add(new ArrayList<>());
        List<Integer> open = new ArrayList<>();
        int groups = 0;
        int i = 0;
        int n = regex.length();
        while (i < n) {
            char c = regex.charAt(i);
            boolean[] set;
            if (c == '(') {
                if (i + 1 < n && regex.charAt(i + 1) == '?') {
                    return null;
                }
                groups++;
                open.add(groups);
                opens.get(sets.size()).add(groups);
                i++;
                continue;
            }
            if (c == ')') {
                if (open.isEmpty()) {
                    return null;
                }
                int g = open.remove(open.size() - 1);
                if (i + 1 < n && "?*+{".indexOf(regex.charAt(i + 1)) >= 0) {
                    return null; // a repeated group
                }
                if (sets.isEmpty() || opens.get(sets.size()).contains(g)) {
                    return null; // an empty group
                }
                closes.get(sets.size()).add(g);
                i++;
                continue;
            }
            if (c == '\\') {
                if (i + 1 >= n) {
                    return null;
                }
                set = escape(regex.charAt(i + 1));
                i += 2;
            } else if (c == '[') {
                int[] next = new int[1];
                set = parseClass(regex, i, next);
                i = next[0];
            } else if (c == '.') {
                set = new boolean[128];
                for (int k = 0; k < 128; k++) {
                    set[k] = k != '\n';
                }
                i++;
            } else if ("|^$*+?{}]".indexOf(c) >= 0 || c >= 128) {
                return null;
            } else {
                set = new boolean[128];
                set[c] = true;
                i++;
            }
            if (set == null) {
                return null;
            }
            boolean opt = false;
            boolean rep = false;
            if (i < n) {
                char q = regex.charAt(i);
                if (q == '?' || q == '*' || q == '+') {
                    opt = q != '+';
                    rep = q != '?';
                    i++;
                    if (i < n && (regex.charAt(i) == '?' || regex.charAt(i) == '+')) {
                        return null; // lazy or possessive
                    }
                } else if (q == '{') {
                    return null;
                }
            }
            sets.add(set);
            optional.add(opt);
            repeated.add(rep);
            opens.add(new ArrayList<>());
            closes.add(new ArrayList<>());
            if (sets.size() > MAX_ATOMS) {
                return null;
            }
        }
        if (!open.isEmpty() || sets.isEmpty()) {
            return null;
        }
        // a variable atom must share no character with any atom that may come right after it
        for (int a = 0; a < sets.size(); a++) {
            if (!optional.get(a) && !repeated.get(a)) {
                continue;
            }
            for (int b = a + 1; b < sets.size(); b++) {
                if (overlap(sets.get(a), sets.get(b))) {
                    return null;
                }
                if (!optional.get(b)) {
                    break;
                }
            }
        }
        return new SimpleRegex(sets, optional, repeated, opens, closes, groups);
    }

    private static boolean overlap(boolean[] x, boolean[] y) {
        for (int k = 0; k < 128; k++) {
            if (x[k] && y[k]) {
                return true;
            }
        }
        return false;
    }

    /** The set of an escape, or null for escapes this matcher leaves to RE2/J. */
    private static boolean[] escape(char e) {
        boolean[] set = new boolean[128];
        switch (e) {
            case 'd', 'D' -> range(set, '0', '9');
            case 'w', 'W' -> {
                range(set, '0', '9');
                range(set, 'a', 'z');
                range(set, 'A', 'Z');
                set['_'] = true;
            }
            case 's', 'S' -> {
                set['\t'] = true;
                set['\n'] = true;
                set['\f'] = true;
                set['\r'] = true;
                set[' '] = true;
            }
            default -> {
                if (Character.isLetterOrDigit(e) || e >= 128) {
                    return null;
                }
                set[e] = true;
                return set;
            }
        }
        if (Character.isUpperCase(e)) {
            for (int k = 0; k < 128; k++) {
                set[k] = !set[k];
            }
        }
        return set;
    }

    private static void range(boolean[] set, char from, char to) {
        for (char k = from; k <= to; k++) {
            set[k] = true;
        }
    }

    /** A class {@code [...]} of ASCII characters, ranges and \d \w \s; null for anything else. */
    private static boolean[] parseClass(String regex, int at, int[] next) {
        int i = at + 1;
        int n = regex.length();
        boolean negate = i < n && regex.charAt(i) == '^';
        if (negate) {
            i++;
        }
        boolean[] set = new boolean[128];
        boolean first = true;
        while (i < n && (regex.charAt(i) != ']' || first)) {
            char c = regex.charAt(i);
            first = false;
            if (c == '[' || c >= 128) {
                return null;
            }
            char lo;
            if (c == '\\') {
                if (i + 1 >= n) {
                    return null;
                }
                char e = regex.charAt(i + 1);
                i += 2;
                if (Character.isLetterOrDigit(e)) {
                    boolean[] s = "dDwWsS".indexOf(e) >= 0 ? escape(e) : null;
                    if (s == null) {
                        return null;
                    }
                    for (int k = 0; k < 128; k++) {
                        set[k] |= s[k];
                    }
                    continue;
                }
                if (e >= 128) {
                    return null;
                }
                lo = e;
            } else {
                lo = c;
                i++;
            }
            if (i + 1 < n && regex.charAt(i) == '-' && regex.charAt(i + 1) != ']') {
                char hi = regex.charAt(i + 1);
                if (hi == '\\' || hi == '[' || hi >= 128 || hi < lo) {
                    return null;
                }
                range(set, lo, hi);
                i += 2;
            } else {
                set[lo] = true;
            }
        }
        if (i >= n) {
            return null;
        }
        next[0] = i + 1;
        if (negate) {
            for (int k = 0; k < 128; k++) {
                set[k] = !set[k];
            }
        }
        return set;
    }

    int groupCount() {
        return groups;
    }

    /**
     * The atoms without the groups, as text: two patterns with the same atoms find the same
     * matches (the groups only say which parts of a match to report).
     */
    String atoms() {
        StringBuilder text = new StringBuilder();
        for (int a = 0; a < sets.length; a++) {
            long lo = 0;
            long hi = 0;
            for (int k = 0; k < 64; k++) {
                lo |= sets[a][k] ? 1L << k : 0;
                hi |= sets[a][k + 64] ? 1L << k : 0;
            }
            text.append(Long.toHexString(hi)).append(':').append(Long.toHexString(lo));
            text.append(repeated[a] ? (optional[a] ? '*' : '+') : optional[a] ? '?' : ' ');
        }
        return text.toString();
    }

    /**
     * Matches at exactly {@code p} in ASCII bytes {@code b[.., to)}; on success the group
     * positions are set (-1 for a group that took no part: never here, every group is mandatory
     * or empty-capable).
     */
    boolean matchAt(byte[] b, int p, int to) {
        int pos = p;
        start[0] = p;
        for (int a = 0; a < sets.length; a++) {
            for (int g : opens[a]) {
                start[g] = pos;
            }
            boolean[] set = sets[a];
            if (repeated[a]) {
                int from = pos;
                while (pos < to && set[b[pos]]) {
                    pos++;
                }
                if (pos == from && !optional[a]) {
                    return false;
                }
            } else if (pos < to && set[b[pos]]) {
                pos++;
            } else if (!optional[a]) {
                return false;
            }
            for (int g : closes[a + 1]) {
                end[g] = pos;
            }
        }
        end[0] = pos;
        return true;
    }

    /** The leftmost match in ASCII bytes {@code b[from, to)}. */
    boolean find(byte[] b, int from, int to) {
        for (int p = from; p <= to; p++) {
            if (matchAt(b, p, to)) {
                return true;
            }
        }
        return false;
    }

    int start(int group) {
        return start[group];
    }

    int end(int group) {
        return end[group];
    }
}
